/**
 * Closed-form communication of the malicious three-party backend (protocols/malicious3/): bytes per
 * directed link and rounds, as `Schedule`s (spec/cost/nonlinear.ts). Every party sends in every step,
 * so all three parties advance together. E = ⌈(ℓ + s)/8⌉ bytes per element of Z_{2^{ℓ+s}}.
 *
 *   step              messages (each party p)                         links
 *   product(T)        T elements to p − 1                             backward: P0→P2, P1→P0, P2→P1
 *   open(n)           n elements to p + 1                             forward: P0→P1, P1→P2, P2→P0
 *   check             48 bytes (digest, coin) to both; then E back;   all six: 48 + E; backward +2E
 *                     then E back; then one element to both
 *   mult(n)           product(2n): value and MAC; cmult(n) = check, then mult(n) (operands checked first)
 *   bits(n·k)         product(3nk) (MACs of the PRG bits), cmult(nk), cmult(nk)
 *   decompose(n)      bits(n·k), product(n) (MAC of the high mask), open(n), check, mult(n),
 *                     (k − 2)× cmult(n)
 *   ReLU(n)           decompose(n), cmult(n)           Trunc(n)  decompose(n)
 *                     (both per chunk of at most DECOMPOSE_CHUNK elements, as is [x ≥ 0] below)
 *   Div(n)            decompose(n), decompose(ℓ·n) (a divisor that is not one power of two for all)
 *   MaxPool(R, k)     per tree level with p pairs: decompose(p·R), cmult(p·R)
 *   ArgMax(r, c)      per tree level with p pairs: decompose(p·r), cmult(2·p·r)
 *   Mul/MatMul/Conv   secret × secret: mult(output size) (a dot product costs one multiplication)
 *   every node that multiplies ends with a check (so a node's cost does not depend on its neighbours)
 *
 * Per element at ℓ = 64 and the default s = 48 (E = 14; protocols/malicious3/rss.ts `DEFAULT_S`): a
 * product 28 B on each backward link; ReLU (9ℓ + 1)·E = 8,078 B per backward link plus E per forward
 * link (24,276 B over the six), plus the checks' constants.
 */
import { chain, costOf, NOTHING, repeat, step, type Schedule } from './nonlinear.js';
import type { Cost } from './types.js';

type P = 0 | 1 | 2;
const PARTIES: readonly P[] = [0, 1, 2];
const back = (p: P): P => ((p + 2) % 3) as P;
const fwd = (p: P): P => ((p + 1) % 3) as P;

export function elementBytes(ell: number, s: number): number {
  return Math.ceil((ell + s) / 8);
}

/** One replicated product round of T elements (each party sends T elements to the previous one). */
export function productStep(E: number, total: number): Schedule {
  return step(...PARTIES.map((p) => [p, back(p), total * E] as const));
}

export function openStep(E: number, n: number): Schedule {
  return step(...PARTIES.map((p) => [p, fwd(p), n * E] as const));
}

/** The batched MAC check (session.ts `verify`). */
export function checkSchedule(E: number): Schedule {
  const both = (bytes: number): Schedule =>
    step(...PARTIES.flatMap((p) => [[p, fwd(p), bytes] as const, [p, back(p), bytes] as const]));
  return chain(both(48), productStep(E, 1), productStep(E, 1), both(E));
}

export function multSchedule(E: number, n: number): Schedule {
  return productStep(E, 2 * n);
}

/** A product of n authenticated values after the check of what is pending (session.ts `mult`). */
export function checkedMultSchedule(E: number, n: number): Schedule {
  return chain(checkSchedule(E), multSchedule(E, n));
}

export function decomposeSchedule(ell: number, s: number, n: number): Schedule {
  const E = elementBytes(ell, s);
  const nk = n * ell;
  return chain(
    productStep(E, 3 * nk),
    checkedMultSchedule(E, nk),
    checkedMultSchedule(E, nk),
    productStep(E, n),
    openStep(E, n),
    checkSchedule(E),
    multSchedule(E, n),
    repeat(ell - 2, checkedMultSchedule(E, n)),
  );
}

