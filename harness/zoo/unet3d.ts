/**
 * A small 3D-UNet (Çiçek et al. 2016), the shape of CrypTFlow §5.3's radiotherapy segmentation model
 * scaled down to run in tests: a volume 1×1×8×8×8 (N, C, D, H, W), two resolution levels and a
 * bottleneck, 3 classes per voxel.
 *
 *   encoder  [Conv3D 3³ pad 1 → ReLU] ×2 at 4 channels (skip 1) → MaxPool3D 2³ →
 *            [Conv3D 3³ → ReLU] ×2 at 8 channels (skip 2) → MaxPool3D 2³;
 *   bottom   Conv3D 3³ (16) → ReLU;
 *   decoder  ConvTranspose3D 2³/2 (8) → Concat skip 2 → Conv3D 3³ (8) → ReLU →
 *            ConvTranspose3D 2³/2 (4) → Concat skip 1 → Conv3D 3³ (4) → ReLU;
 *   head     Conv3D 1³ (3) → `logits` [1,3,8,8,8], and `segmentation` = ArgMax over the classes
 *            [1,8,8,8].
 * Every convolution has a bias. Porthos takes every 3-D convolution (and every transposed one) in the
 * reshaped-triple form under the paper policy.
 */
import { net, type Net, type T, type Seed } from './net.js';

function double(n: Net, x: T, c: number): T {
  return n.relu(
    n.conv(n.relu(n.conv(x, { out: c, kernel: 3, pads: 1, bias: true })), { out: c, kernel: 3, pads: 1, bias: true }),
  );
}

export function unet3d(seed: Seed = 'unet3d'): Net {
  const n = net('unet3d_small', seed);
  const pool = { kernel: 2, stride: 2 } as const;
  const up = (x: T, c: number): T => n.convTranspose(x, { out: c, kernel: 2, stride: 2, bias: true });
  const conv = (x: T, c: number): T => n.relu(n.conv(x, { out: c, kernel: 3, pads: 1, bias: true }));
  const skip1 = double(n, n.input('volume', [1, 1, 8, 8, 8]), 4);
  const skip2 = double(n, n.maxPool(skip1, pool), 8);
  const bottom = conv(n.maxPool(skip2, pool), 16);
  const d2 = conv(n.concat([up(bottom, 8), skip2]), 8);
  const d1 = conv(n.concat([up(d2, 4), skip1]), 4);
  const logits = n.conv(d1, { out: 3, kernel: 1, bias: true, as: 'logits' });
  n.output(logits);
  n.output(n.argMax(logits, 1, 'segmentation'));
  return n;
}
