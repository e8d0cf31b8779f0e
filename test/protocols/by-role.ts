/**
 * Test-only adapters: each runs a role-split protocol of the SecureNN family on any party by
 * dispatching once on its role (`roleOf`) — P0 and P1 call the `…Holder` part with their shares,
 * P2 the `…Helper` part, and gets an empty array. They let a test run one program on all three
 * parties (runParties, run3); the protocols themselves export only the role-specific functions, whose
 * signatures say who holds what.
 */
import type { RingKernels } from '../../semantics/kernels/types.js';
import type { Shape } from '../../spec/geometry.js';
import { roleOf, type PartyContext } from '../../protocols/common/party.js';
import { asPublic, asShare } from '../../protocols/common/sharing.js';
import { beaverHelper, beaverHolder, type Bilinear } from '../../protocols/securenn-family/beaver.js';
import {
  convolutionHelper,
  convolutionHolder,
  matmulHelper,
  matmulHolder,
  productHelper,
  productHolder,
  type ConvForm,
} from '../../protocols/securenn-family/linear.js';
import { computeMsbHelper, computeMsbHolder } from '../../protocols/securenn-family/nonlinear/compute-msb.js';
import { dreluHelper, dreluHolder } from '../../protocols/securenn-family/nonlinear/drelu.js';
import {
  argmaxHelper,
  argmaxHolder,
  maxPoolHelper,
  maxPoolHolder,
  type MaxResult,
} from '../../protocols/securenn-family/nonlinear/max.js';
import {
  privateCompareHelper,
  privateCompareHolder,
} from '../../protocols/securenn-family/nonlinear/private-compare.js';
import { reluHelper, reluHolder } from '../../protocols/securenn-family/nonlinear/relu.js';
import { selectShareHelper, selectShareHolder } from '../../protocols/securenn-family/nonlinear/select-share.js';
import { shareConvertHelper, shareConvertHolder } from '../../protocols/securenn-family/nonlinear/share-convert.js';
import type { Variant } from '../../protocols/securenn-family/nonlinear/variant.js';

type Sharing = { shape: Shape; share: BigUint64Array };
type AnyConv = Parameters<typeof convolutionHelper>[2];
const none = (): BigUint64Array => new BigUint64Array(0);

/** Beaver's product of f by role (P2 passes empty arrays). */
export async function beaver(
  ctx: PartyContext,
  f: Bilinear,
  x: BigUint64Array,
  y: BigUint64Array,
): Promise<BigUint64Array> {
  const r = roleOf(ctx);
  if (r.role === 'holder') return beaverHolder(r.ctx, f, asShare(x), asShare(y));
  beaverHelper(r.ctx, f);
  return none();
}

/** a ⊙ b with broadcasting, by role. */
export async function product(
  ctx: PartyContext,
  k: RingKernels,
  a: Sharing,
  b: Sharing,
  outSize: number,
): Promise<BigUint64Array> {
  const r = roleOf(ctx);
  if (r.role === 'holder')
    return productHolder(
      r.ctx,
      k,
      { shape: a.shape, share: asShare(a.share) },
      { shape: b.shape, share: asShare(b.share) },
      outSize,
    );
  productHelper(r.ctx, k, a.shape, b.shape, outSize);
  return none();
}

/** The m × kk by kk × n product, by role. */
export async function matmul(
  ctx: PartyContext,
  k: RingKernels,
  a: BigUint64Array,
  b: BigUint64Array,
  m: number,
  kk: number,
  n: number,
): Promise<BigUint64Array> {
  const r = roleOf(ctx);
  if (r.role === 'holder') return matmulHolder(r.ctx, k, asShare(a), asShare(b), m, kk, n);
  matmulHelper(r.ctx, k, m, kk, n);
  return none();
}

