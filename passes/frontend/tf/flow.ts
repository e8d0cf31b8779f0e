/**
 * A TensorFlow graph (GraphDef or TF.js, after unfusing) as the secrecy analysis sees it
 * (passes/secrecy/graph.ts): Placeholders are the client's inputs, Consts (and variables) the
 * server's model constants, the requested outputs are revealed to the client, and each operand of
 * each node plays a role from the port table below. Only the nodes the outputs depend on are read,
 * in the order the translator visits them. A node's outputs are one value (its name): reading
 * output k of a node is reading the node, which over-approximates and never hides a flow.
 *
 * TF v1 control flow is covered by its primitives: Switch's predicate and LoopCond's condition are
 * 'control'; functional If/StatelessIf have a 'control' condition; While/StatelessWhile keep their
 * condition in a function the graph does not show, so every loop variable is taken as 'control'
 * (sound and conservative: a secret loop variable is refused).
 */
import type { FlowGraph, FlowInput, FlowNode, FlowSource, PortRole } from '../../secrecy/graph.js';
import type { TfNode } from './graph.js';

type Port = readonly [PortRole, string];

interface OpPorts {
  readonly ports: readonly Port[];
  /** The role of operands past `ports` (default data). */
  readonly rest?: Port;
  /** The role of the last operand (ConcatV2's axis), when it differs. */
  readonly last?: Port;
}

const D: Port = ['data', 'data'];
const only = (...ports: Port[]): OpPorts => ({ ports });
const REDUCE: OpPorts = only(D, ['shape', 'the reduction indices']);
const DIVIDE: OpPorts = only(D, ['clear', 'the divisor']);
const GATHER: OpPorts = only(D, ['index', 'the indices'], ['shape', 'the axis']);
const BACKPROP: OpPorts = only(['shape', 'the input sizes'], D, D);
const SHAPE_OF: OpPorts = { ports: [], rest: ['shape-of', 'the tensor'] };
const RESIZE: OpPorts = only(D, ['shape', 'the output size']);

export const TF_PORTS: Readonly<Record<string, OpPorts>> = Object.freeze({
  Reshape: only(D, ['shape', 'the target shape']),
  Pad: only(D, ['shape', 'the paddings']),
  MirrorPad: only(D, ['shape', 'the paddings']),
  PadV2: only(D, ['shape', 'the paddings'], ['clear', 'the pad value']),
  ConcatV2: { ports: [], last: ['shape', 'the axis'] },
  Concat: { ports: [['shape', 'the axis']] },
  Mean: REDUCE,
  Sum: REDUCE,
  Max: REDUCE,
  Min: REDUCE,
  Prod: REDUCE,
  All: REDUCE,
  Any: REDUCE,
  ExpandDims: only(D, ['shape', 'the axis']),
  Transpose: only(D, ['shape', 'the permutation']),
  Tile: only(D, ['shape', 'the multiples']),
  BroadcastTo: only(D, ['shape', 'the target shape']),
  Fill: only(['shape', 'the dims'], D),
  Cumsum: only(D, ['shape', 'the axis']),
  StridedSlice: only(D, ['index', 'begin'], ['index', 'end'], ['shape', 'the strides']),
  Slice: only(D, ['index', 'begin'], ['shape', 'the size']),
  GatherV2: GATHER,
  Gather: GATHER,
  GatherNd: GATHER,
  ResourceGather: GATHER,
  ScatterNd: only(['index', 'the indices'], D, ['shape', 'the shape']),
  OneHot: only(['index', 'the indices'], ['shape', 'the depth'], D, D),
  TopKV2: only(D, ['shape', 'k']),
  Where: only(['shape', 'the condition, whose true entries size the result']),
  Range: only(['shape', 'the start'], ['shape', 'the limit'], ['shape', 'the delta']),
  Split: only(['shape', 'the axis'], D),
  SplitV: only(D, ['shape', 'the size splits'], ['shape', 'the axis']),
  ArgMax: only(D, ['shape', 'the dimension']),
  ArgMin: only(D, ['shape', 'the dimension']),
  Conv2DBackpropInput: BACKPROP,
  Conv3DBackpropInputV2: BACKPROP,
  ResizeBilinear: RESIZE,
  ResizeNearestNeighbor: RESIZE,
  RealDiv: DIVIDE,
  Div: DIVIDE,
  FloorDiv: DIVIDE,
  TruncateDiv: DIVIDE,
  Pow: only(D, ['clear', 'the exponent']),
  Shape: SHAPE_OF,
  ShapeN: SHAPE_OF,
  Size: SHAPE_OF,
  Rank: SHAPE_OF,
  Switch: only(D, ['control', 'the predicate']),
  LoopCond: only(['control', 'the loop condition']),
  If: { ports: [['control', 'the condition']], rest: D },
  StatelessIf: { ports: [['control', 'the condition']], rest: D },
  While: { ports: [], rest: ['control', 'a loop variable (the loop condition is a function of the loop variables)'] },
  StatelessWhile: {
    ports: [],
    rest: ['control', 'a loop variable (the loop condition is a function of the loop variables)'],
  },
});

