/**
 * Random well-typed steps shared by the HLIL and LLIL program arbitraries: each step appends one
 * operator (and the weights it needs) to a builder, reading an existing value x, with attributes
 * drawn from a choice sequence so that the node is valid for x's shape. A step returns null when the
 * operator does not apply to x (e.g. Conv on a matrix). Shapes stay small (dimensions ≤ ~6).
 */
import { numel, type Shape } from '../../spec/geometry.js';
import type { CommonOps } from '../../ir/builder.js';
import type { Choices } from './choices.js';

/** What a step needs from a builder, for either IR. */
export interface Sink {
  readonly ops: CommonOps;
  shapeOf(v: string): Shape;
  /** A fresh weight of this shape: a server input or a public constant ('const' forces a constant). */
  weight(c: Choices, shape: Shape, kind?: 'any' | 'const' | 'nonzero' | 'positive'): string;
  /** A fresh bias for a product (Conv/ConvTranspose): in LLIL at the product's scale. */
  productBias(c: Choices, shape: Shape): string;
  pad(x: string, pads: readonly number[], c: Choices): string;
  /** Bring a step's result back to the program's working scale (identity for HLIL). */
  normalize(v: string): string;
}

export type Step = (c: Choices, s: Sink, x: string) => string | null;

/** Values with more elements than this are not grown further. */
const BIG = 256;

function spatial(c: Choices, shape: Shape, withDilation: boolean) {
  const k = shape.length - 2;
  const strides: number[] = [],
    dilations: number[] = [],
    kernel: number[] = [];
  const pb: number[] = [],
    pe: number[] = [];
  for (let i = 0; i < k; i++) {
    const inp = shape[i + 2] ?? 1;
    const b = c.int(0, 1),
      e = c.int(0, 1),
      d = withDilation ? c.int(1, 2) : 1;
    const kmax = Math.floor((inp + b + e - 1) / d) + 1;
    strides.push(c.int(1, 2));
    dilations.push(d);
    kernel.push(c.int(1, Math.min(3, kmax)));
    pb.push(b);
    pe.push(e);
  }
  return { strides, dilations, kernel, pads: [...pb, ...pe] };
}

function divisors(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
}

const convLike = (s: Sink, x: string): Shape | null => {
  const sh = s.shapeOf(x);
  return sh.length >= 3 && sh.length <= 5 && numel(sh) <= BIG ? sh : null;
};

export const conv: Step = (c, s, x) => {
  const sh = convLike(s, x);
  if (sh === null) return null;
  const ch = sh[1] ?? 1,
    groups = c.pick(divisors(ch)),
    co = groups * c.int(1, 2);
  const g = spatial(c, sh, true);
  const w = s.weight(c, [co, ch / groups, ...g.kernel]);
  const b = c.bool() ? { b: s.productBias(c, [co]) } : {};
  const out = s.ops.conv(x, w, { ...b, strides: g.strides, pads: g.pads, dilations: g.dilations, groups });
  return s.normalize(out);
};

export const convTranspose: Step = (c, s, x) => {
  const sh = convLike(s, x);
  if (sh === null || numel(sh) > 128) return null;
  const ch = sh[1] ?? 1,
    groups = c.pick(divisors(ch)),
    co = groups * c.int(1, 2);
  const k = sh.length - 2;
  const kernel = Array.from({ length: k }, () => c.int(1, 2));
  const strides = kernel.map(() => c.int(1, 2)),
    dilations = kernel.map(() => c.int(1, 2));
  const outputPadding = kernel.map((_, i) => c.int(0, Math.max(strides[i] ?? 1, dilations[i] ?? 1) - 1));
  const base = kernel.map(
    (kk, i) =>
      (strides[i] ?? 1) * ((sh[i + 2] ?? 1) - 1) + (outputPadding[i] ?? 0) + (dilations[i] ?? 1) * (kk - 1) + 1,
  );
  const pads = [...base.map((e) => (e >= 2 && c.int(0, 2) === 0 ? 1 : 0)), ...base.map(() => 0)];
  const w = s.weight(c, [ch, co / groups, ...kernel]);
  const b = c.bool() ? { b: s.productBias(c, [co]) } : {};
  return s.normalize(s.ops.convTranspose(x, w, { ...b, strides, pads, dilations, groups, outputPadding }));
};

export const matmul: Step = (c, s, x) => {
  const sh = s.shapeOf(x);
  if (sh.length !== 2) return null;
  return s.normalize(s.ops.matmul(x, s.weight(c, [sh[1] ?? 1, c.int(1, 4)])));
};

