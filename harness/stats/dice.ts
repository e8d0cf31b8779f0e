/**
 * Dice similarity of label maps (segmentations): for class c, 2|A_c ∩ B_c| / (|A_c| + |B_c|), where
 * A_c and B_c are the voxels labelled c in each map. Convention: when neither map has class c, its
 * Dice is 1 (the maps agree that it is absent) and `empty` says so.
 */
import { CryptflowError } from '../../spec/errors.js';

export interface DiceScore {
  readonly cls: number;
  readonly dice: number;
  /** Voxels of the class in each map. */
  readonly a: number;
  readonly b: number;
  readonly empty: boolean;
}

export function dicePerClass(a: ArrayLike<number>, b: ArrayLike<number>, classes: number): DiceScore[] {
  if (a.length !== b.length)
    throw new CryptflowError('input', `Dice needs label maps of one size, got ${a.length} and ${b.length} voxels`);
  const inA = new Float64Array(classes);
  const inB = new Float64Array(classes);
  const both = new Float64Array(classes);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= classes || y >= classes) {
      throw new CryptflowError('input', `voxel ${i} holds a label outside 0..${classes - 1}`);
    }
    inA[x] = (inA[x] as number) + 1;
    inB[y] = (inB[y] as number) + 1;
    if (x === y) both[x] = (both[x] as number) + 1;
  }
  return Array.from({ length: classes }, (_, c) => {
    const sa = inA[c] as number;
    const sb = inB[c] as number;
    const empty = sa + sb === 0;
    return { cls: c, dice: empty ? 1 : (2 * (both[c] as number)) / (sa + sb), a: sa, b: sb, empty };
  });
}
