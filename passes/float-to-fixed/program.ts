/**
 * Whole-program float-to-fixed for straight-line HLIL with ONE global scale s (Athos, CrypTFlow §2:
 * "all variables have the same precision in Athos output"). Scale selection and the ONNX/TF
 * frontends are separate passes; this one takes s as given.
 *
 * The result is a plan: the LLIL program and, for each LLIL input, the transform its owner applies to
 * its own plaintext HLIL inputs (`encodeInputs`). Public constants are encoded (and transformed) at
 * compile time. Unused HLIL inputs get no LLIL input.
 */
import { CryptflowError } from '../../spec/errors.js';
import { FixedPoint } from '../../spec/fixed.js';
import type { HProgram } from '../../ir/hlil.js';
import type { Owner } from '../../ir/common.js';
import type { LOutput, LProgram } from '../../ir/llil.js';
import { checkFloatInputs } from '../../semantics/inputs.js';
import { Lowering, type FixedParams } from './context.js';
import { encodeTensorFast } from './encode.js';
import { lowerNode } from './lower-node.js';
import { applyTransform, transformSources, type DerivedValue } from './transforms.js';

export type { FixedParams, Placement } from './context.js';

export interface FixedPlan {
  readonly source: HProgram;
  readonly params: FixedParams;
  readonly program: LProgram;
  /** Every LLIL declaration with the transform that defines it (constants: already applied). */
  readonly derived: readonly DerivedValue[];
  /** For each HLIL value the LLIL value standing for it (a declaration encoded at s keeps its name). */
  readonly placement: ReadonlyMap<string, string>;
}

/** Lower every node of `p` at the global scale s (ScaleDowns placed as `params.placement` says, default eager). */
export function floatToFixed(p: HProgram, params: FixedParams): FixedPlan {
  const ctx = new Lowering(p, params);
  for (const node of p.nodes) lowerNode(ctx, node);
  const outputs: LOutput[] = p.outputs.map((o) => {
    const placed = ctx.placement(o.name);
    if (placed === undefined) return { name: ctx.operand(o.name), to: o.to };
    return placed.post === undefined
      ? { name: placed.name, to: o.to }
      : { name: placed.name, to: o.to, post: placed.post };
  });
  const program: LProgram = { ir: 'llil', ell: params.ell, decls: ctx.decls, nodes: ctx.nodes, outputs };
  return { source: p, params, program, derived: ctx.derived, placement: ctx.placements() };
}

/**
 * The LLIL input map from the float HLIL inputs: each owner encodes its inputs at their scales after
 * applying their transforms. With `owner`, only that party's LLIL inputs are produced and only its
 * own HLIL inputs (and public constants) are read — what the party can do alone. Errors: a missing,
 * mis-sized or non-finite input (naming it), or a 'fixed-range' error when a transformed value cannot
 * be encoded at its scale (naming the LLIL input and position, never the value).
 */
export function encodeInputs(
  plan: FixedPlan,
  inputs: ReadonlyMap<string, Float32Array>,
  owner?: Owner,
): Map<string, BigUint64Array> {
  const mine = (o: Owner): boolean => owner === undefined || o === owner;
  const hDecls = plan.source.decls.filter((d) => d.kind === 'const' || mine(d.owner));
  checkFloatInputs(hDecls, inputs);
  const get = (name: string): Float32Array => {
    const d = hDecls.find((x) => x.name === name);
    const v = d?.kind === 'const' ? d.values : inputs.get(name);
    if (v === undefined) throw new CryptflowError('input', `'${name}' is not available to ${owner ?? 'the parties'}`);
    return v;
  };
  const out = new Map<string, BigUint64Array>();
  for (const d of plan.derived) {
    if (d.owner === 'public' || !mine(d.owner)) continue;
    transformSources(d.transform).forEach(get);
    const fp = FixedPoint({ ell: plan.params.ell, scale: d.scale });
    const values = d.transform.kind === 'encode' ? get(d.transform.source) : applyTransform(d.transform, get);
    out.set(d.name, encodeTensorFast(fp, values, `input '${d.name}'`));
  }
  return out;
}