/** A shape broadcasting with `sh`: dims kept, set to 1, or (where sh has 1) widened; leading dims dropped. */
export function broadcastPartner(c: Choices, sh: Shape): number[] {
  const dims = sh.map((d) => (d === 1 ? (c.int(0, 3) === 0 ? c.int(1, 3) : 1) : c.bool() ? d : 1));
  return dims.slice(c.int(0, dims.length));
}

export const binary =
  (op: 'add' | 'sub' | 'mul'): Step =>
  (c, s, x) => {
    const sh = s.shapeOf(x);
    if (numel(sh) > BIG) return null;
    const w = c.int(0, 4) === 0 ? x : s.weight(c, broadcastPartner(c, sh));
    return s.normalize(c.bool() ? s.ops[op](x, w) : s.ops[op](w, x));
  };

export const biasAdd: Step = (c, s, x) => {
  const sh = s.shapeOf(x);
  return sh.length < 2 ? null : s.ops.biasAdd(x, s.weight(c, [sh[1] ?? 1]));
};

export const relu: Step = (_c, s, x) => s.ops.relu(x);

function poolAttrs(c: Choices, sh: Shape) {
  const k = sh.length - 2;
  const kernel = Array.from({ length: k }, (_, i) => c.int(1, Math.min(3, sh[i + 2] ?? 1)));
  const pads = [...kernel, ...kernel].map((kk) => c.int(0, Math.min(1, kk - 1)));
  return { kernel, strides: kernel.map(() => c.int(1, 2)), pads };
}

export const maxPool: Step = (c, s, x) => {
  const sh = convLike(s, x);
  return sh === null ? null : s.ops.maxPool(x, poolAttrs(c, sh));
};

export const avgPool: Step = (c, s, x) => {
  const sh = convLike(s, x);
  return sh === null ? null : s.ops.avgPool(x, { ...poolAttrs(c, sh), countIncludePad: c.bool() });
};

export const globalAvgPool: Step = (_c, s, x) => (s.shapeOf(x).length >= 3 ? s.ops.globalAvgPool(x) : null);

export const concat: Step = (c, s, x) => {
  const sh = s.shapeOf(x);
  if (sh.length === 0 || numel(sh) > BIG) return null;
  const axis = c.int(0, sh.length - 1);
  const others = Array.from({ length: c.int(1, 2) }, () =>
    c.int(0, 3) === 0
      ? x
      : s.normalize(
          s.weight(
            c,
            sh.map((d, i) => (i === axis ? c.int(1, 3) : d)),
          ),
        ),
  );
  return s.ops.concat(c.shuffle([x, ...others]), axis);
};

export const pad: Step = (c, s, x) => {
  const sh = s.shapeOf(x);
  if (numel(sh) > BIG) return null;
  return s.pad(
    x,
    [...sh, ...sh].map(() => (c.int(0, 2) === 0 ? 1 : 0)),
    c,
  );
};

function primeFactors(n: number): number[] {
  const out: number[] = [];
  for (let p = 2; n > 1; p++)
    while (n % p === 0) {
      out.push(p);
      n /= p;
    }
  return out;
}

export const reshape: Step = (c, s, x) => {
  const factors = c.shuffle(primeFactors(numel(s.shapeOf(x))));
  const rank = c.int(1, 4);
  const dims = new Array<number>(rank).fill(1);
  for (const f of factors) {
    const i = c.int(0, rank - 1);
    dims[i] = (dims[i] ?? 1) * f;
  }
  return s.ops.reshape(x, dims);
};

export const flatten: Step = (c, s, x) => s.ops.flatten(x, c.int(0, s.shapeOf(x).length));

export const transpose: Step = (c, s, x) => s.ops.transpose(x, c.shuffle(s.shapeOf(x).map((_, i) => i)));

export const squeeze: Step = (c, s, x) => {
  const ones = s.shapeOf(x).flatMap((d, i) => (d === 1 ? [i] : []));
  if (ones.length === 0) return null;
  const axes = c.shuffle(ones).slice(0, c.int(1, ones.length));
  return s.ops.squeeze(x, axes);
};

export const argmax: Step = (c, s, x) => {
  const sh = s.shapeOf(x);
  if (sh.length === 0) return null;
  return s.normalize(s.ops.argmax(x, c.int(0, sh.length - 1), c.bool()));
};
