/**
 * Attribute and shape well-formedness, shared by the per-operator shape rules.
 *
 * Each check returns null when the attribute is well-formed and otherwise a message naming the
 * attribute, the offending entry and the shapes that determine what was expected. Attribute values
 * are structural (never tensor data), so they may appear in messages.
 */
import * as E from 'fp-ts/lib/Either.js';
import { showShape, type Shape } from '../../spec/geometry.js';

export type ShapeResult = E.Either<string, Shape>;

export const fail = (message: string): ShapeResult => E.left(message);
export const ok = (shape: Shape): ShapeResult => E.right(shape);
export const show = showShape;

export function showList(xs: readonly number[]): string {
  return `[${xs.map(String).join(',')}]`;
}

export function isIntAtLeast(v: number, min: number): boolean {
  return Number.isSafeInteger(v) && v >= min;
}

/** A shape is a list of positive safe integers (rank 0 allowed: a scalar). */
export function checkShape(what: string, shape: Shape): string | null {
  const bad = shape.findIndex((d) => !isIntAtLeast(d, 1));
  return bad < 0 ? null : `${what} ${showList(shape)} has dimension ${bad} not a positive integer`;
}

/** An integer list of exactly `length` entries, each ≥ `min`; `why` explains the expected length. */
export function checkInts(
  what: string,
  xs: readonly number[],
  length: number,
  min: number,
  why: string,
): string | null {
  if (xs.length !== length) return `${what} must have ${length} entries (${why}), got ${showList(xs)}`;
  const bad = xs.findIndex((v) => !isIntAtLeast(v, min));
  return bad < 0 ? null : `${what}[${bad}] must be an integer ≥ ${min}, got ${String(xs[bad])}`;
}

/** An axis in [0, rank) (the IR stores normalised, non-negative axes). */
export function checkAxis(what: string, axis: number, rank: number, x: Shape): string | null {
  return isIntAtLeast(axis, 0) && axis < rank
    ? null
    : `${what} ${String(axis)} is out of range for x ${show(x)} (expected 0 ≤ ${what} < ${rank})`;
}

/** The first non-null message, or null. */
export function firstError(...checks: ReadonlyArray<() => string | null>): string | null {
  for (const c of checks) {
    const m = c();
    if (m !== null) return m;
  }
  return null;
}

export function dim(shape: Shape, i: number): number {
  return shape[i] ?? 0;
}
