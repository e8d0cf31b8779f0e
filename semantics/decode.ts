/**
 * What the receiving party does with a revealed output: decode it from Z_{2^ℓ} at its scale and, if
 * the output carries `post`, apply the post-processing in the clear.
 *
 * Decoding is spec/fixed.ts: decode(x) = signed(x) / 2^s, exact in binary64 while |signed(x)| ≤ 2^53.
 * Post-processing (Softmax along an axis, Sigmoid) runs the float32 code of the HLIL semantics
 * (semantics/float-ops.ts) on the decoded values rounded to float32, so a fixed-point program and its
 * float original differ only by what happened before the reveal. Results are Float64Arrays; a
 * post-processed output holds float32 values (widened exactly).
 */
import { assertNever, CryptflowError } from '../spec/errors.js';
import { FixedPoint } from '../spec/fixed.js';
import type { Shape } from '../spec/geometry.js';
import type { LOutput, LPost, LProgram } from '../ir/llil.js';
import { floatSigmoid, floatSoftmax, type FTensor } from './float-ops.js';

/** Scale and shape of a program value: from its declaration or from its node's written type. */
export function valueType(p: LProgram, name: string): { readonly scale: number; readonly shape: Shape } {
  const d = p.decls.find((x) => x.name === name);
  if (d !== undefined) return { scale: d.scale, shape: d.shape };
  const n = p.nodes.find((x) => x.out === name);
  if (n !== undefined) return { scale: n.type.scale, shape: n.type.shape };
  throw new CryptflowError('type', `'${name}' is not a value of the program`);
}

/** Apply a post-processing step in float32. */
export function applyPost(post: LPost, x: FTensor): FTensor {
  switch (post.op) {
    case 'Softmax':
      return floatSoftmax(x, post.axis);
    case 'Sigmoid':
      return floatSigmoid(x);
    default:
      return assertNever(post, 'post-processing step');
  }
}

/** Decode one revealed output (and post-process it when it says so). */
export function decodeOutput(p: LProgram, o: LOutput, raw: BigUint64Array): Float64Array {
  const { scale, shape } = valueType(p, o.name);
  const fp = FixedPoint({ ell: p.ell, scale });
  const decoded = fp.decodeTensor(raw);
  if (o.post === undefined) return decoded;
  return Float64Array.from(applyPost(o.post, { shape, data: Float32Array.from(decoded) }).data);
}

/** Decode every declared output of `p` from the raw results of fixedSem (or of a backend). */
export function decodeOutputs(p: LProgram, raw: ReadonlyMap<string, BigUint64Array>): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const o of p.outputs) {
    const r = raw.get(o.name);
    if (r === undefined) throw new CryptflowError('input', `no revealed value for output '${o.name}'`);
    out.set(o.name, decodeOutput(p, o, r));
  }
  return out;
}
