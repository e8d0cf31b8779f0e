/**
 * Random ONNX steps: each appends one operator node (and the constants it needs) to the graph being
 * generated, reading an existing value x (and, for binary operators and Concat, maybe another value
 * of the graph), with attributes drawn so that the node is valid for x's shape and for the opset.
 * A step returns null when the operator does not apply to x. Every step computes its output shape
 * from the ONNX operator definition, independently of the frontend. The windowed operators' steps are
 * in onnx-steps-window.ts; this file also holds the table of all steps.
 */
import { broadcastShapes, numel, type Shape } from '../../spec/geometry.js';
import { broadcastPartner } from './steps.js';
import type { OnnxGen, Val } from './onnx-gen.js';
import { BIG, dim, divisors, maybe, node, type Attrs, type OnnxStep } from './onnx-steps-common.js';
import { averagePool, conv, convTranspose, globalAveragePool, maxPool } from './onnx-steps-window.js';

export type { OnnxStep } from './onnx-steps-common.js';

export const gemm: OnnxStep = (gen, x) => {
  const { c } = gen;
  const sh = x.shape;
  if (sh.length !== 2) return null;
  const transA = c.bool(),
    transB = c.bool();
  const xIsA = c.int(0, 3) !== 0;
  let m: number, kk: number, n: number, a: string, b: string;
  if (xIsA) {
    [m, kk] = transA ? [dim(sh, 1), dim(sh, 0)] : [dim(sh, 0), dim(sh, 1)];
    n = c.int(1, 4);
    a = x.name;
    b = gen.weight(transB ? [n, kk] : [kk, n]);
  } else {
    [kk, n] = transB ? [dim(sh, 1), dim(sh, 0)] : [dim(sh, 0), dim(sh, 1)];
    m = c.int(1, 4);
    a = gen.weight(transA ? [kk, m] : [m, kk]);
    b = x.name;
  }
  const attrs: Attrs = {};
  const alpha = c.pick([1, 1, 0.5, 2]);
  maybe(gen, attrs, 'alpha', { float: alpha }, alpha === 1);
  maybe(gen, attrs, 'transA', transA ? 1 : 0, !transA);
  maybe(gen, attrs, 'transB', transB ? 1 : 0, !transB);
  const inputs = [a, b];
  if (c.bool()) {
    const beta = c.pick([1, 1, 0.5]);
    maybe(gen, attrs, 'beta', { float: beta }, beta === 1);
    inputs.push(gen.weight(c.pick<Shape>([[n], [m, n], [1, n], [m, 1], []])));
  }
  return node(gen, 'Gemm', inputs, attrs, [m, n]);
};

export const matMul: OnnxStep = (gen, x) => {
  const { c } = gen;
  const sh = x.shape;
  if (sh.length < 1 || sh.length > 3 || numel(sh) > BIG) return null;
  const kk = dim(sh, sh.length - 1);
  if (sh.length === 2 && c.int(0, 2) === 0) {
    const m = c.int(1, 4);
    return node(gen, 'MatMul', [gen.weight([m, dim(sh, 0)]), x.name], {}, [m, dim(sh, 1)]);
  }
  if (c.int(0, 3) === 0) return node(gen, 'MatMul', [x.name, gen.weight([kk])], {}, sh.slice(0, -1));
  const n = c.int(1, 4);
  return node(gen, 'MatMul', [x.name, gen.weight([kk, n])], {}, [...sh.slice(0, -1), n]);
};

/** Another value of the graph whose shape broadcasts with x's, if any. */
function partnerFrom(gen: OnnxGen, x: Val, pool: readonly Val[]): Val | null {
  const fits = pool.filter(
    (v) =>
      v.name !== x.name &&
      v.shape.length > 0 &&
      broadcastShapes(v.shape, x.shape) !== null &&
      numel(broadcastShapes(v.shape, x.shape) ?? []) <= BIG,
  );
  return fits.length === 0 ? null : gen.c.pick(fits);
}

export const binary =
  (op: 'Add' | 'Sub' | 'Mul'): OnnxStep =>
  (gen, x, pool) => {
    const { c } = gen;
    if (numel(x.shape) > BIG) return null;
    const how = c.int(0, 5);
    const other = how === 0 ? x : how === 1 ? partnerFrom(gen, x, pool) : null;
    const w = other ?? weightVal(gen, broadcastPartner(c, x.shape));
    const [a, b] = c.bool() ? [x, w] : [w, x];
    return { name: gen.g.node(op, [a.name, b.name]), shape: broadcastShapes(a.shape, b.shape) ?? x.shape };
  };

function weightVal(gen: OnnxGen, shape: Shape, kind: 'any' | 'nonzero' = 'any'): Val {
  return { name: gen.weight(shape, kind), shape };
}

