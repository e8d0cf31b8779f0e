/**
 * Exact view distributions of a whole security case by enumerating every honest draw (ℓ = 2).
 *
 * exact.ts substitutes chosen draws on one stream; this module enumerates all of them. With party c
 * corrupted, the honest randomness is every draw on a stream c does not hold: the other two parties'
 * own streams and the stream they share (c's own and shared streams come from its keys, which its
 * simulator is given, so they stay fixed). Each draw element is a coordinate with its range (2^ℓ for
 * a ring draw, m for `below`, p for a field draw, 2 for a bit); the two holders of a shared stream get
 * the same value at the same position, as the PRG-hybrid has it. The coordinates are found as the
 * run goes (a depth-first walk over the tree of choices, an odometer whose digits are discovered in
 * the order the protocol draws them), so nothing about the protocol's draw order is written here; a
 * run whose draws have another shape than the last run's at the same position is a bug.
 *
 * Byte draws feed only the permutations of PrivateCompare (arith.ts `permutations`, Fisher–Yates over
 * ℓ positions with rejection sampling on bytes): for position i = ℓ − 1 … 1 one byte b is read and,
 * when b is below the rejection bound, j = b mod (i + 1). Enumerating that byte over {0, …, i}
 * (`byteRadices` = ℓ, ℓ − 1, …, 2 per element, `permutationBytes`) gives each j once and never a
 * rejection, so every permutation is visited exactly once; the rest of the pool is never read.
 *
 * A run that drew k coordinates of ranges r_1 … r_k has probability 1/(r_1 ⋯ r_k); runs may draw
 * different numbers of coordinates (P2's simulator of PrivateCompare draws a position only when β′ = 1),
 * so each view is weighted by its runs' probabilities, kept as exact fractions over a common
 * denominator. The simulator's randomness is enumerated the same way (every draw from its PRG), and the
 * two exact distributions are compared for equality.
 */
import { bug } from '../../spec/errors.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import type { Prg } from '../../protocols/common/prg.js';
import { labelPrg, type PartySetup, type Which } from './check.js';
import { decodeView, flatten, layoutOf, type Layout } from './typed.js';
import { HookedPrg, mapPrograms, observe, withPrgs, yieldEventLoop, type DrawHook, type Keys } from './view.js';

/** A depth-first walk over every assignment of the coordinates a run asks for. */
export class Odometer {
  private readonly digits: number[] = [];
  private readonly radices: number[] = [];
  private used = 0;
  private readonly seen = new Map<string, number>();
  /** Runs so far, and the number of equally likely assignments the last complete run stands for. */
  runs = 0;
  size = 1n;

  constructor(private readonly maxRuns: number) {}

  /** The value of coordinate `key` (range [0, radix)) in this run. */
  value(key: string, radix: number): number {
    const at = this.seen.get(key);
    if (at !== undefined) {
      if (this.radices[at] !== radix) bug(`coordinate ${key} drawn with ranges ${this.radices[at]} and ${radix}`);
      return this.digits[at] ?? bug('digit');
    }
    const k = this.used++;
    this.seen.set(key, k);
    if (k < this.digits.length) {
      if (this.radices[k] !== radix) bug(`draw ${k} (${key}) changed its range between runs`);
      return this.digits[k] ?? bug('digit');
    }
    this.digits.push(0);
    this.radices.push(radix);
    return 0;
  }

  /** Close a run; false when every assignment has been visited. */
  next(): boolean {
    if (this.used !== this.digits.length) bug(`a run drew ${this.used} coordinates, the last ${this.digits.length}`);
    this.size = this.radices.reduce((a, r) => a * BigInt(r), 1n);
    this.runs++;
    this.used = 0;
    this.seen.clear();
    let i = this.digits.length - 1;
    while (i >= 0 && this.digits[i] === (this.radices[i] ?? 0) - 1) i--;
    if (i < 0) return false;
    this.digits[i] = (this.digits[i] ?? 0) + 1;
    this.digits.length = i + 1;
    this.radices.length = i + 1;
    if (this.runs >= this.maxRuns) bug(`more than ${this.maxRuns} runs to enumerate`);
    return true;
  }

  /** A hook giving every element of each draw its value from the walk (`drawHook`). */
  hook(at: () => string, byteRadices: readonly number[]): DrawHook {
    return drawHook(at, byteRadices, (key, radix) => this.value(key, radix));
  }
}

/** Where a hooked draw takes each element's value: the coordinate's name and its range. */
export type ValueOf = (key: string, radix: number) => number;

/**
 * A hook setting every element of each draw from `value`; `at` names the draw, element i is the
 * coordinate `name[i]` with the draw's range (2^ℓ for a ring draw, m for `below`, p for a field draw, 2
 * for a bit). The first `byteRadices.length` bytes of a byte draw take values below `byteRadices[i]`.
 */
export function drawHook(at: () => string, byteRadices: readonly number[], value: ValueOf): DrawHook {
  return (kind, param, out) => {
    const name = at();
    const radix = kind === 'ring' ? 2 ** Number(param) : kind === 'below' || kind === 'field' ? Number(param) : 2;
    const count = kind === 'bytes' ? Math.min(byteRadices.length, out.length) : out.length;
    if (!Number.isSafeInteger(radix) || radix > 1 << 16) bug(`a draw of range ${radix} is too wide to enumerate`);
    for (let i = 0; i < count; i++) {
      const v = value(`${name}[${i}]`, kind === 'bytes' ? (byteRadices[i] ?? bug('byte radix')) : radix);
      if (out instanceof BigUint64Array) out[i] = BigInt(v);
      else out[i] = v;
    }
  };
}

