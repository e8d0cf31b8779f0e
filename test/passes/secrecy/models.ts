/**
 * Hand-written programs for the secrecy suites: the logistic-regression LLIL and its declaration,
 * and small ONNX graphs that leak in each way the graph-level analysis catches (a shape, an index, a
 * branch, a trip count, a clear operand computed from the client's image; a weight read in the clear)
 * or that only look as if they did (a shape computed from Shape(image), which is public).
 *
 * ONNX graphs with If/Loop bodies are written here directly as ModelProto objects (the writer has no
 * graph-valued attributes); everything else goes through the ONNX writer.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { LProgram } from '../../../ir/llil.js';
import { parseLlil } from '../../../ir/text.js';
import { AttributeType, DataType, ModelProtoType } from '../../../passes/frontend/onnx/schema.js';
import { onnxGraph } from '../../../passes/frontend/onnx/writer.js';
import type { SecrecyPolicy } from '../../../passes/secrecy/policy.js';

export const LOGREG = `llil ell=64
input x : fix[1,16]@12 @client
input W : fix[16,3]@12 @server
const b : fix[3]@12 = [1, 2, 3]
xW:acc : secret fix[1,3]@24 = MatMul(x, W)
xW : secret fix[1,3]@12 = ScaleDown(xW:acc, 12)
xWb : secret fix[1,3]@12 = Add(xW, b)
cls : secret fix[1]@0 = ArgMax(xWb) axis=1 keepdims=false
output cls -> client
`;

export function llil(src: string): LProgram {
  const r = parseLlil(src);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
}

/** The logreg declaration: x the client's, W the server's, cls revealed to the client. */
export const DECLARED: SecrecyPolicy = {
  inputs: new Map([
    ['x', 'client'],
    ['W', 'server'],
  ]),
  outputs: [{ name: 'cls', to: 'client' }],
  declassify: [],
};

/** image[1,4] → ArgMax 'am' → Cast 'c' → the target shape of Reshape 'r'. */
export function reshapeBySecret(): Uint8Array {
  const g = onnxGraph({ opset: 13 });
  const x = g.input('image', [1, 4]);
  const am = g.node('ArgMax', [x], { axis: 1 }, { name: 'am' });
  const c = g.node('Cast', [am], { to: DataType.INT64 }, { name: 'c' });
  g.output(g.node('Reshape', [x, c], {}, { name: 'r' }));
  return g.bytes();
}

/** image → Shape 'sh' → Gather 'ga' → Reshape 'r': a shape from the image's (public) shape. */
export function reshapeByShape(): Uint8Array {
  const g = onnxGraph({ opset: 13 });
  const x = g.input('image', [1, 4]);
  const sh = g.node('Shape', [x], {}, { name: 'sh' });
  const n = g.node('Gather', [sh, g.ints('zero', [0])], {}, { name: 'ga' });
  const shape = g.node('Concat', [n, g.ints('minus1', [-1])], { axis: 0 }, { name: 'cat' });
  g.output(g.node('Reshape', [x, shape], {}, { name: 'r' }));
  return g.bytes();
}

/** weights[4,4] gathered at rows image → ArgMax 'am' (a memory index from the image). */
export function gatherAtSecret(): Uint8Array {
  const g = onnxGraph({ opset: 13 });
  const x = g.input('image', [1, 4]);
  const am = g.node('ArgMax', [x], { axis: 1, keepdims: 0 }, { name: 'am' });
  g.output(
    g.node('Gather', [g.weight('table', [4, 4], new Float32Array(16).fill(0.5)), am], { axis: 0 }, { name: 'lookup' }),
  );
  return g.bytes();
}

/** image sliced from a start computed from the image. */
export function sliceAtSecret(): Uint8Array {
  const g = onnxGraph({ opset: 13 });
  const x = g.input('image', [1, 4]);
  const start = g.node(
    'Cast',
    [g.node('ArgMax', [x], { axis: 1, keepdims: 0 }, { name: 'am' })],
    { to: DataType.INT64 },
    { name: 'c' },
  );
  g.output(g.node('Slice', [x, start, g.ints('end', [4]), g.ints('axes', [1])], {}, { name: 'sl' }));
  return g.bytes();
}

/** NonZero on the image: the number of results is the number of non-zero pixels. */
export function nonZeroOfSecret(): Uint8Array {
  const g = onnxGraph({ opset: 13 });
  g.output(g.node('NonZero', [g.input('image', [1, 4])], {}, { name: 'nz' }), undefined, 'int64');
  return g.bytes();
}

/** A model constant used as a weight (Mul) and as a divisor (Div, compiled in the clear). */
export function weightAsDivisor(): Uint8Array {
  const g = onnxGraph({ opset: 13 });
  const c = g.weight('c', [1], [2]);
  const m = g.node('Mul', [g.input('image', [1, 3]), c], {}, { name: 'scale' });
  g.output(g.node('Div', [m, c], {}, { name: 'divide' }));
  return g.bytes();
}

/** Dividing by a value computed from the image (the backends divide by public constants only). */
export function divideBySecret(): Uint8Array {
  const g = onnxGraph({ opset: 13 });
  const x = g.input('image', [1, 3]);
  const s = g.node('ReduceSum', [x], { keepdims: 1 }, { name: 'total' });
  g.output(g.node('Div', [x, s], {}, { name: 'normalise' }));
  return g.bytes();
}

type Obj = Record<string, unknown>;

