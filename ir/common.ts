/**
 * What the two IRs share: value names, parties, and attribute records.
 *
 * A program is a list of declarations (party-owned inputs and public constants), a list of nodes in
 * topological order (each defines exactly one new value named `out`), and declared outputs, each
 * revealed to one party. Values are referred to by name; names are unique in a program.
 */
import type { ConvGeometry, ConvTransposeGeometry, PoolGeometry, Shape } from '../spec/geometry.js';

export type { Shape };

/** The two data owners (CrypTFlow: the client holds the image, the server holds the weights). */
export type Owner = 'client' | 'server';
export const OWNERS: readonly Owner[] = ['client', 'server'];

export type ConvAttrs = ConvGeometry;
export type ConvTransposeAttrs = ConvTransposeGeometry;
export type PoolAttrs = PoolGeometry;

export interface AvgPoolAttrs extends PoolGeometry {
  /** ONNX count_include_pad: divide by the full window size (true) or by the unpadded count (false). */
  readonly countIncludePad: boolean;
}

/** Names may use letters, digits, '_', '.', ':' and '/', and must not start with a digit. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.:/]*$/;
