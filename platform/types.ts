/**
 * What the party program and the client's path need from their host, as one small interface: the
 * Node implementation (node.ts) wraps node:crypto, node:zlib and node:fs; the browser one (browser.ts)
 * is plain TypeScript, @noble/curves and the page's `crypto.getRandomValues`. Every function is
 * synchronous (the PRG is drawn synchronously inside the protocols), and both implementations give
 * the same bytes for the same inputs (test/platform/differential.test.ts).
 *
 * Which implementation a build gets is decided at build time: index.ts re-exports node.ts, and the
 * browser bundle (scripts/build-web.ts) resolves that import to browser.ts. No protocol file knows.
 */

/** An AES-128-CTR keystream (a 128-bit big-endian counter from the IV), continuing across calls. */
export interface Keystream {
  next(n: number): Uint8Array;
}

export interface X25519Pair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

export interface Platform {
  readonly name: 'node' | 'browser';
  /** n bytes from the host's CSPRNG. */
  randomBytes(n: number): Uint8Array;
  /** SHA-256 of the concatenation of `parts`. */
  sha256(...parts: readonly Uint8Array[]): Uint8Array;
  /** HMAC-SHA256 (RFC 2104) of the concatenation of `parts`. */
  hmacSha256(key: Uint8Array, ...parts: readonly Uint8Array[]): Uint8Array;
  /** HKDF-SHA256 (RFC 5869). */
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  aes128Ctr(key: Uint8Array, iv: Uint8Array): Keystream;
  /** AES-128 on whole 16-byte blocks under a fixed key (ECB, no padding). */
  aes128Ecb(key: Uint8Array): (blocks: Uint8Array) => Uint8Array;
  /** A fresh X25519 key pair (RFC 7748), both 32 bytes. */
  x25519Pair(): X25519Pair;
  /** X25519(private, public); throws on a malformed public key. */
  x25519(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
  /** ECDSA P-256 / SHA-256 verification of a 64-byte r‖s signature against an uncompressed point. */
  p256Verify(publicPoint: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** zlib decompression (RFC 1950). */
  inflate(data: Uint8Array): Uint8Array;
  /** zlib compression (writing PNG files: Node only; the page never writes one). */
  deflate(data: Uint8Array): Uint8Array;
  /** The bytes of a build artifact next to the code (the wasm kernels). */
  artifact(url: URL): Uint8Array;
  /** Run `f` after pending I/O has been handled (Node: setImmediate; browser: a macrotask). */
  afterIo(f: () => void): void;
}
