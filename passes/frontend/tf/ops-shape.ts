/**
 * The data-movement TF operators → HLIL (axes and paddings are Const operands read as attributes):
 *
 *   Identity, StopGradient     → nothing (the value passes through)
 *   Pad, PadV2                 → Pad (paddings [r, 2] permuted to the value's layout; PadV2's
 *                                 constant_values is a public pad value)
 *   ConcatV2, Concat           → Concat (channels-first when an input already is, axis mapped)
 *   Reshape                    → Reshape in TF layout (one −1 inferred from the known input shape)
 *   Squeeze                    → Squeeze; squeezing spatial axes of a channels-first value stays
 *                                 channels-first ([N, C, 1, 1] → [N, C] needs no Transpose)
 *   ArgMax                     → ArgMax, keepdims false (over the channel axis straight from the
 *                                 channels-first value; of a Softmax, over the logits)
 *   Softmax                    → Softmax over the last axis, emitted only as a graph output
 */
import { numel, showShape } from '../../../spec/geometry.js';
import { attrInts, refuse, requireFloat, shapeError, type At } from './attrs.js';
import { cfAxis, toCf } from './layout.js';
import {
  arg,
  cfOf,
  constant,
  constInts,
  emit,
  prefersCf,
  rankOf,
  tfOf,
  tfShape,
  type Ctx,
  type OpRule,
  type Val,
} from './values.js';

function axisOf(at: At, a: number, rank: number, role: string): number {
  const n = a < 0 ? a + rank : a;
  if (!Number.isSafeInteger(n) || n < 0 || n >= rank)
    throw shapeError(at, `${role} ${a} is out of range for rank ${rank}`);
  return n;
}

const identity: OpRule = { arity: [1, 1], run: (_ctx, _at, ins) => arg(ins, 0) };

function pad(withValue: boolean): OpRule {
  return {
    arity: withValue ? [3, 3] : [2, 2],
    run: (ctx, at, ins) => {
      requireFloat(at);
      const xv = arg(ins, 0);
      const r = rankOf(xv);
      const p = constInts(at, arg(ins, 1), 'paddings');
      if (p.length !== 2 * r)
        throw shapeError(
          at,
          `paddings has ${p.length} entries, expected [${r}, 2] for input ${showShape(tfShape(ctx, xv))}`,
        );
      if (p.some((v) => v < 0)) throw refuse(at, 'negative paddings (cropping); only paddings ≥ 0 are supported');
      let value = 0;
      if (withValue) {
        const c = constant(at, arg(ins, 2), 'constant_values');
        if (c.kind !== 'float' || c.data.length !== 1)
          throw refuse(at, 'constant_values must be a float32 scalar Const');
        value = c.data[0] ?? 0;
      }
      const cf = r >= 3 && prefersCf(xv);
      const axes = cf ? toCf(r) : Array.from({ length: r }, (_, i) => i);
      const pads = [...axes.map((a) => p[2 * a] ?? 0), ...axes.map((a) => p[2 * a + 1] ?? 0)];
      const x = cf ? cfOf(ctx, at, xv) : tfOf(ctx, at, xv);
      return emit(ctx, at.node.name, cf ? 'cf' : 'tf', { op: 'Pad', x, pads, value }, r);
    },
  };
}

function concatOf(ctx: Ctx, at: At, xs: readonly Val[], axisVal: Val): Val {
  requireFloat(at);
  const first = xs[0];
  if (first === undefined) throw refuse(at, 'no tensors to concatenate');
  const r = rankOf(first);
  const ax = constInts(at, axisVal, 'axis');
  if (ax.length !== 1) throw shapeError(at, `axis must be a scalar, has ${ax.length} entries`);
  const a = axisOf(at, ax[0] ?? 0, r, 'axis');
  const cf = r >= 3 && xs.some(prefersCf) && xs.every((v) => rankOf(v) === r);
  const names = xs.map((v) => (cf ? cfOf(ctx, at, v) : tfOf(ctx, at, v)));
  return emit(ctx, at.node.name, cf ? 'cf' : 'tf', { op: 'Concat', xs: names, axis: cf ? cfAxis(a, r) : a }, r);
}

const concatV2: OpRule = {
  arity: [2, Infinity],
  run: (ctx, at, ins) => concatOf(ctx, at, ins.slice(0, -1), arg(ins, ins.length - 1)),
};
const concatV1: OpRule = { arity: [2, Infinity], run: (ctx, at, ins) => concatOf(ctx, at, ins.slice(1), arg(ins, 0)) };

