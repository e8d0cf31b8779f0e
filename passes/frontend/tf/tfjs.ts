/**
 * The TensorFlow.js graph-model frontend: `model.json` + binary weight shards → ImportedModel
 * (format 'tfjs').
 *
 * model.json holds `modelTopology`, a GraphDef in protobuf's JSON mapping whose Const nodes carry
 * only dtype and shape, and `weightsManifest`, a list of groups {paths, weights: [{name, shape,
 * dtype}]}: a group's shards, concatenated in order, hold its weights one after another as
 * little-endian float32 / int32 (bool: one byte). Every Const takes its value from the manifest entry
 * of the same name. An optional `signature.outputs` names the graph's outputs.
 *
 * A bad model.json (not JSON, missing or mistyped fields), a shard that cannot be read, too short or
 * too long, and a Const without weights are 'parse' errors naming the part; quantised weights and
 * Keras layers-models are 'unsupported'.
 */
import { CryptflowError } from '../../../spec/errors.js';
import { numel } from '../../../spec/geometry.js';
import { malformed, type ImportedModel } from '../model.js';
import { readGraph, type TfGraph, type TfNode, type TfTensor } from './graph.js';
import { DT, graphDefJsonToPlain } from './schema.js';
import { translateGraph, type TfImportOptions } from './translate.js';

export type { TfImportOptions } from './translate.js';

type Obj = Readonly<Record<string, unknown>>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const bad = (where: string, why: string): CryptflowError => malformed('tfjs', where, why);

interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
}

const ELEM_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1 };

function readSpec(v: unknown, where: string): WeightSpec {
  if (!isObj(v)) throw bad(where, 'expected an object {name, shape, dtype}');
  const { name, shape, dtype, quantization } = v;
  if (typeof name !== 'string' || name === '') throw bad(where, "'name' must be a non-empty string");
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0))
    throw bad(`weight '${name}'`, "'shape' must be a list of non-negative integers");
  if (typeof dtype !== 'string') throw bad(`weight '${name}'`, "'dtype' must be a string");
  if (quantization !== undefined)
    throw new CryptflowError(
      'unsupported',
      `tfjs model: weight '${name}' is quantised; only unquantised float32/int32 weights are supported`,
    );
  if (ELEM_BYTES[dtype] === undefined)
    throw new CryptflowError(
      'unsupported',
      `tfjs model: weight '${name}' has dtype ${dtype}; only float32, int32 and bool weights are supported`,
    );
  return { name, shape: shape as number[], dtype };
}

