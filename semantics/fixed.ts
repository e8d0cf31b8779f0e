/**
 * Z_{2^ℓ} denotational semantics of LLIL (CrypTFlow §4, Fig. 3b: the fixed-point program the
 * backends run). This is the plaintext meaning every secure backend must reproduce — exactly for the
 * exact operators, and up to the allowed set of semantics/truncation.ts where a backend truncates
 * locally.
 *
 * Values are tensors of ring elements (BigUint64Array, entries reduced mod 2^ℓ). Scales are types
 * only: no operator looks at them. Per operator:
 *   - Add, Sub, Mul (broadcasting), MatMul, Conv, ConvTranspose, BiasAdd: ring arithmetic mod 2^ℓ
 *     through the ring kernels (`reference` bigint or `wasm`, bit-identical); a Conv bias is added
 *     after the sum.
 *   - Relu: x when signed(x) ≥ 0, else 0. MaxPool: window max by signed value (kernel).
 *   - AvgPool, GlobalAvgPool: ⌊signed(Σ) / count⌋ (floor on the signed value, i.e. towards −∞), Σ the
 *     window sum mod 2^ℓ (padded cells count 0), count the full window size when countIncludePad,
 *     otherwise the number of unpadded cells (a public constant per output cell).
 *   - ScaleDown(x, k): ⌊signed(x) / 2^k⌋ — the EXACT arithmetic shift. (Local truncation in a
 *     secure backend only approximates this; semantics/truncation.ts states by how much.)
 *   - ScaleUp(x, k): x·2^k mod 2^ℓ.
 *   - ArgMax: index of the first maximum by signed value, as a ring element (scale 0).
 *   - Concat, Pad (with the node's ring element), Reshape, Flatten, Transpose, Squeeze: data movement
 *     (semantics/tensor.ts).
 * Outputs carrying `post` (Softmax, Sigmoid) are returned raw here; semantics/decode.ts decodes them
 * and applies the post-processing in float32 for the receiving party.
 */
import { match, P } from 'ts-pattern';
import { CryptflowError } from '../spec/errors.js';
import { numel, type Shape } from '../spec/geometry.js';
import { Ring } from '../spec/ring.js';
import type { LNode, LProgram } from '../ir/llil.js';
import { lastUses, operandsOf } from '../ir/traverse.js';
import { kernels, poolWindowCounts } from './kernels/index.js';
import type { RingKernels, RingTensor } from './kernels/types.js';
import { checkRingInputs } from './inputs.js';
import { reluWords, shiftRightSigned } from './kernels/words.js';
import {
  argmax,
  broadcastPair,
  channelIndex,
  concat,
  flattenTo,
  gather,
  globalPoolCount,
  globalPoolGeometry,
  padIndex,
  reshapeTo,
  squeezeTo,
  transposeIndex,
} from './tensor.js';

export interface FixedSemOptions {
  readonly kernels?: 'reference' | 'wasm';
  /**
   * Keep only these values (and what later nodes still read): every other value is dropped after its
   * last use, so memory follows the widest layer. Absent: keep every value (`fixedSemAll`'s default).
   */
  readonly keep?: ReadonlySet<string>;
}

type Env = ReadonlyMap<string, RingTensor>;

