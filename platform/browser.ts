/**
 * The browser platform (types.ts): the page's CSPRNG (`crypto.getRandomValues`), the plain-TypeScript
 * AES-128, SHA-256/HKDF and inflate of this folder, X25519 and P-256 from @noble/curves (already the
 * project's curve library). Synchronous throughout; the wasm kernels are fetched once before the
 * party starts (`preloadArtifact`), so that the program's synchronous loader finds them.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { CryptflowError } from '../spec/errors.js';
import { Aes128, Aes128Ctr } from './aes.js';
import { inflateZlib } from './inflate.js';
import { hkdfSha256, hmacSha256, sha256 } from './sha256.js';
import type { Platform } from './types.js';

interface PageCrypto {
  getRandomValues<T extends Uint8Array>(a: T): T;
}

const pageCrypto = (globalThis as unknown as { readonly crypto?: PageCrypto }).crypto;

const artifacts = new Map<string, Uint8Array>();

/** Fetch a build artifact once, before anything needs it synchronously. */
export async function preloadArtifact(url: URL): Promise<void> {
  const res = await fetch(url);
  if (!res.ok) throw new CryptflowError('usage', `cannot load ${url.pathname}: HTTP ${res.status}`);
  artifacts.set(url.href, new Uint8Array(await res.arrayBuffer()));
}

export const platform: Platform = {
  name: 'browser',
  randomBytes: (n) => {
    if (pageCrypto === undefined) throw new CryptflowError('usage', 'this browser has no crypto.getRandomValues');
    const out = new Uint8Array(n);
    for (let at = 0; at < n; at += 65536) pageCrypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)));
    return out;
  },
  sha256: (...parts) => sha256(...parts),
  hmacSha256,
  hkdfSha256,
  aes128Ctr: (key, iv) => new Aes128Ctr(key, iv),
  aes128Ecb: (key) => {
    const aes = new Aes128(key);
    return (blocks) => aes.encryptBlocks(blocks);
  },
  x25519Pair: () => {
    const privateKey = platform.randomBytes(32);
    return { privateKey, publicKey: x25519.getPublicKey(privateKey) };
  },
  x25519: (priv, pub) => x25519.getSharedSecret(priv, pub),
  p256Verify: (point, message, signature) => {
    try {
      return p256.verify(signature, message, point, { lowS: false });
    } catch {
      return false;
    }
  },
  inflate: inflateZlib,
  deflate: () => {
    throw new CryptflowError('unsupported', 'writing PNG files is not part of the page (only reading them)');
  },
  artifact: (url) => {
    const bytes = artifacts.get(url.href);
    if (bytes === undefined) throw new CryptflowError('usage', `${url.pathname} was not preloaded in this page`);
    return bytes;
  },
  afterIo: (f) => void setTimeout(f, 0),
};
