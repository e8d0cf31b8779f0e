/**
 * The linear layers of `cryptflow2-he` as the backend runs them (index.ts calls these; the HE
 * protocol is linear.ts and slots.ts, the packing packing.ts and layers.ts): which operand is the
 * server's (server-only values, held in the clear at P1), the HE part on P0's share plus P1's local
 * term, ConvTranspose through the zero-upsampled convolution, MatMul with the weights on either side,
 * Mul by a server-only tensor in slot packing, a node of server-only values computed by P1 alone, and
 * a Conv's bias. Rathee et al., CCS 2020, §6 (SCI_HE); proofs-notes/cryptflow2-he.md.
 */
import { bug, CryptflowError } from '../../spec/errors.js';
import { numel } from '../../spec/geometry.js';
import type { LConv, LConvTranspose, LNode } from '../../ir/llil.js';
import type { RingKernels } from '../../semantics/kernels/types.js';
import type { Held } from '../common/backend.js';
import { apply, withoutBias } from '../common/local-ops.js';
import { peerOf, type PartyContext } from '../common/party.js';
import { addP, fieldToRing, negP, ringToField, sampleP, type PrimeField } from './field.js';
import { heLinearClient, heLinearServer } from './linear.js';
import { bilinearP, fieldShare, type ServerClear } from './local.js';
import { convShape, matmulShape, transpose2, transposedAsConv } from './layers.js';
import { planTiles, type ConvShape } from './packing.js';
import type { HeSession } from './session.js';
import { heSlotsClient, heSlotsServer } from './slots.js';

export const unsupported = (what: string): never => {
  throw new CryptflowError('unsupported', `cryptflow2-he: ${what}`);
};

export interface ProductDeps {
  readonly F: PrimeField;
  readonly k: RingKernels;
  readonly clear: ServerClear;
  /** This party's HE session (opened on first use). */
  session(ctx: PartyContext): Promise<HeSession>;
  /** P0: the noise budget (bits) left in each response it decrypts. */
  readonly onNoiseBudget?: (node: string, bits: number) => void;
}

export interface Products {
  serverOnly(ctx: PartyContext, node: LNode, operands: readonly Held[]): Held;
  conv(ctx: PartyContext, node: LConv, x: Held, w: Held): Promise<BigUint64Array>;
  convTranspose(ctx: PartyContext, node: LConvTranspose, x: Held, w: Held): Promise<BigUint64Array>;
  /** MatMul and Mul. */
  matmul(ctx: PartyContext, node: LNode, a: Held, b: Held): Promise<BigUint64Array>;
  addBias(ctx: PartyContext, node: LConv | LConvTranspose, y: BigUint64Array, bias: Held): BigUint64Array;
}

