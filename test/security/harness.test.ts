/**
 * The machinery of the security tests: keys that fix the corrupted party's randomness and vary the
 * rest, the view recorder, hooked PRGs, typed views and their decoding, the small-prime variants, and
 * the chi-square family — its statistic, its false-alarm rate on independent samples (Bonferroni makes
 * it conservative) and its power on the relations a leak creates.
 */
import { describe, expect, it } from 'vitest';
import { Field } from '../../spec/field.js';
import {
  compareSamples,
  decodeView,
  encodeMessage,
  HookedPrg,
  homogeneity,
  labelPrg,
  layoutOf,
  observe,
  quotientOf,
  rejects,
  segment,
  smallPrime,
  smallVariant,
  checkSecurityRing,
  viewKeys,
  type TypedView,
} from '../../harness/security/index.js';
import { beaver } from '../protocols/by-role.js';
import { hadamard } from '../../protocols/securenn-family/nonlinear/arith.js';
import { PORTHOS, SECURENN } from '../../protocols/securenn-family/nonlinear/variant.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { Prg } from '../../protocols/common/prg.js';
import { CryptflowError } from '../../spec/errors.js';

const hex = (k: Uint8Array | undefined): string => Buffer.from(k ?? new Uint8Array(0)).toString('hex');

describe('keys and the view recorder', () => {
  it("fixes the corrupted party's three keys and takes the others from the honest seed", () => {
    const a = viewKeys(0, 'fixed', 'honest-1');
    const b = viewKeys(0, 'fixed', 'honest-2');
    expect(hex(a[0].own)).toBe(hex(b[0].own));
    expect(hex(a[0].shared[1])).toBe(hex(b[0].shared[1]));
    expect(hex(a[0].shared[2])).toBe(hex(b[0].shared[2]));
    expect(hex(a[1].own)).not.toBe(hex(b[1].own));
    expect(hex(a[2].own)).not.toBe(hex(b[2].own));
    expect(hex(a[1].shared[2])).not.toBe(hex(b[1].shared[2]));
    for (const k of [a, b]) {
      expect(hex(k[0].shared[1])).toBe(hex(k[1].shared[0]));
      expect(hex(k[0].shared[2])).toBe(hex(k[2].shared[0]));
      expect(hex(k[1].shared[2])).toBe(hex(k[2].shared[1]));
    }
  });

  const program = (ctx: PartyContext): Promise<BigUint64Array> => {
    const n = ctx.id === 2 ? 0 : 3;
    return beaver(ctx, hadamard(8, 3), new BigUint64Array(n).fill(5n), new BigUint64Array(n).fill(7n));
  };

  it("records P0's received messages per sender and a digest of its draws that only its own keys decide", async () => {
    const run = (fixed: string, honest: string) =>
      observe([program, program, program], { ell: 8, corrupted: 0, keys: viewKeys(0, fixed, honest) });
    const one = await run('f', 'h1');
    const two = await run('f', 'h2');
    const other = await run('g', 'h1');
    expect(one.view.party).toBe(0);
    expect(one.view.received[1].map((m) => m.length)).toEqual([6]);
    expect(one.view.received[2]).toEqual([]);
    expect(Object.keys(one.view.randomness)).toEqual(['P2', 'own']);
    expect(one.view.randomness).toEqual(two.view.randomness);
    expect(one.view.randomness).not.toEqual(other.view.randomness);
    expect(hex(one.view.received[1][0])).not.toBe(hex(two.view.received[1][0]));
    expect(one.outputs[0].length).toBe(3);
  });

  it('a hooked PRG draws exactly what its inner PRG draws, and a hook can change it', () => {
    const key = new Uint8Array(16).fill(9);
    const plain = new Prg(key);
    const seen: string[] = [];
    const hooked = new HookedPrg(new Prg(key), (kind, param, out) => {
      seen.push(`${kind}:${param}:${out.length}`);
      if (kind === 'bits' && out instanceof Uint8Array) out.fill(1);
    });
    expect([...hooked.ring(8, 4)]).toEqual([...plain.ring(8, 4)]);
    expect([...hooked.below(255n, 3)]).toEqual([...plain.below(255n, 3)]);
    expect([...hooked.field(11, 5)]).toEqual([...plain.field(11, 5)]);
    expect([...hooked.bytes(7)]).toEqual([...plain.bytes(7)]);
    expect([...hooked.bits(4)]).toEqual([1, 1, 1, 1]);
    expect(seen).toEqual(['ring:8:4', 'below:255:3', 'field:11:5', 'bytes:0:7', 'bits:0:4']);
  });
});

