/**
 * The structural check at production parameters (harness/security/structure.ts): every Porthos and
 * SecureNN protocol of the security suite at ℓ = 64 with the production primes (127, 67), each party
 * corrupted — P_c's view has the simulator's messages, lengths (8-byte ring elements, one-byte Z_p
 * elements) and groups, and P_c's randomness is fixed by its keys. The check fails against a simulator
 * that expects one element more or a smaller group. (A party that receives a wrong length or a Z_p
 * element ≥ p stops the run itself: test/protocols/nonlinear/field-pinned.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import {
  argmaxCase,
  checkStructure,
  commonCases,
  computeMsbCase,
  dreluCase,
  maxPoolCase,
  privateCompareCase,
  reluCase,
  selectShareCase,
  shareConvertCase,
  type SecurityCase,
  type TypedView,
} from '../../harness/security/index.js';
import { PORTHOS, SECURENN, type Variant } from '../../protocols/securenn-family/nonlinear/variant.js';

const ELL = 64;
const productionCases = (v: Variant): SecurityCase[] => [
  privateCompareCase(v, ELL),
  shareConvertCase(v, ELL),
  computeMsbCase(v, ELL),
  dreluCase(v, ELL),
  reluCase(v, ELL),
  maxPoolCase(v, ELL),
  argmaxCase(v, ELL),
];

/** The case with its simulator's view changed by `f` (a wrong simulator). */
const withView = (kase: SecurityCase, f: (v: TypedView) => TypedView): SecurityCase => ({
  ...kase,
  setup: (c, keys) => {
    const s = kase.setup(c, keys);
    return { ...s, simulate: (rng) => f(s.simulate(rng)) };
  },
});

describe('views at production parameters (ℓ = 64; p = 127 Porthos, 67 SecureNN) have the simulator’s structure', () => {
  for (const kase of [...commonCases(ELL), ...productionCases(PORTHOS), ...productionCases(SECURENN)]) {
    it(kase.name, async () => {
      for (const c of [0, 1, 2] as const) {
        const v = await checkStructure(kase, c);
        expect(v.ok, `P${c}: ${v.detail}`).toBe(true);
      }
    });
  }

  it('fails when the simulator expects one element more, or a smaller group (PrivateCompare, P2 corrupted)', async () => {
    const pc = privateCompareCase(PORTHOS, ELL);
    const onceMore = withView(pc, (v) => ({
      ...v,
      0: v[0].map((m) => [...m, { group: 'field', modulus: 127, values: [0] }]),
    }));
    const longer = await checkStructure(onceMore, 2);
    expect(longer.ok).toBe(false);
    expect(longer.detail).toBe("run 1 (input set A): P0's message 1 has 192 bytes, the simulator's 193");
    const smaller = withView(pc, (v) => ({ ...v, 0: v[0].map((m) => m.map((seg) => ({ ...seg, modulus: 5 }))) }));
    const outside = await checkStructure(smaller, 2);
    expect(outside.ok).toBe(false);
    expect(outside.detail).toMatch(/P0's message 1 holds an element outside its group \(field\)/);
    // SelectShare's one Beaver product on 2 elements: P0 receives E1 and F1 from P1, 4 elements of 8 bytes.
    expect((await checkStructure(selectShareCase(ELL), 0)).bytes).toBe(4 * 8);
  });
});
