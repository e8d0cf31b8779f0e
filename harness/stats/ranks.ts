/**
 * Midranks: the rank of each value in its sample, 1-based, with tied values sharing the mean of the
 * ranks they span (ranks 3, 4, 5 tied → 4 each). The DeLong variance (delong.ts) is written in them.
 */
import { CryptflowError } from '../../spec/errors.js';

export function midranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++)
    if (Number.isNaN(values[i] as number)) throw new CryptflowError('input', `cannot rank NaN (entry ${i})`);
  order.sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    const v = values[order[i] as number] as number;
    while (j + 1 < n && values[order[j + 1] as number] === v) j++;
    // Positions i..j (0-based) hold ranks i+1..j+1: their mean is (i + j)/2 + 1.
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = r;
    i = j + 1;
  }
  return ranks;
}
