/**
 * Load a model for the compiler, choosing the reader by the file: `.onnx` (ONNX ModelProto), `.pb`
 * (a frozen TensorFlow GraphDef), a `.json` holding a TensorFlow.js graph model (model.json, with its
 * weight shards beside it), or an HLIL program (`.hlil` text, or the JSON form) with its server
 * weights in a separate file, or `zoo:NAME`, a model of the zoo (harness/zoo/zoo.ts) built in memory
 * and read as the ONNX file `cryptflow zoo export NAME` writes. The result is the frontends'
 * contract: an HLIL program whose weights are server inputs, and their values.
 *
 * Weights file (HLIL programs only): a JSON object mapping each server input to its values, as an
 * input file (harness/io/inputs.ts); entries naming client inputs are ignored, so one file holding
 * every input serves both `eval --input` and `compile --weights`. Without it the program compiles, but
 * what needs the weights' values (BatchNorm precomputation, the range report, scale selection) says so.
 * Errors name the file and never print values.
 */
import { readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { CryptflowError } from '../../spec/errors.js';
import type { HProgram } from '../../ir/hlil.js';
import type { ImportedModel, ModelFormat } from '../../passes/frontend/model.js';
import type { GraphSecrecy } from '../../passes/secrecy/graph.js';
import { SecrecyRejection } from '../../passes/secrecy/report.js';
import { onnxToHlil } from '../../passes/frontend/onnx/index.js';
import { graphDefToHlil } from '../../passes/frontend/tf/graphdef.js';
import { tfjsToHlil } from '../../passes/frontend/tf/tfjs.js';
import { zooModel } from '../zoo/zoo.js';
import { shapeOnlyWeights } from '../zoo/synthetic-weights.js';
import { parseInputs } from './inputs.js';
import { parseProgram } from './program.js';

export type ModelSource = ModelFormat | 'hlil';

export interface LoadedModel {
  readonly format: ModelSource;
  readonly program: HProgram;
  readonly weights: ReadonlyMap<string, Float32Array>;
  /** Server inputs with no values (an HLIL program loaded without a weights file). */
  readonly missingWeights: readonly string[];
  /** The frontend's secrecy flow over the graph as read (passes/secrecy/graph.ts); absent for HLIL. */
  readonly secrecy?: GraphSecrecy;
}

export interface ModelLoadOptions {
  /** Weights file, for HLIL programs. */
  readonly weights?: string;
  /** ONNX: the extent of a symbolic batch axis of the graph inputs. */
  readonly batch?: number;
  /** TensorFlow (GraphDef, TF.js): full shapes of placeholders with unknown extents, by node name. */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
  /**
   * `zoo:NAME`: 'seeded' (default) draws the stand-in weights; 'shape-only' fills every layer with one
   * value (for commands that read only the structure, such as `cost`: the same program, faster).
   */
  readonly zooWeights?: 'seeded' | 'shape-only';
}

function readBytes(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new CryptflowError(
      'input',
      `cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`,
    );
  }
}

function readText(path: string, what: string): string {
  return new TextDecoder().decode(readBytes(path, what));
}

/** Is this JSON text a TensorFlow.js graph model (model.json)? */
function isTfjs(text: string): boolean {
  try {
    const j: unknown = JSON.parse(text);
    return typeof j === 'object' && j !== null && ('modelTopology' in j || 'weightsManifest' in j);
  } catch {
    return false;
  }
}

/** Server weights of `p` from a JSON weights file (client entries ignored). */
export function readWeights(path: string, p: HProgram): Map<string, Float32Array> {
  const text = readText(path, 'weights file');
  let keys: string[] = [];
  try {
    const j: unknown = JSON.parse(text);
    if (typeof j === 'object' && j !== null && !Array.isArray(j)) keys = Object.keys(j);
  } catch {
    keys = [];
  }
  const client = new Set(p.decls.filter((d) => d.kind === 'input' && d.owner === 'client').map((d) => d.name));
  const server = p.decls.filter((d) => d.kind === 'input' && d.owner === 'server');
  const present = p.decls.filter((d) => d.kind === 'input' && d.owner === 'client' && keys.includes(d.name));
  const values = parseInputs(text, [...server, ...present], path);
  for (const name of client) values.delete(name);
  return values;
}

/** Frontend errors name the model part but not the file: add it. */
function inFile<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SecrecyRejection && !e.message.startsWith(path))
      throw new SecrecyRejection(e.code, `${path}: ${e.message}`, { ...e.report, subject: path });
    if (e instanceof CryptflowError && !e.message.startsWith(path))
      throw new CryptflowError(e.code, `${path}: ${e.message}`);
    throw e;
  }
}

function fromFrontend(m: ImportedModel): LoadedModel {
  return {
    format: m.format,
    program: m.program,
    weights: m.weights,
    missingWeights: [],
    ...(m.secrecy === undefined ? {} : { secrecy: m.secrecy }),
  };
}

/** Load the model at `path` (see the file header for the formats). */
export function loadModel(path: string, opts: ModelLoadOptions = {}): LoadedModel {
  const ext = extname(path).toLowerCase();
  const only = (format: ModelFormat): void => {
    if (opts.weights !== undefined)
      throw new CryptflowError('usage', `--weights is for HLIL programs; a ${format} model carries its own weights`);
    if (format === 'onnx' && opts.inputShapes !== undefined)
      throw new CryptflowError('usage', '--input-shape is for TensorFlow models; for ONNX use --batch');
    if (format !== 'onnx' && opts.batch !== undefined)
      throw new CryptflowError('usage', '--batch is for ONNX models; for TensorFlow use --input-shape');
  };
  const tf = opts.inputShapes === undefined ? {} : { inputShapes: opts.inputShapes };
  const zoo = path.startsWith('zoo:');
  if (ext === '.onnx' || zoo) {
    only('onnx');
    const bytes = zoo
      ? zooModel(path.slice(4), opts.zooWeights === 'shape-only' ? shapeOnlyWeights() : undefined)
      : readBytes(path, 'model');
    return fromFrontend(inFile(path, () => onnxToHlil(bytes, opts.batch === undefined ? {} : { batch: opts.batch })));
  }
  if (ext === '.pb') {
    only('tf-graphdef');
    const bytes = readBytes(path, 'model');
    return fromFrontend(inFile(path, () => graphDefToHlil(bytes, tf)));
  }
  const text = readText(path, 'model');
  if (ext === '.json' && isTfjs(text)) {
    only('tfjs');
    const shard = (p: string): Uint8Array => readBytes(join(dirname(path), p), 'weight shard');
    return fromFrontend(inFile(path, () => tfjsToHlil(text, shard, tf)));
  }
  if (opts.batch !== undefined || opts.inputShapes !== undefined)
    throw new CryptflowError(
      'usage',
      '--batch and --input-shape are for ONNX and TensorFlow models; an HLIL program declares its shapes',
    );
  const loaded = parseProgram(text, path);
  if (loaded.ir !== 'hlil')
    throw new CryptflowError('usage', `${path} is an LLIL program; compile takes a model or an HLIL program`);
  const p = loaded.program;
  const weights = opts.weights === undefined ? new Map<string, Float32Array>() : readWeights(opts.weights, p);
  const missingWeights = p.decls
    .filter((d) => d.kind === 'input' && d.owner === 'server' && !weights.has(d.name))
    .map((d) => d.name);
  return { format: 'hlil', program: p, weights, missingWeights };
}
