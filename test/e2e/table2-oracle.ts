/**
 * An independent oracle for Table 2 (proofs-notes/cost-tables.md, "Table 2 by hand"): ResNet50 v2 and
 * DenseNet121 written out layer by layer from COMM-SPEC.md's description of the networks — not from
 * harness/zoo — and costed with COMM-SPEC.md's per-operation table (bytes summed over parties, ℓ = 64,
 * N = 1), not with spec/cost. The totals are what `table2()` must report; a change to the zoo builders,
 * the passes or the cost functions that moves a byte fails against this list.
 */

export type Backend = 'porthos' | 'securenn';

interface PerOp {
  readonly relu: number;
  readonly maxStep: number;
  readonly argmaxStep: number;
  readonly reshapedStem: boolean;
}

const OPS: Record<Backend, PerOp> = {
  porthos: { relu: 536, maxStep: 536, argmaxStep: 576, reshapedStem: true },
  securenn: { relu: 704, maxStep: 744, argmaxStep: 744, reshapedStem: false },
};

/** Elementwise secret product (BatchNorm's multiply): 40 bytes per element in both backends. */
const product = (n: number): number => 40 * n;

/** Conv2D in im2col form, K = k·k·CI, N = 1. */
const im2col = (ci: number, co: number, k: number, outPixels: number): number =>
  16 * (co * k * k * ci + k * k * ci * outPixels) + 8 * co * outPixels;

/** Conv2D in reshaped-triple form, the input as passed (H×W×CI), N = 1. */
const reshaped = (ci: number, co: number, k: number, h: number, w: number, outPixels: number): number =>
  16 * (k * k * ci * co + h * w * ci) + 8 * co * outPixels;

/** MatMul (m×k)·(k×n). */
const matmul = (m: number, k: number, n: number): number => 16 * (m * k + k * n) + 8 * m * n;

/**
 * ResNet-50 v2: stem conv 7×7/2 on the explicitly padded 230×230×3 → 112×112×64, MaxPool 3×3/2 →
 * 56×56×64; stages of (3, 4, 6, 3) pre-activation bottlenecks with 64, 128, 256, 512 filters, the
 * stride on the first block's 3×3 conv (stages 2–4), a 1×1 projection of the activated input in each
 * stage's first block; final BN-ReLU on 7×7×2048, global average pool (free), FC 2048×1001, ArgMax
 * over 1001. Adds, pads, truncations and average pools cost nothing.
 */
export function resnet50Bytes(b: Backend): number {
  const op = OPS[b];
  const bnRelu = (n: number): number => product(n) + op.relu * n;
  let t = op.reshapedStem ? reshaped(3, 64, 7, 230, 230, 112 * 112) : im2col(3, 64, 7, 112 * 112);
  t += 8 * 56 * 56 * 64 * op.maxStep;
  let side = 56;
  let cin = 64;
  const stages = [
    { blocks: 3, f: 64, stride: 1 },
    { blocks: 4, f: 128, stride: 2 },
    { blocks: 6, f: 256, stride: 2 },
    { blocks: 3, f: 512, stride: 2 },
  ];
  for (const { blocks, f, stride } of stages) {
    for (let i = 0; i < blocks; i++) {
      const out = i === 0 ? side / stride : side;
      t += bnRelu(cin * side * side);
      t += im2col(cin, f, 1, side * side);
      t += bnRelu(f * side * side);
      t += im2col(f, f, 3, out * out);
      t += bnRelu(f * out * out);
      t += im2col(f, 4 * f, 1, out * out);
      if (i === 0) t += im2col(cin, 4 * f, 1, out * out);
      cin = 4 * f;
      side = out;
    }
  }
  t += bnRelu(2048 * 7 * 7);
  t += matmul(1, 2048, 1001);
  t += 1000 * op.argmaxStep;
  return t;
}

/**
 * DenseNet-121: stem conv 7×7/2 on 224×224×3 (padded inside the conv) → 112×112×64, BN, MaxPool 3×3/2
 * before the ReLU (the ReLU∘MaxPool swap) → 56×56×64; dense blocks of (6, 12, 24, 16) layers (BN-ReLU,
 * 1×1 conv to 128, BN-ReLU, 3×3 conv to 32, concat), transitions after the first three (BN-ReLU, 1×1
 * conv to half the channels, AvgPool 2×2/2, free); final BN-ReLU on 7×7×1024, global average pool,
 * classifier 1×1 conv 1024→1000, ArgMax over 1000.
 */
export function densenet121Bytes(b: Backend): number {
  const op = OPS[b];
  const bnRelu = (n: number): number => product(n) + op.relu * n;
  let t = op.reshapedStem ? reshaped(3, 64, 7, 224, 224, 112 * 112) : im2col(3, 64, 7, 112 * 112);
  t += product(112 * 112 * 64);
  t += 8 * 56 * 56 * 64 * op.maxStep;
  t += op.relu * 56 * 56 * 64;
  let c = 64;
  let side = 56;
  [6, 12, 24, 16].forEach((layers, block) => {
    for (let i = 0; i < layers; i++) {
      t += bnRelu(c * side * side);
      t += im2col(c, 128, 1, side * side);
      t += bnRelu(128 * side * side);
      t += im2col(128, 32, 3, side * side);
      c += 32;
    }
    if (block < 3) {
      t += bnRelu(c * side * side);
      t += im2col(c, c / 2, 1, side * side);
      c /= 2;
      side /= 2;
    }
  });
  t += bnRelu(c * side * side);
  t += im2col(1024, 1000, 1, 1);
  t += 999 * op.argmaxStep;
  return t;
}
