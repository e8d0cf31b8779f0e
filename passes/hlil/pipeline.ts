/**
 * The HLIL optimisation pipeline (Athos, CrypTFlow §5) with a flag per pass, and the preset that
 * reproduces the paper's configuration (shared/design COMM-SPEC.md: BatchNorm is a secret elementwise
 * product over the full tensor — γ' expanded by the server — not folded into the convolution; the
 * ReLU∘MaxPool swap is on).
 *
 * Order: constant folding of shape-only subgraphs → BatchNorm precomputation (or folding) → ReLU∘MaxPool
 * → dead-node removal (which also drops the weights the earlier passes replaced) → liveness (a report;
 * the program is unchanged). Every pass preserves floatSem exactly except BatchNorm, which preserves
 * it up to float32 rounding (the bound is in proofs-notes/hlil-batchnorm.md).
 */
import { batchNorm, type BatchNormReport } from './batchnorm.js';
import { constFold, type ConstFoldReport } from './const-fold.js';
import { deadNodes, type DeadNodesReport } from './dead-nodes.js';
import { livenessPass, type LivenessReport } from './liveness.js';
import type { HlilModel } from './model.js';
import { reluMaxPool, type ReluMaxPoolReport } from './relu-maxpool.js';

export interface HlilOptions {
  /** Fold Reshape/Flatten/Squeeze/Transpose/Concat/Pad of known values into declarations. */
  readonly constFold: boolean;
  /** Precompute BatchNorm's γ', β' (a Mul and a BiasAdd with weights). */
  readonly batchNorm: boolean;
  /** With batchNorm: fold it into the preceding Conv where valid (otherwise Mul + BiasAdd). */
  readonly foldBatchNorm: boolean;
  /** With batchNorm (not folded): the server expands γ' to the full shape of x (elementwise product, the paper's). */
  readonly expandBatchNorm: boolean;
  /** MaxPool before Relu where a Relu feeds only a MaxPool. */
  readonly reluMaxPool: boolean;
  /** Remove nodes and declarations that reach no output. */
  readonly deadNodes: boolean;
}

/** The paper's configuration (and the default). */
export const paperConfig: HlilOptions = Object.freeze({
  constFold: true,
  batchNorm: true,
  foldBatchNorm: false,
  expandBatchNorm: true,
  reluMaxPool: true,
  deadNodes: true,
});

export const defaultHlilOptions: HlilOptions = paperConfig;

/** Every pass off: the program as imported. */
export const noHlilOptimisations: HlilOptions = Object.freeze({
  constFold: false,
  batchNorm: false,
  foldBatchNorm: false,
  expandBatchNorm: false,
  reluMaxPool: false,
  deadNodes: false,
});

export interface HlilReport {
  readonly options: HlilOptions;
  readonly constFold?: ConstFoldReport;
  readonly batchNorm?: BatchNormReport;
  readonly reluMaxPool?: ReluMaxPoolReport;
  readonly deadNodes?: DeadNodesReport;
  readonly liveness: LivenessReport;
}

export function optimizeHlil<M extends HlilModel>(
  m: M,
  options: Partial<HlilOptions> = {},
): { readonly model: M; readonly report: HlilReport } {
  const o: HlilOptions = { ...defaultHlilOptions, ...options };
  let model = m;
  const parts: { -readonly [K in keyof Omit<HlilReport, 'options' | 'liveness'>]?: HlilReport[K] } = {};
  if (o.constFold) ({ model, report: parts.constFold } = constFold(model));
  if (o.batchNorm)
    ({ model, report: parts.batchNorm } = batchNorm(model, o.foldBatchNorm ? 'fold' : 'mul-add', o.expandBatchNorm));
  if (o.reluMaxPool) ({ model, report: parts.reluMaxPool } = reluMaxPool(model));
  if (o.deadNodes) ({ model, report: parts.deadNodes } = deadNodes(model));
  return { model, report: { options: o, ...parts, liveness: livenessPass(model).report } };
}
