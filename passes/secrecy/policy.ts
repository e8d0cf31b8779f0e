/**
 * What a program is allowed to reveal, declared apart from the program: the secrecy policy.
 *
 * A program's own output list cannot be its allowance (a compiler bug or a tampered program would
 * then allow itself anything), so the LLIL analysis checks a program against a policy that comes from
 * elsewhere: the frontend's declaration (graph inputs are the client's, weights the server's, graph
 * outputs go to the client), or a policy file. A policy lists
 *   - inputs:      each declared input and its owner;
 *   - outputs:     each value revealed at the end, and to whom;
 *   - declassify:  explicit exceptions, each with a reason: `to` a party, an intermediate value may be
 *                  revealed to it as well; `to: 'both'`, a node computed in the clear may read it.
 * Policy file (JSON): {"inputs"?: {"x": "client"}, "outputs": [{"name": "cls", "to": "client"}],
 * "declassify"?: [{"value": "h", "to": "client", "reason": "…"}]}; inputs default to the program's
 * own declarations. Decoding errors name the field, never echo values.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { CryptflowError } from '../../spec/errors.js';
import type { Owner } from '../../ir/common.js';
import type { HProgram } from '../../ir/hlil.js';
import { decodeWith } from '../../spec/codec.js';
import type { LProgram } from '../../ir/llil.js';
import type { Recipient } from './labels.js';

export interface DeclaredOutput {
  readonly name: string;
  readonly to: Owner;
}

export interface Declassification {
  readonly value: string;
  readonly to: Recipient;
  readonly reason: string;
}

export interface SecrecyPolicy {
  readonly inputs: ReadonlyMap<string, Owner>;
  readonly outputs: readonly DeclaredOutput[];
  readonly declassify: readonly Declassification[];
}

function inputsOf(p: HProgram | LProgram): Map<string, Owner> {
  return new Map(p.decls.flatMap((d) => (d.kind === 'input' ? [[d.name, d.owner] as const] : [])));
}

/** The declaration an HLIL program carries (a frontend's): its inputs' owners and its outputs. */
export function policyOfHlil(p: HProgram): SecrecyPolicy {
  return { inputs: inputsOf(p), outputs: p.outputs.map((o) => ({ name: o.name, to: o.to })), declassify: [] };
}

/** A program's own declaration, for an LLIL program given alone (no other declaration to hold it to). */
export function policyOfLlil(p: LProgram): SecrecyPolicy {
  return { inputs: inputsOf(p), outputs: p.outputs.map((o) => ({ name: o.name, to: o.to })), declassify: [] };
}

const OwnerC = t.keyof({ client: null, server: null });
const RecipientC = t.keyof({ client: null, server: null, both: null });
const PolicyC = t.intersection([
  t.exact(t.type({ outputs: t.array(t.exact(t.type({ name: t.string, to: OwnerC }))) })),
  t.exact(
    t.partial({
      inputs: t.record(t.string, OwnerC),
      declassify: t.array(t.exact(t.type({ value: t.string, to: RecipientC, reason: t.string }))),
    }),
  ),
]);

/** A policy from its JSON text; inputs not given there come from `program`. */
export function decodePolicy(text: string, where: string, program: HProgram | LProgram): SecrecyPolicy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CryptflowError('input', `${where}: not valid JSON (a secrecy policy is a JSON object)`);
  }
  const r = decodeWith(PolicyC, json);
  if (E.isLeft(r)) {
    throw new CryptflowError(
      'input',
      `${where}: not a secrecy policy (expected {outputs: [{name, to}], inputs?: {name: owner}, declassify?: [{value, to, reason}]}):\n  ${[...new Set(r.left)].join('\n  ')}`,
    );
  }
  const p = r.right;
  const declassify = (p.declassify ?? []).map((d) => ({ value: d.value, to: d.to, reason: d.reason }));
  const blank = declassify.find((d) => d.reason.trim() === '');
  if (blank !== undefined)
    throw new CryptflowError('input', `${where}: the declassification of '${blank.value}' gives no reason`);
  return {
    inputs: p.inputs === undefined ? inputsOf(program) : new Map(Object.entries(p.inputs)),
    outputs: p.outputs.map((o) => ({ name: o.name, to: o.to })),
    declassify,
  };
}
