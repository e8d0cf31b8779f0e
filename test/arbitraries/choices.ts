/**
 * A choice sequence: programs are built deterministically from a list of naturals that fast-check
 * generates and shrinks (smaller naturals mean smaller shapes and simpler attributes). When the list
 * runs out every choice takes its lower bound, so any list decodes to some valid program.
 */
import fc from 'fast-check';

export class Choices {
  private i = 0;
  constructor(private readonly xs: readonly number[]) {}

  /** An integer in [lo, hi] (lo when hi < lo). */
  int(lo: number, hi: number): number {
    const x = this.xs[this.i++];
    if (x === undefined || hi <= lo) return lo;
    return lo + (x % (hi - lo + 1));
  }

  bool(): boolean {
    return this.int(0, 1) === 1;
  }

  pick<T>(items: readonly T[]): T {
    const x = items[this.int(0, items.length - 1)];
    if (x === undefined) throw new Error('pick from an empty list');
    return x;
  }

  /** A uniformly shuffled copy (Fisher–Yates driven by the sequence). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const a = out[i] as T;
      out[i] = out[j] as T;
      out[j] = a;
    }
    return out;
  }
}

/** A fixed number of naturals (fast-check biases variable-length arrays towards very short ones). */
export function choicesArb(length = 400): fc.Arbitrary<Choices> {
  return fc.array(fc.nat({ max: 1 << 20 }), { minLength: length, maxLength: length }).map((xs) => new Choices(xs));
}