export function heProducts(d: ProductDeps): Products {
  const { F, k, clear, session } = d;
  /** A share or a public operand's field value (a party multiplies its share by all of a public value). */
  const valueOf = (ctx: PartyContext, h: Held): BigUint64Array =>
    h.kind === 'secret' ? h.share : ringToField(F, ctx.ell, h.data, 'a public operand');

  /**
   * A node whose secret operands are all server-only: P1 computes it in the clear (the ring semantics on
   * the clear values), and the result is shared by a zero-sharing from the P0–P1 PRG — no message.
   */
  function serverOnly(ctx: PartyContext, node: LNode, operands: readonly Held[]): Held {
    const r = sampleP(F, ctx.shared(peerOf(ctx.id === 0 ? 0 : 1)), numel(node.type.shape));
    if (ctx.id === 0) return clear.mark(node.type.shape, negP(F, r), null);
    const ring = operands.map((h) => ({
      shape: h.shape,
      data: h.kind === 'public' ? h.data : fieldToRing(F, ctx.ell, clear.value(h)),
    }));
    const v = ringToField(
      F,
      ctx.ell,
      apply(ctx.ell, k, node, ring).data,
      `'${node.out}' (computed from the server's inputs)`,
    );
    return clear.mark(node.type.shape, addP(F, v, r), v);
  }

  /**
   * The HE part of y = node(x, w) for x shared and w server-only: shares of node(x0, w) (P0 passes x0,
   * P1 passes w in the clear); P1 adds its local node(x1, w) (`local`, run at P1 only).
   */
  async function heProduct(
    ctx: PartyContext,
    node: LNode,
    shape: ConvShape,
    x: BigUint64Array,
    w: BigUint64Array,
    local: () => BigUint64Array,
  ): Promise<BigUint64Array> {
    const tiles = planTiles(shape);
    const plans = tiles.map((t) => t.plan);
    const he = await session(ctx);
    const parts =
      he.role === 'client'
        ? await heLinearClient(
            ctx,
            he,
            plans,
            tiles.map((t) => t.slice(x)),
            (bits) => d.onNoiseBudget?.(node.out, bits),
          )
        : await heLinearServer(
            ctx,
            he,
            plans,
            plans.map(() => w),
          );
    const y = new BigUint64Array(numel([shape.batch, shape.groups * shape.mg, ...shape.output]));
    tiles.forEach((t, i) => t.place(parts[i] ?? bug('a tile without its output'), y));
    return he.role === 'client' ? y : addP(F, y, local());
  }

  /** P1's clear value of a server-only operand; P0 has none (an empty array). */
  const clearAt1 = (ctx: PartyContext, h: Held): BigUint64Array =>
    ctx.id === 1 ? clear.value(h) : new BigUint64Array(0);

  async function conv(ctx: PartyContext, node: LConv, x: Held, w: Held): Promise<BigUint64Array> {
    const bare = withoutBias(node);
    const mul = (a: BigUint64Array, b: BigUint64Array): BigUint64Array =>
      bilinearP(F, k, bare, { shape: x.shape, data: a }, { shape: w.shape, data: b });
    if (x.kind === 'public' || w.kind === 'public') return mul(valueOf(ctx, x), valueOf(ctx, w));
    if (!clear.has(w)) return unsupported('a convolution whose filter is not computed from the server’s inputs alone');
    const W = clearAt1(ctx, w);
    return heProduct(ctx, node, convShape(node, x.shape, w.shape), x.share, W, () => mul(x.share, W));
  }

  async function convTranspose(ctx: PartyContext, node: LConvTranspose, x: Held, w: Held): Promise<BigUint64Array> {
    const bare = withoutBias(node);
    const mul = (a: BigUint64Array, b: BigUint64Array): BigUint64Array =>
      bilinearP(F, k, bare, { shape: x.shape, data: a }, { shape: w.shape, data: b });
    if (x.kind === 'public' || w.kind === 'public') return mul(valueOf(ctx, x), valueOf(ctx, w));
    if (!clear.has(w))
      return unsupported('a transposed convolution whose filter is not computed from the server’s inputs alone');
    const W = clearAt1(ctx, w);
    const t = transposedAsConv(node, x.shape, w.shape, node.type.shape);
    const zero = (): BigUint64Array =>
      new BigUint64Array(numel([t.shape.batch, t.shape.groups * t.shape.mg, ...t.shape.output]));
    const y = t.crop(await heProduct(ctx, node, t.shape, t.upsample(x.share), ctx.id === 1 ? t.flip(W) : W, zero));
    return ctx.id === 1 ? addP(F, y, mul(x.share, W)) : y;
  }

  async function matmul(ctx: PartyContext, node: LNode, a: Held, b: Held): Promise<BigUint64Array> {
    const mul = (u: BigUint64Array, v: BigUint64Array): BigUint64Array =>
      bilinearP(F, k, node, { shape: a.shape, data: u }, { shape: b.shape, data: v });
    if (a.kind === 'public' || b.kind === 'public') return mul(valueOf(ctx, a), valueOf(ctx, b));
    if (node.op === 'Mul') {
      const [x, w] = clear.has(b) ? [a, b] : clear.has(a) ? [b, a] : [null, null];
      if (x === null || w === null || x.kind !== 'secret')
        return unsupported(
          'an elementwise product of two secrets neither of which is computed from the server’s inputs alone',
        );
      const W = clearAt1(ctx, w);
      const ones = (h: Held): BigUint64Array => new BigUint64Array(numel(h.shape)).fill(1n);
      const spread = (u: BigUint64Array, v: BigUint64Array): BigUint64Array =>
        apply(64, k, node, [
          { shape: a.shape, data: u },
          { shape: b.shape, data: v },
        ]).data;
      const x0 = x === a ? spread(x.share, ones(b)) : spread(ones(a), x.share);
      const he = await session(ctx);
      if (he.role === 'client') return heSlotsClient(ctx, he, x0, (bits) => d.onNoiseBudget?.(node.out, bits));
      const Wb = w === b ? spread(ones(a), W) : spread(W, ones(b));
      return addP(F, await heSlotsServer(ctx, he, Wb), w === b ? mul(a.share, W) : mul(W, b.share));
    }
    const [m, kk, n] = [a.shape[0] ?? 0, a.shape[1] ?? 0, b.shape[1] ?? 0];
    if (clear.has(b)) {
      const W = clearAt1(ctx, b);
      return heProduct(ctx, node, matmulShape(m, kk, n), a.share, ctx.id === 1 ? transpose2(W, kk, n) : W, () =>
        mul(a.share, W),
      );
    }
    if (clear.has(a)) {
      const W = clearAt1(ctx, a);
      const yT = await heProduct(
        ctx,
        node,
        matmulShape(n, kk, m),
        ctx.id === 0 ? transpose2(b.share, kk, n) : W,
        W,
        () => transpose2(mul(W, b.share), m, n),
      );
      return transpose2(yT, n, m);
    }
    return unsupported('a product of two secrets neither of which is computed from the server’s inputs alone');
  }

  /** y plus a Conv's bias (shared or public: each party adds its share of it). */
  const addBias = (ctx: PartyContext, node: LConv | LConvTranspose, y: BigUint64Array, bias: Held): BigUint64Array =>
    apply(64, k, { op: 'BiasAdd', out: node.out, x: 'y', b: 'b', type: node.type }, [
      { shape: node.type.shape, data: y },
      { shape: bias.shape, data: fieldShare(ctx, F, bias) },
    ]).data.map((v) => v % F.p);
  return { serverOnly, conv, convTranspose, matmul, addBias };
}
