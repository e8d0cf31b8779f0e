/**
 * The secrecy labels both flow analyses compute, and their findings (proofs-notes/secrecy.md).
 *
 * A value is
 *   - public:             known to every party (LLIL constants, shapes, and what is computed from them only);
 *   - model:              a constant of the server's model file (an ONNX initializer or Constant, a TF
 *                         Const) not yet combined with any secret. The architecture is public in
 *                         CrypTFlow, so a model constant read as structure (a shape, axes, pads, a
 *                         divisor) is declassified by policy; read as data next to a secret it is a
 *                         weight, i.e. secret{server}. Graph level only;
 *   - secret{owners}:     additively shared, computed from the inputs of these owners.
 * Join: public ⊑ model ⊑ secret{server}; secret{A} ⊔ secret{B} = secret{A ∪ B}; model ⊔ secret{A} =
 * secret{A ∪ {server}} (the constant became a weight). A reveal turns a secret into "revealed to X",
 * which only declared outputs (and declared declassifications) may be.
 *
 * A finding is one reason to reject a program: its kind, the node (by the name the source uses) and
 * the path the secret took from an input to it. Messages name values, nodes and owners, never a value.
 */
import type { Owner } from '../../ir/common.js';

export type Label =
  | { readonly kind: 'public' }
  | { readonly kind: 'model' }
  | { readonly kind: 'secret'; readonly owners: readonly Owner[] };

export const PUBLIC: Label = Object.freeze({ kind: 'public' });
export const MODEL: Label = Object.freeze({ kind: 'model' });

const ORDER: readonly Owner[] = ['client', 'server'];

export function secret(...owners: readonly Owner[]): Label {
  return { kind: 'secret', owners: ORDER.filter((o) => owners.includes(o)) };
}

export function isSecret(l: Label): l is Extract<Label, { kind: 'secret' }> {
  return l.kind === 'secret';
}

export function ownersOf(l: Label): readonly Owner[] {
  return l.kind === 'secret' ? l.owners : [];
}

export function join(a: Label, b: Label): Label {
  if (a.kind === 'public') return b;
  if (b.kind === 'public') return a;
  if (a.kind === 'model' && b.kind === 'model') return MODEL;
  const owners = new Set<Owner>([...ownersOf(a), ...ownersOf(b)]);
  if (a.kind === 'model' || b.kind === 'model') owners.add('server');
  return secret(...owners);
}

export function joinAll(ls: readonly Label[]): Label {
  return ls.reduce(join, PUBLIC);
}

export function sameLabel(a: Label, b: Label): boolean {
  return a.kind === b.kind && ownersOf(a).join() === ownersOf(b).join();
}

/** `public`, `model`, `secret{client}`, `secret{client,server}`. */
export function showLabel(l: Label): string {
  return l.kind === 'secret' ? `secret{${l.owners.join(',')}}` : l.kind;
}

/** "the client's", "the server's", "the client's and the server's". */
export function possessive(owners: readonly Owner[]): string {
  return owners.map((o) => `the ${o}'s`).join(' and ');
}

/** Who is meant by a recipient: a party, or both of them. */
export type Recipient = Owner | 'both';

/** Why a program is rejected. */
export type FindingKind =
  /** A value that is not a declared output is revealed (an intermediate, or a value revealed twice). */
  | 'reveal'
  /** A declared output is revealed to another party than declared. */
  | 'recipient'
  /** A declared output is not revealed at all (the program does not implement its declaration). */
  | 'missing-output'
  /** A node written as public (computed in the clear) consumes a secret without a declared declassification. */
  | 'public-op'
  /** An input is owned by another party than declared, or computed from another party's values. */
  | 'ownership'
  /** A public constant is computed from a party's secret input: compiling it in reveals it. */
  | 'declassify'
  /** A shape, axes, pads, sizes or count depends on a secret. */
  | 'shape'
  /** A memory index (Gather/Slice positions, one-hot indices) depends on a secret. */
  | 'index'
  /** A branch condition or loop trip count depends on a secret. */
  | 'control'
  /** An operand a backend needs in the clear (a divisor, clip bounds, a pad value) depends on a secret. */
  | 'clear'
  /** A model constant is both a secret weight and declassified as structure. */
  | 'weight-made-public';

/** One step of the path a secret took: where it comes from, then each node it passes through. */
export type PathStep =
  | { readonly kind: 'source'; readonly value: string; readonly what: string }
  | { readonly kind: 'node'; readonly value: string; readonly node: string; readonly op: string };

export interface Finding {
  readonly kind: FindingKind;
  readonly level: 'graph' | 'llil';
  /** The offending node (a node's name, or an output's or declaration's name). */
  readonly node: string;
  readonly op: string;
  /** The operand position concerned ('shape', 'indices', 'condition', …), when one is. */
  readonly port?: string;
  /** From a source (an input or weight) to the offending node; empty when no secret is involved. */
  readonly path: readonly PathStep[];
  /** Complete and self-contained, without the path (showFinding adds it). */
  readonly message: string;
}

/** `image (client input) → ArgMax 'am' → Reshape 'r'`. */
export function showPath(path: readonly PathStep[]): string {
  return path.map((s) => (s.kind === 'source' ? `${s.value} (${s.what})` : `${s.op} '${s.node}'`)).join(' → ');
}

export function showFinding(f: Finding): string {
  return f.path.length === 0 ? f.message : `${f.message}; path: ${showPath(f.path)}`;
}
