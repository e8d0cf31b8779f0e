/**
 * An ONNX graph as the secrecy analysis sees it (passes/secrecy/graph.ts), read before any lowering:
 * graph inputs are the client's, initializers and Constant outputs are the server's model constants,
 * graph outputs are revealed to the client, and each operand of each node plays a role.
 *
 * The port table covers the operators that read an operand as structure: shapes, axes, pads, sizes
 * and counts ('shape'), positions ('index'), conditions and trip counts ('control'), operands the
 * backends need in the clear ('clear'), and operators that read only a shape ('shape-of': Shape,
 * Size). It spans the ONNX operator set, not only what the importer lowers, so that a graph the
 * importer would refuse anyway is refused for the right reason (a shape computed from the image, a
 * Gather at secret indices, an If on a secret). Operands beyond an operator's listed ports are data;
 * an operator outside the table has every operand as data and is listed as unknown in the report.
 * If, Loop and Scan bodies (graph attributes) are read recursively; their initializers and Constants
 * are model constants too, and names follow ONNX's rule of one namespace across subgraphs.
 */
import type { FlowBody, FlowGraph, FlowInput, FlowNode, FlowSource, PortRole } from '../../secrecy/graph.js';
import { nodeLabel, type RawAttribute, type RawGraph, type RawNode } from './proto.js';

type Port = readonly [PortRole, string];

interface OpPorts {
  readonly ports: readonly Port[];
  /** The role of operands past `ports` (default data). */
  readonly rest?: Port;
}

const D: Port = ['data', 'data'];
const only = (...ports: Port[]): OpPorts => ({ ports });
const AXES: OpPorts = only(D, ['shape', 'the axes']);
const REDUCE = [
  'ReduceSum',
  'ReduceMean',
  'ReduceMax',
  'ReduceMin',
  'ReduceProd',
  'ReduceL1',
  'ReduceL2',
  'ReduceLogSum',
  'ReduceLogSumExp',
  'ReduceSumSquare',
];
const INDEXED: OpPorts = only(D, ['index', 'the indices'], D);

export const ONNX_PORTS: Readonly<Record<string, OpPorts>> = Object.freeze({
  Reshape: only(D, ['shape', 'the target shape']),
  Expand: only(D, ['shape', 'the target shape']),
  Tile: only(D, ['shape', 'the repeats']),
  Pad: only(D, ['shape', 'the pads'], ['clear', 'the pad value'], ['shape', 'the axes']),
  Squeeze: AXES,
  Unsqueeze: AXES,
  ...Object.fromEntries(REDUCE.map((op) => [op, AXES])),
  CumSum: only(D, ['shape', 'the axis']),
  Trilu: only(D, ['shape', 'the diagonal offset k']),
  Split: only(D, ['shape', 'the split sizes']),
  Slice: only(D, ['index', 'the starts'], ['index', 'the ends'], ['shape', 'the axes'], ['shape', 'the steps']),
  Gather: INDEXED,
  GatherElements: INDEXED,
  GatherND: INDEXED,
  Scatter: INDEXED,
  ScatterElements: INDEXED,
  ScatterND: INDEXED,
  OneHot: only(['index', 'the indices'], ['shape', 'the depth'], D),
  TopK: only(D, ['shape', 'k']),
  Resize: only(D, ['shape', 'the region of interest'], ['shape', 'the scales'], ['shape', 'the sizes']),
  Upsample: only(D, ['shape', 'the scales']),
  CenterCropPad: only(D, ['shape', 'the crop shape']),
  ConstantOfShape: only(['shape', 'the shape']),
  Range: only(['shape', 'the start'], ['shape', 'the limit'], ['shape', 'the delta']),
  NonZero: only(['shape', 'the tensor whose non-zero count sizes the result']),
  Unique: only(['shape', 'the tensor whose distinct values size the result']),
  Compress: only(D, ['shape', 'the condition, which sizes the result']),
  Shape: only(['shape-of', 'the tensor']),
  Size: only(['shape-of', 'the tensor']),
  EyeLike: only(['shape-of', 'the tensor']),
  Div: only(D, ['clear', 'the divisor']),
  Pow: only(D, ['clear', 'the exponent']),
  Clip: only(D, ['clear', 'the lower bound'], ['clear', 'the upper bound']),
  Dropout: only(D, ['clear', 'the ratio'], ['clear', 'training_mode']),
  If: only(['control', 'the condition']),
  Loop: {
    ports: [
      ['control', 'the trip count'],
      ['control', 'the loop condition'],
    ],
    rest: D,
  },
});

