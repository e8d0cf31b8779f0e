/**
 * The browser platform gives the same bytes as the Node platform (platform/types.ts): AES-128-CTR
 * keystreams cut at arbitrary points, AES-ECB blocks, SHA-256, HKDF, X25519 both ways, P-256
 * signatures made by node:crypto verified by the browser's verifier, and zlib inflation — so the party
 * program draws the same PRG streams and agrees on the same keys in a page as in Node.
 */
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { deflateSync as zlibDeflate } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { platform as browser } from '../../platform/browser.js';
import { platform as node } from '../../platform/node.js';
import { Prg } from '../../protocols/common/prg.js';

const bytes = (n: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: n, maxLength: n });

describe('browser platform = Node platform', () => {
  it('AES-128-CTR keystreams agree, however the stream is cut (FIPS 197 vector too)', () => {
    fc.assert(
      fc.property(
        bytes(16),
        bytes(16),
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 8 }),
        (key, iv, cuts) => {
          const a = node.aes128Ctr(key, iv);
          const b = browser.aes128Ctr(key, iv);
          for (const n of cuts) expect(Buffer.from(b.next(n))).toEqual(Buffer.from(a.next(n)));
        },
      ),
      { numRuns: 60 },
    );
    // A counter that wraps across 32-bit words.
    const iv = Uint8Array.from([...new Array<number>(8).fill(0), 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe]);
    const key = Uint8Array.from({ length: 16 }, (_, i) => i);
    expect(Buffer.from(browser.aes128Ctr(key, iv).next(80))).toEqual(Buffer.from(node.aes128Ctr(key, iv).next(80)));
    // FIPS 197 Appendix C.1.
    const enc = browser.aes128Ecb(key)(Buffer.from('00112233445566778899aabbccddeeff', 'hex'));
    expect(Buffer.from(enc).toString('hex')).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
  });

  it('AES-128-ECB blocks agree', () => {
    fc.assert(
      fc.property(bytes(16), fc.integer({ min: 0, max: 8 }), fc.integer(), (key, blocks, salt) => {
        const input = Uint8Array.from({ length: 16 * blocks }, (_, i) => (i * 31 + salt) & 0xff);
        expect(Buffer.from(browser.aes128Ecb(key)(input))).toEqual(Buffer.from(node.aes128Ecb(key)(input)));
      }),
      { numRuns: 40 },
    );
  });

  it('SHA-256 and HKDF-SHA256 agree (lengths around the block boundaries)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 70 }), (a, b) => {
        expect(Buffer.from(browser.sha256(a, b))).toEqual(Buffer.from(node.sha256(a, b)));
        const len = (a.length % 80) + 1;
        expect(Buffer.from(browser.hkdfSha256(a, b, a.subarray(0, 20), len))).toEqual(
          Buffer.from(node.hkdfSha256(a, b, a.subarray(0, 20), len)),
        );
      }),
      { numRuns: 60 },
    );
    for (const n of [55, 56, 63, 64, 65, 119, 120, 128]) {
      const m = new Uint8Array(n).fill(0x61);
      expect(Buffer.from(browser.sha256(m))).toEqual(Buffer.from(node.sha256(m)));
    }
    expect(Buffer.from(browser.hkdfSha256(new Uint8Array(8), new Uint8Array(0), new Uint8Array(0), 16))).toEqual(
      Buffer.from(node.hkdfSha256(new Uint8Array(8), new Uint8Array(0), new Uint8Array(0), 16)),
    );
  });

  it('HMAC-SHA256 agrees (keys shorter and longer than a block; RFC 4231 case 2 too)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 300 }), (k, m) => {
        const cut = m.length >> 1;
        expect(Buffer.from(browser.hmacSha256(k, m.subarray(0, cut), m.subarray(cut)))).toEqual(
          Buffer.from(node.hmacSha256(k, m)),
        );
      }),
      { numRuns: 60 },
    );
    const jefe = (p: typeof node): string =>
      Buffer.from(p.hmacSha256(Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?'))).toString('hex');
    for (const p of [node, browser])
      expect(jefe(p)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('X25519: a Node pair and a browser pair agree on the secret, both ways', () => {
    for (let i = 0; i < 8; i++) {
      const a = node.x25519Pair();
      const b = browser.x25519Pair();
      const s1 = node.x25519(a.privateKey, b.publicKey);
      const s2 = browser.x25519(b.privateKey, a.publicKey);
      expect(Buffer.from(s1)).toEqual(Buffer.from(s2));
      expect(Buffer.from(browser.x25519(a.privateKey, b.publicKey))).toEqual(Buffer.from(s1));
      expect(s1.length).toBe(32);
    }
  });

  it('P-256: a node:crypto signature verifies in the browser verifier, a changed message does not', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const jwk = publicKey.export({ format: 'jwk' });
    const point = Buffer.concat([
      Buffer.of(4),
      Buffer.from(jwk.x ?? '', 'base64url'),
      Buffer.from(jwk.y ?? '', 'base64url'),
    ]);
    const msg = Buffer.from('cryptflow ws auth transcript');
    const key = createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }));
    const sig = sign('sha256', msg, { key, dsaEncoding: 'ieee-p1363' });
    for (const p of [node, browser]) {
      expect(p.p256Verify(point, msg, sig)).toBe(true);
      expect(p.p256Verify(point, Buffer.from('cryptflow ws auth transcripT'), sig)).toBe(false);
      expect(p.p256Verify(point.subarray(0, 64), msg, sig)).toBe(false);
    }
  });

  it('zlib inflation agrees (stored, fixed and dynamic blocks) and malformed data is a clear error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 0, max: 9 }), (raw, level) => {
        const repetitive = Uint8Array.from({ length: raw.length * 3 }, (_, i) => raw[i % 7] ?? i & 0xff);
        for (const data of [raw, repetitive]) {
          const z = zlibDeflate(data, { level });
          expect(Buffer.from(browser.inflate(z))).toEqual(Buffer.from(node.inflate(z)));
        }
      }),
      { numRuns: 40 },
    );
    const z = new Uint8Array(zlibDeflate(Buffer.from('hello hello hello')));
    z[z.length - 1] = (z[z.length - 1] as number) ^ 1;
    expect(() => browser.inflate(z)).toThrow(/Adler-32/);
    expect(() => browser.inflate(z.subarray(0, 5))).toThrow(/malformed zlib data/);
  });

  it('the PRG draws the same stream on either platform', () => {
    const key = Uint8Array.from({ length: 16 }, (_, i) => 7 * i);
    const viaNode = new Prg(key, node);
    const viaBrowser = new Prg(key, browser);
    for (const n of [1, 7, 65536, 3, 70000])
      expect(Buffer.from(viaBrowser.bytes(n))).toEqual(Buffer.from(viaNode.bytes(n)));
    expect(viaBrowser.ring(32, 100)).toEqual(viaNode.ring(32, 100));
  });
});
