/**
 * Helpers of the browser test: the plaintext fixed-point encoding of an input (round(v · 2^s) in the
 * ring Z_2^64, little-endian words), which must never appear in what the page sends.
 */
export function encodeFixed(values: Float32Array, scale: number): BigUint64Array {
  const out = new BigUint64Array(values.length);
  const mod = 1n << 64n;
  values.forEach((v, i) => {
    const x = BigInt(Math.round(v * 2 ** scale));
    out[i] = ((x % mod) + mod) % mod;
  });
  return out;
}
