/**
 * A TensorFlow graph (graph.ts) → an HLIL program, shared by the GraphDef and TF.js frontends.
 *
 * Fused operators are first rewritten into the plain ones they fuse (fused.ts). Only the nodes the
 * outputs depend on (through data inputs) are translated, in a topological
 * order. Placeholders become client inputs declared in their TF shape (NHWC as given); each operator
 * converts to channels-first on its own with a Transpose when it needs to (layout.ts, values.ts).
 * Consts read as tensors become server-owned inputs whose values go to `weights`; Consts read as
 * shapes, axes or paddings become attributes. Outputs go to the client in TF layout, named after
 * the TF node that computes them (sanitised; Identity is transparent). The result passes the HLIL
 * checker (the builder runs it). Beside the translation, the secrecy flow over the same nodes
 * (flow.ts, passes/secrecy/graph.ts) refuses a shape, index, condition or clear operand computed from
 * a secret, naming the node and the path.
 */
import { bug, CryptflowError } from '../../../spec/errors.js';
import { showShape } from '../../../spec/geometry.js';
import { hlilBuilder } from '../../../ir/builder.js';
import { malformed, type ImportedModel, type ModelFormat } from '../model.js';
import { attrShape, attrType, broken, refuse, type At } from './attrs.js';
import { FUSED_OPERATORS, unfuse } from './fused.js';
import type { TfGraph, TfNode } from './graph.js';
import { Names } from './names.js';
import { arithRules } from './ops-arith.js';
import { shapeRules } from './ops-shape.js';
import { windowRules } from './ops-window.js';
import { DT, dataTypeName } from './schema.js';
import { tfFlowGraph } from './flow.js';
import { analyzeGraph } from '../../secrecy/graph.js';
import { screenImport } from '../../secrecy/import.js';
import { tfOf, type Ctx, type OpRule, type Val } from './values.js';

export interface TfImportOptions {
  /** Shapes of placeholders whose shape has unknown (−1) extents or an unknown rank, by node name. */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
  /** The graph's outputs by node name (`name` or `name:0`). Default: the TF.js signature's outputs, else every node that no other node reads (Const, Placeholder and NoOp excepted). */
  readonly outputs?: readonly string[];
}

const OPTIONS = 'in the import options';

const RULES: Readonly<Record<string, OpRule>> = { ...windowRules, ...arithRules, ...shapeRules };

/** The operators the TF frontends translate. */
export const TF_OPERATORS: readonly string[] = [
  'Placeholder',
  'Const',
  ...Object.keys(RULES),
  ...FUSED_OPERATORS,
].sort();

function outputNode(format: ModelFormat, byName: ReadonlyMap<string, TfNode>, ref: string, from: string): TfNode {
  const m = /^(.*?)(?::(\d+))?$/.exec(ref);
  const name = m?.[1] ?? ref;
  const node = byName.get(name);
  if (node === undefined) {
    const why = `output '${ref}' (${from}) names no node of the graph`;
    throw from === OPTIONS
      ? new CryptflowError('usage', `${format} model: ${why}`)
      : malformed(format, 'signature', why);
  }
  if (m?.[2] !== undefined && m[2] !== '0') throw unsupportedOutput(format, node, Number(m[2]));
  return node;
}

function unsupportedOutput(format: ModelFormat, node: TfNode, index: number): CryptflowError {
  return refuse(
    { format, node },
    `output ${index} is used; only output 0 of a node is supported (e.g. FusedBatchNorm's batch statistics are training-only)`,
  );
}

function defaultOutputs(graph: TfGraph): TfNode[] {
  const read = new Set(graph.nodes.flatMap((n) => n.inputs.map((i) => i.node)));
  return graph.nodes.filter((n) => !read.has(n.name) && !['Const', 'Placeholder', 'NoOp'].includes(n.op));
}

/** The nodes `outputs` depend on, each after its inputs (iterative DFS; a cycle is malformed). */
function topoOrder(format: ModelFormat, byName: ReadonlyMap<string, TfNode>, outputs: readonly TfNode[]): TfNode[] {
  const state = new Map<string, 'open' | 'done'>();
  const order: TfNode[] = [];
  for (const root of outputs) {
    const stack: Array<{ node: TfNode; next: number }> = [{ node: root, next: 0 }];
    if (state.has(root.name)) continue;
    state.set(root.name, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: TfNode; next: number };
      const input = top.node.inputs[top.next];
      if (input === undefined) {
        stack.pop();
        state.set(top.node.name, 'done');
        order.push(top.node);
        continue;
      }
      top.next++;
      const dep = byName.get(input.node);
      if (dep === undefined)
        throw malformed(
          format,
          `node '${top.node.name}' (${top.node.op})`,
          `input '${input.node}' names no node of the graph`,
        );
      const s = state.get(dep.name);
      if (s === 'open') throw malformed(format, `node '${dep.name}'`, 'the graph has a cycle through this node');
      if (s === undefined) {
        state.set(dep.name, 'open');
        stack.push({ node: dep, next: 0 });
      }
    }
  }
  return order;
}

