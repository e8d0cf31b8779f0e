/**
 * The SecureNN family of 3-party backends (Porthos and SecureNN differ only in their non-linear
 * layer and convolution policy): how each LLIL node runs on a party's view, and what it costs.
 *
 * - Every operand public: every party computes the node in the clear (fixedSem), 0 bytes.
 * - Affine layout and arithmetic nodes (Add, Sub, BiasAdd, Concat, Pad, Reshape, Flatten, Transpose,
 *   Squeeze, ScaleUp): local. A public operand is lifted to the sharing (P0 holds it, P1 holds 0), then
 *   each of P0 and P1 applies the node to its shares; Pad pads P1's share with 0 so the pad value is
 *   added once. P2 only tracks the shape.
 * - Mul, MatMul, Conv, ConvTranspose: with one public operand, local (bilinear in the secret); with
 *   both secret, one Beaver product (protocols/securenn-family/linear.ts) — convolutions in the form the
 *   policy picks. A Conv bias is added locally afterwards.
 * - ScaleDown: local truncation; AvgPool / GlobalAvgPool: local window sums, then local division by
 *   the public count (semantics/truncation.ts states the allowed results).
 * - Relu, MaxPool, ArgMax: the backend's non-linear protocols (`NonlinearLayer`). MaxPool windows
 *   that padding cuts short are filled up by repeating one of their cells (max is idempotent), so
 *   every window has the full k cells and costs the same.
 */
import { assertNever, bug } from '../../spec/errors.js';
import { numel, type Shape } from '../../spec/geometry.js';
import { Ring } from '../../spec/ring.js';
import { FREE, type Cost } from '../../spec/cost/types.js';
import { convIm2colCost, convReshapedCost, productCost, matmulCost } from '../../spec/cost/linear.js';
import type { LConv, LConvTranspose, LNode } from '../../ir/llil.js';
import { poolWindowCounts } from '../../semantics/kernels/index.js';
import type { RingKernels } from '../../semantics/kernels/types.js';
import { globalPoolCount, globalPoolGeometry } from '../../semantics/tensor.js';
import { localDivideShares } from '../../semantics/truncation.js';
import { gather, negMod, shiftRightSigned } from '../../semantics/kernels/words.js';
import type { Backend, BackendClaims, Held, OperandType } from '../common/backend.js';
import {
  convolutionHelper,
  convolutionHolder,
  convSizes,
  matmulHelper,
  matmulHolder,
  productHelper,
  productHolder,
  type ConvForm,
} from './linear.js';
import { roleOf, type HelperContext, type HolderContext, type PartyContext } from '../common/party.js';
import { asShare, type RingShare } from '../common/sharing.js';
import { apply, argmaxRows, poolWindows, secret, sharesOf, withoutBias } from '../common/local-ops.js';

/** A holder's part of the non-linear protocols: its shares (flat over Z_{2^ℓ}) in, its shares out. */
export interface NonlinearHolder {
  relu(ctx: HolderContext, x: RingShare, n: number): Promise<RingShare>;
  /** Max over each of R windows of k cells; `windows[r·k + j]` indexes x. */
  maxPool(ctx: HolderContext, x: RingShare, windows: Int32Array, r: number, k: number): Promise<RingShare>;
  /** Index of the first maximum of each of r rows of c elements (x is r × c, row-major). */
  argmax(ctx: HolderContext, x: RingShare, r: number, c: number): Promise<RingShare>;
}

/** The helper's part of the same protocols: it knows the sizes (and the public window table) only. */
export interface NonlinearHelper {
  relu(ctx: HelperContext, n: number): Promise<void>;
  maxPool(ctx: HelperContext, windows: Int32Array, r: number, k: number): Promise<void>;
  argmax(ctx: HelperContext, r: number, c: number): Promise<void>;
}

