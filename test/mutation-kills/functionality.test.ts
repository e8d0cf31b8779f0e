/**
 * Mutation kills for ideal/functionality.ts: what the property suite (test/ideal/functionality.test.ts)
 * leaves unpinned.
 *
 *   - `firstViolation` REPORTS violations: an output element outside its allowed set (local division)
 *     or different from the exact value is found at its index, and an output of the wrong length is a
 *     violation at index 0 (also when it is longer: a prefix match is not a match);
 *   - each F's name: `F_<op>`, with `(local)` exactly for ScaleDown, AvgPool and GlobalAvgPool under
 *     local truncation;
 *   - F sampled without its operands fails with the semantics' CryptflowError, not a TypeError.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CryptflowError } from '../../spec/errors.js';
import { Ring } from '../../spec/ring.js';
import type { LNode, LOp } from '../../ir/llil.js';
import { operandsOf } from '../../ir/traverse.js';
import { fixedSemAll } from '../../semantics/fixed.js';
import type { RingTensor } from '../../semantics/kernels/types.js';
import { firstViolation, functionalityOf, type OutputSpec } from '../../ideal/functionality.js';
import { Prg } from '../../protocols/common/prg.js';
import { LLIL_OPS, llilOpProgram } from '../arbitraries/llil.js';

const DIVISION = new Set<LOp>(['ScaleDown', 'AvgPool', 'GlobalAvgPool']);

/** One node of operator `op` with its operand values, from a fixed sample of the op arbitrary. */
function instance(op: LOp, seed: number): { node: LNode; inputs: RingTensor[]; ell: number } {
  const [p] = fc.sample(llilOpProgram(op, [16]), { seed, numRuns: 1 });
  if (p === undefined) throw new Error('no sample');
  const node = p.nodes.find((n) => n.op === op);
  if (node === undefined) throw new Error(`the ${op} program has no ${op} node`);
  const ring = Ring(p.ell);
  const rng = new Prg(new Uint8Array(16).fill(seed & 0xff));
  const inputs = new Map<string, BigUint64Array>();
  for (const d of p.decls)
    if (d.kind === 'input')
      inputs.set(
        d.name,
        rng
          .ring(
            p.ell,
            d.shape.reduce((a, b) => a * b, 1),
          )
          .map((v) => ring.reduce((v & 0xfffn) - 0x800n)),
      );
  const env = fixedSemAll(p, inputs);
  return { node, inputs: operandsOf(node).map((n) => env.get(n) as RingTensor), ell: p.ell };
}

describe('firstViolation reports violations', () => {
  it('exact spec: the first differing index; a longer or shorter output is a violation at 0', () => {
    const spec: OutputSpec = { kind: 'exact', value: { shape: [3], data: BigUint64Array.of(5n, 6n, 7n) } };
    expect(firstViolation(spec, BigUint64Array.of(5n, 6n, 7n))).toBe(-1);
    expect(firstViolation(spec, BigUint64Array.of(5n, 9n, 7n))).toBe(1);
    expect(firstViolation(spec, BigUint64Array.of(5n, 6n, 7n, 8n))).toBe(0);
    expect(firstViolation(spec, BigUint64Array.of(5n, 6n))).toBe(0);
  });

  it('local-division spec: the first element outside its allowed set; a longer output is a violation at 0', () => {
    const { node, inputs, ell } = instance('ScaleDown', 3);
    const ring = Ring(ell);
    const n = (inputs[0] as RingTensor).data.length;
    const x: RingTensor = {
      shape: (inputs[0] as RingTensor).shape,
      data: new BigUint64Array(n).map((_, i) => ring.reduce(BigInt(i * 7919 - 1000))),
    };
    const spec = functionalityOf(node).spec(ell, [x]);
    expect(spec.kind).toBe('local-division');
    if (spec.kind !== 'local-division') return;
    const ok = spec.exact.data.slice();
    expect(firstViolation(spec, ok)).toBe(-1);
    for (let i = 0; i < n; i++) {
      const allowed = spec.allowed[i] ?? [];
      let bad = 0n;
      while (allowed.includes(bad)) bad++;
      const y = ok.slice();
      y[i] = bad;
      expect(firstViolation(spec, y), `element ${i}`).toBe(i);
    }
    expect(firstViolation(spec, BigUint64Array.of(...ok, 0n))).toBe(0);
    expect(firstViolation(spec, ok.subarray(0, n - 1))).toBe(0);
  });

  it('a sampled F output with one element moved outside the allowed set is caught, for every division op', () => {
    for (const op of DIVISION) {
      const { node, inputs, ell } = instance(op, 11);
      const f = functionalityOf(node);
      const spec = f.spec(ell, inputs);
      if (spec.kind !== 'local-division') throw new Error(`${op}: expected a local-division spec`);
      const y = f.sample(ell, inputs, new Prg(new Uint8Array(16))).data.slice();
      expect(firstViolation(spec, y)).toBe(-1);
      const last = y.length - 1;
      const allowed = spec.allowed[last] ?? [];
      let bad = 0n;
      while (allowed.includes(bad)) bad++;
      y[last] = bad;
      expect(firstViolation(spec, y), op).toBe(last);
    }
  });
});

describe('functionality names', () => {
  it.each(LLIL_OPS)('F_%s is named after its operator, "(local)" only for local division', (op) => {
    const { node } = instance(op, 5);
    expect(functionalityOf(node).name).toBe(`F_${op}${DIVISION.has(op) ? '(local)' : ''}`);
    expect(functionalityOf(node, { truncation: 'local' }).name).toBe(`F_${op}${DIVISION.has(op) ? '(local)' : ''}`);
    expect(functionalityOf(node, { truncation: 'exact' }).name).toBe(`F_${op}`);
  });
});

describe('missing operands', () => {
  it.each([...DIVISION])('F_%s sampled without operands is a CryptflowError, not a TypeError', (op) => {
    const { node, ell } = instance(op, 7);
    const f = functionalityOf(node);
    expect(() => f.sample(ell, [], new Prg(new Uint8Array(16)))).toThrow(CryptflowError);
  });
});
