/**
 * The LLIL check of a compiled model: the policy is the frontend's declaration, not the compiled
 * program's own lists.
 *
 *   - outputs: the declared (frontend) HLIL outputs, each mapped to the LLIL value that stands for it
 *     through the plan's placement (HLIL value → LLIL value, computed from the nodes, not from the
 *     LLIL output list), revealed to the declared party;
 *   - inputs: the declared HLIL inputs' owners, plus the inputs the HLIL passes created (a weight the
 *     server folds, BatchNorm's γ′ and β′), with the owner those passes gave them;
 *   - origins: for each LLIL declaration, who computes it and from which HLIL declarations
 *     (float-to-fixed's transforms), so an input derived from the other party's values, or a public
 *     constant derived from a secret, is caught.
 */
import type { HProgram } from '../../ir/hlil.js';
import type { Owner } from '../../ir/common.js';
import type { FixedPlan } from '../float-to-fixed/program.js';
import { transformSources } from '../float-to-fixed/transforms.js';
import { analyzeLlil, type DeclOrigin, type LlilSecrecy } from './llil.js';
import type { SecrecyPolicy } from './policy.js';

export function policyOfPlan(declared: HProgram, plan: FixedPlan): SecrecyPolicy {
  const inputs = new Map<string, Owner>();
  for (const d of plan.source.decls) if (d.kind === 'input') inputs.set(d.name, d.owner);
  for (const d of declared.decls) if (d.kind === 'input') inputs.set(d.name, d.owner);
  const outputs = declared.outputs.map((o) => ({ name: plan.placement.get(o.name) ?? o.name, to: o.to }));
  return { inputs, outputs, declassify: [] };
}

export function originsOfPlan(plan: FixedPlan): Map<string, DeclOrigin> {
  return new Map(plan.derived.map((d) => [d.name, { owner: d.owner, sources: transformSources(d.transform) }]));
}

/** The LLIL analysis of a compiled model against its frontend's declaration. */
export function analyzePlan(declared: HProgram, plan: FixedPlan): LlilSecrecy {
  return analyzeLlil(plan.program, { policy: policyOfPlan(declared, plan), origins: originsOfPlan(plan) });
}