/** ⌊a / b⌋ for b > 0 (BigInt division truncates towards zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

function biasAdd(ell: number, k: RingKernels, x: RingTensor, b: RingTensor): RingTensor {
  return { shape: x.shape, data: k.add(ell, x.data, gather(b.data, channelIndex(x.shape), 0n)) };
}

function divideCounts(ell: number, sums: RingTensor, counts: ArrayLike<number>): RingTensor {
  const ring = Ring(ell);
  const out = sums.data.map((s, i) => ring.reduce(floorDiv(ring.signed(s), BigInt(counts[i] as number))));
  return { shape: sums.shape, data: out };
}

function map(x: RingTensor, f: (v: bigint) => bigint): RingTensor {
  return { shape: x.shape, data: x.data.map(f) };
}

/** One LLIL node over Z_{2^ℓ}. */
export function fixedNode(ell: number, k: RingKernels, node: LNode, env: Env): RingTensor {
  const ring = Ring(ell);
  const v = (name: string): RingTensor => {
    const t = env.get(name);
    if (t === undefined)
      throw new CryptflowError(
        'type',
        `node '${node.out}' (${node.op}) uses '${name}', which is not defined before it`,
      );
    return t;
  };
  const withBias = (y: RingTensor, b: string | undefined): RingTensor =>
    b === undefined ? y : biasAdd(ell, k, y, v(b));
  return match(node)
    .with({ op: 'Conv' }, (node) => withBias(k.conv(ell, v(node.x), v(node.w), node, 'direct'), node.b))
    .with({ op: 'ConvTranspose' }, (node) => withBias(k.convTranspose(ell, v(node.x), v(node.w), node), node.b))
    .with({ op: 'MatMul' }, (node) => {
      const [a, b] = [v(node.a), v(node.b)];
      const [m, kk, n] = [a.shape[0] ?? 0, a.shape[1] ?? 0, b.shape[1] ?? 0];
      if (a.shape.length !== 2 || b.shape.length !== 2 || b.shape[0] !== kk) {
        throw new CryptflowError('shape', `node '${node.out}' (MatMul): operands are not conformable matrices`);
      }
      return { shape: [m, n], data: k.matmul(ell, a.data, b.data, m, kk, n) };
    })
    .with({ op: P.union('Add', 'Sub', 'Mul') }, (node) => {
      const [a, b] = [v(node.a), v(node.b)];
      const p = broadcastPair(a.data, a.shape, b.data, b.shape);
      const f = node.op === 'Add' ? k.add : node.op === 'Sub' ? k.sub : k.mul;
      return { shape: p.shape, data: f(ell, p.a, p.b) };
    })
    .with({ op: 'BiasAdd' }, (node) => biasAdd(ell, k, v(node.x), v(node.b)))
    .with({ op: 'Relu' }, (node) => ({ shape: v(node.x).shape, data: reluWords(ell, v(node.x).data) }))
    .with({ op: 'MaxPool' }, (node) => k.maxPool(ell, v(node.x), node))
    .with({ op: 'AvgPool' }, (node) => {
      const x = v(node.x);
      const sums = k.sumPool(ell, x, node);
      const counts = node.countIncludePad
        ? new Uint32Array(sums.data.length).fill(numel(node.kernel))
        : poolWindowCounts(x.shape, node);
      return divideCounts(ell, sums, counts);
    })
    .with({ op: 'GlobalAvgPool' }, (node) => {
      const x = v(node.x);
      const sums = k.sumPool(ell, x, globalPoolGeometry(x.shape));
      return divideCounts(ell, sums, new Uint32Array(sums.data.length).fill(globalPoolCount(x.shape)));
    })
    .with({ op: 'ScaleDown' }, (node) =>
      node.shift < ell
        ? { shape: v(node.x).shape, data: shiftRightSigned(ell, node.shift, v(node.x).data) }
        : map(v(node.x), (x) => ring.shrArith(x, node.shift)),
    )
    .with({ op: 'ScaleUp' }, (node) => map(v(node.x), (x) => ring.shl(x, node.shift)))
    .with({ op: 'Concat' }, (node) => concat(node.xs.map(v), node.axis))
    .with({ op: 'Pad' }, (node) => {
      const x = v(node.x);
      const r = padIndex(x.shape, node.pads);
      return { shape: r.shape, data: gather(x.data, r.idx, ring.reduce(node.value)) };
    })
    .with({ op: 'Reshape' }, (node) => reshaped(v(node.x), (s) => reshapeTo(s, node.shape)))
    .with({ op: 'Flatten' }, (node) => reshaped(v(node.x), (s) => flattenTo(s, node.axis)))
    .with({ op: 'Squeeze' }, (node) => reshaped(v(node.x), (s) => squeezeTo(s, node.axes)))
    .with({ op: 'Transpose' }, (node) => {
      const x = v(node.x);
      const r = transposeIndex(x.shape, node.perm);
      return { shape: r.shape, data: gather(x.data, r.idx, 0n) };
    })
    .with({ op: 'ArgMax' }, (node) => {
      const x = v(node.x);
      const r = argmax(x.data, x.shape, node.axis, node.keepdims, ring.gt);
      return { shape: r.shape, data: BigUint64Array.from(r.idx, (i) => BigInt(i)) };
    })
    .exhaustive();
}

function reshaped(x: RingTensor, to: (s: Shape) => Shape): RingTensor {
  return { shape: to(x.shape), data: x.data };
}

/** Every value of the program (declarations and node results). */
export function fixedSemAll(
  p: LProgram,
  inputs: ReadonlyMap<string, BigUint64Array>,
  opts: FixedSemOptions = {},
): Map<string, RingTensor> {
  const ring = Ring(p.ell);
  checkRingInputs(p.decls, inputs, p.ell);
  const k = kernels(opts.kernels ?? 'reference');
  const env = new Map<string, RingTensor>();
  for (const d of p.decls) {
    const data = d.kind === 'const' ? d.values : inputs.get(d.name);
    if (data === undefined) throw new CryptflowError('input', `missing input '${d.name}'`);
    if (data.length !== numel(d.shape))
      throw new CryptflowError('shape', `constant '${d.name}' does not have ${numel(d.shape)} entries`);
    if (d.kind === 'const' && data.some((x) => !ring.isElement(x))) {
      throw new CryptflowError('type', `constant '${d.name}' has entries not reduced mod 2^${p.ell}`);
    }
    env.set(d.name, { shape: d.shape, data });
  }
  const last = opts.keep === undefined ? undefined : lastUses(p.nodes, opts.keep);
  p.nodes.forEach((node, i) => {
    env.set(node.out, fixedNode(p.ell, k, node, env));
    if (last !== undefined) for (const n of operandsOf(node)) if (last.get(n) === i) env.delete(n);
  });
  return env;
}

/** ⟦p⟧ over Z_{2^ℓ}: the raw ring values of the declared outputs, by name. */
export function fixedSem(
  p: LProgram,
  inputs: ReadonlyMap<string, BigUint64Array>,
  opts: FixedSemOptions = {},
): Map<string, BigUint64Array> {
  const all = fixedSemAll(p, inputs, {
    ...opts,
    keep: new Set([...(opts.keep ?? []), ...p.outputs.map((o) => o.name)]),
  });
  const out = new Map<string, BigUint64Array>();
  for (const o of p.outputs) {
    const t = all.get(o.name);
    if (t === undefined) throw new CryptflowError('type', `output '${o.name}' is not a value of the program`);
    out.set(o.name, t.data);
  }
  return out;
}
