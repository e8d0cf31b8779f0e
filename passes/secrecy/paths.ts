/**
 * The path a secret took: from an offending value back through the nodes that computed it to a
 * source of one owner (a client input, a server input or weight), shown source first.
 *
 * Both analyses record, for every value, where it comes from (`Origin`): a source, or a node and the
 * operands its secrecy flows from (data operands only; a loop-carried value lists its initial value
 * and the body's result, so the graph may have cycles). The search is a depth-first walk over values
 * that carry the owner's secrets, visiting each value once, so it ends on cyclic graphs too.
 */
import type { Owner } from '../../ir/common.js';
import type { Label, PathStep } from './labels.js';

export type Origin =
  | { readonly kind: 'source'; readonly what: string; readonly owner: Owner | 'model' | 'public' }
  | { readonly kind: 'node'; readonly node: string; readonly op: string; readonly preds: readonly string[] };

/** Does a value with this label carry data of `owner` (a model constant counts as the server's)? */
export function carries(l: Label | undefined, owner: Owner): boolean {
  if (l === undefined) return false;
  if (l.kind === 'secret') return l.owners.includes(owner);
  return l.kind === 'model' && owner === 'server';
}

function sourceOf(o: Origin, owner: Owner): boolean {
  return o.kind === 'source' && (o.owner === owner || (o.owner === 'model' && owner === 'server'));
}

/**
 * A path from a source of `owner` to `value` (inclusive), or [] when none is recorded. `labelOf` and
 * `originOf` answer for every value the analysis has seen.
 */
export function tracePath(
  value: string,
  owner: Owner,
  labelOf: (v: string) => Label | undefined,
  originOf: (v: string) => Origin | undefined,
): PathStep[] {
  const seen = new Set<string>([value]);
  const stack: Array<{ readonly v: string; next: number }> = [{ v: value, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { readonly v: string; next: number };
    const o = originOf(top.v);
    if (o !== undefined && sourceOf(o, owner)) return stack.map((f) => step(f.v, originOf(f.v))).reverse();
    const preds = o?.kind === 'node' ? o.preds : [];
    let pushed = false;
    while (top.next < preds.length) {
      const p = preds[top.next++] as string;
      if (seen.has(p) || !carries(labelOf(p), owner)) continue;
      seen.add(p);
      stack.push({ v: p, next: 0 });
      pushed = true;
      break;
    }
    if (!pushed) stack.pop();
  }
  return [];
}

function step(v: string, o: Origin | undefined): PathStep {
  if (o === undefined || o.kind === 'source') return { kind: 'source', value: v, what: o?.what ?? 'value' };
  return { kind: 'node', value: v, node: o.node, op: o.op };
}