export const div: OnnxStep = (gen, x) => {
  if (numel(x.shape) > BIG) return null;
  const scalar = gen.c.int(0, 3) === 0;
  const d = scalar ? gen.scalar(gen.c.pick([2, -4, 0.5, 3])) : gen.weight(broadcastPartner(gen.c, x.shape), 'nonzero');
  return { name: gen.g.node('Div', [x.name, d]), shape: broadcastShapes(x.shape, gen.shapeOf(d)) ?? x.shape };
};

export const relu: OnnxStep = (gen, x) => node(gen, 'Relu', [x.name], {}, x.shape);

export const leakyRelu: OnnxStep = (gen, x) => {
  const alpha = gen.c.pick([0.01, 0.1, 0.2, 0.5, -0.25]);
  const attrs: Attrs = {};
  maybe(gen, attrs, 'alpha', { float: alpha }, alpha === 0.01);
  return node(gen, 'LeakyRelu', [x.name], attrs, x.shape);
};

export const clip: OnnxStep = (gen, x) => {
  const form = gen.c.int(0, 3);
  if (form === 0) return node(gen, 'Clip', [x.name, gen.scalar(0)], {}, x.shape);
  if (form === 1) return node(gen, 'Clip', gen.c.bool() ? [x.name] : [x.name, '', ''], {}, x.shape);
  return node(gen, 'Clip', [x.name, gen.scalar(0), gen.scalar(gen.c.pick([0.25, 0.5, 1, 6]))], {}, x.shape);
};

export const batchNormalization: OnnxStep = (gen, x) => {
  const sh = x.shape;
  if (sh.length < 2) return null;
  const ch = [dim(sh, 1)];
  const attrs: Attrs = {};
  const eps = gen.c.pick([1e-5, 1e-3, 0.1]);
  maybe(gen, attrs, 'epsilon', { float: eps }, eps === 1e-5);
  if (gen.c.int(0, 3) === 0) attrs['momentum'] = { float: 0.9 };
  if (gen.opset >= 14 && gen.c.int(0, 3) === 0) attrs['training_mode'] = 0;
  const params = [gen.weight(ch), gen.weight(ch), gen.weight(ch), gen.weight(ch, 'positive')];
  return node(gen, 'BatchNormalization', [x.name, ...params], attrs, sh);
};

export const concat: OnnxStep = (gen, x, values) => {
  const { c } = gen;
  const sh = x.shape;
  if (sh.length === 0 || numel(sh) > BIG / 2) return null;
  const axis = c.int(0, sh.length - 1);
  const fits = values.filter((v) => v.shape.length === sh.length && v.shape.every((d, i) => i === axis || d === sh[i]));
  const parts: Val[] = [x];
  const count = c.int(1, 2);
  for (let j = 0; j < count; j++) {
    const how = c.int(0, 2);
    if (how === 0) parts.push(c.pick(fits));
    else {
      const shape = sh.map((d, i) => (i === axis ? c.int(1, 2) : d));
      parts.push({ name: gen.weight(shape), shape });
    }
  }
  const ordered = c.shuffle(parts);
  const total = ordered.reduce((a, v) => a + dim(v.shape, axis), 0);
  const written = c.bool() ? axis : axis - sh.length;
  return node(
    gen,
    'Concat',
    ordered.map((v) => v.name),
    { axis: written },
    sh.map((d, i) => (i === axis ? total : d)),
  );
};

export const pad: OnnxStep = (gen, x) => {
  const { c } = gen;
  const sh = x.shape;
  if (sh.length === 0 || numel(sh) > BIG / 2) return null;
  const r = sh.length;
  const useAxes = gen.opset >= 18 && c.bool();
  const axes = useAxes ? c.shuffle(sh.map((_, i) => i)).slice(0, c.int(1, r)) : sh.map((_, i) => i);
  const begin = axes.map(() => c.int(0, 2));
  const end = axes.map(() => c.int(0, 1));
  const shape = [...sh];
  axes.forEach((a, j) => {
    shape[a] = dim(sh, a) + dim(begin, j) + dim(end, j);
  });
  const inputs = [x.name, gen.ints([...begin, ...end])];
  const value = c.int(0, 2) === 0 ? gen.scalar(c.pick([0.5, -1, 2])) : '';
  if (useAxes) inputs.push(value, gen.ints(axes.map((a) => (c.bool() ? a : a - r))));
  else if (value !== '') inputs.push(value);
  const attrs: Attrs = {};
  if (c.int(0, 3) === 0) attrs['mode'] = 'constant';
  return node(gen, 'Pad', inputs, attrs, shape);
};

