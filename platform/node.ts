/**
 * The Node platform (types.ts): node:crypto, node:zlib and node:fs.
 */
import {
  createCipheriv,
  createHash,
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  createPrivateKey,
  randomBytes,
  verify,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';
import { CryptflowError } from '../spec/errors.js';
import type { Platform } from './types.js';

/** PKCS#8 DER of an X25519 private key, up to the 32 key bytes (RFC 8410 §7). */
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** Plaintext of the keystream draws (CTR keystream = encryption of zeros), reused. */
const ZEROS = Buffer.alloc(1 << 16);

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

/** An uncompressed P-256 point as a JWK public key. */
function p256Jwk(point: Uint8Array): { kty: string; crv: string; x: string; y: string } {
  return { kty: 'EC', crv: 'P-256', x: b64(point.subarray(1, 33)), y: b64(point.subarray(33, 65)) };
}

export const platform: Platform = {
  name: 'node',
  randomBytes: (n) => new Uint8Array(randomBytes(n)),
  sha256: (...parts) => {
    const h = createHash('sha256');
    for (const p of parts) h.update(p);
    return new Uint8Array(h.digest());
  },
  hmacSha256: (key, ...parts) => {
    const h = createHmac('sha256', key);
    for (const p of parts) h.update(p);
    return new Uint8Array(h.digest());
  },
  hkdfSha256: (ikm, salt, info, length) => new Uint8Array(hkdfSync('sha256', ikm, salt, info, length)),
  aes128Ctr: (key, iv) => {
    const c = createCipheriv('aes-128-ctr', key, iv);
    return { next: (n) => new Uint8Array(c.update(n <= ZEROS.length ? ZEROS.subarray(0, n) : Buffer.alloc(n))) };
  },
  aes128Ecb: (key) => {
    const c = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
    return (blocks) => new Uint8Array(c.update(blocks));
  },
  x25519Pair: () => {
    const { publicKey, privateKey } = generateKeyPairSync('x25519');
    const jwk = privateKey.export({ format: 'jwk' });
    const x = publicKey.export({ format: 'jwk' }).x ?? '';
    return {
      publicKey: new Uint8Array(Buffer.from(x, 'base64url')),
      privateKey: new Uint8Array(Buffer.from(jwk.d ?? '', 'base64url')),
    };
  },
  x25519: (priv, pub) => {
    const privateKey = createPrivateKey({
      key: Buffer.concat([X25519_PKCS8_PREFIX, priv]),
      format: 'der',
      type: 'pkcs8',
    });
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: b64(pub) }, format: 'jwk' });
    return new Uint8Array(diffieHellman({ privateKey, publicKey }));
  },
  p256Verify: (point, message, signature) => {
    if (point.length !== 65 || point[0] !== 4 || signature.length !== 64) return false;
    try {
      const key = createPublicKey({ key: p256Jwk(point), format: 'jwk' });
      return verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
    } catch {
      return false;
    }
  },
  inflate: (data) => new Uint8Array(inflateSync(data)),
  deflate: (data) => new Uint8Array(deflateSync(data)),
  artifact: (url) => {
    const path = fileURLToPath(url);
    try {
      return new Uint8Array(readFileSync(path));
    } catch {
      throw new CryptflowError('usage', `${path} is missing; run \`npm run build:wasm\``);
    }
  },
  afterIo: (f) => void setImmediate(f),
};
