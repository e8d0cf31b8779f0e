/**
 * CrypTFlow2 (Rathee et al., "CrypTFlow2: Practical 2-Party Secure Inference", CCS 2020): the
 * semi-honest two-party backend over oblivious transfer. P0 (client, owns the input) and P1 (server,
 * owns the weights) hold 2-out-of-2 additive shares over Z_{2^ℓ}; there is no helper (claims.parties
 * = 2: P2 never runs a node).
 *
 * Per LLIL node (costs in spec/cost/cryptflow2.ts):
 * - every operand public: computed in the clear by both parties, 0 bytes;
 * - inputs enter in the clear (`input`): the owner holds its value, the other party 0 (publicly: the
 *   program says whose input it is), marked `owner` on Held; a node whose secret operands are all one
 *   party's is computed by that party alone in the clear (the other holds 0), 0 bytes — so the
 *   server's weights, and anything computed from them alone, stay the server's clear values;
 * - affine layout and arithmetic nodes: local (protocols/common/local-ops.ts), as in the SecureNN family;
 * - Mul, MatMul, Conv, ConvTranspose with a public operand: local; otherwise the OT-based
 *   product (product.ts) over the layer's scalar terms (terms.ts), one cross term fewer for each operand
 *   held in the clear (CrypTFlow2's setting: activations × the server's weights, one cross term); a
 *   Conv bias added locally;
 * - Relu: DReLU + MUX (exact on the whole ring); MaxPool, ArgMax: comparison trees (exact for inputs
 *   in ±2^{ℓ−2}, the declared domain);
 * - ScaleDown: faithful truncation, AvgPool / GlobalAvgPool: local window sums then exact division by
 *   the public count (division.ts) — outputs bit-equal to the `plaintext` backend.
 * Each party's OT channel (base OTs in the OT layer's 'setup' phase, once) is opened on first use and
 * kept per PartyContext in this backend instance (a WeakMap in the factory's closure).
 */
import { assertNever, bug, CryptflowError } from '../../spec/errors.js';
import { numel } from '../../spec/geometry.js';
import { FREE, type Cost } from '../../spec/cost/types.js';
import {
  argmaxSchedule,
  costOf,
  divideSchedule,
  maxPoolSchedule,
  crossTerms,
  productSchedule,
  reluSchedule,
  truncSchedule,
  otLayerCosts,
  type OtCostModel,
} from '../../spec/cost/cryptflow2.js';
import type { LNode } from '../../ir/llil.js';
import { kernels as ringKernels } from '../../semantics/kernels/index.js';
import { gather } from '../../semantics/kernels/words.js';
import type { Backend, BackendClaims, Held, OperandType } from '../common/backend.js';
import type { Shape } from '../../spec/geometry.js';
import { maskInPlace } from '../../semantics/kernels/words.js';
import { asShare } from '../common/sharing.js';
import {
  addBias,
  affineLocally,
  apply,
  applyLocally,
  argmaxRows,
  poolCounts,
  poolSums,
  poolWindows,
  secret,
  sharesOf,
  withoutBias,
} from '../common/local-ops.js';
import type { PartyContext } from '../common/party.js';
import type { OtChannel } from '../ot/types.js';
import { openOtChannel } from '../ot/channel.js';
import { divide, truncate } from './division.js';
import { argmax, maxPool, relu } from './nonlinear.js';
import { otProduct, type ProductOwners } from './product.js';
import { otMulKernels } from '../kernels/otmul.js';
import {
  convCounts,
  convTerms,
  matmulCounts,
  matmulTerms,
  mulCounts,
  mulTerms,
  type AnyConv,
  type Terms,
} from './terms.js';

/** How a party opens its OT channel with its peer. */
export type OtOpener = (ctx: PartyContext, peer: 0 | 1) => OtChannel | Promise<OtChannel>;

export interface Cryptflow2Options {
  readonly kernels?: 'reference' | 'wasm';
  /** The OT channel of each party (default: the OT layer's openOtChannel, protocols/ot/). */
  readonly openOt?: OtOpener;
  /** Closed-form costs of the OT batches (default: spec/cost/ot.ts). */
  readonly otCost?: OtCostModel;
}

const RINGS: readonly number[] = Array.from({ length: 57 }, (_, i) => i + 8);

/** The party that holds every secret operand in the clear, if one does (else undefined). */
function soleOwner(
  ops: readonly { readonly owner?: 0 | 1 | undefined; readonly secret: boolean }[],
): 0 | 1 | undefined {
  const owners = new Set(ops.filter((o) => o.secret).map((o) => o.owner));
  const [only] = owners;
  return owners.size === 1 ? only : undefined;
}

