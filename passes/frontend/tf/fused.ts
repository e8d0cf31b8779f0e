/**
 * The fused operators that TF's graph optimiser (grappler's remapper) and the TF.js converter write
 * — _FusedConv2D, _FusedDepthwiseConv2dNative / FusedDepthwiseConv2dNative, _FusedMatMul — are
 * rewritten, before translation, into the plain operators they fuse: the base operator on the first
 * two operands, then each entry of `fused_ops` in order, taking the remaining operands as it goes:
 *
 *   BiasAdd (1 operand) · FusedBatchNorm (4: scale, offset, mean, variance; attr epsilon) ·
 *   Add (1: the residual) · Relu · Relu6
 *
 * The last step keeps the fused node's name, so its readers read the result; the steps before it
 * get fresh names `<node>/_fused_<k>`. Other fused activations (Elu, LeakyRelu, Prelu, Sigmoid, Tanh)
 * are 'unsupported'; operand counts that do not add up (num_args) are 'parse'.
 */
import type { ModelFormat } from '../model.js';
import { broken, refuse, type At } from './attrs.js';
import type { TfAttr, TfGraph, TfInput, TfNode } from './graph.js';

const BASE: Readonly<Record<string, string>> = {
  _FusedConv2D: 'Conv2D',
  _FusedDepthwiseConv2dNative: 'DepthwiseConv2dNative',
  FusedDepthwiseConv2dNative: 'DepthwiseConv2dNative',
  _FusedMatMul: 'MatMul',
};

const STEP_ARGS: Readonly<Record<string, number>> = { BiasAdd: 1, FusedBatchNorm: 4, Add: 1, Relu: 0, Relu6: 0 };

const FUSION_ATTRS = new Set(['fused_ops', 'num_args', 'epsilon', 'leakyrelu_alpha']);

function fusedOps(at: At): readonly string[] {
  const a = at.node.attrs.get('fused_ops');
  if (a === undefined) return [];
  if (a.kind !== 'list') throw broken(at, "attribute 'fused_ops' should be a list of strings");
  return a.value.s;
}

/** The plain nodes one fused node stands for (the base operator, then one node per fused step). */
function expand(at: At, base: string, taken: Set<string>): TfNode[] {
  const { node } = at;
  const steps = fusedOps(at);
  const args = node.inputs.slice(2);
  const numArgs = node.attrs.get('num_args');
  if (node.inputs.length < 2) throw broken(at, `has ${node.inputs.length} data inputs, expected at least 2`);
  if (numArgs?.kind === 'i' && numArgs.value !== args.length)
    throw broken(at, `num_args is ${numArgs.value} but the node has ${args.length} extra operands`);
  const need = steps.reduce((n, s) => {
    const k = STEP_ARGS[s];
    if (k === undefined)
      throw refuse(at, `fused operation ${s} is not supported; supported: ${Object.keys(STEP_ARGS).join(', ')}`);
    return n + k;
  }, 0);
  if (need !== args.length)
    throw broken(at, `fused_ops [${steps.join(',')}] take ${need} extra operands, the node has ${args.length}`);
  const fresh = (k: number): string => {
    let name = `${node.name}/_fused_${k}`;
    for (let j = 1; taken.has(name); j++) name = `${node.name}/_fused_${k}_${j}`;
    taken.add(name);
    return name;
  };
  const common = new Map([...node.attrs].filter(([k]) => !FUSION_ATTRS.has(k)));
  const dataFormat = node.attrs.get('data_format');
  const t = node.attrs.get('T');
  const small = (extra: ReadonlyArray<readonly [string, TfAttr]>): Map<string, TfAttr> =>
    new Map([
      ...(t === undefined ? [] : [['T', t] as const]),
      ...(dataFormat === undefined ? [] : [['data_format', dataFormat] as const]),
      ...extra,
    ]);
  const names = [...steps.map((_, k) => fresh(k)), node.name];
  const out: TfNode[] = [{ name: names[0] ?? node.name, op: base, inputs: node.inputs.slice(0, 2), attrs: common }];
  let next = 0;
  const take = (k: number): TfInput[] => args.slice(next, (next += k));
  steps.forEach((s, k) => {
    const prev: TfInput = { node: names[k] ?? node.name, index: 0 };
    const name = names[k + 1] ?? node.name;
    if (s === 'BiasAdd') out.push({ name, op: 'BiasAdd', inputs: [prev, ...take(1)], attrs: small([]) });
    else if (s === 'Add') out.push({ name, op: 'AddV2', inputs: [prev, ...take(1)], attrs: small([]) });
    else if (s === 'FusedBatchNorm') {
      const eps = node.attrs.get('epsilon') ?? { kind: 'f', value: 1e-4 };
      out.push({
        name,
        op: 'FusedBatchNorm',
        inputs: [prev, ...take(4)],
        attrs: small([
          ['epsilon', eps],
          ['is_training', { kind: 'b', value: false }],
        ]),
      });
    } else out.push({ name, op: s, inputs: [prev], attrs: small([]) });
  });
  return out;
}

/** The graph with every fused node replaced by the plain nodes it stands for. */
export function unfuse(format: ModelFormat, graph: TfGraph): TfGraph {
  if (!graph.nodes.some((n) => BASE[n.op] !== undefined)) return graph;
  const taken = new Set(graph.nodes.map((n) => n.name));
  const nodes = graph.nodes.flatMap((node) => {
    const base = BASE[node.op];
    if (base === undefined) return [node];
    return expand({ format, node }, base, taken);
  });
  return { nodes };
}

/** The fused operators `unfuse` rewrites. */
export const FUSED_OPERATORS: readonly string[] = Object.keys(BASE);
