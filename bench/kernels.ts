/**
 * Ring kernel benchmarks at ℓ = 64: multiply-accumulates per second of the bigint reference and the
 * wasm kernels for a matmul and a ResNet-like Conv2D (direct and im2col), and the wasm/reference ratio.
 * The reference runs smaller problems of the same kind (it is orders of magnitude slower); rates are
 * per MAC, so the ratio compares like with like.
 */
import { referenceKernels } from '../semantics/kernels/reference.js';
import type { ConvMethod, RingKernels } from '../semantics/kernels/types.js';
import { wasmKernels } from '../semantics/kernels/wasm.js';
import { medianSeconds, words64, type BenchGroup, type Measurement } from './harness.js';

const ELL = 64;

interface ConvSize {
  readonly n: number;
  readonly c: number;
  readonly hw: number;
  readonly co: number;
  readonly k: number;
}

function matmulRate(k: RingKernels, size: number, runs: number): number {
  const a = words64(size * size, 1n);
  const b = words64(size * size, 2n);
  return size ** 3 / medianSeconds(() => k.matmul(ELL, a, b, size, size, size), runs);
}

function convRate(k: RingKernels, s: ConvSize, method: ConvMethod, runs: number): number {
  const x = { shape: [s.n, s.c, s.hw, s.hw], data: words64(s.n * s.c * s.hw * s.hw, 3n) };
  const w = { shape: [s.co, s.c, s.k, s.k], data: words64(s.co * s.c * s.k * s.k, 4n) };
  const pad = (s.k - 1) / 2;
  const g = { strides: [1, 1], pads: [pad, pad, pad, pad], dilations: [1, 1], groups: 1 };
  const macs = s.n * s.co * s.hw * s.hw * s.c * s.k * s.k;
  return macs / medianSeconds(() => k.conv(ELL, x, w, g, method), runs);
}

const convName = (s: ConvSize): string => `${s.n}×${s.c}×${s.hw}×${s.hw} ⊛ ${s.co}×${s.c}×${s.k}×${s.k}`;

export const kernelsGroup: BenchGroup = {
  name: 'kernels',
  run(report: (m: Measurement) => void): void {
    const mac = (name: string, rate: number, detail: string): number => {
      report({ group: 'kernels', name, rate, unit: 'MAC/s', detail });
      return rate;
    };
    const ratio = (name: string, fast: number, slow: number): void => {
      report({ group: 'kernels', name, rate: fast / slow, unit: '×', detail: 'wasm / reference' });
    };

    const refMm = mac('matmul reference', matmulRate(referenceKernels, 64, 5), '64×64×64, median of 5');
    const wasmMm = mac('matmul wasm', matmulRate(wasmKernels, 256, 7), '256×256×256, median of 7');
    ratio('matmul ratio', wasmMm, refMm);

    const small: ConvSize = { n: 1, c: 16, hw: 14, co: 16, k: 3 };
    const big: ConvSize = { n: 1, c: 64, hw: 56, co: 64, k: 3 };
    for (const method of ['direct', 'im2col'] as const) {
      const refConv = mac(`conv2d ${method} reference`, convRate(referenceKernels, small, method, 3), `${convName(small)}, median of 3`);
      const wasmConv = mac(`conv2d ${method} wasm`, convRate(wasmKernels, big, method, 5), `${convName(big)}, median of 5`);
      ratio(`conv2d ${method} ratio`, wasmConv, refConv);
    }
  },
};
