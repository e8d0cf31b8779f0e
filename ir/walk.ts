/**
 * The checker's walk shared by both IRs: names, def-before-use, and outputs.
 *
 * Declarations and nodes are visited in order. A value whose declaration or node was rejected is
 * "poisoned": nodes reading it are skipped without further messages, so one mistake yields one error.
 */
import { bug } from '../spec/errors.js';
import { NAME_PATTERN } from './common.js';
import { nodeError, programError, type IrError } from './diagnostic.js';
import { operandsOf } from './traverse.js';
import type { HNode } from './hlil.js';
import type { LNodeUntyped } from './untyped.js';

/** What a rule found: the value's info (null if it could not be determined) and messages. */
export interface Verdict<T> {
  readonly info: T | null;
  readonly errors: readonly string[];
}

export interface WalkRules<
  D extends { readonly name: string; readonly kind: string },
  N extends HNode | LNodeUntyped,
  T,
> {
  decl(d: D): Verdict<T>;
  node(n: N, infoOf: (name: string) => T): Verdict<T>;
}

export interface WalkResult<T> {
  readonly infos: Map<string, T>;
  readonly errors: IrError[];
}

export function walk<D extends { readonly name: string; readonly kind: string }, N extends HNode | LNodeUntyped, T>(
  p: {
    readonly decls: readonly D[];
    readonly nodes: readonly N[];
    readonly outputs: readonly { readonly name: string }[];
  },
  rules: WalkRules<D, N, T>,
): WalkResult<T> {
  const infos = new Map<string, T>();
  const poisoned = new Set<string>();
  const errors: IrError[] = [];
  const define = (name: string, op: string, v: Verdict<T>): void => {
    const nameErrors: string[] = [];
    if (!NAME_PATTERN.test(name))
      nameErrors.push(`name ${JSON.stringify(name)} does not match ${String(NAME_PATTERN)}`);
    if (infos.has(name) || poisoned.has(name)) nameErrors.push(`name ${name} is already defined`);
    for (const m of [...nameErrors, ...v.errors]) errors.push(nodeError(name, op, m));
    if (infos.has(name) || poisoned.has(name)) return;
    if (v.info === null) poisoned.add(name);
    else infos.set(name, v.info);
  };
  for (const d of p.decls) define(d.name, d.kind, rules.decl(d));
  for (const n of p.nodes) {
    const operands = operandsOf(n);
    const undefinedOps = operands.filter((v) => !infos.has(v) && !poisoned.has(v));
    if (undefinedOps.length > 0) {
      define(n.out, n.op, { info: null, errors: [`operand ${undefinedOps.join(', ')} is not defined before use`] });
    } else if (operands.some((v) => poisoned.has(v))) {
      define(n.out, n.op, { info: null, errors: [] });
    } else {
      define(
        n.out,
        n.op,
        rules.node(n, (v) => infos.get(v) ?? bug(`operand ${v} of ${n.out} has no info`)),
      );
    }
  }
  if (p.outputs.length === 0) errors.push(programError('no outputs are declared'));
  const seen = new Set<string>();
  for (const o of p.outputs) {
    if (!infos.has(o.name) && !poisoned.has(o.name))
      errors.push(nodeError(o.name, 'output', 'no value of this name is defined'));
    if (seen.has(o.name)) errors.push(nodeError(o.name, 'output', 'is declared more than once'));
    seen.add(o.name);
  }
  return { infos, errors };
}
