/**
 * The class of a classifier's output: the index of the largest value of each row (cryptflow run's
 * `class`), shared by the CLI's reports and the browser page.
 */
import type { Shape } from '../../spec/geometry.js';

/** Arg-max along the last axis of each row (first maximum), for rank ≤ 2 shapes with ≥ 2 columns. */
export function rowArgmax(shape: Shape, v: ArrayLike<number>): number[] | undefined {
  const k = shape[shape.length - 1] ?? 0;
  if (shape.length === 0 || shape.length > 2 || k < 2) return undefined;
  const out: number[] = [];
  for (let r = 0; r < v.length / k; r++) {
    let best = 0;
    for (let j = 1; j < k; j++) if ((v[r * k + j] as number) > (v[r * k + best] as number)) best = j;
    out.push(best);
  }
  return out;
}
