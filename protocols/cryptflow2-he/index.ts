/**
 * `cryptflow2-he`: CrypTFlow2's HE variant (Rathee et al., CCS 2020, §6, "SCI_HE"), the
 * configuration of the chest X-ray study — two parties, P0 the client (input, BFV keys) and P1 the
 * server (weights in the clear), every secret additively shared over Z_p, p = 2^41 − 65535.
 *
 * Per LLIL node (costs in spec/cost/cryptflow2-he.ts):
 * - every operand public: computed in the clear on the ring, 0 bytes;
 * - every secret operand server-only (the server's inputs, and what is computed from them and public
 *   values alone: e.g. a transposed weight matrix): P1 computes the node in the clear and the result
 *   is shared by a zero-sharing from the P0–P1 PRG, 0 bytes;
 * - affine layout and arithmetic nodes: local over Z_p (local.ts);
 * - Conv, ConvTranspose, MatMul with a server-only filter or matrix: the HE layer (linear.ts,
 *   packing.ts; ConvTranspose as the zero-upsampled convolution, layers.ts) on P0's share plus P1's
 *   local product with its own share; Mul by a server-only tensor (a BatchNorm scale): the same in
 *   slot packing (slots.ts); a public operand: local; any other secret × secret product:
 *   'unsupported';
 * - Relu: DReLU_p + MUX_p; MaxPool, ArgMax: comparison trees (exact for values in (−p/4, p/4));
 * - ScaleDown, AvgPool, GlobalAvgPool: exact division by the public constant (division.ts).
 * The ring program's values must stay within ±(p − 1)/2 (and MaxPool/ArgMax operands within p/4) for
 * the field's results to equal the ring semantics (`domain`; proofs-notes/cryptflow2-he.md).
 * The OT channel and the HE session of each party are opened on first use and kept per PartyContext.
 */
import { assertNever, bug, CryptflowError } from '../../spec/errors.js';
import { numel } from '../../spec/geometry.js';
import { FREE, type Cost } from '../../spec/cost/types.js';
import { costOf } from '../../spec/cost/nonlinear.js';
import { otLayerCosts, type OtCostModel } from '../../spec/cost/cryptflow2.js';
import {
  argmaxPSchedule,
  dividePSchedule,
  heLinearSchedule,
  hePacking,
  heSlotLayout,
  maxPoolPSchedule,
  reluPSchedule,
  truncPSchedule,
} from '../../spec/cost/cryptflow2-he.js';
import type { LConv, LConvTranspose, LNode } from '../../ir/llil.js';
import { kernels as ringKernels } from '../../semantics/kernels/index.js';
import { gather } from '../../semantics/kernels/words.js';
import type { Backend, BackendClaims, Held, OperandType } from '../common/backend.js';
import { apply, argmaxRows, poolCounts, poolSums, poolWindows, withoutBias } from '../common/local-ops.js';
import { asShare } from '../common/sharing.js';
import { peerOf, type PartyContext } from '../common/party.js';
import type { OtChannel } from '../ot/types.js';
import { openOtChannel } from '../ot/channel.js';
import { divideP, truncateP } from './division.js';
import { addP, FIELD41, fieldToRing, negP, ringToField, sampleP } from './field.js';
import { heLinearClient, heLinearServer } from './linear.js';
import { affineP, bilinearP, fieldSecret, fieldShare, ServerClear } from './local.js';
import { argmaxP, maxPoolP, reluP } from './nonlinear.js';
import { convShape, matmulShape, transpose2, transposedAsConv } from './layers.js';
import { planTiles, type ConvShape } from './packing.js';
import { heSlotsClient, heSlotsServer } from './slots.js';
import { openHe, type HeSession } from './session.js';
import { fieldSharing } from './sharing.js';

export interface Cryptflow2HeOptions {
  readonly kernels?: 'reference' | 'wasm';
  /** The OT channel of each party (default: the OT layer's openOtChannel, protocols/ot/). */
  readonly openOt?: (ctx: PartyContext, peer: 0 | 1) => OtChannel | Promise<OtChannel>;
  /** Closed-form costs of the OT batches (default: spec/cost/ot.ts). */
  readonly otCost?: OtCostModel;
  /** Called by P0 with the noise budget (bits) left in each HE response it decrypts. */
  readonly onNoiseBudget?: (node: string, bits: number) => void;
}