/** The non-linear protocols a backend of the family brings, by role, and their closed-form costs. */
export interface NonlinearLayer {
  readonly holder: NonlinearHolder;
  readonly helper: NonlinearHelper;
  reluCost(ell: number, n: number): Cost;
  maxPoolCost(ell: number, r: number, k: number): Cost;
  argmaxCost(ell: number, r: number, c: number): Cost;
  /** The ring widths the layer supports. */
  readonly rings: readonly number[];
}

/** Which convolutions take the reshaped-triple form (COMM-SPEC.md, "Convolution policy"). */
export type ConvPolicy = 'paper' | 'reshaped' | 'im2col';

export interface FamilyOptions {
  readonly name: string;
  readonly nonlinear: NonlinearLayer;
  readonly convPolicy: ConvPolicy;
  /** Form of transposed convolutions (Porthos: reshaped; SecureNN: im2col, its only form). */
  readonly transposeForm: ConvForm;
  readonly kernels: RingKernels;
}

/** The paper's rule: reshaped when some filter extent is ≥ 5, or the convolution is 3-D. */
export function convForm(policy: ConvPolicy, wShape: Shape): ConvForm {
  if (policy !== 'paper') return policy;
  const spatial = wShape.slice(2);
  return spatial.length === 3 || spatial.some((e) => e >= 5) ? 'reshaped' : 'im2col';
}

/** Local division of each element of a share by its public divisor (the party's half of the rule). */
function divideLocally(ctx: HolderContext, share: BigUint64Array, divisors: ArrayLike<number>): BigUint64Array {
  const d0 = divisors.length > 0 ? (divisors[0] as number) : 1;
  const shift = Math.log2(d0);
  let uniform = Number.isInteger(shift) && shift < ctx.ell;
  for (let i = 1; uniform && i < divisors.length; i++) uniform = divisors[i] === d0;
  if (uniform) {
    // A power of two for every element: P0 shifts its share, P1 negates, shifts and negates back
    // (localDivideShares with d = 2^k, on words).
    if (ctx.id === 0) return shiftRightSigned(ctx.ell, shift, share);
    const m = Ring(ctx.ell);
    return negMod(m, shiftRightSigned(ctx.ell, shift, negMod(m, share)));
  }
  const ring = Ring(ctx.ell);
  const out = new BigUint64Array(share.length);
  for (let i = 0; i < share.length; i++) {
    const d = BigInt(divisors[i] as number);
    const v = share[i] as bigint;
    out[i] = ctx.id === 0 ? localDivideShares(ring, v, 0n, d)[0] : localDivideShares(ring, 0n, v, d)[1];
  }
  return out;
}

