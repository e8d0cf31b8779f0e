/**
 * Differential properties: the wasm ring kernels agree bit for bit with the bigint reference on
 * generated inputs, for ℓ ∈ {8, 16, 32, 64}; and the direct and im2col convolutions agree in both.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { referenceKernels as ref } from '../../../semantics/kernels/reference.js';
import { wasmKernels as wasm } from '../../../semantics/kernels/wasm.js';
import { convCase, convTransposeCase, ELLS, poolCase, ringValues, size } from './arbitraries.js';

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-wasm.js'], { stdio: 'ignore' });
});

describe.each(ELLS)('wasm ≡ reference at ℓ = %i', (ell) => {
  it('add, sub, mul', () => {
    const pair = fc.nat({ max: 40 }).chain((n) => fc.tuple(ringValues(ell, n), ringValues(ell, n)));
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(wasm.add(ell, a, b)).toEqual(ref.add(ell, a, b));
        expect(wasm.sub(ell, a, b)).toEqual(ref.sub(ell, a, b));
        expect(wasm.mul(ell, a, b)).toEqual(ref.mul(ell, a, b));
      }),
    );
  });

  it('matmul (including empty and single-row shapes)', () => {
    const problem = fc
      .tuple(fc.nat({ max: 9 }), fc.nat({ max: 9 }), fc.nat({ max: 9 }))
      .chain(([m, k, n]) => fc.tuple(fc.constant([m, k, n] as const), ringValues(ell, m * k), ringValues(ell, k * n)));
    fc.assert(
      fc.property(problem, ([[m, k, n], a, b]) => {
        expect(wasm.matmul(ell, a, b, m, k, n)).toEqual(ref.matmul(ell, a, b, m, k, n));
      }),
    );
  });

  it('conv: wasm direct and im2col equal reference direct and im2col', () => {
    const problem = convCase.chain((c) =>
      fc.tuple(fc.constant(c), ringValues(ell, size(c.xShape)), ringValues(ell, size(c.wShape))),
    );
    fc.assert(
      fc.property(problem, ([c, xd, wd]) => {
        const x = { shape: c.xShape, data: xd };
        const w = { shape: c.wShape, data: wd };
        const want = ref.conv(ell, x, w, c.g, 'direct');
        expect(ref.conv(ell, x, w, c.g, 'im2col')).toEqual(want);
        expect(wasm.conv(ell, x, w, c.g, 'direct')).toEqual(want);
        expect(wasm.conv(ell, x, w, c.g, 'im2col')).toEqual(want);
      }),
    );
  });

  it('convTranspose', () => {
    const problem = convTransposeCase.chain((c) =>
      fc.tuple(fc.constant(c), ringValues(ell, size(c.xShape)), ringValues(ell, size(c.wShape))),
    );
    fc.assert(
      fc.property(problem, ([c, xd, wd]) => {
        const x = { shape: c.xShape, data: xd };
        const w = { shape: c.wShape, data: wd };
        expect(wasm.convTranspose(ell, x, w, c.g)).toEqual(ref.convTranspose(ell, x, w, c.g));
      }),
    );
  });

  it('maxPool and sumPool', () => {
    const problem = poolCase.chain((c) => fc.tuple(fc.constant(c), ringValues(ell, size(c.xShape))));
    fc.assert(
      fc.property(problem, ([c, xd]) => {
        const x = { shape: c.xShape, data: xd };
        expect(wasm.maxPool(ell, x, c.g)).toEqual(ref.maxPool(ell, x, c.g));
        expect(wasm.sumPool(ell, x, c.g)).toEqual(ref.sumPool(ell, x, c.g));
      }),
    );
  });
});

describe('wasm memory management', () => {
  it('grows linear memory for operands larger than the initial heap and stays correct afterwards', () => {
    const n = 300_000;
    const a = BigUint64Array.from({ length: n }, (_, i) => BigInt(i) * 0x9e3779b97f4a7c15n);
    const b = BigUint64Array.from({ length: n }, (_, i) => BigInt(n - i));
    expect(wasm.mul(64, a, b)).toEqual(ref.mul(64, a, b));
    const small = BigUint64Array.of(3n, 250n);
    expect(wasm.add(8, small, small)).toEqual(BigUint64Array.of(6n, 244n));
  });
});