/**
 * Comparisons and truncations run on at most this many elements at a time (protocols/malicious3/bits.ts
 * `inChunks`): a decomposition holds k authenticated bits per element, so one of SqueezeNet's 788,544-
 * element truncations in one batch would need tens of GB per party. Each chunk repeats the same steps
 * (their checks' constants included); the per-element bytes do not change.
 */
export const DECOMPOSE_CHUNK = 1 << 14;

/** The chunk sizes of n elements (n itself when it fits one chunk, 0 included). */
export function chunkSizes(n: number): number[] {
  if (n <= DECOMPOSE_CHUNK) return [n];
  const out: number[] = [];
  for (let at = 0; at < n; at += DECOMPOSE_CHUNK) out.push(Math.min(DECOMPOSE_CHUNK, n - at));
  return out;
}

function perChunk(n: number, f: (c: number) => Schedule): Schedule {
  return chain(...chunkSizes(n).map(f));
}

/** Decompositions of n elements, chunk by chunk (truncation, [x ≥ 0]). */
function decomposeChunks(ell: number, s: number, n: number): Schedule {
  return perChunk(n, (c) => decomposeSchedule(ell, s, c));
}

/** ReLU without the node's closing check (a tree level), chunk by chunk. */
function reluLevel(ell: number, s: number, n: number): Schedule {
  return perChunk(n, (c) => chain(decomposeSchedule(ell, s, c), checkedMultSchedule(elementBytes(ell, s), c)));
}

/** Every node that multiplied ends with a check of what it left pending (index.ts `run`). */
function closed(ell: number, s: number, body: Schedule): Schedule {
  return chain(body, checkSchedule(elementBytes(ell, s)));
}

export function reluSchedule(ell: number, s: number, n: number): Schedule {
  return closed(ell, s, reluLevel(ell, s, n));
}

export function truncSchedule(ell: number, s: number, n: number): Schedule {
  return closed(ell, s, decomposeChunks(ell, s, n));
}

/** Pairs per level of a tree reduction of k columns. */
export function treeLevels(k: number): number[] {
  const out: number[] = [];
  for (let c = k; c > 1; c = Math.ceil(c / 2)) out.push(Math.floor(c / 2));
  return out;
}

/** Exact division by public constants (division.ts): decompose(n), then k·n comparisons. */
export function divideSchedule(ell: number, s: number, n: number): Schedule {
  return closed(ell, s, chain(decomposeSchedule(ell, s, n), decomposeChunks(ell, s, ell * n)));
}

export function maxPoolSchedule(ell: number, s: number, r: number, k: number): Schedule {
  const levels = treeLevels(k);
  return levels.length === 0 ? NOTHING : closed(ell, s, chain(...levels.map((p) => reluLevel(ell, s, p * r))));
}

export function argmaxSchedule(ell: number, s: number, r: number, c: number): Schedule {
  const E = elementBytes(ell, s);
  const levels = treeLevels(c);
  return levels.length === 0
    ? NOTHING
    : closed(
        ell,
        s,
        chain(...levels.map((p) => chain(decomposeChunks(ell, s, p * r), checkedMultSchedule(E, 2 * p * r)))),
      );
}

/** A secret × secret product node: nothing is pending at a node's start, so no check before it. */
export function bilinearSchedule(ell: number, s: number, nOut: number): Schedule {
  return closed(ell, s, multSchedule(elementBytes(ell, s), nOut));
}

export const malicious3Costs = {
  product: (ell: number, s: number, nOut: number): Cost => costOf(bilinearSchedule(ell, s, nOut)),
  relu: (ell: number, s: number, n: number): Cost => costOf(reluSchedule(ell, s, n)),
  trunc: (ell: number, s: number, n: number): Cost => costOf(truncSchedule(ell, s, n)),
  divide: (ell: number, s: number, n: number): Cost => costOf(divideSchedule(ell, s, n)),
  maxPool: (ell: number, s: number, r: number, k: number): Cost => costOf(maxPoolSchedule(ell, s, r, k)),
  argmax: (ell: number, s: number, r: number, c: number): Cost => costOf(argmaxSchedule(ell, s, r, c)),
  free: (): Cost => costOf(NOTHING),
};
