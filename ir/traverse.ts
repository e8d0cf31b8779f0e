/**
 * Traversal of HLIL and LLIL nodes: which values a node reads.
 *
 * Both unions are dispatched by one exhaustive switch over the union of their operators: an operator
 * added to either IR fails to compile here until its operands are listed.
 */
import { assertNever } from '../spec/errors.js';
import type { HNode, HProgram } from './hlil.js';
import type { LProgram } from './llil.js';
import type { LNodeUntyped } from './untyped.js';

/**
 * Every value name `node` reads, in a fixed order: the order of the operator's fields as declared in
 * hlil.ts / llil.ts (data operand first, then weights, then optional bias; Concat in list order).
 * Absent optional operands are omitted. A name may repeat (e.g. Add(x, x)).
 */
export function operandsOf(node: HNode | LNodeUntyped): readonly string[] {
  switch (node.op) {
    case 'Conv':
    case 'ConvTranspose':
      return node.b === undefined ? [node.x, node.w] : [node.x, node.w, node.b];
    case 'MatMul':
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
      return [node.a, node.b];
    case 'Gemm':
      return node.c === undefined ? [node.a, node.b] : [node.a, node.b, node.c];
    case 'BiasAdd':
      return [node.x, node.b];
    case 'BatchNorm':
      return [node.x, node.scale, node.bias, node.mean, node.var];
    case 'Concat':
      return node.xs;
    case 'Relu':
    case 'MaxPool':
    case 'AvgPool':
    case 'GlobalAvgPool':
    case 'Pad':
    case 'Reshape':
    case 'Flatten':
    case 'Transpose':
    case 'Squeeze':
    case 'ArgMax':
    case 'Softmax':
    case 'Sigmoid':
    case 'ScaleDown':
    case 'ScaleUp':
      return [node.x];
    default:
      return assertNever(node, 'IR operator');
  }
}

/** Names of every value a program defines, in definition order (declarations, then nodes). */
export function definedNames(p: HProgram | LProgram): string[] {
  return [...p.decls.map((d) => d.name), ...p.nodes.map((n) => n.out)];
}

/** For each value, the indices of the nodes that read it (once per node, ascending). */
export function usersOf(p: HProgram | LProgram): ReadonlyMap<string, readonly number[]> {
  const users = new Map<string, number[]>();
  p.nodes.forEach((n, i) => {
    for (const v of new Set(operandsOf(n))) {
      const list = users.get(v);
      if (list) list.push(i);
      else users.set(v, [i]);
    }
  });
  return users;
}

/**
 * For each value some node reads, the index of the last node reading it: after that node the value is
 * dead and an evaluator may drop it. Names in `keep` (outputs, values the caller inspects) are left out,
 * so they are never dropped.
 */
export function lastUses(
  nodes: readonly (HNode | LNodeUntyped)[],
  keep: ReadonlySet<string> = new Set(),
): Map<string, number> {
  const last = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const v of operandsOf(n)) if (!keep.has(v)) last.set(v, i);
  });
  return last;
}