export function familyBackend(o: FamilyOptions): Backend {
  const k = o.kernels;
  const claims: BackendClaims = { uniformShares: true, rings: o.nonlinear.rings, parties: 3 };

  const formOf = (node: LConv | LConvTranspose, wShape: Shape): ConvForm =>
    node.op === 'Conv' ? convForm(o.convPolicy, wShape) : o.transposeForm;

  async function run(ctx: PartyContext, node: LNode, operands: readonly Held[]): Promise<Held> {
    if (operands.every((h) => h.kind === 'public')) {
      const t = apply(
        ctx.ell,
        k,
        node,
        operands.map((h) => (h.kind === 'public' ? { shape: h.shape, data: h.data } : bug('public'))),
      );
      return { kind: 'public', shape: t.shape, data: t.data };
    }
    const role = roleOf(ctx);
    return role.role === 'helper' ? runHelper(role.ctx, node, operands) : runHolder(role.ctx, node, operands);
  }

  /** P2's part of a node with a secret operand: the helper's halves of the protocols; it tracks only shapes. */
  async function runHelper(ctx: HelperContext, node: LNode, operands: readonly Held[]): Promise<Held> {
    const outShape = node.type.shape;
    const none = secret(outShape, new BigUint64Array(0));
    const at = (i: number): Held => operands[i] ?? bug(`node '${node.out}' lacks operand ${i}`);
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
      case 'ScaleDown':
      case 'AvgPool':
      case 'GlobalAvgPool':
        return none;
      case 'Mul':
      case 'MatMul': {
        const [a, b] = [at(0), at(1)];
        if (a.kind === 'public' || b.kind === 'public') return none;
        if (node.op === 'Mul') productHelper(ctx, k, a.shape, b.shape, numel(outShape));
        else matmulHelper(ctx, k, a.shape[0] ?? 0, a.shape[1] ?? 0, b.shape[1] ?? 0);
        return none;
      }
      case 'Conv':
      case 'ConvTranspose': {
        const [x, w] = [at(0), at(1)];
        if (x.kind === 'secret' && w.kind === 'secret') {
          const c =
            node.op === 'Conv' ? ({ kind: 'conv', g: node } as const) : ({ kind: 'transpose', g: node } as const);
          convolutionHelper(ctx, k, c, x.shape, w.shape, formOf(node, w.shape));
        }
        if (node.b !== undefined) void at(2);
        return none;
      }
      case 'Relu':
        await o.nonlinear.helper.relu(ctx, numel(at(0).shape));
        return none;
      case 'MaxPool': {
        const { windows, r, k: kk } = poolWindows(at(0).shape, node.kernel, node.strides, node.pads);
        await o.nonlinear.helper.maxPool(ctx, windows, r, kk);
        return none;
      }
      case 'ArgMax': {
        const x = at(0);
        const { r, c } = argmaxRows(x.shape, node.axis);
        await o.nonlinear.helper.argmax(ctx, r, c);
        return none;
      }
      default:
        return assertNever(node);
    }
  }

  /** A holder's part (P0 or P1) of a node with a secret operand: its shares in, its share of the result out. */
  async function runHolder(ctx: HolderContext, node: LNode, operands: readonly Held[]): Promise<Held> {
    const ell = ctx.ell;
    const outShape = node.type.shape;
    const at = (i: number): Held => operands[i] ?? bug(`node '${node.out}' lacks operand ${i}`);
    const local = (ts: readonly Held[], n: LNode = node): Held => {
      const t = apply(
        ell,
        k,
        n,
        ts.map((h) => (h.kind === 'public' ? { shape: h.shape, data: h.data } : { shape: h.shape, data: h.share })),
      );
      return secret(t.shape, t.data);
    };
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
        return local(operands.map((h) => ({ kind: 'secret', ...sharesOf(ctx, h) })));
      case 'Pad':
        return local(operands, ctx.id === 1 ? { ...node, value: 0n } : node);
      case 'Mul':
      case 'MatMul': {
        const [a, b] = [at(0), at(1)];
        if (a.kind === 'public' || b.kind === 'public') return local(operands);
        if (node.op === 'Mul') return secret(outShape, await productHolder(ctx, k, a, b, numel(outShape)));
        const [m, kk, n] = [a.shape[0] ?? 0, a.shape[1] ?? 0, b.shape[1] ?? 0];
        return secret(outShape, await matmulHolder(ctx, k, a.share, b.share, m, kk, n));
      }
      case 'Conv':
      case 'ConvTranspose': {
        const [x, w] = [at(0), at(1)];
        const bare = withoutBias(node);
        let y: Held;
        if (x.kind === 'public' || w.kind === 'public') {
          y = local([x, w], bare);
        } else {
          const c =
            node.op === 'Conv' ? ({ kind: 'conv', g: node } as const) : ({ kind: 'transpose', g: node } as const);
          y = secret(outShape, await convolutionHolder(ctx, k, c, x, w, formOf(node, w.shape)));
        }
        if (node.b === undefined) return y;
        const b = sharesOf(ctx, at(2));
        if (y.kind !== 'secret') return y;
        const biased = apply(ell, k, { op: 'BiasAdd', out: node.out, x: 'y', b: 'b', type: node.type }, [
          { shape: y.shape, data: y.share },
          { shape: b.shape, data: b.share },
        ]);
        return secret(outShape, biased.data);
      }
      case 'ScaleDown': {
        const x = sharesOf(ctx, at(0));
        return secret(outShape, divideLocally(ctx, x.share, new Float64Array(x.share.length).fill(2 ** node.shift)));
      }
      case 'AvgPool':
      case 'GlobalAvgPool': {
        const x = sharesOf(ctx, at(0));
        const g = node.op === 'AvgPool' ? node : globalPoolGeometry(x.shape);
        const sums = k.sumPool(ell, { shape: x.shape, data: x.share }, g);
        const counts =
          node.op === 'GlobalAvgPool'
            ? new Array<number>(sums.data.length).fill(globalPoolCount(x.shape))
            : node.countIncludePad
              ? new Array<number>(sums.data.length).fill(numel(node.kernel))
              : poolWindowCounts(x.shape, node);
        return secret(outShape, divideLocally(ctx, sums.data, counts));
      }
      case 'Relu': {
        const x = sharesOf(ctx, at(0));
        return secret(outShape, await o.nonlinear.holder.relu(ctx, x.share, numel(x.shape)));
      }
      case 'MaxPool': {
        const x = sharesOf(ctx, at(0));
        const { windows, r, k: kk } = poolWindows(x.shape, node.kernel, node.strides, node.pads);
        return secret(outShape, await o.nonlinear.holder.maxPool(ctx, x.share, windows, r, kk));
      }
      case 'ArgMax': {
        const x = sharesOf(ctx, at(0));
        const { idx, r, c } = argmaxRows(x.shape, node.axis);
        return secret(outShape, await o.nonlinear.holder.argmax(ctx, asShare(gather(x.share, idx)), r, c));
      }
      default:
        return assertNever(node);
    }
  }

  function cost(node: LNode, ops: readonly OperandType[], ell: number): Cost {
    if (ops.every((t) => !t.secret)) return FREE;
    const op = (i: number): OperandType => ops[i] ?? bug(`node '${node.out}' lacks operand ${i}`);
    switch (node.op) {
      case 'Mul':
        return op(0).secret && op(1).secret
          ? productCost(ell, numel(op(0).shape), numel(op(1).shape), numel(node.type.shape))
          : FREE;
      case 'MatMul':
        return op(0).secret && op(1).secret
          ? matmulCost(ell, op(0).shape[0] ?? 0, op(0).shape[1] ?? 0, op(1).shape[1] ?? 0)
          : FREE;
      case 'Conv':
      case 'ConvTranspose': {
        if (!(op(0).secret && op(1).secret)) return FREE;
        const c = node.op === 'Conv' ? ({ kind: 'conv', g: node } as const) : ({ kind: 'transpose', g: node } as const);
        const sizes = convSizes(c, op(0).shape, op(1).shape);
        return formOf(node, op(1).shape) === 'reshaped' ? convReshapedCost(ell, sizes) : convIm2colCost(ell, sizes);
      }
      case 'Relu':
        return o.nonlinear.reluCost(ell, numel(op(0).shape));
      case 'MaxPool':
        return o.nonlinear.maxPoolCost(ell, numel(node.type.shape), numel(node.kernel));
      case 'ArgMax': {
        const c = op(0).shape[node.axis] ?? bug('ArgMax axis');
        return o.nonlinear.argmaxCost(ell, numel(op(0).shape) / c, c);
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
      case 'ScaleDown':
      case 'AvgPool':
      case 'GlobalAvgPool':
        return FREE;
      default:
        return assertNever(node);
    }
  }

  const domain = (node: LNode, ell: number): bigint | undefined => {
    if (node.op === 'Relu') return 1n << BigInt(ell - 2);
    if (node.op === 'MaxPool' || node.op === 'ArgMax') return 1n << BigInt(ell - 3);
    return undefined;
  };

  return { name: o.name, claims, run, cost, domain };
}
