/**
 * Liveness: for each node of a program (HLIL or LLIL, run in program order), the values that die
 * after it — their last reader — and the memory the run holds, so that a runtime can free each
 * tensor after its last use and a reader can see the peak.
 *
 * Memory model. Declarations (inputs, constants) are held from the start until their last reader;
 * a node's result is allocated when the node runs and held until its last reader; program outputs are
 * held to the end; a declaration no node reads and that is no output is never held, a node result
 * nobody reads (and no output) is freed right after its node. While node i runs, its operands and its
 * result are all held. Bytes of a value = number of elements × bytes per element: 4 for float32 HLIL,
 * ⌈ℓ/8⌉ for LLIL over Z_2^ℓ (what a party stores per share element on the wire format).
 */
import type { Shape } from '../../spec/geometry.js';
import { numel } from '../../spec/geometry.js';
import type { HProgram } from '../../ir/hlil.js';
import type { LProgram } from '../../ir/llil.js';
import { operandsOf } from '../../ir/traverse.js';
import { shapesOf, type HlilModel, type PassResult } from './model.js';

export interface LivenessStep {
  readonly node: string;
  readonly op: string;
  /** Bytes held while this node runs. */
  readonly liveBytes: number;
  /** Values released after this node (last use), in definition order. */
  readonly freed: readonly string[];
}

export interface LivenessReport {
  readonly bytesPerElement: number;
  /** Bytes held before the first node (declarations that are read or output). */
  readonly initialBytes: number;
  readonly steps: readonly LivenessStep[];
  readonly peakBytes: number;
  /** The node during which the peak is reached (null when the program has no nodes or peaks at the start). */
  readonly peakAt: string | null;
  /** Bytes if nothing were ever freed: every declaration and every node result. */
  readonly totalBytes: number;
}

/** Liveness of any program given the shape of each value. */
export function liveness(
  p: HProgram | LProgram,
  shapeOf: (name: string) => Shape,
  bytesPerElement: number,
): LivenessReport {
  const bytes = (v: string): number => numel(shapeOf(v)) * bytesPerElement;
  const outs = new Set(p.outputs.map((o) => o.name));
  const last = new Map<string, number>();
  p.nodes.forEach((n, i) => {
    for (const v of operandsOf(n)) last.set(v, i);
  });
  const order = [...p.decls.map((d) => d.name), ...p.nodes.map((n) => n.out)];
  const rank = new Map(order.map((v, i) => [v, i]));
  const freedAt = new Map<number, string[]>();
  const free = (i: number, v: string): void => {
    const list = freedAt.get(i);
    if (list) list.push(v);
    else freedAt.set(i, [v]);
  };
  let held = 0;
  for (const d of p.decls) {
    if (last.has(d.name) || outs.has(d.name)) held += bytes(d.name);
  }
  const initialBytes = held;
  let peak = held;
  let peakAt: string | null = null;
  for (const [v, i] of last) if (!outs.has(v)) free(i, v);
  p.nodes.forEach((n, i) => {
    if (!outs.has(n.out) && !last.has(n.out)) free(i, n.out);
  });
  let total = p.decls.reduce((a, d) => a + bytes(d.name), 0);
  const steps: LivenessStep[] = p.nodes.map((n, i) => {
    const size = bytes(n.out);
    total += size;
    held += size;
    const liveBytes = held;
    if (liveBytes > peak) {
      peak = liveBytes;
      peakAt = n.out;
    }
    const freed = (freedAt.get(i) ?? []).sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
    for (const v of freed) held -= bytes(v);
    return { node: n.out, op: n.op, liveBytes, freed };
  });
  return { bytesPerElement, initialBytes, steps, peakBytes: peak, peakAt, totalBytes: total };
}

/** Liveness of an HLIL model in float32 (the program is unchanged). */
export function livenessPass<M extends HlilModel>(m: M): PassResult<M, LivenessReport> {
  return { model: m, report: liveness(m.program, shapesOf(m.program), 4) };
}

/** Liveness of an LLIL program at ⌈ℓ/8⌉ bytes per element. */
export function llilLiveness(p: LProgram): LivenessReport {
  const shapes = new Map<string, Shape>([
    ...p.decls.map((d) => [d.name, d.shape] as const),
    ...p.nodes.map((n) => [n.out, n.type.shape] as const),
  ]);
  return liveness(p, (n) => shapes.get(n) ?? [], Math.ceil(p.ell / 8));
}