/** Operators whose operands are all data (the importer's own, and common elementwise ones). */
const DATA_OPS: ReadonlySet<string> = new Set([
  'Conv',
  'ConvTranspose',
  'Gemm',
  'MatMul',
  'Add',
  'Sub',
  'Mul',
  'Relu',
  'LeakyRelu',
  'PRelu',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'GlobalMaxPool',
  'BatchNormalization',
  'InstanceNormalization',
  'LayerNormalization',
  'Concat',
  'Flatten',
  'Transpose',
  'Identity',
  'Softmax',
  'LogSoftmax',
  'Sigmoid',
  'HardSigmoid',
  'Tanh',
  'ArgMax',
  'ArgMin',
  'Cast',
  'CastLike',
  'Equal',
  'Greater',
  'GreaterOrEqual',
  'Less',
  'LessOrEqual',
  'Where',
  'Not',
  'And',
  'Or',
  'Xor',
  'Abs',
  'Neg',
  'Exp',
  'Log',
  'Sqrt',
  'Reciprocal',
  'Floor',
  'Ceil',
  'Round',
  'Sign',
  'Erf',
  'Elu',
  'Selu',
  'Softplus',
  'Max',
  'Min',
  'Mean',
  'Sum',
  'DepthToSpace',
  'SpaceToDepth',
  'LRN',
  'Einsum',
  'Scan',
]);

function portsOf(op: string): { readonly ports: OpPorts; readonly known: boolean } {
  const p = ONNX_PORTS[op];
  if (p !== undefined) return { ports: p, known: true };
  return { ports: { ports: [] }, known: DATA_OPS.has(op) };
}

function inputsOf(raw: RawNode, ports: OpPorts): FlowInput[] {
  return raw.input.map((value, i) => {
    const [role, what] = ports.ports[i] ?? ports.rest ?? D;
    return { value, role, what: role === 'data' ? `input ${i}` : what };
  });
}

/** A graph-valued attribute as the decoder left it (a plain GraphProto object), or undefined. */
function asGraph(g: unknown): RawGraph | undefined {
  if (typeof g !== 'object' || g === null) return undefined;
  const o = g as Partial<RawGraph>;
  return Array.isArray(o.node)
    ? {
        node: o.node,
        initializer: o.initializer ?? [],
        sparse_initializer: [],
        input: o.input ?? [],
        output: o.output ?? [],
        value_info: [],
        ...(o.name === undefined ? {} : { name: o.name }),
      }
    : undefined;
}

function graphAttrs(raw: RawNode): Array<{ readonly name: string; readonly graph: RawGraph }> {
  const out: Array<{ readonly name: string; readonly graph: RawGraph }> = [];
  for (const a of raw.attribute as readonly RawAttribute[]) {
    const one = asGraph(a.g);
    if (one !== undefined) out.push({ name: a.name ?? 'body', graph: one });
    a.graphs.forEach((g, i) => {
      const many = asGraph(g);
      if (many !== undefined) out.push({ name: `${a.name ?? 'bodies'}[${i}]`, graph: many });
    });
  }
  return out;
}

class Reader {
  readonly sources: FlowSource[] = [];

  constants(g: RawGraph): void {
    for (const t of g.initializer)
      if (t.name !== undefined && t.name !== '') this.sources.push({ value: t.name, kind: 'model constant' });
  }

  nodes(g: RawGraph, prefix: string): FlowNode[] {
    const out: FlowNode[] = [];
    g.node.forEach((raw, i) => {
      const op = raw.op_type ?? '';
      const name = `${prefix}${nodeLabel(raw, i)}`;
      if (op === 'Constant' && (raw.domain ?? '') === '') {
        for (const v of raw.output) if (v !== '') this.sources.push({ value: v, kind: 'model constant' });
        return;
      }
      const { ports, known } = portsOf(op);
      const inputs = inputsOf(raw, ports);
      const bodies = graphAttrs(raw).map((b) => this.body(b.graph, `${name}/${b.name}/`, b.name));
      const base = { name, op, inputs, outputs: raw.output, ...(known ? {} : { unknown: true }) };
      if (op === 'If' && bodies.length > 0) {
        const order = ['then_branch', 'else_branch'];
        out.push({
          ...base,
          control: {
            kind: 'branches',
            branches: [...bodies].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name)),
          },
        });
      } else if (op === 'Loop' && bodies.length === 1) {
        out.push({ ...base, control: { kind: 'loop', body: bodies[0] as FlowBody } });
      } else if (bodies.length > 0) {
        out.push({ ...base, control: { kind: 'bodies', bodies } });
      } else {
        out.push(base);
      }
    });
    return out;
  }

  body(g: RawGraph, prefix: string, name: string): FlowBody {
    this.constants(g);
    return {
      name,
      formals: g.input.map((v) => v.name ?? ''),
      nodes: this.nodes(g, prefix),
      results: g.output.map((v) => v.name ?? ''),
    };
  }
}

/** The flow graph of a decoded ONNX graph: the client's inputs, the server's constants, the client's outputs. */
export function onnxFlowGraph(g: RawGraph): FlowGraph {
  const r = new Reader();
  r.constants(g);
  const constants = new Set(r.sources.map((s) => s.value));
  for (const info of g.input) {
    const name = info.name ?? '';
    if (name !== '' && !constants.has(name)) r.sources.push({ value: name, kind: 'client input' });
  }
  const nodes = r.nodes(g, '');
  return {
    format: 'onnx',
    sources: r.sources,
    nodes,
    outputs: g.output.map((o) => ({ value: o.name ?? '', to: 'client' as const })),
  };
}
