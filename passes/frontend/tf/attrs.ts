/**
 * Reading a node's attributes as the translation needs them, with errors that name the node, its
 * op and the attribute: a missing required attribute or one of the wrong kind is 'parse' (the graph
 * is not what TF would write); a value outside what we support (data_format NCHW, a stride on the
 * batch axis, padding kinds, non-float tensors) is 'unsupported' and says what is supported.
 */
import { CryptflowError } from '../../../spec/errors.js';
import { malformed, unsupported, type ModelFormat } from '../model.js';
import type { TfAttr, TfDims, TfNode } from './graph.js';
import { DT, dataTypeName } from './schema.js';

export interface At {
  readonly format: ModelFormat;
  readonly node: TfNode;
}

export function refuse(at: At, what: string): CryptflowError {
  return unsupported(at.format, at.node.op, at.node.name, what);
}

export function broken(at: At, why: string): CryptflowError {
  return malformed(at.format, `node '${at.node.name}' (${at.node.op})`, why);
}

export function shapeError(at: At, why: string): CryptflowError {
  return new CryptflowError('shape', `${at.format} node '${at.node.name}' (${at.node.op}): ${why}`);
}

function attr<K extends TfAttr['kind']>(at: At, key: string, kind: K): Extract<TfAttr, { kind: K }> | undefined {
  const a = at.node.attrs.get(key);
  if (a === undefined) return undefined;
  if (a.kind !== kind) throw broken(at, `attribute '${key}' should be of kind '${kind}', found '${a.kind}'`);
  return a as Extract<TfAttr, { kind: K }>;
}

export function attrString(at: At, key: string, dflt?: string): string {
  const a = attr(at, key, 's');
  if (a !== undefined) return a.value;
  if (dflt === undefined) throw broken(at, `attribute '${key}' is missing`);
  return dflt;
}

export function attrBool(at: At, key: string, dflt: boolean): boolean {
  return attr(at, key, 'b')?.value ?? dflt;
}

export function attrFloat(at: At, key: string, dflt: number): number {
  return attr(at, key, 'f')?.value ?? dflt;
}

export function attrInts(at: At, key: string, dflt?: readonly number[]): readonly number[] {
  const a = attr(at, key, 'list');
  if (a !== undefined) return a.value.i;
  if (dflt === undefined) throw broken(at, `attribute '${key}' is missing`);
  return dflt;
}

/** A shape attribute: extents (−1 unknown), null for an unknown rank, undefined when absent. */
export function attrShape(at: At, key: string): TfDims | undefined {
  return attr(at, key, 'shape')?.value;
}

export function attrType(at: At, key: string): number | undefined {
  return attr(at, key, 'type')?.value;
}

/** The element type attribute (default 'T') must be float32 when present. */
export function requireFloat(at: At, key = 'T'): void {
  const t = attrType(at, key);
  if (t !== undefined && t !== DT.FLOAT)
    throw refuse(at, `attribute ${key} = ${dataTypeName(t)}; only DT_FLOAT tensors are supported`);
}

/** data_format must be the channels-last one for this rank (NHWC / NDHWC), or absent. */
export function requireChannelsLast(at: At, rank: number): void {
  const want = rank === 5 ? 'NDHWC' : 'NHWC';
  const f = attrString(at, 'data_format', want);
  if (f !== want) throw refuse(at, `data_format ${f} is not supported; only ${want} (TF's default) is`);
}

/** A per-axis attribute [1, a_1 … a_k, 1] of a rank-r NHWC op → [a_1 … a_k] (batch/channel entries must be 1). */
export function spatialAttr(at: At, key: string, rank: number, dflt?: number): number[] {
  const xs = attrInts(at, key, dflt === undefined ? undefined : new Array<number>(rank).fill(dflt));
  if (xs.length !== rank)
    throw broken(
      at,
      `attribute '${key}' has ${xs.length} entries, expected ${rank} (one per axis of the ${rank}-D input)`,
    );
  if (xs[0] !== 1 || xs[rank - 1] !== 1)
    throw refuse(at, `${key} [${xs.join(',')}] on the batch or channel axis; only 1 is supported there`);
  const inner = xs.slice(1, rank - 1);
  if (inner.some((v) => !Number.isSafeInteger(v) || v < 1))
    throw broken(at, `attribute '${key}' [${xs.join(',')}] has an entry below 1`);
  return inner;
}

/**
 * Explicit pads [begin_1 … begin_k, end_1 … end_k] for the k spatial axes: VALID → none; SAME → TF's
 * rule (total = max((⌈in/s⌉ − 1)·s + span − in, 0), the odd pad at the end); EXPLICIT → the
 * `explicit_paddings` pairs (zero on batch and channel).
 */
export function spatialPads(
  at: At,
  input: readonly number[],
  span: readonly number[],
  strides: readonly number[],
): number[] {
  const padding = attrString(at, 'padding');
  const k = input.length;
  if (padding === 'VALID') return new Array<number>(2 * k).fill(0);
  if (padding === 'SAME') {
    const begin: number[] = [];
    const end: number[] = [];
    input.forEach((n, i) => {
      const s = strides[i] as number;
      const out = Math.ceil(n / s);
      const total = Math.max((out - 1) * s + (span[i] as number) - n, 0);
      begin.push(Math.floor(total / 2));
      end.push(total - Math.floor(total / 2));
    });
    return [...begin, ...end];
  }
  if (padding === 'EXPLICIT') {
    const e = attrInts(at, 'explicit_paddings');
    const r = k + 2;
    if (e.length !== 2 * r)
      throw broken(at, `explicit_paddings has ${e.length} entries, expected ${2 * r} (a pair per axis)`);
    if (e[0] !== 0 || e[1] !== 0 || e[2 * r - 2] !== 0 || e[2 * r - 1] !== 0)
      throw refuse(at, 'explicit_paddings on the batch or channel axis; only 0 is supported there');
    if (e.some((v) => v < 0)) throw broken(at, 'explicit_paddings has a negative entry');
    const pairs = Array.from(
      { length: k },
      (_, i) => [e[2 * (i + 1)] as number, e[2 * (i + 1) + 1] as number] as const,
    );
    return [...pairs.map((p) => p[0]), ...pairs.map((p) => p[1])];
  }
  throw refuse(at, `padding ${padding} is not supported; SAME, VALID and EXPLICIT are`);
}
