/**
 * `cryptflow2-he`: CrypTFlow2's HE variant (Rathee et al., CCS 2020, §6, "SCI_HE"), the
 * configuration of the chest X-ray study — two parties, P0 the client (input, BFV keys) and P1 the
 * server (weights in the clear), every secret additively shared over Z_p, p = 2^41 − 65535.
 *
 * Per LLIL node (the linear layers in products.ts; costs in costs.ts over spec/cost/cryptflow2-he.ts):
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
import { otLayerCosts, type OtCostModel } from '../../spec/cost/cryptflow2.js';
import type { LNode } from '../../ir/llil.js';
import { kernels as ringKernels } from '../../semantics/kernels/index.js';
import { gather } from '../../semantics/kernels/words.js';
import type { Backend, BackendClaims, Held } from '../common/backend.js';
import { apply, argmaxRows, poolSums, poolWindows } from '../common/local-ops.js';
import { asShare } from '../common/sharing.js';
import type { PartyContext } from '../common/party.js';
import type { OtChannel } from '../ot/types.js';
import { openOtChannel } from '../ot/channel.js';
import { heCost } from './costs.js';
import { divideP, truncateP } from './division.js';
import { FIELD41 } from './field.js';
import { affineP, fieldSecret, fieldShare, ServerClear } from './local.js';
import { argmaxP, maxPoolP, reluP } from './nonlinear.js';
import { heProducts } from './products.js';
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
  const { serverOnly, conv, convTranspose, matmul, addBias } = heProducts({
    F,
    k,
    clear,
    session,
    ...(options.onNoiseBudget === undefined ? {} : { onNoiseBudget: options.onNoiseBudget }),
  });
  const cost = heCost(model);

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
