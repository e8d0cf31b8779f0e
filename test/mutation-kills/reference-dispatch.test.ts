/**
 * The reference ring kernels (semantics/kernels/reference.ts): `conv(…, method)` runs the loop nest it is
 * told to. Both methods compute the same exact ring convolution, so a result check cannot tell them
 * apart; but the differential tests that hold convDirect and convIm2col (and the wasm kernels) against
 * each other through `referenceKernels.conv` are only a comparison of two algorithms while the dispatch
 * really runs the one named. Spies on reference-conv.ts pin it: 'direct' calls convDirect and never
 * convIm2col, 'im2col' the reverse, each exactly once.
 *
 * The equal-value case of maxPool's `v > best` is argued in scripts/mutation/equivalent/ (replacing
 * best by an equal bigint changes nothing).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../semantics/kernels/reference-conv.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../semantics/kernels/reference-conv.js')>();
  return { ...real, convDirect: vi.fn(real.convDirect), convIm2col: vi.fn(real.convIm2col) };
});

const conv = await import('../../semantics/kernels/reference-conv.js');
const { referenceKernels } = await import('../../semantics/kernels/reference.js');

afterEach(() => {
  vi.mocked(conv.convDirect).mockClear();
  vi.mocked(conv.convIm2col).mockClear();
});

const ELL = 16;
const G = { strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1 };
const X = { shape: [1, 1, 3, 3], data: BigUint64Array.from([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n]) };
const W = { shape: [1, 1, 2, 2], data: BigUint64Array.from([1n, 0n, 0n, 65535n]) };
/** y = x[i][j] − x[i+1][j+1] mod 2^16 over the four 2×2 windows. */
const WANT = [65532n, 65532n, 65532n, 65532n];

describe('referenceKernels.conv runs the method it is given', () => {
  it("'direct' calls convDirect once and not convIm2col", () => {
    const y = referenceKernels.conv(ELL, X, W, G, 'direct');
    expect([...y.data]).toEqual(WANT);
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(conv.convDirect).toHaveBeenCalledTimes(1);
    expect(conv.convIm2col).not.toHaveBeenCalled();
  });

  it("'im2col' calls convIm2col once and not convDirect", () => {
    const y = referenceKernels.conv(ELL, X, W, G, 'im2col');
    expect([...y.data]).toEqual(WANT);
    expect(conv.convIm2col).toHaveBeenCalledTimes(1);
    expect(conv.convDirect).not.toHaveBeenCalled();
  });
});