function placeholder(ctx: Ctx, at: At, opts: TfImportOptions): Val {
  const dtype = attrType(at, 'dtype');
  if (dtype === undefined) throw broken(at, "attribute 'dtype' is missing");
  if (dtype !== DT.FLOAT) throw refuse(at, `dtype ${dataTypeName(dtype)}; only DT_FLOAT inputs are supported`);
  const declared = attrShape(at, 'shape') ?? null;
  const given = opts.inputShapes?.[at.node.name];
  const shown = declared === null ? 'of unknown rank' : showShape(declared);
  let shape: readonly number[];
  if (given !== undefined) {
    const fits =
      declared === null || (declared.length === given.length && declared.every((d, i) => d === -1 || d === given[i]));
    if (!given.every((d) => Number.isSafeInteger(d) && d >= 1) || !fits) {
      throw new CryptflowError(
        'shape',
        `${ctx.format} node '${at.node.name}' (Placeholder): inputShapes gives ${showShape(given)}, which does not fit its shape ${shown} (extents must be positive integers)`,
      );
    }
    shape = given;
  } else if (declared === null || declared.some((d) => d < 0)) {
    throw refuse(at, `dynamic shape ${shown}; give the input's shape in inputShapes['${at.node.name}']`);
  } else {
    shape = declared;
  }
  if (shape.some((d) => d === 0)) throw refuse(at, `shape ${showShape(shape)} has an empty extent`);
  const name = ctx.names.claim(at.node.name);
  ctx.b.input(name, shape, 'client');
  return { kind: 'act', node: at.node.name, rank: shape.length, tf: name, cf: shape.length < 3 ? name : undefined };
}

function constNode(at: At): Val {
  const a = at.node.attrs.get('value');
  if (a?.kind !== 'tensor') throw broken(at, "attribute 'value' (a tensor) is missing");
  return { kind: 'const', node: at.node.name, tensor: a.value };
}

function translateNode(ctx: Ctx, at: At, vals: ReadonlyMap<string, Val>, opts: TfImportOptions): Val {
  const { node } = at;
  if (node.op === 'Placeholder') return placeholder(ctx, at, opts);
  if (node.op === 'Const') return constNode(at);
  const rule = RULES[node.op];
  if (rule === undefined)
    throw refuse(at, `operator ${node.op} is not supported; supported operators: ${TF_OPERATORS.join(', ')}`);
  const [min, max] = rule.arity;
  if (node.inputs.length < min || node.inputs.length > max) {
    throw broken(
      at,
      `has ${node.inputs.length} data inputs, expected ${min === max ? String(min) : `${min} to ${max === Infinity ? 'any number' : String(max)}`}`,
    );
  }
  const ins = node.inputs.map((i) => {
    const v = vals.get(i.node);
    if (i.index !== 0) throw refuse(at, `reads output ${i.index} of '${i.node}'; only output 0 of a node is supported`);
    if (v === undefined) return bug(`tf input '${i.node}' of '${node.name}' is not translated before it`);
    return v;
  });
  try {
    return rule.run(ctx, at, ins);
  } catch (e) {
    if (!(e instanceof CryptflowError) || e.message.startsWith(`${at.format} `)) throw e;
    throw new CryptflowError(e.code, `${at.format} node '${node.name}' (${node.op}): ${e.message}`);
  }
}

/** Translates `graph` (its nodes feeding the outputs) into an HLIL program with server weights. */
export function translateGraph(
  format: ModelFormat,
  fusedGraph: TfGraph,
  opts: TfImportOptions = {},
  signatureOutputs?: readonly string[],
): ImportedModel {
  const graph = unfuse(format, fusedGraph);
  if (graph.nodes.length === 0) throw malformed(format, 'graph', 'it has no nodes');
  const byName = new Map(graph.nodes.map((n) => [n.name, n] as const));
  const requested = opts.outputs ?? signatureOutputs;
  const from = opts.outputs !== undefined ? OPTIONS : 'in the model signature';
  const outputs =
    requested === undefined ? defaultOutputs(graph) : requested.map((r) => outputNode(format, byName, r, from));
  if (outputs.length === 0)
    throw malformed(
      format,
      'graph',
      'it has no output (every node is read by another); name the outputs in the import options',
    );
  for (const name of Object.keys(opts.inputShapes ?? {})) {
    if (byName.get(name)?.op !== 'Placeholder')
      throw new CryptflowError(
        'usage',
        `${format} model: inputShapes names '${name}', which is not a Placeholder of the graph`,
      );
  }
  const order = topoOrder(format, byName, outputs);
  const { result, secrecy } = screenImport(
    format,
    () => translateOrdered(format, graph, order, outputs, opts),
    () => analyzeGraph(tfFlowGraph(format, order, outputs)),
  );
  return { ...result, secrecy };
}

function translateOrdered(
  format: ModelFormat,
  graph: TfGraph,
  order: readonly TfNode[],
  outputs: readonly TfNode[],
  opts: TfImportOptions,
): ImportedModel {
  const ctx: Ctx = {
    format,
    b: hlilBuilder(),
    names: new Names(graph.nodes.map((n) => n.name)),
    weights: new Map(),
    weightForms: new Map(),
    publicConsts: new Map(),
  };
  const vals = new Map<string, Val>();
  for (const node of order) vals.set(node.name, translateNode(ctx, { format, node }, vals, opts));
  const emitted = new Set<string>();
  const softmaxOut = new Map<string, string>();
  for (const node of outputs) {
    const at: At = { format, node };
    const v = vals.get(node.name);
    if (v === undefined) return bug(`tf output '${node.name}' was not translated`);
    if (v.kind === 'const') throw refuse(at, 'a graph output is a constant; outputs must depend on an input');
    let name: string;
    if (v.kind === 'softmax') {
      name =
        softmaxOut.get(v.node) ??
        ctx.b.node({ op: 'Softmax', x: tfOf(ctx, at, v.logits), axis: v.axis }, ctx.names.claim(v.node));
      softmaxOut.set(v.node, name);
    } else {
      name = tfOf(ctx, at, v);
    }
    if (!emitted.has(name)) ctx.b.output(name, 'client');
    emitted.add(name);
  }
  return { format, program: ctx.b.build(), weights: ctx.weights };
}