/** A convolution without bias in the given form, by role. */
export async function convolution(
  ctx: PartyContext,
  k: RingKernels,
  c: AnyConv,
  x: Sharing,
  w: Sharing,
  form: ConvForm,
): Promise<BigUint64Array> {
  const r = roleOf(ctx);
  if (r.role === 'holder')
    return convolutionHolder(
      r.ctx,
      k,
      c,
      { shape: x.shape, share: asShare(x.share) },
      { shape: w.shape, share: asShare(w.share) },
      form,
    );
  convolutionHelper(r.ctx, k, c, x.shape, w.shape, form);
  return none();
}

/** PrivateCompare by role: the holders get an empty array, P2 gets β′. */
export async function privateCompare(
  ctx: PartyContext,
  v: Variant,
  n: number,
  xBits: Uint8Array,
  rv: BigUint64Array,
  beta: Uint8Array,
): Promise<Uint8Array> {
  const r = roleOf(ctx);
  if (r.role === 'helper') return privateCompareHelper(r.ctx, v, n);
  await privateCompareHolder(r.ctx, v, n, { xBits, r: asPublic(rv), beta });
  return new Uint8Array(0);
}

/** ShareConvert by role. */
export async function shareConvert(
  ctx: PartyContext,
  v: Variant,
  n: number,
  a: BigUint64Array,
): Promise<BigUint64Array> {
  const r = roleOf(ctx);
  if (r.role === 'holder') return shareConvertHolder(r.ctx, v, n, asShare(a));
  await shareConvertHelper(r.ctx, v, n);
  return none();
}

/** ComputeMSB by role. */
export async function computeMsb(ctx: PartyContext, v: Variant, n: number, a: BigUint64Array): Promise<BigUint64Array> {
  const r = roleOf(ctx);
  if (r.role === 'holder') return computeMsbHolder(r.ctx, v, n, asShare(a));
  await computeMsbHelper(r.ctx, v, n);
  return none();
}

/** ReLU′ by role. */
export async function drelu(ctx: PartyContext, v: Variant, n: number, a: BigUint64Array): Promise<BigUint64Array> {
  const r = roleOf(ctx);
  if (r.role === 'holder') return dreluHolder(r.ctx, v, n, asShare(a));
  await dreluHelper(r.ctx, v, n);
  return none();
}

/** ReLU by role. */
export async function relu(ctx: PartyContext, v: Variant, n: number, a: BigUint64Array): Promise<BigUint64Array> {
  const r = roleOf(ctx);
  if (r.role === 'holder') return reluHolder(r.ctx, v, n, asShare(a));
  await reluHelper(r.ctx, v, n);
  return none();
}

/** SelectShare by role. */
export async function selectShare(
  ctx: PartyContext,
  n: number,
  alpha: BigUint64Array,
  x: BigUint64Array,
  y: BigUint64Array,
): Promise<BigUint64Array> {
  const r = roleOf(ctx);
  if (r.role === 'holder') return selectShareHolder(r.ctx, n, { alpha: asShare(alpha), x: asShare(x), y: asShare(y) });
  selectShareHelper(r.ctx, n);
  return none();
}

/** MaxPool by role (P2 gets empty arrays, and a null index unless the variant tracks it). */
export async function maxPool(
  ctx: PartyContext,
  v: Variant,
  x: BigUint64Array,
  windows: Int32Array,
  rr: number,
  k: number,
): Promise<MaxResult> {
  const r = roleOf(ctx);
  if (r.role === 'holder') return maxPoolHolder(r.ctx, v, asShare(x), windows, rr, k);
  await maxPoolHelper(r.ctx, v, windows, rr, k);
  return { max: none(), index: v.maxPoolIndex ? none() : null };
}

/** ArgMax by role. */
export async function argmax(
  ctx: PartyContext,
  v: Variant,
  x: BigUint64Array,
  rr: number,
  c: number,
): Promise<MaxResult> {
  const r = roleOf(ctx);
  if (r.role === 'holder') return argmaxHolder(r.ctx, v, asShare(x), rr, c);
  await argmaxHelper(r.ctx, v, rr, c);
  return { max: none(), index: none() };
}