const info = (name: string, shape: readonly number[] | null, elem: number = DataType.FLOAT): Obj => ({
  name,
  type: {
    tensor_type: {
      elem_type: elem,
      ...(shape === null ? {} : { shape: { dim: shape.map((d) => ({ dim_value: d })) } }),
    },
  },
});

const node = (
  op: string,
  inputs: readonly string[],
  outputs: readonly string[],
  name: string,
  attribute: readonly Obj[] = [],
): Obj => ({ op_type: op, input: [...inputs], output: [...outputs], name, attribute: [...attribute] });

const graph = (
  name: string,
  nodes: readonly Obj[],
  inputs: readonly Obj[],
  outputs: readonly Obj[],
  initializer: readonly Obj[] = [],
): Obj => ({ name, node: [...nodes], input: [...inputs], output: [...outputs], initializer: [...initializer] });

const intAttr = (name: string, i: number): Obj => ({ name, type: AttributeType.INT, i });
const graphAttr = (name: string, g: Obj): Obj => ({ name, type: AttributeType.GRAPH, g });
const int64Init = (name: string, values: readonly number[], dims: readonly number[] = [values.length]): Obj => ({
  name,
  dims: [...dims],
  data_type: DataType.INT64,
  int64_data: [...values],
});
const boolInit = (name: string, v: boolean): Obj => ({
  name,
  dims: [],
  data_type: DataType.BOOL,
  int32_data: [v ? 1 : 0],
});

function model(g: Obj): Uint8Array {
  const m = {
    ir_version: 7,
    producer_name: 'cryptflow-ts tests',
    opset_import: [{ domain: '', version: 13 }],
    graph: g,
  };
  const err = ModelProtoType.verify(m);
  if (err !== null) throw new Error(err);
  return ModelProtoType.encode(ModelProtoType.fromObject(m)).finish();
}

/** If 'branch' on image → ReduceMax 'peak' → Greater 'bright': which branch runs tells whether the image is bright. */
export function ifOnSecret(): Uint8Array {
  const then = graph('then', [node('Relu', ['image'], ['t'], 'then_relu')], [], [info('t', [1, 4])]);
  const otherwise = graph('else', [node('Neg', ['image'], ['e'], 'else_neg')], [], [info('e', [1, 4])]);
  return model(
    graph(
      'main',
      [
        node('ReduceMax', ['image'], ['peak_v'], 'peak', [intAttr('keepdims', 0)]),
        node('Greater', ['peak_v', 'zero'], ['bright_v'], 'bright'),
        node('If', ['bright_v'], ['y'], 'branch', [
          graphAttr('then_branch', then),
          graphAttr('else_branch', otherwise),
        ]),
      ],
      [info('image', [1, 4])],
      [info('y', [1, 4])],
      [{ name: 'zero', dims: [], data_type: DataType.FLOAT, float_data: [0] }],
    ),
  );
}

const loopBody = (cond: Obj[], condOut: string): Obj =>
  graph(
    'body',
    [...cond, node('Relu', ['v_in'], ['v_out'], 'body_relu')],
    [info('iter', [], DataType.INT64), info('cond_in', [], DataType.BOOL), info('v_in', [1, 4])],
    [info(condOut, [], DataType.BOOL), info('v_out', [1, 4])],
  );

/** Loop 'repeat' whose trip count is image → ArgMax 'am' → ReduceMax 'count'. */
export function loopCountOfSecret(): Uint8Array {
  const body = loopBody([node('Identity', ['cond_in'], ['cond_out'], 'keep_going')], 'cond_out');
  return model(
    graph(
      'main',
      [
        node('ArgMax', ['image'], ['am_v'], 'am', [intAttr('axis', 1), intAttr('keepdims', 0)]),
        node('ReduceMax', ['am_v'], ['count_v'], 'count', [intAttr('keepdims', 0)]),
        node('Loop', ['count_v', 'go', 'image'], ['y'], 'repeat', [graphAttr('body', body)]),
      ],
      [info('image', [1, 4])],
      [info('y', [1, 4])],
      [boolInit('go', true)],
    ),
  );
}

/** Loop 'repeat' with a public trip count whose body stops on a condition computed from the carried image. */
export function loopWhileSecret(): Uint8Array {
  const body = loopBody(
    [
      node('ReduceSum', ['v_in'], ['sum_v'], 'sum', [intAttr('keepdims', 0)]),
      node('Greater', ['sum_v', 'zero'], ['more'], 'more_left'),
    ],
    'more',
  );
  return model(
    graph(
      'main',
      [node('Loop', ['three', 'go', 'image'], ['y'], 'repeat', [graphAttr('body', body)])],
      [info('image', [1, 4])],
      [info('y', [1, 4])],
      [
        int64Init('three', [3], []),
        boolInit('go', true),
        { name: 'zero', dims: [], data_type: DataType.FLOAT, float_data: [0] },
      ],
    ),
  );
}

/** Loop with a public trip count and condition: the body computes on the secret freely. */
export function loopPublic(): Uint8Array {
  const body = loopBody([node('Identity', ['cond_in'], ['cond_out'], 'keep_going')], 'cond_out');
  return model(
    graph(
      'main',
      [node('Loop', ['three', 'go', 'image'], ['y'], 'repeat', [graphAttr('body', body)])],
      [info('image', [1, 4])],
      [info('y', [1, 4])],
      [int64Init('three', [3], []), boolInit('go', true)],
    ),
  );
}
