/**
 * What the HLIL optimisation passes work on: an HLIL program together with the server's weight
 * values (the frontends' ImportedModel has this shape, plus its format). A pass maps a model to a
 * model of the same kind and returns a report; it may add, replace or drop server inputs, and then
 * returns the weights to match (the weights stay server-side values: a pass that computes on them is
 * computation the server does alone, before the secure run).
 *
 * Helpers shared by the passes: the values a program defines, their users, fresh names, the known
 * values of a declaration, and the check every pass result goes through (a pass that produced an
 * ill-typed program is a bug, not a user error).
 */
import * as E from 'fp-ts/lib/Either.js';
import { bug } from '../../spec/errors.js';
import type { Shape } from '../../spec/geometry.js';
import { checkHlil, type HlilInfo } from '../../ir/check.js';
import type { HDecl, HNode, HProgram } from '../../ir/hlil.js';
import { usersOf } from '../../ir/traverse.js';

export interface HlilModel {
  readonly program: HProgram;
  /** Values of the program's server inputs, by name (may be empty when they are not at hand). */
  readonly weights: ReadonlyMap<string, Float32Array>;
}

export interface PassResult<M extends HlilModel, R> {
  readonly model: M;
  readonly report: R;
}

/** The same kind of model with a new program and weights. */
export function withProgram<M extends HlilModel>(
  m: M,
  program: HProgram,
  weights: ReadonlyMap<string, Float32Array> = m.weights,
): M {
  return { ...m, program, weights };
}

/** Type-check a pass result (a failure is a defect of the pass) and return the shapes. */
export function checked(pass: string, p: HProgram): HlilInfo {
  const r = checkHlil(p);
  return E.isRight(r)
    ? r.right
    : bug(`HLIL pass ${pass} produced an ill-typed program: ${r.left.map((e) => e.message).join('; ')}`);
}

/** Shapes of every value of a (well-typed) program. */
export function shapesOf(p: HProgram): (name: string) => Shape {
  const info = checked('input', p);
  return (n) => info.shapeOf(n);
}

export function outputNames(p: HProgram): ReadonlySet<string> {
  return new Set(p.outputs.map((o) => o.name));
}

/** The nodes reading each value. */
export function userNodes(p: HProgram): ReadonlyMap<string, readonly HNode[]> {
  const idx = usersOf(p);
  const out = new Map<string, HNode[]>();
  for (const [v, is] of idx)
    out.set(
      v,
      is.map((i) => p.nodes[i] as HNode),
    );
  return out;
}

/** Fresh names `hint`, `hint:2`, … avoiding every name of the program and every name handed out. */
export function freshNamer(p: HProgram): (hint: string) => string {
  const taken = new Set<string>([...p.decls.map((d) => d.name), ...p.nodes.map((n) => n.out)]);
  return (hint) => {
    let name = hint;
    for (let i = 2; taken.has(name); i++) name = `${hint}:${i}`;
    taken.add(name);
    return name;
  };
}

/** The compile-time values of a declaration: a constant's, or a server input's weights (if given). */
export function knownValues(
  p: HProgram,
  weights: ReadonlyMap<string, Float32Array>,
  name: string,
): Float32Array | undefined {
  const d = p.decls.find((x) => x.name === name);
  if (d === undefined) return undefined;
  if (d.kind === 'const') return d.values;
  return d.owner === 'server' ? weights.get(name) : undefined;
}

/** Is the declaration a server input (as opposed to a public constant)? */
export function isServerInput(d: HDecl | undefined): boolean {
  return d?.kind === 'input' && d.owner === 'server';
}

/**
 * A new declaration holding `values`: a public constant when every source is one, otherwise a server
 * input (the server computes it from its weights). Appends to `decls`, and to `weights` when server.
 */
export function newDecl(
  decls: HDecl[],
  weights: Map<string, Float32Array>,
  name: string,
  shape: Shape,
  values: Float32Array,
  server: boolean,
): void {
  if (server) {
    decls.push({ kind: 'input', name, shape, owner: 'server' });
    weights.set(name, values);
  } else {
    decls.push({ kind: 'const', name, shape, values });
  }
}
