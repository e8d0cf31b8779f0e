/**
 * Overflow detection for LLIL: a sound interval analysis of the fixed-point semantics.
 *
 * Given an interval [lo, hi] ∋ signed(v) for the entries of each input, it computes for every value
 * an interval containing every entry of the INTEGER semantics (the same operators over Z, with
 * ScaleDown and averages as exact floors), and flags every value — and every pooling window sum —
 * whose interval leaves the signed range [−2^{ℓ−1}, 2^{ℓ−1} − 1].
 *
 * Soundness (proofs-notes/fixed-semantics.md): if nothing is flagged then, for all inputs within the
 * intervals, signed(fixedSem value) = the integer value, for every value of the program: each integer
 * result lies in the signed range, where reduction mod 2^ℓ followed by the signed view is the
 * identity; the ring operators are homomorphic images of the integer ones, and signed comparisons,
 * shifts and floors agree with the integer ones on in-range operands. Flagged means "may wrap".
 *
 * Rules (intervals; K the number of products summed per output cell, n the window size):
 *   Add, BiasAdd: a + b.  Sub: a − b.  Mul: hull of the endpoint products p.  MatMul: K·p.
 *   Conv: K = (CI/groups)·∏kernel, K·p (+ bias); ConvTranspose: the same K (an upper bound).
 *   ScaleDown k: ⌊·/2^k⌋ of the endpoints.  ScaleUp k: ·2^k.  Relu: clamp below at 0.
 *   AvgPool: window sum n·hull(x, 0) (checked), result hull(x, 0).  GlobalAvgPool: sum n·x (checked),
 *   result x.  ArgMax: [0, extent − 1].  Pad: hull(x, value).  Concat: hull of the operands.
 *   MaxPool and layout operators: x.
 */
import { assertNever } from '../../spec/errors.js';
import { numel } from '../../spec/geometry.js';
import { Ring } from '../../spec/ring.js';
import type { LNode, LProgram } from '../../ir/llil.js';

export interface Interval {
  readonly lo: bigint;
  readonly hi: bigint;
}

export interface OverflowFlag {
  /** The value (or `<value>:window-sum` for a pooling window sum). */
  readonly value: string;
  readonly op: LNode['op'];
  readonly range: Interval;
}

export interface OverflowReport {
  readonly ranges: ReadonlyMap<string, Interval>;
  readonly flags: readonly OverflowFlag[];
}

const iv = (lo: bigint, hi: bigint): Interval => ({ lo, hi });
const hull = (xs: readonly Interval[]): Interval => ({
  lo: xs.reduce((a, x) => (x.lo < a ? x.lo : a), xs[0]?.lo ?? 0n),
  hi: xs.reduce((a, x) => (x.hi > a ? x.hi : a), xs[0]?.hi ?? 0n),
});
const scaleBy = (k: bigint, x: Interval): Interval => iv(k * x.lo, k * x.hi);
const point = (v: bigint): Interval => iv(v, v);
const ZERO = point(0n);

function product(a: Interval, b: Interval): Interval {
  const ps = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi].map(point);
  return hull(ps);
}

function floorDiv(a: bigint, m: bigint): bigint {
  const q = a / m;
  return a % m !== 0n && a < 0n ? q - 1n : q;
}

/** The integer range of every value of `p`; inputs without a given interval get the whole signed range. */
export function overflowCheck(p: LProgram, inputRanges: ReadonlyMap<string, Interval>): OverflowReport {
  const ring = Ring(p.ell);
  const full = iv(ring.minSigned, ring.maxSigned);
  const ranges = new Map<string, Interval>();
  const flags: OverflowFlag[] = [];
  const shapes = new Map<string, readonly number[]>(p.decls.map((d) => [d.name, d.shape]));
  for (const d of p.decls) {
    ranges.set(
      d.name,
      d.kind === 'const' ? hull(Array.from(d.values, (v) => point(ring.signed(v)))) : (inputRanges.get(d.name) ?? full),
    );
  }
  const check = (value: string, op: LNode['op'], r: Interval): void => {
    if (r.lo < ring.minSigned || r.hi > ring.maxSigned) flags.push({ value, op, range: r });
  };
  const ctx: Ctx = {
    r: (n) => ranges.get(n) ?? full,
    shapeOf: (n) => shapes.get(n) ?? [],
    signed: (v) => ring.signed(v),
  };
  for (const node of p.nodes) {
    shapes.set(node.out, node.type.shape);
    const r = nodeRange(node, ctx, (v, sum) => check(v, node.op, sum));
    ranges.set(node.out, r);
    check(node.out, node.op, r);
  }
  return { ranges, flags };
}

interface Ctx {
  r(n: string): Interval;
  shapeOf(n: string): readonly number[];
  signed(v: bigint): bigint;
}

function nodeRange(node: LNode, c: Ctx, checkSum: (value: string, sum: Interval) => void): Interval {
  const r = c.r;
  switch (node.op) {
    case 'Add':
      return iv(r(node.a).lo + r(node.b).lo, r(node.a).hi + r(node.b).hi);
    case 'Sub':
      return iv(r(node.a).lo - r(node.b).hi, r(node.a).hi - r(node.b).lo);
    case 'BiasAdd':
      return iv(r(node.x).lo + r(node.b).lo, r(node.x).hi + r(node.b).hi);
    case 'Mul':
      return product(r(node.a), r(node.b));
    case 'MatMul':
      return scaleBy(BigInt(c.shapeOf(node.a)[1] ?? 0), product(r(node.a), r(node.b)));
    case 'Conv':
    case 'ConvTranspose': {
      const w = c.shapeOf(node.w);
      const cig = node.op === 'Conv' ? (w[1] ?? 0) : (w[0] ?? 0) / node.groups;
      const sum = scaleBy(BigInt(cig * numel(w.slice(2))), product(r(node.x), r(node.w)));
      const b = node.b === undefined ? ZERO : r(node.b);
      return iv(sum.lo + b.lo, sum.hi + b.hi);
    }
    case 'ScaleDown': {
      const m = 1n << BigInt(node.shift);
      return iv(floorDiv(r(node.x).lo, m), floorDiv(r(node.x).hi, m));
    }
    case 'ScaleUp':
      return scaleBy(1n << BigInt(node.shift), r(node.x));
    case 'AvgPool': {
      const x = hull([r(node.x), ZERO]);
      checkSum(`${node.out}:window-sum`, scaleBy(BigInt(numel(node.kernel)), x));
      return x;
    }
    case 'GlobalAvgPool':
      checkSum(`${node.out}:window-sum`, scaleBy(BigInt(numel(c.shapeOf(node.x).slice(2))), r(node.x)));
      return r(node.x);
    case 'ArgMax':
      return iv(0n, BigInt((c.shapeOf(node.x)[node.axis] ?? 1) - 1));
    case 'Pad':
      return hull([r(node.x), point(c.signed(node.value))]);
    case 'Concat':
      return hull(node.xs.map(r));
    case 'Relu': {
      const x = r(node.x);
      return iv(x.lo < 0n ? 0n : x.lo, x.hi < 0n ? 0n : x.hi);
    }
    case 'MaxPool':
    case 'Reshape':
    case 'Flatten':
    case 'Transpose':
    case 'Squeeze':
      return r(node.x);
    default:
      return assertNever(node, 'LLIL operator');
  }
}
