/**
 * What every frontend (ONNX, TensorFlow GraphDef, TensorFlow.js) produces: an HLIL program whose
 * weights are server-owned inputs (the model vendor's secrets, never public constants), together with
 * the float values of those weights, kept apart from the program so that the client's side of a run
 * never holds them.
 *
 * Frontend errors are CryptflowErrors: 'parse' for a malformed or truncated file, 'unsupported' for an
 * operator, attribute or dynamic shape outside what we support (naming the operator, the node and what
 * is supported), 'shape' for a graph whose shapes do not fit. No error message carries a weight value.
 */
import { CryptflowError } from '../../spec/errors.js';
import type { HProgram } from '../../ir/hlil.js';
import type { GraphSecrecy } from '../secrecy/graph.js';

export type ModelFormat = 'onnx' | 'tf-graphdef' | 'tfjs';

export interface ImportedModel {
  readonly format: ModelFormat;
  /** The HLIL program: client inputs (the graph's inputs) and server inputs (its weights). */
  readonly program: HProgram;
  /** The server's weight values, one per server-owned input of `program`. */
  readonly weights: ReadonlyMap<string, Float32Array>;
  /** The secrecy flow over the graph as read, before lowering (passes/secrecy/graph.ts). */
  readonly secrecy?: GraphSecrecy;
}

/** An unsupported operator (or attribute value) in a named node, with what is supported instead. */
export function unsupported(format: ModelFormat, op: string, node: string, what: string): CryptflowError {
  return new CryptflowError('unsupported', `${format} node '${node}' (${op}): ${what}`);
}

/** A malformed or truncated model file; `where` says which part could not be read. */
export function malformed(format: ModelFormat, where: string, why: string): CryptflowError {
  return new CryptflowError('parse', `${format} model: ${where}: ${why}`);
}
