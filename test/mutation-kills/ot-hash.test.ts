/**
 * Mutation kills for protocols/ot/hash.ts (the OT extension's fixed-key AES hashes): known-answer
 * tests against a reference re-derived here from the documented construction with node:crypto.
 * Pins: the fixed key's label (line 20, StringLiteral); the tweak words counter lo/hi, domain and
 * sender (lines 37, 38, 39, 40, 41, ArithmeticOperator); the feed-forward x_lo ⊕ x_hi of the wide hash
 * (line 72, ConditionalExpression `false`, EqualityOperator `k >= p.length`); an empty batch hashes
 * to nothing whatever `per` is (line 53, EqualityOperator `k <= y.length`: with per 0 the extra pass
 * never advances k, so the mutant does not return). Listed as equivalent
 * (scripts/mutation/equivalent/protocols__ot__hash.json): the loop bounds `<` → `<=` at lines 36, 62
 * and 72, whose extra pass only writes past the end of a typed array.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { permute, tccr, tweaks, wideHash } from '../../protocols/ot/hash.js';

const LABEL = 'cryptflow-ts OT fixed-key AES';
const KEY = new Uint8Array(createHash('sha256').update(LABEL, 'utf8').digest()).slice(0, 16);

/** AES-128-ECB under the fixed key, over whole 16-byte blocks. */
function refPi(bytes: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-128-ecb', KEY, null).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(bytes), c.final()]));
}

function bytes(w: Uint32Array): Uint8Array {
  return new Uint8Array(w.slice().buffer);
}

function words(b: Uint8Array): Uint32Array {
  return new Uint32Array(b.slice().buffer);
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  return a.map((v, i) => v ^ (b[i] as number));
}

/** Tweak words of instance c: [c mod 2^32, ⌊c / 2^32⌋, domain (iknp 1, kkrt 2), sender]. */
function refTweak(c: bigint, domain: number, sender: number): number[] {
  return [Number(c & 0xffffffffn), Number(c >> 32n), domain, sender];
}

/** TCCR(i, x) = π(π(x) ⊕ i) ⊕ π(x), input k under tweak row ⌊k / per⌋. */
function refTccr(x: Uint8Array, tw: Uint32Array, per: number): Uint8Array {
  const y = refPi(x);
  const twBytes = bytes(tw);
  const z = new Uint8Array(y.length);
  for (let b = 0; b < y.length; b++) {
    const row = Math.floor(b / 16 / per);
    z[b] = (y[b] as number) ^ (twBytes[16 * row + (b % 16)] as number);
  }
  return xor(refPi(z), y);
}

/** Deterministic distinct test words. */
function pattern(n: number, salt: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b)) >>> 0);
}

describe('protocols/ot/hash.ts known answers', () => {
  it('π is AES-128-ECB under the first 16 bytes of SHA-256 of the fixed label', () => {
    const x = bytes(pattern(12, 1));
    expect(permute(x)).toEqual(refPi(x));
    expect(permute(new Uint8Array(16))).toEqual(refPi(new Uint8Array(16)));
  });

  it('tweaks: counter low/high words, domain word and sender, for each instance from first on', () => {
    const first = 2 ** 32 * 5 + 0xfffffffe;
    const t = tweaks(first, 4, 'kkrt', 7);
    const want = [0, 1, 2, 3].flatMap((i) => refTweak(BigInt(first) + BigInt(i), 2, 7));
    expect(Array.from(t)).toEqual(want);
    expect(want.slice(0, 8)).toEqual([0xfffffffe, 5, 2, 7, 0xffffffff, 5, 2, 7]);
    expect(want.slice(8)).toEqual([0, 6, 2, 7, 1, 6, 2, 7]);
  });

  it('tweaks: small counters with the iknp domain and sender 1', () => {
    expect(Array.from(tweaks(3, 3, 'iknp', 1))).toEqual([3, 0, 1, 1, 4, 0, 1, 1, 5, 0, 1, 1]);
    expect(Array.from(tweaks(0, 2, 'kkrt', 0))).toEqual([0, 0, 2, 0, 1, 0, 2, 0]);
  });

  it('tccr matches π(π(x) ⊕ i) ⊕ π(x) with one and two inputs per tweak', () => {
    const first = 2 ** 33 + 9;
    const tw = tweaks(first, 3, 'iknp', 1);
    const x = pattern(12, 2);
    expect(bytes(tccr(x, tw, 1))).toEqual(refTccr(bytes(x), tw, 1));
    const x2 = pattern(24, 3);
    expect(bytes(tccr(x2, tw, 2))).toEqual(refTccr(bytes(x2), tw, 2));
  });

  it('wideHash matches TCCR(i, π(x_lo) ⊕ x_lo ⊕ x_hi)', () => {
    const tw = tweaks(2 ** 40 + 3, 3, 'kkrt', 0);
    const lo = pattern(12, 4);
    const hi = pattern(12, 5);
    const inner = xor(xor(refPi(bytes(lo)), bytes(lo)), bytes(hi));
    const got = wideHash(lo, hi, tw, 1);
    expect(bytes(got)).toEqual(refTccr(inner, tw, 1));
    expect(got).toEqual(words(refTccr(inner, tw, 1)));
  });

  it('an empty batch hashes to an empty result, also with per 0', () => {
    const none = new Uint32Array(0);
    expect(tccr(none, none, 0)).toEqual(new Uint32Array(0));
    expect(tccr(none, none, 1)).toEqual(new Uint32Array(0));
  });
});
