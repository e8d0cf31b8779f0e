/**
 * Inference BatchNorm with its parameters precomputed (CrypTFlow §5; the arithmetic is
 * passes/float-to-fixed/transforms.ts, shared with float-to-fixed's own BatchNorm lowering):
 *     γ' = γ / √(σ² + ε),   β' = β − γ'·μ   (per channel, binary64, then rounded to float32)
 *
 *   mode 'mul-add' (the paper's setting; default):  y = BiasAdd(Mul(x, γ'[C,1,…]), β')
 *       — a secret elementwise product with a server weight and a bias, no division or square root
 *       left in the program;
 *       With `expand` (the paper's Porthos; COMM-SPEC.md), the server tiles γ' to the full shape of x
 *       before sharing it, so the product is elementwise over n = |x| entries: 40n bytes at ℓ = 64
 *       where the broadcast γ'[C,1,…] would cost 16(n + C) + 8n. The values (and floatSem) are the
 *       same; only the shape of the shared weight, hence the Beaver product's size, changes.
 *   mode 'fold': when x is a Conv whose result feeds only this BatchNorm (and is no output), and the
 *       Conv's filter and bias are known, y = Conv(x₀, W', b') with W' = γ'[o]·W, b' = γ'·b + β'; a
 *       BatchNorm that cannot be folded falls back to 'mul-add'.
 * The parameters must be known at compile time (public constants or server weights at hand); the new
 * weights are server inputs when any parameter (or the filter) was one, public constants otherwise. A
 * BatchNorm whose parameters are not known is left as it is (float-to-fixed lowers it the same way,
 * with the server applying the transforms when it encodes its inputs).
 *
 * Preservation: the rewrite is exact over the reals; in float32 it changes rounding only. The report
 * gives, for each new weight, a bound on |float32 value − exact real| (binary64 evaluation error
 * 2^−50 relative, then the float32 rounding), with which the range analysis bounds the change of
 * floatSem (proofs-notes/hlil-batchnorm.md; tested in test/passes/hlil/batchnorm.test.ts).
 */
import type { Shape } from '../../spec/geometry.js';
import type { HBatchNorm, HConv, HDecl, HNode } from '../../ir/hlil.js';
import { applyTransform, foldIntoConv } from '../float-to-fixed/transforms.js';
import {
  checked,
  freshNamer,
  isServerInput,
  knownValues,
  newDecl,
  outputNames,
  shapesOf,
  userNodes,
  withProgram,
  type HlilModel,
  type PassResult,
} from './model.js';

export type BatchNormMode = 'mul-add' | 'fold';

export interface BatchNormRewrite {
  readonly node: string;
  readonly as: BatchNormMode | 'kept';
  /** Why a BatchNorm was kept, or why 'fold' fell back to 'mul-add'. */
  readonly note?: string;
}

export interface BatchNormReport {
  readonly rewrites: readonly BatchNormRewrite[];
  /** For each new weight: a bound on |its float32 entries − the exact reals they stand for|. */
  readonly rounding: ReadonlyMap<string, number>;
}

/** float32 rounding of binary64 values, with the bound on |result − exact| (2^−50 relative before rounding). */
function toFloat32(v: Float64Array, rel = 2 ** -50): { readonly values: Float32Array; readonly err: number } {
  const values = Float32Array.from(v);
  let err = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    err = Math.max(err, Math.abs((values[i] as number) - x) + Math.abs(x) * rel);
  }
  return { values, err };
}

/**
 * γ'[C] tiled to the full shape of x [N, C, …] (entry i takes channel ⌊i / inner⌋ mod C), rounded to
 * float32 with its bound: the rounding of each channel's value done once, then copied, which gives the
 * same entries as rounding the tiled binary64 tensor, and the same bound (the maximum over the same
 * per-channel terms) whenever every channel occurs; when one may not (an empty tensor, no channels)
 * the tiled tensor is rounded as it is.
 */
function tiledToFloat32(gp: Float64Array, shape: Shape): { readonly values: Float32Array; readonly err: number } {
  const c = gp.length;
  const inner = shape.slice(2).reduce((a, d) => a * d, 1);
  const n = shape.reduce((a, d) => a * d, 1);
  if (c === 0 || inner === 0 || n < c * inner) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = gp[Math.floor(i / inner) % c] as number;
    return toFloat32(out);
  }
  const perChannel = toFloat32(gp);
  const values = new Float32Array(n);
  for (let start = 0, ch = 0; start < n; start += inner, ch = (ch + 1) % c)
    values.fill(perChannel.values[ch] as number, start, Math.min(start + inner, n));
  return { values, err: perChannel.err };
}

