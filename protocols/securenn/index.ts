/**
 * SecureNN (Wagh, Gupta, Chandran, PoPETs 2019) as the baseline Porthos improves on, run through the
 * same node assembly: Z_67 for PrivateCompare, the helper sends both parties their shares in
 * ShareConvert and ComputeMSB, MaxPool tracks the index of the maximum (one more SelectShare per
 * step), and every convolution — transposed ones included — takes the im2col form.
 *
 * Realises the same ideal functionalities as Porthos (local truncation) on the same domain (ReLU
 * within ±2^{ℓ−2}, MaxPool and ArgMax within ±2^{ℓ−3}); Porthos and SecureNN runs reconstruct to the
 * same values on the same inputs (test/protocols/backends.test.ts).
 */
import { kernels } from '../../semantics/kernels/index.js';
import type { LNode } from '../../ir/llil.js';
import { functionalityOf, type Functionality } from '../../ideal/functionality.js';
import type { Backend } from '../common/backend.js';
import { securennNonlinear } from '../securenn-family/nonlinear/layer.js';
import { familyBackend } from '../securenn-family/three-party.js';

export interface SecureNNOptions {
  readonly kernels?: 'reference' | 'wasm';
}

export function securenn(options: SecureNNOptions = {}): Backend {
  return familyBackend({
    name: 'securenn',
    nonlinear: securennNonlinear,
    convPolicy: 'im2col',
    transposeForm: 'im2col',
    kernels: kernels(options.kernels ?? 'wasm'),
  });
}

/** The ideal functionality SecureNN realises for a node. */
export function realizes(node: LNode): Functionality {
  return functionalityOf(node, { truncation: 'local' });
}