const reshape: OpRule = {
  arity: [2, 2],
  run: (ctx, at, ins) => {
    requireFloat(at);
    const xv = arg(ins, 0);
    const xs = tfShape(ctx, xv);
    const want = constInts(at, arg(ins, 1), 'shape');
    const unknown = want.filter((d) => d === -1).length;
    if (unknown > 1) throw refuse(at, `target shape [${want.join(',')}] has more than one −1`);
    if (want.some((d) => d === 0 || d < -1))
      throw refuse(
        at,
        `target shape [${want.join(',')}] has an extent 0 or below −1; only positive extents and one −1 are supported`,
      );
    const known = numel(want.filter((d) => d !== -1));
    const n = numel(xs);
    if (unknown === 1 ? n % known !== 0 : n !== known)
      throw shapeError(at, `cannot reshape ${showShape(xs)} (${n} elements) to [${want.join(',')}]`);
    const shape = want.map((d) => (d === -1 ? n / known : d));
    return emit(ctx, at.node.name, 'tf', { op: 'Reshape', x: tfOf(ctx, at, xv), shape }, shape.length);
  },
};

const squeeze: OpRule = {
  arity: [1, 1],
  run: (ctx, at, ins) => {
    requireFloat(at);
    const xv = arg(ins, 0);
    const xs = tfShape(ctx, xv);
    const r = xs.length;
    const given = attrInts(at, 'squeeze_dims', []);
    const axes =
      given.length === 0
        ? xs.flatMap((d, i) => (d === 1 ? [i] : []))
        : [...new Set(given.map((a) => axisOf(at, a, r, 'squeeze_dims')))];
    if (axes.length === 0) return xv;
    const bad = axes.find((a) => xs[a] !== 1);
    if (bad !== undefined)
      throw shapeError(at, `cannot squeeze axis ${bad} of ${showShape(xs)} (extent ${xs[bad] ?? 0})`);
    const out = r - axes.length;
    if (prefersCf(xv) && axes.every((a) => a !== 0 && a !== r - 1)) {
      return emit(
        ctx,
        at.node.name,
        out >= 3 ? 'cf' : 'tf',
        { op: 'Squeeze', x: cfOf(ctx, at, xv), axes: axes.map((a) => cfAxis(a, r)) },
        out,
      );
    }
    return emit(ctx, at.node.name, 'tf', { op: 'Squeeze', x: tfOf(ctx, at, xv), axes }, out);
  },
};

const argMax: OpRule = {
  arity: [2, 2],
  run: (ctx, at, ins) => {
    requireFloat(at);
    const xv = arg(ins, 0);
    const dims = constInts(at, arg(ins, 1), 'dimension');
    if (dims.length !== 1) throw shapeError(at, `dimension must be a scalar, has ${dims.length} entries`);
    const a = axisOf(at, dims[0] ?? 0, rankOf(xv), 'dimension');
    const src = xv.kind === 'softmax' && xv.axis === a ? xv.logits : xv;
    const r = rankOf(src);
    if (r >= 3 && a === r - 1 && prefersCf(src)) {
      return emit(ctx, at.node.name, 'tf', { op: 'ArgMax', x: cfOf(ctx, at, src), axis: 1, keepdims: false }, r - 1);
    }
    return emit(ctx, at.node.name, 'tf', { op: 'ArgMax', x: tfOf(ctx, at, src), axis: a, keepdims: false }, r - 1);
  },
};

const softmax: OpRule = {
  arity: [1, 1],
  run: (_ctx, at, ins) => {
    requireFloat(at);
    const v = arg(ins, 0);
    const r = rankOf(v);
    if (r < 1) throw shapeError(at, 'input is a scalar; Softmax needs rank ≥ 1');
    if (v.kind === 'softmax')
      throw refuse(
        at,
        `reads the Softmax result '${v.node}'; a Softmax may only feed graph outputs (or an ArgMax over its axis)`,
      );
    return { kind: 'softmax', node: at.node.name, logits: v, axis: r - 1 };
  },
};

export const shapeRules: Readonly<Record<string, OpRule>> = {
  Identity: identity,
  StopGradient: identity,
  Pad: pad(false),
  PadV2: pad(true),
  ConcatV2: concatV2,
  Concat: concatV1,
  Reshape: reshape,
  Squeeze: squeeze,
  ArgMax: argMax,
  Softmax: softmax,
};