export const reshape: OnnxStep = (gen, x) => {
  const { c } = gen;
  const sh = x.shape;
  let rest = numel(sh);
  const rank = c.int(1, 4);
  const dims: number[] = [];
  for (let i = 0; i < rank - 1; i++) {
    const f = c.pick(divisors(rest));
    dims.push(f);
    rest /= f;
  }
  dims.push(rest);
  const target = c.shuffle(dims);
  const written = target.map((d, i) => (d === sh[i] && c.int(0, 2) === 0 ? 0 : d));
  if (c.bool()) written[c.int(0, written.length - 1)] = -1;
  const attrs: Attrs = {};
  if (gen.opset >= 14 && c.int(0, 3) === 0) attrs['allowzero'] = 0;
  return node(gen, 'Reshape', [x.name, gen.ints(written)], attrs, target);
};

export const flatten: OnnxStep = (gen, x) => {
  const r = x.shape.length;
  const written = gen.c.int(0, 3) === 0 ? null : gen.c.int(-r, r);
  const axis = written === null ? 1 : written < 0 ? written + r : written;
  if (axis > r) return null;
  return node(gen, 'Flatten', [x.name], written === null ? {} : { axis: written }, [
    numel(x.shape.slice(0, axis)),
    numel(x.shape.slice(axis)),
  ]);
};

export const transpose: OnnxStep = (gen, x) => {
  if (gen.c.int(0, 3) === 0) return node(gen, 'Transpose', [x.name], {}, [...x.shape].reverse());
  const perm = gen.c.shuffle(x.shape.map((_, i) => i));
  return node(
    gen,
    'Transpose',
    [x.name],
    { perm },
    perm.map((p) => dim(x.shape, p)),
  );
};

/** Squeeze/Unsqueeze axes: an attribute before opset 13, an int64 input from 13. */
function withAxes(gen: OnnxGen, op: string, x: Val, axes: readonly number[] | null, shape: Shape): Val {
  if (axes === null) return node(gen, op, [x.name], {}, shape);
  if (gen.opset < 13) return node(gen, op, [x.name], { axes: [...axes] }, shape);
  return node(gen, op, [x.name, gen.ints(axes)], {}, shape);
}

export const squeeze: OnnxStep = (gen, x) => {
  const sh = x.shape;
  const ones = sh.flatMap((d, i) => (d === 1 ? [i] : []));
  if (gen.c.int(0, 3) === 0)
    return withAxes(
      gen,
      'Squeeze',
      x,
      null,
      sh.filter((d) => d !== 1),
    );
  if (ones.length === 0) return null;
  const axes = gen.c.shuffle(ones).slice(0, gen.c.int(1, ones.length));
  const written = axes.map((a) => (gen.c.bool() ? a : a - sh.length));
  return withAxes(
    gen,
    'Squeeze',
    x,
    written,
    sh.filter((_, i) => !axes.includes(i)),
  );
};

export const unsqueeze: OnnxStep = (gen, x) => {
  const sh = x.shape;
  if (sh.length > 4) return null;
  const count = gen.c.int(1, 2);
  const rank = sh.length + count;
  const axes = gen.c.shuffle(Array.from({ length: rank }, (_, i) => i)).slice(0, count);
  const shape: number[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : dim(sh, j++));
  return withAxes(
    gen,
    'Unsqueeze',
    x,
    axes.map((a) => (gen.c.bool() ? a : a - rank)),
    shape,
  );
};

export const identity: OnnxStep = (gen, x) => node(gen, 'Identity', [x.name], {}, x.shape);

export const dropout: OnnxStep = (gen, x) => {
  const { c } = gen;
  if (gen.opset < 12) return node(gen, 'Dropout', [x.name], c.bool() ? { ratio: { float: 0.3 } } : {}, x.shape);
  const inputs = [x.name];
  if (c.bool()) inputs.push(gen.scalar(0.25, true));
  if (c.int(0, 3) === 0) {
    if (inputs.length === 1) inputs.push('');
    inputs.push(gen.g.initializer(gen.name('train'), { dims: [], type: 'bool', values: [0] }));
  }
  return node(gen, 'Dropout', inputs, {}, x.shape);
};

/** Operators that may sit anywhere in a graph. */
export const ONNX_STEPS = {
  Conv: conv,
  ConvTranspose: convTranspose,
  Gemm: gemm,
  MatMul: matMul,
  Add: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  Div: div,
  Relu: relu,
  LeakyRelu: leakyRelu,
  Clip: clip,
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalAveragePool,
  BatchNormalization: batchNormalization,
  Concat: concat,
  Pad: pad,
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Identity: identity,
  Dropout: dropout,
} as const satisfies Record<string, OnnxStep>;

export type OnnxStepOp = keyof typeof ONNX_STEPS;
export const ONNX_STEP_OPS = Object.keys(ONNX_STEPS) as OnnxStepOp[];
