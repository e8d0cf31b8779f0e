/**
 * Test helper: builds a TensorFlow graph once and writes it in both formats the frontends read —
 * a binary frozen GraphDef (Const values inline in tensor_content, or in float_val/int_val on
 * request) and a TF.js graph model (model.json whose Consts carry only dtype and shape, plus weight
 * shards holding the values, split across several shards to exercise concatenation).
 */
import { encodeGraphDefJson } from '../../../../passes/frontend/tf/schema.js';

type Json = Record<string, unknown>;

export type Attr = Json;

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

export const attr = {
  s: (v: string): Attr => ({ s: b64(new TextEncoder().encode(v)) }),
  i: (v: number): Attr => ({ i: String(v) }),
  f: (v: number): Attr => ({ f: v }),
  b: (v: boolean): Attr => ({ b: v }),
  type: (v: string): Attr => ({ type: v }),
  ints: (v: readonly number[]): Attr => ({ list: { i: v.map(String) } }),
  strs: (v: readonly string[]): Attr => ({ list: { s: v.map((x) => b64(new TextEncoder().encode(x))) } }),
  shape: (v: readonly number[] | null): Attr => ({
    shape: v === null ? { unknownRank: true } : { dim: v.map((d) => ({ size: String(d) })) },
  }),
};

const F = attr.type('DT_FLOAT');

interface ConstSpec {
  readonly name: string;
  readonly dtype: 'float32' | 'int32';
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

export class TfGraphBuilder {
  readonly nodes: Json[] = [];
  readonly consts: ConstSpec[] = [];
  readonly placeholders = new Map<string, readonly number[] | null | 'none'>();

  /** shape: extents (−1 unknown), null = unknown rank, 'none' = no shape attribute. */
  placeholder(name: string, shape: readonly number[] | null | 'none', dtype = 'DT_FLOAT'): string {
    const attrs: Json = { dtype: attr.type(dtype) };
    if (shape !== 'none') attrs['shape'] = attr.shape(shape);
    this.placeholders.set(name, shape);
    this.nodes.push({ name, op: 'Placeholder', attr: attrs });
    return name;
  }

  constF(name: string, shape: readonly number[], values: ArrayLike<number>): string {
    this.consts.push({ name, dtype: 'float32', shape, values: Array.from(values) });
    this.nodes.push({
      name,
      op: 'Const',
      attr: { dtype: F, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: attr.shape(shape)['shape'] } } },
    });
    return name;
  }

  constI(name: string, shape: readonly number[], values: readonly number[]): string {
    this.consts.push({ name, dtype: 'int32', shape, values });
    this.nodes.push({
      name,
      op: 'Const',
      attr: {
        dtype: attr.type('DT_INT32'),
        value: { tensor: { dtype: 'DT_INT32', tensorShape: attr.shape(shape)['shape'] } },
      },
    });
    return name;
  }

  /** An op node; `T: DT_FLOAT` is added unless `attrs` says otherwise. */
  op(name: string, op: string, inputs: readonly string[], attrs: Json = {}, withT = true): string {
    this.nodes.push({ name, op, input: [...inputs], attr: withT ? { T: F, ...attrs } : attrs });
    return name;
  }

  /** The GraphDef in protobuf JSON with every Const's values inline. */
  graphDefJson(inline: 'content' | 'vals' = 'content'): Json {
    const byName = new Map(this.consts.map((c) => [c.name, c] as const));
    const nodes = this.nodes.map((n) => {
      const c = byName.get(n['name'] as string);
      if (c === undefined) return n;
      const t: Json = {
        dtype: c.dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32',
        tensorShape: attr.shape(c.shape)['shape'],
      };
      if (inline === 'content') t['tensorContent'] = b64(constBytes(c));
      else if (c.dtype === 'float32') t['floatVal'] = c.values;
      else t['intVal'] = c.values;
      return { ...n, attr: { ...(n['attr'] as Json), value: { tensor: t } } };
    });
    return { node: nodes, versions: { producer: 1395 } };
  }

  graphDef(inline: 'content' | 'vals' = 'content'): Uint8Array {
    return encodeGraphDefJson(this.graphDefJson(inline));
  }

  /** TF.js graph model: model.json and its shards (the weights split into `shards` pieces). */
  tfjs(opts: { shards?: number; signatureOutputs?: readonly string[] } = {}): {
    modelJson: string;
    files: Map<string, Uint8Array>;
  } {
    const all = concatBytes(this.consts.map(constBytes));
    const k = Math.max(1, Math.min(opts.shards ?? 2, Math.max(all.length, 1)));
    const cut = (i: number): number => Math.floor((all.length * i) / k);
    const files = new Map<string, Uint8Array>();
    const paths = Array.from({ length: k }, (_, i) => `group1-shard${i + 1}of${k}.bin`);
    paths.forEach((p, i) => files.set(p, all.slice(cut(i), cut(i + 1))));
    const model: Json = {
      format: 'graph-model',
      generatedBy: 'cryptflow-ts tests',
      convertedBy: null,
      modelTopology: { node: this.nodes, library: {}, versions: { producer: 1395 } },
      weightsManifest: [{ paths, weights: this.consts.map((c) => ({ name: c.name, shape: c.shape, dtype: c.dtype })) }],
    };
    if (opts.signatureOutputs !== undefined) {
      model['signature'] = {
        outputs: Object.fromEntries(
          opts.signatureOutputs.map((o) => [`${o}:0`, { name: `${o}:0`, dtype: 'DT_FLOAT' }]),
        ),
      };
    }
    return { modelJson: JSON.stringify(model), files };
  }
}

function constBytes(c: ConstSpec): Uint8Array {
  const out = new Uint8Array(4 * c.values.length);
  const view = new DataView(out.buffer);
  c.values.forEach((v, i) => (c.dtype === 'float32' ? view.setFloat32(4 * i, v, true) : view.setInt32(4 * i, v, true)));
  return out;
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A shard reader over in-memory files (throws like a file system for a missing path). */
export function shardReader(files: ReadonlyMap<string, Uint8Array>): (path: string) => Uint8Array {
  return (path) => {
    const f = files.get(path);
    if (f === undefined) throw new Error(`ENOENT: no such file '${path}'`);
    return f;
  };
}

/** Deterministic test values in [−1, 1) (a fixed hash of the index and seed, no randomness). */
export function values(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => {
    const v = Math.sin((i + 1) * 12.9898 + seed * 78.233) * 43758.5453;
    return 2 * (v - Math.floor(v)) - 1;
  });
}

export const F32 = F;
