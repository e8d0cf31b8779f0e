/**
 * What the random ONNX steps share: the step signature, the size cap, and helpers that write
 * attributes (sometimes even when they hold the default, so both spellings are exercised) and nodes.
 */
import type { Shape } from '../../spec/geometry.js';
import type { AttrValue } from '../../passes/frontend/onnx/writer.js';
import type { OnnxGen, Val } from './onnx-gen.js';

export type OnnxStep = (gen: OnnxGen, x: Val, pool: readonly Val[]) => Val | null;

/** Values with more elements than this are not grown further. */
export const BIG = 256;

export type Attrs = Record<string, AttrValue>;

export function divisors(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
}

export const dim = (s: Shape, i: number): number => s[i] ?? 1;

/** Write an attribute when it differs from the default, or at random when it does not. */
export function maybe(gen: OnnxGen, attrs: Attrs, name: string, value: AttrValue, isDefault: boolean): void {
  if (!isDefault || gen.c.int(0, 3) === 0) attrs[name] = value;
}

export const allOnes = (xs: readonly number[]): boolean => xs.every((v) => v === 1);
export const allZeros = (xs: readonly number[]): boolean => xs.every((v) => v === 0);

export function node(gen: OnnxGen, op: string, inputs: readonly string[], attrs: Attrs, shape: Shape): Val {
  return { name: gen.g.node(op, inputs, attrs), shape };
}

export type PadMode = 'NOTSET' | 'VALID' | 'SAME_UPPER' | 'SAME_LOWER';
