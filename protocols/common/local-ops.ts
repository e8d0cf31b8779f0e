/**
 * The party-local handling of LLIL nodes that every secret-sharing backend shares (the SecureNN
 * family in three-party.ts, CrypTFlow2 in protocols/cryptflow2/): applying a node to shares as
 * fixedSem does, lifting public operands into the sharing, the affine layout and arithmetic nodes,
 * a Conv bias, the full-size pooling windows and the ArgMax rows, and the public divisors of the
 * average pools. None of it talks.
 *
 * - Affine nodes (Add, Sub, BiasAdd, Concat, Reshape, Flatten, Transpose, Squeeze, ScaleUp): a public
 *   operand is lifted to the sharing (P0 holds it, P1 holds 0), then P0 and P1 apply the node to their
 *   shares; Pad pads P1's share with 0 so the pad value is added once. P2 (3-party runs) only tracks
 *   the shape.
 * - MaxPool windows that padding cuts short are filled up by repeating one of their cells (max is
 *   idempotent), so every window has the full k cells.
 */
import { bug } from '../../spec/errors.js';
import { numel, type Shape } from '../../spec/geometry.js';
import type { LConv, LConvTranspose, LNode } from '../../ir/llil.js';
import { operandsOf } from '../../ir/traverse.js';
import { fixedNode } from '../../semantics/fixed.js';
import { forEachWindow, poolPlan } from '../../semantics/kernels/geometry.js';
import { poolWindowCounts } from '../../semantics/kernels/index.js';
import type { RingKernels, RingTensor } from '../../semantics/kernels/types.js';
import { globalPoolCount, globalPoolGeometry } from '../../semantics/tensor.js';
import type { Held } from './backend.js';
import { roleOf, type PartyContext } from './party.js';
import { asPublic, asShare, publicShare, type RingShare } from './sharing.js';

export type Share = { readonly shape: Shape; readonly share: RingShare };

/** A party's shares of an operand (a public one lifted: P0 holds it, P1 0; P2 an empty array). */
export function sharesOf(ctx: PartyContext, h: Held): Share {
  if (h.kind === 'secret') return h;
  const role = roleOf(ctx);
  return {
    shape: h.shape,
    share: role.role === 'helper' ? asShare(new BigUint64Array(0)) : publicShare(role.ctx, asPublic(h.data)),
  };
}

/** A protocol's (or a local computation's) output vector as this party's share of a secret of this shape. */
export function secret(shape: Shape, share: BigUint64Array): Held {
  return { kind: 'secret', shape, share: asShare(share) };
}

/** Apply a node to tensors (shares or public values), as fixedSem does. */
export function apply(ell: number, k: RingKernels, node: LNode, ts: readonly RingTensor[]): RingTensor {
  const env = new Map(operandsOf(node).map((n, i) => [n, ts[i] ?? bug(`node '${node.out}' lacks operand ${i}`)]));
  return fixedNode(ell, k, node, env);
}

/** Apply a node to each party's views of its operands (shares and public values). P2 gets an empty share. */
export function applyLocally(ctx: PartyContext, k: RingKernels, node: LNode, ts: readonly Held[]): Held {
  if (ctx.id === 2) return secret(node.type.shape, new BigUint64Array(0));
  const t = apply(
    ctx.ell,
    k,
    node,
    ts.map((h) => (h.kind === 'public' ? { shape: h.shape, data: h.data } : { shape: h.shape, data: h.share })),
  );
  return secret(t.shape, t.data);
}

/** The local affine nodes: Add … ScaleUp with public operands lifted; Pad with P1 padding 0. */
export function affineLocally(ctx: PartyContext, k: RingKernels, node: LNode, operands: readonly Held[]): Held {
  if (node.op === 'Pad') return applyLocally(ctx, k, ctx.id === 1 ? { ...node, value: 0n } : node, operands);
  return applyLocally(
    ctx,
    k,
    node,
    operands.map((h) => ({ kind: 'secret', ...sharesOf(ctx, h) })),
  );
}

export function withoutBias(node: LConv | LConvTranspose): LConv | LConvTranspose {
  const { b: _b, ...rest } = node;
  return rest;
}

/** Add a (shared or lifted) Conv bias to shares y. */
export function addBias(ctx: PartyContext, k: RingKernels, node: LConv | LConvTranspose, y: Held, bias: Held): Held {
  const b = sharesOf(ctx, bias);
  if (ctx.id === 2 || y.kind !== 'secret') return y;
  const biased = apply(ctx.ell, k, { op: 'BiasAdd', out: node.out, x: 'y', b: 'b', type: node.type }, [
    { shape: y.shape, data: y.share },
    { shape: b.shape, data: b.share },
  ]);
  return secret(node.type.shape, biased.data);
}

/** Index lists of full-size windows (short windows filled by repeating their first cell). */
export function poolWindows(
  shape: Shape,
  kernel: readonly number[],
  strides: readonly number[],
  pads: readonly number[],
): { windows: Int32Array; r: number; k: number } {
  const plan = poolPlan(shape, { kernel, strides, pads });
  const k = numel(kernel);
  const r = numel(plan.outShape);
  const windows = new Int32Array(r * k);
  forEachWindow(plan, (o, cells) => {
    for (let j = 0; j < k; j++) windows[o * k + j] = cells[j < cells.length ? j : 0] ?? bug('empty pooling window');
  });
  return { windows, r, k };
}

/** Rows of the ArgMax axis as an r × c gather of x. */
export function argmaxRows(shape: Shape, axis: number): { idx: Int32Array; r: number; c: number } {
  const c = shape[axis] ?? bug('ArgMax axis');
  const outer = numel(shape.slice(0, axis));
  const inner = numel(shape.slice(axis + 1));
  const idx = new Int32Array(outer * inner * c);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) for (let t = 0; t < c; t++) idx[(o * inner + i) * c + t] = (o * c + t) * inner + i;
  return { idx, r: outer * inner, c };
}

/** Local window sums of an average pool and the public count each is divided by. */
export function poolSums(
  ell: number,
  k: RingKernels,
  node: Extract<LNode, { op: 'AvgPool' | 'GlobalAvgPool' }>,
  x: Share,
): { sums: BigUint64Array; counts: ArrayLike<number> } {
  const g = node.op === 'AvgPool' ? node : globalPoolGeometry(x.shape);
  const sums = k.sumPool(ell, { shape: x.shape, data: x.share }, g);
  return { sums: sums.data, counts: poolCounts(node, x.shape, sums.data.length) };
}

/** The public count each of the n window sums of an average pool over an input of shape xShape is divided by. */
export function poolCounts(
  node: Extract<LNode, { op: 'AvgPool' | 'GlobalAvgPool' }>,
  xShape: Shape,
  n: number,
): ArrayLike<number> {
  if (node.op === 'GlobalAvgPool') return new Array<number>(n).fill(globalPoolCount(xShape));
  return node.countIncludePad ? new Array<number>(n).fill(numel(node.kernel)) : poolWindowCounts(xShape, node);
}
