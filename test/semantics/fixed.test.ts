/** The Z_2^ℓ semantics of LLIL (semantics/fixed.ts) and the receiving party's decode (decode.ts). */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../spec/errors.js';
import { Ring } from '../../spec/ring.js';
import { numel } from '../../spec/geometry.js';
import { llilBuilder } from '../../ir/builder.js';
import { checkLlil } from '../../ir/check.js';
import type { LProgram } from '../../ir/llil.js';
import { fixedSem, fixedSemAll, floorDiv } from '../../semantics/fixed.js';
import { decodeOutputs } from '../../semantics/decode.js';
import { llilProgram } from '../arbitraries/llil.js';

function ringInputs(p: LProgram): fc.Arbitrary<Map<string, BigUint64Array>> {
  const ins = p.decls.flatMap((d) => (d.kind === 'input' ? [d] : []));
  const entry = fc
    .bigInt({ min: -(1n << BigInt(p.ell - 1)), max: (1n << BigInt(p.ell - 1)) - 1n })
    .map((v) => BigInt.asUintN(p.ell, v));
  return fc
    .tuple(...ins.map((d) => fc.array(entry, { minLength: numel(d.shape), maxLength: numel(d.shape) })))
    .map((arrs) => new Map(ins.map((d, i) => [d.name, BigUint64Array.from(arrs[i] ?? [])])));
}

function oneNode(
  ell: number,
  shape: number[],
  build: (b: ReturnType<typeof llilBuilder>, x: string) => string,
): LProgram {
  const b = llilBuilder(ell);
  b.output(build(b, b.input('x', shape, 4, 'client')), 'client');
  return b.build();
}

describe('fixedSem', () => {
  it('ScaleDown is the exact arithmetic shift ⌊signed(x)/2^k⌋ (exhaustive at ℓ = 8)', () => {
    const ring = Ring(8);
    for (let k = 0; k <= 4; k++) {
      const p = oneNode(8, [256], (b, x) => b.scaleDown(x, k));
      const xs = BigUint64Array.from({ length: 256 }, (_, i) => BigInt(i));
      const y = fixedSem(p, new Map([['x', xs]])).get(p.outputs[0]?.name ?? '') ?? new BigUint64Array();
      xs.forEach((x, i) => expect(y[i]).toBe(ring.reduce(floorDiv(ring.signed(x), 1n << BigInt(k)))));
    }
  });

  it('AvgPool floors on the signed sum (towards −∞); Relu and ArgMax compare signed values', () => {
    const ring = Ring(16);
    const enc = (vs: number[]) => BigUint64Array.from(vs, (v) => ring.reduce(BigInt(v)));
    const avg = oneNode(16, [1, 1, 3], (b, x) => b.avgPool(x, { kernel: [3] }));
    expect(fixedSem(avg, new Map([['x', enc([-1, -1, 1])]])).get(avg.outputs[0]?.name ?? '')).toEqual(enc([-1]));
    const relu = oneNode(16, [3], (b, x) => b.relu(x));
    expect(fixedSem(relu, new Map([['x', enc([-5, 0, 7])]])).get(relu.outputs[0]?.name ?? '')).toEqual(enc([0, 0, 7]));
    const am = oneNode(16, [4], (b, x) => b.argmax(x, 0));
    expect(fixedSem(am, new Map([['x', enc([-3, 2, -30000, 2])]])).get(am.outputs[0]?.name ?? '')).toEqual(enc([1]));
  });

  it('floorDiv rounds towards −∞', () => {
    expect([floorDiv(7n, 2n), floorDiv(-7n, 2n), floorDiv(-8n, 2n), floorDiv(0n, 3n)]).toEqual([3n, -4n, -4n, 0n]);
  });

  it('random programs: shapes agree with the checker; reference and wasm kernels agree bit for bit', () => {
    fc.assert(
      fc.property(
        llilProgram().chain((p) => ringInputs(p).map((inp) => [p, inp] as const)),
        ([p, inputs]) => {
          const info = checkLlil(p);
          if (E.isLeft(info)) throw new Error('arbitrary produced an ill-typed program');
          const ref = fixedSemAll(p, inputs, { kernels: 'reference' });
          for (const [name, t] of ref) expect(t.shape).toEqual(info.right.shapeOf(name));
          const wasm = fixedSem(p, inputs, { kernels: 'wasm' });
          for (const o of p.outputs) expect(wasm.get(o.name)).toEqual(ref.get(o.name)?.data);
        },
      ),
    );
  });

  it('refuses missing, mis-sized and unreduced inputs, naming the input but no value', () => {
    const p = oneNode(8, [2], (b, x) => b.relu(x));
    expect(() => fixedSem(p, new Map())).toThrow(/missing input 'x'/);
    expect(() => fixedSem(p, new Map([['x', BigUint64Array.of(1n)]]))).toThrow(/needs 2 entries/);
    const bad = (): unknown => fixedSem(p, new Map([['x', BigUint64Array.of(1n, 777n)]]));
    expect(bad).toThrow(CryptflowError);
    expect(bad).toThrow(/index 1 that is not reduced mod 2\^8/);
    expect(bad).not.toThrow(/777/);
  });
});

describe('decodeOutputs', () => {
  it('decodes at the output scale and applies Softmax/Sigmoid post-processing in float32', () => {
    const b = llilBuilder(32);
    const x = b.input('x', [1, 2], 8, 'client');
    const y = b.relu(x);
    b.output(y, 'client', { op: 'Softmax', axis: 1 });
    b.output(b.reshape(x, [2]), 'server', { op: 'Sigmoid' });
    b.output(b.argmax(x, 1), 'client');
    const p = b.build();
    const ring = Ring(32);
    const xs = BigUint64Array.of(ring.reduce(256n), ring.reduce(-128n));
    const out = decodeOutputs(p, fixedSem(p, new Map([['x', xs]])));
    const [o0, o1, o2] = p.outputs.map((o) => Array.from(out.get(o.name) ?? []));
    const e = Math.fround(Math.exp(-1));
    expect(o0).toEqual([Math.fround(1 / Math.fround(1 + e)), Math.fround(e / Math.fround(1 + e))]);
    expect(o1?.[1]).toBe(Math.fround(1 / Math.fround(1 + Math.fround(Math.exp(0.5)))));
    expect(o2).toEqual([0]);
  });
});