const ownerOf = (h: Held): 0 | 1 | undefined => (h.kind === 'secret' ? h.owner : undefined);
const ownersOf = (a: Held, b: Held): ProductOwners => ({ x: ownerOf(a), y: ownerOf(b) });
const typeOwners = (a: OperandType, b: OperandType): ProductOwners => ({
  x: a.secret ? a.owner : undefined,
  y: b.secret ? b.owner : undefined,
});

function convOf(node: Extract<LNode, { op: 'Conv' | 'ConvTranspose' }>): AnyConv {
  return node.op === 'Conv' ? { kind: 'conv', g: node } : { kind: 'transpose', g: node };
}

export function cryptflow2Backend(options: Cryptflow2Options = {}): Backend {
  const k = ringKernels(options.kernels ?? 'wasm');
  const mulKernels = otMulKernels(options.kernels ?? 'wasm');
  const claims: BackendClaims = { uniformShares: true, rings: RINGS, parties: 2 };
  const channels = new WeakMap<PartyContext, Promise<OtChannel>>();
  const open: OtOpener = options.openOt ?? openOtChannel;
  const otCost: OtCostModel = options.otCost ?? otLayerCosts;
  const model = (): OtCostModel => otCost;

  const channel = (ctx: PartyContext): Promise<OtChannel> => {
    let c = channels.get(ctx);
    if (c === undefined) {
      c = Promise.resolve(open(ctx, ctx.id === 0 ? 1 : 0));
      channels.set(ctx, c);
    }
    return c;
  };

  /** An owner's input in the clear: the owner's share is its value, the other's 0 (`owner` marks it). */
  function input(ctx: PartyContext, owner: 0 | 1, shape: Shape, value?: BigUint64Array): Held {
    if (ctx.id === 2)
      throw new CryptflowError('usage', 'cryptflow2 is a two-party backend: P2 takes no part in its runs');
    const n = numel(shape);
    if (ctx.id === owner && (value === undefined || value.length !== n))
      throw new CryptflowError(
        'input',
        `P${owner} enters an input of shape [${shape.join(', ')}] but holds ${value?.length ?? 0} entries`,
      );
    const share = ctx.id === owner && value !== undefined ? maskInPlace(ctx.ell, value.slice()) : new BigUint64Array(n);
    return { kind: 'secret', shape, share: asShare(share), owner };
  }

  /** A node on values P_j alone holds in the clear: P_j computes it (fixedSem), the other holds 0. */
  function byOwner(ctx: PartyContext, node: LNode, operands: readonly Held[], j: 0 | 1): Held {
    const shape = node.type.shape;
    if (ctx.id !== j) return { kind: 'secret', shape, share: asShare(new BigUint64Array(numel(shape))), owner: j };
    const t = apply(
      ctx.ell,
      k,
      node,
      operands.map((h) => (h.kind === 'public' ? { shape: h.shape, data: h.data } : { shape: h.shape, data: h.share })),
    );
    return { kind: 'secret', shape, share: asShare(t.data), owner: j };
  }

  async function run(ctx: PartyContext, node: LNode, operands: readonly Held[]): Promise<Held> {
    const ell = ctx.ell;
    const outShape = node.type.shape;
    if (operands.every((h) => h.kind === 'public')) {
      const t = apply(
        ell,
        k,
        node,
        operands.map((h) => (h.kind === 'public' ? { shape: h.shape, data: h.data } : bug('public'))),
      );
      return { kind: 'public', shape: t.shape, data: t.data };
    }
    if (ctx.id === 2)
      throw new CryptflowError('usage', 'cryptflow2 is a two-party backend: P2 takes no part in its runs');
    const at = (i: number): Held => operands[i] ?? bug(`node '${node.out}' lacks operand ${i}`);
    const sole = soleOwner(operands.map((h) => ({ secret: h.kind === 'secret', owner: ownerOf(h) })));
    if (sole !== undefined) return byOwner(ctx, node, operands, sole);
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
        return affineLocally(ctx, k, node, operands);
      case 'Mul':
      case 'MatMul': {
        const [a, b] = [at(0), at(1)];
        if (a.kind === 'public' || b.kind === 'public') return applyLocally(ctx, k, node, operands);
        const terms =
          node.op === 'Mul'
            ? mulTerms(a.shape, b.shape)
            : matmulTerms(a.shape[0] ?? 0, a.shape[1] ?? 0, b.shape[1] ?? 0);
        const local = (x: BigUint64Array, y: BigUint64Array): BigUint64Array =>
          apply(ell, k, node, [
            { shape: a.shape, data: x },
            { shape: b.shape, data: y },
          ]).data;
        return secret(
          outShape,
          await otProduct(ctx, await channel(ctx), terms, a.share, b.share, local, ell, ownersOf(a, b), mulKernels),
        );
      }
      case 'Conv':
      case 'ConvTranspose': {
        const [x, w] = [at(0), at(1)];
        const bare = withoutBias(node);
        let y: Held;
        if (x.kind === 'public' || w.kind === 'public') {
          y = applyLocally(ctx, k, bare, [x, w]);
        } else {
          const terms: Terms = convTerms(convOf(node), x.shape, w.shape);
          const local = (xs: BigUint64Array, ws: BigUint64Array): BigUint64Array =>
            apply(ell, k, bare, [
              { shape: x.shape, data: xs },
              { shape: w.shape, data: ws },
            ]).data;
          y = secret(
            outShape,
            await otProduct(ctx, await channel(ctx), terms, x.share, w.share, local, ell, ownersOf(x, w), mulKernels),
          );
        }
        return node.b === undefined ? y : addBias(ctx, k, node, y, at(2));
      }
      case 'ScaleDown':
        return secret(outShape, await truncate(ctx, await channel(ctx), sharesOf(ctx, at(0)).share, node.shift, ell));
      case 'AvgPool':
      case 'GlobalAvgPool': {
        const { sums, counts } = poolSums(ell, k, node, sharesOf(ctx, at(0)));
        return secret(
          outShape,
          await divide(
            ctx,
            await channel(ctx),
            sums,
            Array.from(counts, (c) => BigInt(c)),
            ell,
          ),
        );
      }
      case 'Relu':
        return secret(outShape, await relu(ctx, await channel(ctx), sharesOf(ctx, at(0)).share, ell));
      case 'MaxPool': {
        const x = sharesOf(ctx, at(0));
        const { windows, r, k: kk } = poolWindows(x.shape, node.kernel, node.strides, node.pads);
        return secret(outShape, await maxPool(ctx, await channel(ctx), x.share, windows, r, kk, ell));
      }
      case 'ArgMax': {
        const x = sharesOf(ctx, at(0));
        const { idx, r, c } = argmaxRows(x.shape, node.axis);
        return secret(outShape, await argmax(ctx, await channel(ctx), gather(x.share, idx), r, c, ell));
      }
      default:
        return assertNever(node);
    }
  }

  function cost(node: LNode, ops: readonly OperandType[], ell: number): Cost {
    if (ops.every((t) => !t.secret) || soleOwner(ops) !== undefined) return FREE;
    const op = (i: number): OperandType => ops[i] ?? bug(`node '${node.out}' lacks operand ${i}`);
    const crosses = (): readonly (0 | 1)[] => crossTerms(typeOwners(op(0), op(1)).x, typeOwners(op(0), op(1)).y);
    switch (node.op) {
      case 'Mul':
        return op(0).secret && op(1).secret
          ? costOf(productSchedule(model(), mulCounts(op(0).shape, op(1).shape, node.type.shape), ell, crosses()))
          : FREE;
      case 'MatMul':
        return op(0).secret && op(1).secret
          ? costOf(
              productSchedule(
                model(),
                matmulCounts(op(0).shape[0] ?? 0, op(0).shape[1] ?? 0, op(1).shape[1] ?? 0),
                ell,
                crosses(),
              ),
            )
          : FREE;
      case 'Conv':
      case 'ConvTranspose':
        return op(0).secret && op(1).secret
          ? costOf(productSchedule(model(), convCounts(convOf(node), op(0).shape, op(1).shape), ell, crosses()))
          : FREE;
      case 'Relu':
        return costOf(reluSchedule(model(), numel(op(0).shape), ell));
      case 'MaxPool':
        return costOf(maxPoolSchedule(model(), numel(node.type.shape), numel(node.kernel), ell));
      case 'ArgMax': {
        const c = op(0).shape[node.axis] ?? bug('ArgMax axis');
        return costOf(argmaxSchedule(model(), numel(op(0).shape) / c, c, ell));
      }
      case 'ScaleDown':
        return costOf(truncSchedule(model(), numel(op(0).shape), node.shift, ell));
      case 'AvgPool':
      case 'GlobalAvgPool': {
        const counts = poolCounts(node, op(0).shape, numel(node.type.shape));
        return costOf(
          divideSchedule(
            model(),
            Array.from(counts, (c) => BigInt(c)),
            ell,
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

  const domain = (node: LNode, ell: number): bigint | undefined =>
    node.op === 'MaxPool' || node.op === 'ArgMax' ? 1n << BigInt(ell - 2) : undefined;

  return { name: 'cryptflow2', claims, input, run, cost, domain };
}
