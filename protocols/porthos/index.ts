/**
 * Porthos (CrypTFlow §5): the semi-honest 3-party backend of the paper.
 *
 * Realises, node by node, the ideal functionalities of ideal/functionality.ts with LOCAL truncation
 * (ScaleDown, AvgPool, GlobalAvgPool divide shares locally), on the domain where its comparison
 * protocols are exact: ReLU inputs within ±2^{ℓ−2}, MaxPool and ArgMax inputs within ±2^{ℓ−3}
 * (proofs-notes/securenn-family.md). Its improvements over SecureNN: the helper sends each shared value
 * of ShareConvert and ComputeMSB to one party only (the other's share comes from a PRG), Z_127 for
 * PrivateCompare, MaxPool without the index, and the reshaped-triple convolution under the
 * convolution policy (`paper`: only for filters ≥ 5 in some extent, or 3-D ones; `reshaped`; `im2col`).
 * Transposed convolutions always take the reshaped form.
 */
import { kernels } from '../../semantics/kernels/index.js';
import type { LNode } from '../../ir/llil.js';
import { functionalityOf, type Functionality } from '../../ideal/functionality.js';
import type { Backend } from '../common/backend.js';
import { porthosNonlinear } from '../securenn-family/nonlinear/layer.js';
import { familyBackend, type ConvPolicy } from '../securenn-family/three-party.js';

export interface PorthosOptions {
  readonly convPolicy?: ConvPolicy;
  readonly kernels?: 'reference' | 'wasm';
}

export function porthos(options: PorthosOptions = {}): Backend {
  const policy = options.convPolicy ?? 'paper';
  return familyBackend({
    name: policy === 'paper' ? 'porthos' : `porthos(${policy})`,
    nonlinear: porthosNonlinear,
    convPolicy: policy,
    transposeForm: 'reshaped',
    kernels: kernels(options.kernels ?? 'wasm'),
  });
}

/** The ideal functionality Porthos realises for a node. */
export function realizes(node: LNode): Functionality {
  return functionalityOf(node, { truncation: 'local' });
}
