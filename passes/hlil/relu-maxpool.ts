/**
 * ReLU∘MaxPool reordering (CrypTFlow §5, Athos's optimisations): when a Relu feeds only a MaxPool,
 * compute MaxPool first and Relu after it, so the Relu (an expensive secure comparison per element)
 * runs on the pooled, smaller tensor.
 *
 *   r = Relu(x); m = MaxPool(r) …      ⟶      m:max = MaxPool(x) …; m = Relu(m:max)
 *
 * Exact in float32 (and in Z_2^ℓ): max is monotone, so max over a window of max(x_i, 0) equals
 * max(max_i x_i, 0) — every window holds at least one unpadded cell (padded cells are skipped), and
 * floatSem's Relu maps −0 and +0 to +0 on both sides. The rewrite applies when r is read by that one
 * MaxPool only and is not a program output; the MaxPool keeps its name, so outputs are unchanged.
 * Repeated until nothing changes (Relu, Relu, MaxPool becomes MaxPool, Relu, Relu): each round moves
 * a MaxPool before one Relu, so at most (number of Relus) rounds run.
 */
import type { HNode, HProgram } from '../../ir/hlil.js';
import { checked, freshNamer, outputNames, userNodes, withProgram, type HlilModel, type PassResult } from './model.js';

export interface ReluMaxPoolReport {
  /** The MaxPool nodes now computed before their Relu. */
  readonly swapped: readonly string[];
}

export function reluMaxPool<M extends HlilModel>(m: M): PassResult<M, ReluMaxPoolReport> {
  let program = m.program;
  const swapped: string[] = [];
  for (;;) {
    const round = swapOnce(program);
    if (round.swapped.length === 0) break;
    program = round.program;
    swapped.push(...round.swapped);
  }
  if (swapped.length === 0) return { model: m, report: { swapped } };
  checked('relu-maxpool', program);
  return { model: withProgram(m, program), report: { swapped: [...new Set(swapped)] } };
}

function swapOnce(p: HProgram): { readonly program: HProgram; readonly swapped: readonly string[] } {
  const users = userNodes(p);
  const outs = outputNames(p);
  const fresh = freshNamer(p);
  const relu = new Map(p.nodes.flatMap((n) => (n.op === 'Relu' ? [[n.out, n] as const] : [])));
  const removed = new Set<string>();
  const swapped: string[] = [];
  const nodes: HNode[] = [];
  for (const n of p.nodes) {
    const r = n.op === 'MaxPool' ? relu.get(n.x) : undefined;
    if (n.op !== 'MaxPool' || r === undefined || outs.has(r.out) || (users.get(r.out) ?? []).length !== 1) {
      nodes.push(n);
      continue;
    }
    const pooled = fresh(`${n.out}:max`);
    nodes.push({ ...n, x: r.x, out: pooled }, { op: 'Relu', x: pooled, out: n.out });
    removed.add(r.out);
    swapped.push(n.out);
  }
  return { program: { ...p, nodes: nodes.filter((n) => !removed.has(n.out)) }, swapped };
}
