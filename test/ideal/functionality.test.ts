/**
 * The ideal functionalities (ideal/functionality.ts) on random well-typed single-op programs, every
 * LLIL operator at ℓ ∈ {16, 32, 64}:
 *   - with exact truncation every F is deterministic and equals the fixed-point semantics (fixedSem);
 *   - with local truncation the same holds for every operator but ScaleDown, AvgPool and
 *     GlobalAvgPool, whose spec is the local-division allowed set around the exact value, and whose
 *     sampled output always lies in it;
 *   - the sampled wrap rate matches the spec's wrap probabilities: the number of wraps over many
 *     elements lies within the two-sided Chernoff bounds at false-alarm rate 1e-6 per side.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { numel } from '../../spec/geometry.js';
import { Ring } from '../../spec/ring.js';
import type { LNode, LProgram } from '../../ir/llil.js';
import { operandsOf } from '../../ir/traverse.js';
import { llilBuilder } from '../../ir/builder.js';
import { fixedSemAll } from '../../semantics/fixed.js';
import type { RingTensor } from '../../semantics/kernels/types.js';
import { firstViolation, functionalityOf, type OutputSpec } from '../../ideal/functionality.js';
import { Prg } from '../../protocols/common/prg.js';
import { chernoffLower, chernoffUpper } from '../../harness/conformance/stats.js';
import { LLIL_OPS, llilOpProgram } from '../arbitraries/llil.js';

const slow = process.env['CRYPTFLOW_SLOW'] === '1' ? 20 : 1;
const DIVISION = new Set(['ScaleDown', 'AvgPool', 'GlobalAvgPool']);
const key = fc.uint8Array({ minLength: 16, maxLength: 16 });

/** Every node of the program with its operand values and its fixedSem value, inputs from `rng`. */
function evaluated(p: LProgram, rng: Prg, small: boolean): { node: LNode; inputs: RingTensor[]; want: RingTensor }[] {
  const ring = Ring(p.ell);
  const inputs = new Map<string, BigUint64Array>();
  for (const d of p.decls) {
    if (d.kind !== 'input') continue;
    const raw = rng.ring(p.ell, numel(d.shape));
    inputs.set(d.name, small ? raw.map((v) => ring.reduce((v & 0xfffn) - 0x800n)) : raw);
  }
  const env = fixedSemAll(p, inputs);
  return p.nodes.map((node) => ({
    node,
    inputs: operandsOf(node).map((n) => env.get(n) as RingTensor),
    want: env.get(node.out) as RingTensor,
  }));
}

/** Elements whose wrap results both lie outside {q, q + 1}: there a wrap is exactly a result outside. */
function visibleWrap(ell: number, spec: OutputSpec & { kind: 'local-division' }, i: number): boolean {
  const q = spec.exact.data[i] as bigint;
  const ring = Ring(ell);
  const others = (spec.allowed[i] ?? []).filter((v) => v !== q && v !== ring.add(q, 1n));
  return others.length === 2;
}

describe('ideal functionalities', () => {
  it.each(LLIL_OPS)('F_%s with exact truncation is deterministic and equals fixedSem', (op) => {
    fc.assert(
      fc.property(llilOpProgram(op), key, fc.boolean(), (p, k, small) => {
        for (const { node, inputs, want } of evaluated(p, new Prg(k), small)) {
          const f = functionalityOf(node, { truncation: 'exact' });
          const spec = f.spec(p.ell, inputs);
          expect(spec.kind).toBe('exact');
          if (spec.kind !== 'exact') return;
          expect(spec.value.shape).toEqual(want.shape);
          expect([...spec.value.data]).toEqual([...want.data]);
          expect([...f.sample(p.ell, inputs, new Prg(k)).data]).toEqual([...want.data]);
        }
      }),
      { numRuns: 12 * slow },
    );
  });

  it.each(LLIL_OPS)('F_%s with local truncation: exact, or sampled inside the allowed set around fixedSem', (op) => {
    fc.assert(
      fc.property(llilOpProgram(op), key, fc.boolean(), (p, k, small) => {
        const rng = new Prg(k);
        for (const { node, inputs, want } of evaluated(p, rng, small)) {
          const f = functionalityOf(node);
          const spec = f.spec(p.ell, inputs);
          expect(spec.kind).toBe(DIVISION.has(node.op) ? 'local-division' : 'exact');
          const exact = spec.kind === 'exact' ? spec.value : spec.exact;
          expect([...exact.data]).toEqual([...want.data]);
          expect(firstViolation(spec, want.data)).toBe(-1);
          for (let s = 0; s < 3; s++) expect(firstViolation(spec, f.sample(p.ell, inputs, rng).data)).toBe(-1);
        }
      }),
      { numRuns: 12 * slow },
    );
  });

  it.each([
    { ell: 16, shift: 3, pool: false },
    { ell: 32, shift: 12, pool: false },
    { ell: 16, shift: 0, pool: true },
    { ell: 64, shift: 0, pool: true },
  ])('sampled wrap rate matches the spec (ℓ = $ell, ScaleDown $shift / AvgPool $pool)', ({ ell, shift, pool }) => {
    const b = llilBuilder(ell);
    const x = b.input('x', [1, 2, 8, 8], shift, 'client');
    const y = pool
      ? b.avgPool(x, { kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], countIncludePad: false })
      : b.scaleDown(x, shift);
    b.output(y, 'client');
    const p = b.build();
    const node = p.nodes[0] as LNode;
    const rng = new Prg(new Uint8Array(16).fill(ell + shift));
    const f = functionalityOf(node);
    let wraps = 0;
    let mean = 0;
    let elements = 0;
    for (let run = 0; run < 40 * slow; run++) {
      // Values spread over the whole ring, so wrap probabilities |x̃|/2^ℓ cover (0, 1/2].
      const inputs = [{ shape: [1, 2, 8, 8], data: rng.ring(ell, 128).map((v) => (pool ? v >> 4n : v)) }];
      const spec = f.spec(ell, inputs);
      if (spec.kind !== 'local-division') throw new Error('expected a local-division spec');
      const got = f.sample(ell, inputs, rng).data;
      expect(firstViolation(spec, got)).toBe(-1);
      const ring = Ring(ell);
      for (let i = 0; i < got.length; i++) {
        if (!visibleWrap(ell, spec, i)) continue;
        const q = spec.exact.data[i] as bigint;
        const v = got[i] as bigint;
        if (v !== q && v !== ring.add(q, 1n)) wraps++;
        mean += spec.wrapProbability[i] as number;
        elements++;
      }
    }
    expect(elements).toBeGreaterThan(1000);
    expect(wraps).toBeLessThanOrEqual(chernoffUpper(mean, 1e-6));
    expect(wraps).toBeGreaterThanOrEqual(chernoffLower(mean, 1e-6));
  });
});
