/**
 * Human-readable sizes for reports: decimal units (1 kB = 1000 B), two decimals above a kilobyte. One
 * place for every harness report (compile, cost, run, party, zoo, benchmarks), so their figures agree.
 */

/** `n` bytes as `"<v> <unit>"` with unit B, kB, MB or GB. */
export function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let [v, u] = [n, 0];
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(2)} ${units[u]}`;
}