describe('typed views', () => {
  const view: TypedView = {
    0: [],
    1: [[segment(16, 'ring', [1, 65535]), segment(16, 'field', [3, 0], 19)], [segment(16, 'odd', [65534])]],
    2: [[]],
  };
  const layout = layoutOf(view);
  const received = { 0: [], 1: (view[1] ?? []).map((m) => encodeMessage(16, m)), 2: [new Uint8Array(0)] };

  it('decodes what it encodes (two bytes per ring element at ℓ = 16, one per Z_p element)', () => {
    expect(received[1].map((m) => m.length)).toEqual([6, 2]);
    const d = decodeView(16, layout, received);
    expect(d.ok && [...d.values]).toEqual([1, 65535, 3, 0, 65534]);
  });

  it('says where a recorded view does not fit the layout', () => {
    const fail = (r: typeof received): string => {
      const d = decodeView(16, layout, r);
      return d.ok ? 'fits' : d.why;
    };
    expect(fail({ ...received, 1: received[1].slice(0, 1) })).toMatch(/P1 sent 1 messages, the simulator 2/);
    expect(fail({ ...received, 1: [received[1][0] ?? new Uint8Array(0), new Uint8Array(3)] })).toMatch(
      /P1's message 2 has 3 bytes, the simulator's 2/,
    );
    expect(
      fail({ ...received, 1: [Uint8Array.from([0, 0, 0, 0, 19, 0]), received[1][1] ?? new Uint8Array(0)] }),
    ).toMatch(/outside Z_19/);
  });

  it('refuses rings too wide for exact counting', () => {
    expect(() => checkSecurityRing(32)).toThrow(CryptflowError);
    expect(() => checkSecurityRing(8)).not.toThrow();
  });
});

describe('small-prime variants', () => {
  it('take the least prime above ℓ + 1 and keep everything else', () => {
    expect(smallPrime(8)).toBe(11);
    expect(smallPrime(16)).toBe(19);
    expect(smallPrime(2)).toBe(5);
    const v = smallVariant(SECURENN, 8);
    expect(v).toEqual({ ...SECURENN, field: Field(11) });
    expect(PORTHOS.field.p).toBe(127);
  });

  it('are checked like any variant (p > ℓ + 1, prime)', () => {
    expect(() => smallVariant(PORTHOS, 8, 7)).toThrow(/ℓ ≤ 5/);
    expect(() => smallVariant(PORTHOS, 8, 12)).toThrow(CryptflowError);
  });
});

describe('the chi-square family', () => {
  it("computes Pearson's homogeneity statistic", () => {
    const t = homogeneity(Int32Array.from([10, 20, 0]), Int32Array.from([20, 10, 0]), 30, 30);
    expect(t.df).toBe(1);
    expect(t.statistic).toBeCloseTo(20 / 3, 10);
  });

  it('bins Z_{2^ℓ} by its low four bits and odd moduli by their largest small divisor', () => {
    expect(quotientOf(256)).toBe(16);
    expect(quotientOf(255)).toBe(17);
    expect(quotientOf(65535)).toBe(17);
    expect(quotientOf(11)).toBeNull();
    expect(quotientOf(127)).toBeNull();
  });

  const moduli = [256, 256, 255, 255, 11, 11];
  const uniform = (label: string, n: number): Int32Array[] => {
    const rng = labelPrg(label);
    return Array.from({ length: n }, () =>
      Int32Array.from(
        moduli.map((m) =>
          m === 256
            ? Number(rng.ring(8, 1)[0])
            : m === 255
              ? Number(rng.below(255n, 1)[0])
              : (rng.field(m, 1)[0] as number),
        ),
      ),
    );
  };

  it('raises false alarms at no more than its rate on independent samples (200 comparisons at α = 0.05)', () => {
    let alarms = 0;
    for (let r = 0; r < 200; r++)
      if (rejects(compareSamples(uniform(`null-x-${r}`, 200), uniform(`null-y-${r}`, 200), moduli), 0.05)) alarms++;
    // Bonferroni: at most 5 % of comparisons in expectation; P(Bin(200, 0.05) ≥ 22) < 0.01.
    expect(alarms).toBeLessThan(22);
  });

  it('rejects, at α = 1e-8 with 400 samples, a constant difference, a constant sum, a biased top bit and a shifted Z_p value', () => {
    const base = uniform('power-base', 400);
    const other = uniform('power-other', 400);
    const edit = (f: (s: Int32Array) => void): Int32Array[] =>
      other.map((s) => {
        const t = s.slice();
        f(t);
        return t;
      });
    const cases: [string, Int32Array[]][] = [
      ['difference', edit((s) => (s[1] = ((s[0] as number) + 37) % 256))],
      ['sum', edit((s) => (s[3] = (255 - (s[2] as number)) % 255))],
      ['top bit', edit((s) => (s[0] = (s[0] as number) & 0x7f))],
      ['Z_11 never 0', edit((s) => (s[4] = s[4] === 0 ? 1 : (s[4] as number)))],
    ];
    for (const [what, sample] of cases) expect(rejects(compareSamples(base, sample, moduli), 1e-8), what).toBe(true);
    expect(rejects(compareSamples(base, other, moduli), 1e-8)).toBe(false);
  });
});
