/**
 * Closed-form costs of the linear layers of Porthos and SecureNN (COMM-SPEC.md), all one Beaver
 * product over a bilinear map f(X, Y) = Z (protocols/securenn-family/beaver.ts):
 *     P0→P1 b(|X| + |Y|),  P1→P0 b(|X| + |Y|),  P2→P1 b|Z|,  one round,   b = ⌈ℓ/8⌉.
 * At ℓ = 64 an elementwise product of n costs 40n, a MatMul (m×k)(k×n) 16(mk + kn) + 8mn.
 *
 * Convolutions, per form (N batch, CO output channels, G groups, K_g = CI/G · kernel volume taps per
 * output, P = N · output volume):
 *   reshaped triple:  X = the input as passed (|X| = N·CI·input volume), Y = the filter, Z = output;
 *   im2col:           X = the filter as a CO × K_g matrix, Y = G patch matrices K_g × P, Z = CO × P.
 * Per channel pair of an m×m input, f×f filter and q×q output the two differ as
 * 2m² + 2f² + q² versus 2q²f² + 2f² + q² ring elements. A transposed convolution's im2col form
 * gathers the input through the transposed tap map (same sizes with CI, CO swapped in K_g).
 */
import { cost, ringBytes, type Cost } from './types.js';

export function beaverCost(ell: number, xSize: number, ySize: number, zSize: number): Cost {
  const b = ringBytes(ell);
  return cost({ 'P0->P1': b * (xSize + ySize), 'P1->P0': b * (xSize + ySize), 'P2->P1': b * zSize }, 1);
}

/** Secret ⊙ secret with broadcasting: |a|, |b| operands, n outputs. */
export function productCost(ell: number, aSize: number, bSize: number, outSize: number): Cost {
  return beaverCost(ell, aSize, bSize, outSize);
}

export function matmulCost(ell: number, m: number, k: number, n: number): Cost {
  return beaverCost(ell, m * k, k * n, m * n);
}

export interface ConvSizes {
  readonly inputSize: number;
  readonly filterSize: number;
  readonly outputSize: number;
  /** Output channels, groups, taps per output within a group (CI/G · kernel volume), and P = N · output volume. */
  readonly co: number;
  readonly groups: number;
  readonly tapsPerGroup: number;
  readonly positions: number;
}

export function convReshapedCost(ell: number, s: ConvSizes): Cost {
  return beaverCost(ell, s.inputSize, s.filterSize, s.outputSize);
}

export function convIm2colCost(ell: number, s: ConvSizes): Cost {
  return beaverCost(ell, s.co * s.tapsPerGroup, s.groups * s.tapsPerGroup * s.positions, s.co * s.positions);
}