export function batchNorm<M extends HlilModel>(
  m: M,
  mode: BatchNormMode = 'mul-add',
  expand = false,
): PassResult<M, BatchNormReport> {
  const p = m.program;
  const shapeOf = shapesOf(p);
  const users = userNodes(p);
  const outs = outputNames(p);
  const fresh = freshNamer(p);
  const decls: HDecl[] = [...p.decls];
  const weights = new Map(m.weights);
  const rewrites: BatchNormRewrite[] = [];
  const rounding = new Map<string, number>();
  const producers = new Map(p.nodes.map((n) => [n.out, n]));
  const known = (n: string): Float32Array | undefined => knownValues(p, m.weights, n);
  const server = (names: readonly (string | undefined)[]): boolean =>
    names.some((n) => n !== undefined && isServerInput(p.decls.find((d) => d.name === n)));
  const addRounded = (
    hint: string,
    shape: Shape,
    r: { readonly values: Float32Array; readonly err: number },
    isServer: boolean,
  ): string => {
    const name = fresh(hint);
    newDecl(decls, weights, name, shape, r.values, isServer);
    rounding.set(name, r.err);
    return name;
  };
  const add = (hint: string, shape: Shape, v: Float64Array, isServer: boolean, rel?: number): string =>
    addRounded(hint, shape, toFloat32(v, rel), isServer);
  const replaced = new Map<string, HNode[]>();
  const removed = new Set<string>();

  for (const n of p.nodes) {
    if (n.op !== 'BatchNorm') continue;
    const params = [n.scale, n.bias, n.mean, n.var];
    if (params.some((v) => known(v) === undefined)) {
      rewrites.push({ node: n.out, as: 'kept', note: 'its parameters are not known at compile time' });
      continue;
    }
    const get = (v: string): Float32Array => known(v) as Float32Array;
    const gp = applyTransform({ kind: 'bn-scale', scale: n.scale, var: n.var, epsilon: n.epsilon }, get);
    const bp = applyTransform(
      { kind: 'bn-shift', scale: n.scale, bias: n.bias, mean: n.mean, var: n.var, epsilon: n.epsilon },
      get,
    );
    if (![...gp, ...bp].every(Number.isFinite)) {
      rewrites.push({ node: n.out, as: 'kept', note: 'σ² + ε is not positive in some channel' });
      continue;
    }
    const conv = mode === 'fold' ? foldable(n, producers, users, outs, known) : { why: 'folding not requested' };
    if ('node' in conv) {
      const c = conv.node;
      const f = foldIntoConv(get(c.w), c.b === undefined ? undefined : get(c.b), gp, bp);
      const isServer = server([c.w, c.b, ...params]);
      const w = add(`${c.w}:bn`, shapeOf(c.w), f.w, isServer, 2 ** -49);
      const b = add(`${n.out}:bias`, [gp.length], f.b, isServer, 2 ** -49);
      replaced.set(c.out, [{ ...c, w, b, out: n.out }]);
      removed.add(n.out);
      rewrites.push({ node: n.out, as: 'fold' });
      continue;
    }
    const isServer = server(params);
    const xShape = shapeOf(n.x);
    const g = expand
      ? addRounded(`${n.out}:gamma`, xShape, tiledToFloat32(gp, xShape), isServer)
      : add(`${n.out}:gamma`, [gp.length, ...new Array<number>(xShape.length - 2).fill(1)], gp, isServer);
    const b = add(`${n.out}:beta`, [bp.length], bp, isServer);
    const scaled = fresh(`${n.out}:scaled`);
    replaced.set(n.out, [
      { op: 'Mul', a: n.x, b: g, out: scaled },
      { op: 'BiasAdd', x: scaled, b, out: n.out },
    ]);
    rewrites.push(
      mode === 'fold'
        ? { node: n.out, as: 'mul-add', note: `not folded: ${conv.why}` }
        : { node: n.out, as: 'mul-add' },
    );
  }
  if (replaced.size === 0) return { model: m, report: { rewrites, rounding } };
  const nodes = p.nodes.flatMap((n) => (removed.has(n.out) ? [] : (replaced.get(n.out) ?? [n])));
  const program = { ...p, decls, nodes };
  checked('batchnorm', program);
  return { model: withProgram(m, program, weights), report: { rewrites, rounding } };
}

/** The Conv that `bn` can be folded into, or why there is none. */
function foldable(
  bn: HBatchNorm,
  producers: ReadonlyMap<string, HNode>,
  users: ReadonlyMap<string, readonly HNode[]>,
  outs: ReadonlySet<string>,
  known: (n: string) => Float32Array | undefined,
): { readonly node: HConv } | { readonly why: string } {
  const c = producers.get(bn.x);
  if (c?.op !== 'Conv') return { why: 'its input is not a Conv' };
  if (outs.has(c.out) || (users.get(c.out) ?? []).length !== 1) return { why: `the Conv '${c.out}' has other uses` };
  if (known(c.w) === undefined || (c.b !== undefined && known(c.b) === undefined))
    return { why: `the Conv '${c.out}' has a filter or bias not known at compile time` };
  return { node: c };
}