/** Every party's honest streams (those the corrupted party does not hold) drawn from `value`. */
export function honestFrom(
  value: ValueOf,
  c: PartyId,
  byteRadices: readonly number[],
): (ctx: PartyContext) => PartyContext {
  return (ctx) => {
    if (ctx.id === c) return ctx;
    return withPrgs(ctx, (stream, prg: Prg) => {
      if (stream === `P${c}`) return prg;
      const name =
        stream === 'own'
          ? `own${ctx.id}`
          : `P${Math.min(ctx.id, Number(stream.slice(1)))}P${Math.max(ctx.id, Number(stream.slice(1)))}`;
      let k = 0;
      return new HookedPrg(
        prg,
        drawHook(() => `${name}#${k++}`, byteRadices, value),
      );
    });
  };
}

export interface ExactOptions {
  readonly ell: number;
  readonly corrupted: PartyId;
  readonly keys: Keys;
  /** The range of each leading byte of a byte draw that is enumerated (`permutationBytes`). */
  readonly byteRadices: readonly number[];
  /** Refuse (bug) an enumeration of more runs than this. */
  readonly maxRuns: number;
}

/** The byte ranges that enumerate n Fisher–Yates permutations of k positions, each exactly once. */
export function permutationBytes(k: number, n: number): number[] {
  const one = Array.from({ length: k - 1 }, (_, t) => k - t);
  return Array.from({ length: n }, () => one).flat();
}

/** An exact distribution: each view's probability is weight / total. */
export interface Exact {
  readonly weights: ReadonlyMap<string, bigint>;
  readonly total: bigint;
  readonly runs: number;
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/** Views with the size of the run that produced each, as exact weights over the lcm of the sizes. */
class Tally {
  private readonly rows: [string, bigint][] = [];
  private lcm = 1n;

  add(key: string, size: bigint): void {
    this.rows.push([key, size]);
    this.lcm = (this.lcm / gcd(this.lcm, size)) * size;
  }

  exact(runs: number): Exact {
    const weights = new Map<string, bigint>();
    for (const [k, size] of this.rows) weights.set(k, (weights.get(k) ?? 0n) + this.lcm / size);
    return { weights, total: this.lcm, runs };
  }
}

const keyOf = (v: Int32Array): string => v.join(',');

/** The simulator's exact distribution (its PRG enumerated), and the layout of its views. */
export function exactSimulated(setup: PartySetup, maxRuns: number): Exact & { readonly layout: Layout } {
  const odo = new Odometer(maxRuns);
  const tally = new Tally();
  let layout: Layout | null = null;
  for (let more = true; more;) {
    let k = 0;
    const rng = new HookedPrg(
      labelPrg('exact|simulator'),
      odo.hook(() => `sim#${k++}`, []),
    );
    const view = setup.simulate(rng);
    layout ??= layoutOf(view);
    const key = keyOf(flatten(view));
    more = odo.next();
    tally.add(key, odo.size);
  }
  return { ...tally.exact(odo.runs), layout: layout ?? bug('no simulated view') };
}

/** The real view's exact distribution on one input set, every honest draw enumerated, decoded by `layout`. */
export async function exactReal(setup: PartySetup, which: Which, layout: Layout, o: ExactOptions): Promise<Exact> {
  const odo = new Odometer(o.maxRuns);
  const tally = new Tally();
  const tamper = honestFrom((key, radix) => odo.value(key, radix), o.corrupted, o.byteRadices);
  for (let more = true; more;) {
    const programs = mapPrograms(setup.programs(which), (p) => (ctx: PartyContext) => p(tamper(ctx)));
    const { view } = await observe(programs, { ell: o.ell, corrupted: o.corrupted, keys: o.keys });
    if (odo.runs % 64 === 63) await yieldEventLoop();
    const d = decodeView(o.ell, layout, view.received);
    if (!d.ok) bug(`the real view does not have the simulator's shape: ${d.why}`);
    more = odo.next();
    tally.add(keyOf(d.values), odo.size);
  }
  return tally.exact(odo.runs);
}

/** Do two exact distributions differ? null, or one view where the proportions differ. */
export function proportionsDiffer(a: Exact, b: Exact): string | null {
  for (const [k, n] of a.weights)
    if (n * b.total !== (b.weights.get(k) ?? 0n) * a.total)
      return `${k}: ${n}/${a.total} vs ${b.weights.get(k) ?? 0n}/${b.total}`;
  for (const [k, n] of b.weights) if (!a.weights.has(k)) return `${k}: 0/${a.total} vs ${n}/${b.total}`;
  return null;
}

/**
 * The number of honest-draw assignments of one real run on `which` (the product of the ranges its
 * draws had, all at their first value): what `exactReal` would enumerate when every run draws the same
 * coordinates, without running them. The simulator's is `probeSimulated`.
 */
export async function probeReal(setup: PartySetup, which: Which, o: Omit<ExactOptions, 'maxRuns'>): Promise<bigint> {
  const odo = new Odometer(2);
  const tamper = honestFrom((key, radix) => odo.value(key, radix), o.corrupted, o.byteRadices);
  const programs = mapPrograms(setup.programs(which), (p) => (ctx: PartyContext) => p(tamper(ctx)));
  await observe(programs, { ell: o.ell, corrupted: o.corrupted, keys: o.keys });
  odo.next();
  return odo.size;
}

/** The number of assignments of the simulator's draws in one run (as `probeReal`). */
export function probeSimulated(setup: PartySetup): bigint {
  const odo = new Odometer(2);
  let k = 0;
  setup.simulate(
    new HookedPrg(
      labelPrg('exact|simulator'),
      odo.hook(() => `sim#${k++}`, []),
    ),
  );
  odo.next();
  return odo.size;
}
