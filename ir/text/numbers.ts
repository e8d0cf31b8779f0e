/**
 * Number spellings of the text syntax that round-trip exactly: float32 constants in their shortest
 * decimal form, binary64 attributes (epsilon, HLIL pad value) likewise, and −0 kept as "-0".
 */

/** Shortest decimal string that reads back (through Math.fround) as exactly the float32 `x`. */
export function showFloat32(x: number): string {
  if (Object.is(x, -0)) return '-0';
  for (let p = 1; p <= 9; p++) {
    const s = Number(x.toPrecision(p));
    if (Math.fround(s) === x) return String(s);
  }
  return String(x);
}

/** Shortest decimal string of a binary64 (JavaScript's own), keeping −0. */
export function showFloat64(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}