/** Operators whose operands are all data (the translator's own, and common elementwise ones). */
const DATA_OPS: ReadonlySet<string> = new Set([
  'Conv2D',
  'Conv3D',
  'DepthwiseConv2dNative',
  'MatMul',
  'BatchMatMul',
  'BatchMatMulV2',
  'BiasAdd',
  'Add',
  'AddV2',
  'AddN',
  'Sub',
  'Mul',
  'Relu',
  'Relu6',
  'LeakyRelu',
  'Elu',
  'Selu',
  'Softplus',
  'MaxPool',
  'MaxPool3D',
  'AvgPool',
  'AvgPool3D',
  'FusedBatchNorm',
  'FusedBatchNormV2',
  'FusedBatchNormV3',
  'Identity',
  'StopGradient',
  'Squeeze',
  'Softmax',
  'Sigmoid',
  'Tanh',
  'Maximum',
  'Minimum',
  'Cast',
  'Equal',
  'Greater',
  'Less',
  'GreaterEqual',
  'LessEqual',
  'Neg',
  'Exp',
  'Log',
  'Sqrt',
  'Rsqrt',
  'Square',
  'Abs',
  'Floor',
  'Round',
  'Sign',
  'Reciprocal',
  'Select',
  'SelectV2',
  'Merge',
  'Enter',
  'Exit',
  'NextIteration',
  'NoOp',
]);

const SOURCES: Readonly<Record<string, FlowSource['kind']>> = {
  Placeholder: 'client input',
  Const: 'model constant',
  VariableV2: 'model constant',
  VarHandleOp: 'model constant',
};

function inputsOf(node: TfNode, ports: OpPorts): FlowInput[] {
  const n = node.inputs.length;
  return node.inputs.map((input, i) => {
    const [role, what] = i === n - 1 && ports.last !== undefined ? ports.last : (ports.ports[i] ?? ports.rest ?? D);
    return { value: input.node, role, what: role === 'data' ? `input ${i}` : what };
  });
}

/** The flow graph of the nodes the translator visits (`order`: each after its inputs) and its outputs. */
export function tfFlowGraph(format: string, order: readonly TfNode[], outputs: readonly TfNode[]): FlowGraph {
  const sources: FlowSource[] = [];
  const nodes: FlowNode[] = [];
  for (const node of order) {
    const kind = SOURCES[node.op];
    if (kind !== undefined) {
      sources.push({ value: node.name, kind });
      continue;
    }
    const ports = TF_PORTS[node.op];
    const known = ports !== undefined || DATA_OPS.has(node.op);
    nodes.push({
      name: node.name,
      op: node.op,
      inputs: inputsOf(node, ports ?? { ports: [] }),
      outputs: [node.name],
      ...(known ? {} : { unknown: true }),
    });
  }
  return { format, sources, nodes, outputs: outputs.map((o) => ({ value: o.name, to: 'client' as const })) };
}