function readShards(group: number, paths: readonly string[], readShard: (path: string) => Uint8Array): Uint8Array {
  if (paths.length === 0) throw bad(`weightsManifest[${group}]`, "'paths' is empty");
  const parts = paths.map((p) => {
    let bytes: unknown;
    try {
      bytes = readShard(p);
    } catch (e) {
      throw bad(`weight shard '${p}'`, `could not be read (${e instanceof Error ? e.message : 'unknown error'})`);
    }
    if (!(bytes instanceof Uint8Array)) throw bad(`weight shard '${p}'`, 'the shard reader did not return bytes');
    return bytes;
  });
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

function decodeWeight(spec: WeightSpec, bytes: Uint8Array, offset: number): TfTensor {
  const n = numel(spec.shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, n * (ELEM_BYTES[spec.dtype] ?? 0));
  if (spec.dtype === 'float32')
    return {
      kind: 'float',
      shape: spec.shape,
      data: Float32Array.from({ length: n }, (_, i) => view.getFloat32(4 * i, true)),
    };
  if (spec.dtype === 'int32')
    return { kind: 'int', shape: spec.shape, data: Array.from({ length: n }, (_, i) => view.getInt32(4 * i, true)) };
  return { kind: 'other', shape: spec.shape, dtype: DT.BOOL };
}

/** Every weight of the manifest, by name, read from the shards. */
function readWeights(manifest: unknown, readShard: (path: string) => Uint8Array): Map<string, TfTensor> {
  if (!Array.isArray(manifest)) throw bad('weightsManifest', 'expected a list of weight groups');
  const out = new Map<string, TfTensor>();
  manifest.forEach((g: unknown, gi) => {
    const where = `weightsManifest[${gi}]`;
    if (!isObj(g) || !Array.isArray(g['paths']) || !Array.isArray(g['weights']))
      throw bad(where, 'expected {paths: [...], weights: [...]}');
    const paths = g['paths'] as unknown[];
    if (!paths.every((p): p is string => typeof p === 'string')) throw bad(where, "'paths' must be strings");
    const specs = (g['weights'] as unknown[]).map((w, wi) => readSpec(w, `${where}.weights[${wi}]`));
    const bytes = readShards(gi, paths, readShard);
    let offset = 0;
    for (const s of specs) {
      const size = numel(s.shape) * (ELEM_BYTES[s.dtype] ?? 0);
      if (offset + size > bytes.length)
        throw bad(
          where,
          `the shards hold ${bytes.length} bytes, too few for weight '${s.name}' (bytes ${offset} to ${offset + size})`,
        );
      if (out.has(s.name)) throw bad(where, `weight '${s.name}' appears twice in the manifest`);
      out.set(s.name, decodeWeight(s, bytes, offset));
      offset += size;
    }
    if (offset !== bytes.length)
      throw bad(where, `the shards hold ${bytes.length} bytes but the manifest describes ${offset}`);
  });
  return out;
}

/** The graph with every Const's value taken from the manifest. */
function withWeights(graph: TfGraph, weights: ReadonlyMap<string, TfTensor>): TfGraph {
  const nodes = graph.nodes.map((n): TfNode => {
    if (n.op !== 'Const') return n;
    const w = weights.get(n.name);
    if (w === undefined) throw bad('weightsManifest', `no weight for Const node '${n.name}'`);
    const declared = n.attrs.get('value');
    if (declared?.kind === 'tensor' && declared.value.shape.join(',') !== w.shape.join(',')) {
      throw bad(
        `Const node '${n.name}'`,
        `its shape [${declared.value.shape.join(',')}] differs from the manifest's [${w.shape.join(',')}]`,
      );
    }
    return { ...n, attrs: new Map([...n.attrs, ['value', { kind: 'tensor', value: w }]]) };
  });
  return { nodes };
}

function signatureOutputs(sig: unknown): string[] | undefined {
  if (!isObj(sig) || !isObj(sig['outputs'])) return undefined;
  return Object.entries(sig['outputs']).map(([key, v]) =>
    isObj(v) && typeof v['name'] === 'string' ? v['name'] : key,
  );
}

export function tfjsToHlil(
  modelJson: string,
  readShard: (path: string) => Uint8Array,
  opts: TfImportOptions = {},
): ImportedModel {
  let json: unknown;
  try {
    json = JSON.parse(modelJson);
  } catch {
    throw bad('model.json', 'is not valid JSON');
  }
  if (!isObj(json)) throw bad('model.json', 'expected a JSON object');
  const format = json['format'];
  if (format !== undefined && format !== 'graph-model') {
    throw new CryptflowError(
      'unsupported',
      `tfjs model: format '${String(format)}'; only TF.js graph models ('graph-model', from tensorflowjs_converter --output_format=tfjs_graph_model) are supported`,
    );
  }
  const topology = json['modelTopology'];
  if (!isObj(topology) || !Array.isArray(topology['node']))
    throw bad('modelTopology', 'expected a GraphDef object with a node list');
  let plain: unknown;
  try {
    plain = graphDefJsonToPlain(topology);
  } catch (e) {
    throw bad(
      'modelTopology',
      `is not a GraphDef in protobuf JSON form (${e instanceof Error ? e.message : 'unknown error'})`,
    );
  }
  const graph = withWeights(readGraph('tfjs', plain), readWeights(json['weightsManifest'], readShard));
  return translateGraph('tfjs', graph, opts, signatureOutputs(json['signature']));
}