const RINGS: readonly number[] = Array.from({ length: 57 }, (_, i) => i + 8);
const F = FIELD41;

const unsupported = (what: string): never => {
  throw new CryptflowError('unsupported', `cryptflow2-he: ${what}`);
};

export function cryptflow2HeBackend(options: Cryptflow2HeOptions = {}): Backend {
  const k = ringKernels(options.kernels ?? 'wasm');
  const claims: BackendClaims = { uniformShares: true, rings: RINGS, parties: 2 };
  const clear = new ServerClear();
  const channels = new WeakMap<PartyContext, Promise<OtChannel>>();
  const sessions = new WeakMap<PartyContext, Promise<HeSession>>();
  const open = options.openOt ?? openOtChannel;
  const model: OtCostModel = options.otCost ?? otLayerCosts;

  const channel = (ctx: PartyContext): Promise<OtChannel> => {
    let c = channels.get(ctx);
    if (c === undefined) {
      c = Promise.resolve(open(ctx, ctx.id === 0 ? 1 : 0));
      channels.set(ctx, c);
    }
    return c;
  };
  const session = (ctx: PartyContext): Promise<HeSession> => {
    let s = sessions.get(ctx);
    if (s === undefined) {
      s = openHe(ctx);
      sessions.set(ctx, s);
    }
    return s;
  };

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
            (bits) => options.onNoiseBudget?.(node.out, bits),
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
      if (he.role === 'client') return heSlotsClient(ctx, he, x0, (bits) => options.onNoiseBudget?.(node.out, bits));
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

  async function run(ctx: PartyContext, node: LNode, operands: readonly Held[]): Promise<Held> {
    const outShape = node.type.shape;
    if (operands.every((h) => h.kind === 'public')) {
      const t = apply(
        ctx.ell,
        k,
        node,
        operands.map((h) => (h.kind === 'public' ? { shape: h.shape, data: h.data } : bug('public'))),
      );
      return { kind: 'public', shape: t.shape, data: t.data };
    }
    if (ctx.id === 2)
      throw new CryptflowError('usage', 'cryptflow2-he is a two-party backend: P2 takes no part in its runs');
    if (operands.every((h) => h.kind === 'public' || clear.has(h))) return serverOnly(ctx, node, operands);
    const at = (i: number): Held => operands[i] ?? bug(`node '${node.out}' lacks operand ${i}`);
    const share = (h: Held): BigUint64Array => fieldShare(ctx, F, h);
    const out = (y: BigUint64Array): Held => fieldSecret(outShape, y);
    switch (node.op) {
      case 'Add':
      case 'Sub':
      case 'BiasAdd':
      case 'Concat':
      case 'Reshape':
      case 'Flatten':
      case 'Transpose':
      case 'Squeeze':
      case 'ScaleUp':
      case 'Pad':
        return out(affineP(ctx, F, k, node, operands));
      case 'Mul':
      case 'MatMul':
        return out(await matmul(ctx, node, at(0), at(1)));
      case 'Conv': {
        const y = await conv(ctx, node, at(0), at(1));
        return out(node.b === undefined ? y : addBias(ctx, node, y, at(2)));
      }
      case 'ConvTranspose': {
        const y = await convTranspose(ctx, node, at(0), at(1));
        return out(node.b === undefined ? y : addBias(ctx, node, y, at(2)));
      }
      case 'ScaleDown':
        return out(await truncateP(ctx, await channel(ctx), F, share(at(0)), node.shift));
      case 'AvgPool':
      case 'GlobalAvgPool': {
        const { sums, counts } = poolSums(64, k, node, { shape: at(0).shape, share: asShare(share(at(0))) });
        const field = sums.map((v) => v % F.p);
        return out(
          await divideP(
            ctx,
            await channel(ctx),
            F,
            field,
            Array.from(counts, (c) => BigInt(c)),
          ),
        );
      }
      case 'Relu':
        return out(await reluP(ctx, await channel(ctx), F, share(at(0))));
      case 'MaxPool': {
        const { windows, r, k: kk } = poolWindows(at(0).shape, node.kernel, node.strides, node.pads);
        return out(await maxPoolP(ctx, await channel(ctx), F, share(at(0)), windows, r, kk));
      }
      case 'ArgMax': {
        const { idx, r, c } = argmaxRows(at(0).shape, node.axis);
        return out(await argmaxP(ctx, await channel(ctx), F, gather(share(at(0)), idx), r, c));
      }
      default:
        return assertNever(node);
    }
  }

  function productCost(node: LNode, ops: readonly OperandType[]): Cost {
    const [a, b] = [ops[0], ops[1]];
    if (a === undefined || b === undefined) return bug(`node '${node.out}' lacks an operand`);
    if (!a.secret || !b.secret) return FREE;
    const layers = (s: ConvShape): Cost => {
      const l = hePacking(s);
      return l === null
        ? unsupported('one row of a padded input plane exceeds N/2 cells')
        : costOf(heLinearSchedule(...l.layouts));
    };
    if (node.op === 'Conv') {
      if (b.serverOnly !== true)
        return unsupported('a convolution whose filter is not computed from the server’s inputs alone');
      return layers(convShape(node, a.shape, b.shape));
    }
    if (node.op === 'ConvTranspose') {
      if (b.serverOnly !== true)
        return unsupported('a transposed convolution whose filter is not computed from the server’s inputs alone');
      return layers(transposedAsConv(node, a.shape, b.shape, node.type.shape).shape);
    }
    if (node.op === 'Mul')
      return a.serverOnly === true || b.serverOnly === true
        ? costOf(heLinearSchedule(heSlotLayout(numel(node.type.shape))))
        : unsupported(
            'an elementwise product of two secrets neither of which is computed from the server’s inputs alone',
          );
    if (node.op !== 'MatMul') return bug(`a product node ${node.op}`);
    const [m, kk, n] = [a.shape[0] ?? 0, a.shape[1] ?? 0, b.shape[1] ?? 0];
    return b.serverOnly === true
      ? layers(matmulShape(m, kk, n))
      : a.serverOnly === true
        ? layers(matmulShape(n, kk, m))
        : unsupported('a product of two secrets neither of which is computed from the server’s inputs alone');
  }

  function cost(node: LNode, ops: readonly OperandType[], _ell: number): Cost {
    if (ops.every((t) => !t.secret || t.serverOnly === true)) return FREE;
    const op = (i: number): OperandType => ops[i] ?? bug(`node '${node.out}' lacks operand ${i}`);
    switch (node.op) {
      case 'Mul':
      case 'MatMul':
      case 'Conv':
        return productCost(node, ops);
      case 'ConvTranspose':
        return productCost(node, ops);
      case 'Relu':
        return costOf(reluPSchedule(model, numel(op(0).shape)));
      case 'MaxPool':
        return costOf(maxPoolPSchedule(model, numel(node.type.shape), numel(node.kernel)));
      case 'ArgMax': {
        const c = op(0).shape[node.axis] ?? bug('ArgMax axis');
        return costOf(argmaxPSchedule(model, numel(op(0).shape) / c, c));
      }
      case 'ScaleDown':
        return costOf(truncPSchedule(model, numel(op(0).shape), node.shift));
      case 'AvgPool':
      case 'GlobalAvgPool': {
        const counts = poolCounts(node, op(0).shape, numel(node.type.shape));
        return costOf(
          dividePSchedule(
            model,
            Array.from(counts, (c) => BigInt(c)),
          ),
        );
      }
      case 'Add':
      case 'Sub':
      case 'BiasAdd':
      case 'Concat':
      case 'Pad':
      case 'Reshape':
      case 'Flatten':
      case 'Transpose':
      case 'Squeeze':
      case 'ScaleUp':
        return FREE;
      default:
        return assertNever(node);
    }
  }

  /**
   * Values within ±(p−1)/2 and the ring's half range; MaxPool/ArgMax operands within p/4 and 2^{ℓ−2};
   * AvgPool operands within 2^{ℓ−1}/k, so that no window sum wraps the ring (Z_p sums exactly; the ring
   * semantics sums mod 2^ℓ first). GlobalAvgPool's count is not in the node: its operands' sum must not
   * wrap either, which the compiler's overflow analysis guarantees for real programs (proofs-notes).
   */
  const domain = (node: LNode, ell: number): bigint => {
    const compare = node.op === 'MaxPool' || node.op === 'ArgMax';
    const ring = (1n << BigInt(ell - (compare ? 2 : 1))) / (node.op === 'AvgPool' ? BigInt(numel(node.kernel)) : 1n);
    const field = compare ? (F.p - 1n) / 4n : F.half;
    return ring < field ? ring : field;
  };

  return { name: 'cryptflow2-he', claims, run, cost, domain, sharing: fieldSharing(F, clear) };
}
