/**
 * The frozen-GraphDef frontend: a TensorFlow `.pb` (binary tensorflow.GraphDef, variables frozen
 * into Consts) → ImportedModel (format 'tf-graphdef'). Bytes that protobufjs cannot decode (truncated,
 * not a GraphDef) are a 'parse' error saying so; the rest is translate.ts.
 */
import { malformed, type ImportedModel } from '../model.js';
import { readGraph } from './graph.js';
import { decodeGraphDefPlain } from './schema.js';
import { translateGraph, type TfImportOptions } from './translate.js';

export type { TfImportOptions } from './translate.js';

export function graphDefToHlil(bytes: Uint8Array, opts: TfImportOptions = {}): ImportedModel {
  let plain: unknown;
  try {
    plain = decodeGraphDefPlain(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : 'unknown decoding error';
    throw malformed(
      'tf-graphdef',
      'GraphDef',
      `the ${bytes.length} bytes are not a complete tensorflow.GraphDef message (truncated or another format): ${why}`,
    );
  }
  return translateGraph('tf-graphdef', readGraph('tf-graphdef', plain), opts);
}
