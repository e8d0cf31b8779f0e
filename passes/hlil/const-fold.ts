/**
 * Constant folding of shape-only subgraphs: a Reshape, Flatten, Squeeze, Transpose, Concat or Pad
 * whose operands are all known at compile time is replaced by a declaration holding its result —
 * a public constant when every operand is one, otherwise a server input (the server reshapes its own
 * weights before the run; frontends often emit a Transpose or Reshape on an initializer). Nodes are
 * visited in order, so a whole chain of such nodes folds into one declaration.
 *
 * Exact: the new declaration's values are floatSem of the node on the same float32 values (data
 * movement only, no arithmetic), and the declaration takes the node's name. A server input whose
 * weights are not given is not known, so nothing reading it folds. Sources left unused are removed by
 * dead-node removal.
 */
import type { HDecl, HNode } from '../../ir/hlil.js';
import { operandsOf } from '../../ir/traverse.js';
import { floatNode, type FTensor } from '../../semantics/float.js';
import {
  checked,
  isServerInput,
  knownValues,
  newDecl,
  shapesOf,
  withProgram,
  type HlilModel,
  type PassResult,
} from './model.js';

const SHAPE_ONLY = new Set<HNode['op']>(['Reshape', 'Flatten', 'Squeeze', 'Transpose', 'Concat', 'Pad']);

export interface ConstFoldReport {
  /** Nodes replaced by public constants. */
  readonly publicFolded: readonly string[];
  /** Nodes replaced by server inputs (computed on the server's weights). */
  readonly serverFolded: readonly string[];
}

export function constFold<M extends HlilModel>(m: M): PassResult<M, ConstFoldReport> {
  const p = m.program;
  const shapeOf = shapesOf(p);
  const decls: HDecl[] = [...p.decls];
  const weights = new Map(m.weights);
  const nodes: HNode[] = [];
  const publicFolded: string[] = [];
  const serverFolded: string[] = [];
  const current = { ...p, decls };
  for (const n of p.nodes) {
    const ops = [...new Set(operandsOf(n))];
    const values = ops.map((v) => knownValues(current, weights, v));
    if (!SHAPE_ONLY.has(n.op) || values.some((v) => v === undefined)) {
      nodes.push(n);
      continue;
    }
    const env = new Map<string, FTensor>(
      ops.map((v, i) => [v, { shape: shapeOf(v), data: values[i] as Float32Array }]),
    );
    const y = floatNode(n, env);
    const server = ops.some((v) => isServerInput(decls.find((d) => d.name === v)));
    newDecl(decls, weights, n.out, y.shape, y.data, server);
    (server ? serverFolded : publicFolded).push(n.out);
  }
  if (publicFolded.length + serverFolded.length === 0) return { model: m, report: { publicFolded, serverFolded } };
  const program = { ...p, decls, nodes };
  checked('const-fold', program);
  return { model: withProgram(m, program, weights), report: { publicFolded, serverFolded } };
}
