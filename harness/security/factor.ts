/**
 * Exact view distributions by peeling one-time pads (ℓ = 2, 3, 4), for blocks whose honest randomness
 * is too large to enumerate draw by draw (enumerate.ts: 4·10^6 runs for Porthos ReLU′ with P0
 * corrupted at ℓ = 2, 2·10^9 for ComputeMSB at ℓ = 4).
 *
 * Most honest draws are pads: a draw h that moves exactly one view coordinate j, through every value
 * of a set S as h runs through its range (a mask added to a share, a non-zero multiplier of a non-zero
 * Z_p entry), makes V_j uniform on S and independent of the rest of the view. Peeling such pads one at
 * a time (a draw that moves only coordinates already peeled is a pad too, or irrelevant when it moves
 * nothing) leaves a residue of draws that must be enumerated (the odometer of enumerate.ts). Per
 * assignment e of the residue (a "point", weight 1/∏ ranges), every other draw is run through its whole
 * range with the rest at their first value, the pads are peeled, and the point's view becomes a cell:
 * the unpeeled coordinates' values, each peeled coordinate replaced by its set S. A draw that is
 * neither pad nor irrelevant at some point joins the residue and the walk restarts, so the residue is
 * found, not declared. The distribution is the mixture of the cells, kept as exact fractions.
 *
 * Sound under one assumption: a pad's effect does not depend on the values of the other peeled draws
 * (no cross terms between masks), which holds for additive and multiplicative masking and is what each
 * axis shows at the other draws' first value; the residue is enumerated in full at that background.
 *
 * P2's PrivateCompare messages d⁰, d¹ are compared through the bijection (d⁰, d¹) ↦ (d⁰, d⁰ + d¹)
 * (`fieldSums`), under which z pads d⁰ and s pads the non-zero entries of d — the structure of
 * securenn-family.md's simulator — on both the real and the simulated view.
 *
 * Cells compare for equality after absorbing: a group of cells equal except at coordinate j, where j
 * takes every value of a set S once with equal weights, is the cell with j peeled to S (an identity of
 * distributions, so a match still means equal distributions; a mismatch means the decompositions
 * differ, which the tests only see as a failure).
 */
import { bug } from '../../spec/errors.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { labelPrg, type PartySetup, type Which } from './check.js';
import { decodeView, flatten, moduliOf, type Layout } from './typed.js';
import { drawHook, honestFrom, Odometer, type Exact, type ValueOf } from './enumerate.js';
import { HookedPrg, mapPrograms, observe, yieldEventLoop, type Keys } from './view.js';

/** One run of the real protocol or the simulator with its draws taken from `value`: the flat view. */
export type Runner = (value: ValueOf) => Promise<Int32Array>;

export interface FactorOptions {
  readonly ell: number;
  readonly corrupted: PartyId;
  readonly keys: Keys;
  readonly byteRadices: readonly number[];
  /** Refuse (bug) more points (assignments of the residue) than this. */
  readonly maxPoints: number;
}

/** An exact distribution of cells, and the work it took. */
export interface Factored extends Exact {
  /** Protocol (or simulator) runs, points included. */
  readonly executions: number;
  /** The draws enumerated (the residue). */
  readonly residue: readonly string[];
}

const sigOf = (values: Iterable<number>): string => `[${[...new Set(values)].sort((a, b) => a - b).join(' ')}]`;

/**
 * Peels pads: per non-residue draw, the values each view coordinate takes along its axis. A pad's set
 * must be the coordinate's whole group or (Z_p) its non-zero elements: sets that do not depend on where
 * the other draws put the coordinate (a bit that moves a coordinate between 0 and some x is no pad).
 */
function peel(
  axes: ReadonlyMap<string, ReadonlyMap<number, readonly number[]>>,
  moduli: readonly number[],
): {
  peeled: Map<number, string>;
  stuck: string[];
} {
  const sets = new Map<number, Set<number>>();
  const open = new Set(axes.keys());
  // Whole-group pads first: a draw that moves a coordinate over Z_p^* only (s on d⁰) must not claim a
  // coordinate that another draw moves over all of Z_p (z on d⁰). One Z_p^* pad at a time, and only
  // when no whole-group pad or irrelevant draw is left.
  const step = (nonZero: boolean): boolean => {
    for (const key of open) {
      const moves = axes.get(key) ?? bug(key);
      // A draw may move a peeled coordinate inside its set (it stays uniform there), not out of it (a
      // non-zero entry set to 0).
      if ([...moves].some(([j, vals]) => vals.some((x) => sets.get(j)?.has(x) === false))) continue;
      const live = [...moves.keys()].filter((j) => !sets.has(j));
      if (live.length > 1) continue;
      const j = live[0];
      if (j !== undefined) {
        const vals = moves.get(j) ?? bug('axis');
        const m = moduli[j] ?? bug('modulus');
        const set = new Set(vals);
        const whole = set.size === m;
        if (set.size !== vals.length || (!whole && (!nonZero || set.size !== m - 1 || set.has(0)))) continue;
        sets.set(j, set);
      }
      open.delete(key);
      return true;
    }
    return false;
  };
  while (step(false) || step(true));
  return { peeled: new Map([...sets].map(([j, set]) => [j, sigOf(set)])), stuck: [...open] };
}

/** A point's cell, or the draws that are neither pad nor irrelevant there, and the runs it took. */
export interface PointCell {
  readonly cell: string;
  readonly stuck: readonly string[];
  /** The unpeeled coordinates each stuck draw moves. */
  readonly moves: ReadonlyMap<string, readonly number[]>;
  readonly executions: number;
}

/**
 * The cell at one point: the residue draws take their values from `value` (recorded), every other draw
 * is run through its whole range with the rest at the point, and the pads are peeled.
 */
export async function cellAt(
  run: Runner,
  transform: (v: Int32Array) => Int32Array,
  moduli: readonly number[],
  residue: ReadonlySet<string>,
  value: ValueOf,
): Promise<PointCell> {
  const drawn = new Map<string, number>();
  const at = new Map<string, number>();
  const base = transform(
    await run((key, radix) => {
      drawn.set(key, radix);
      if (!residue.has(key)) return 0;
      const v = value(key, radix);
      at.set(key, v);
      return v;
    }),
  );
  let executions = 1;
  const axes = new Map<string, Map<number, number[]>>();
  for (const [key, radix] of drawn) {
    if (residue.has(key)) continue;
    const moves = new Map<number, number[]>();
    for (let t = 1; t < radix; t++) {
      const v = transform(await run((k) => (k === key ? t : (at.get(k) ?? 0))));
      if (v.length !== base.length) bug(`draw ${key} changed the view's length`);
      for (let j = 0; j < v.length; j++)
        if (v[j] !== base[j] || moves.has(j)) {
          const seen = moves.get(j) ?? Array.from({ length: t }, () => base[j] ?? 0);
          seen.push(v[j] ?? 0);
          moves.set(j, seen);
        }
    }
    executions += radix - 1;
    axes.set(key, moves);
  }
  await yieldEventLoop();
  const { peeled, stuck } = peel(axes, moduli);
  const moves = new Map(stuck.map((key) => [key, [...(axes.get(key)?.keys() ?? [])].filter((j) => !peeled.has(j))]));
  return { cell: Array.from(base, (x, j) => peeled.get(j) ?? String(x)).join(','), stuck, moves, executions };
}

/** The mixture of cells of `run`'s view, its residue found by restarting (module header). */
async function factor(
  run: Runner,
  transform: (v: Int32Array) => Int32Array,
  moduli: readonly number[],
  maxPoints: number,
): Promise<Factored> {
  const residue = new Set<string>();
  let executions = 0;
  for (;;) {
    const odo = new Odometer(maxPoints);
    const rows: [string, bigint][] = [];
    let restart = false;
    for (let more = true; more && !restart;) {
      const point = await cellAt(run, transform, moduli, residue, (key, radix) => odo.value(key, radix));
      executions += point.executions;
      if (point.stuck.length > 0) {
        for (const key of point.stuck) residue.add(key);
        restart = true;
        break;
      }
      more = odo.next();
      rows.push([point.cell, odo.size]);
    }
    if (restart) continue;
    return { ...mixture(rows), runs: odo.runs, executions, residue: [...residue] };
  }
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/** Cells with the size of the point behind each, as exact weights over the lcm of the sizes. */
export function mixture(rows: readonly (readonly [string, bigint])[]): { weights: Map<string, bigint>; total: bigint } {
  let total = 1n;
  for (const [, size] of rows) total = (total / gcd(total, size)) * size;
  const weights = new Map<string, bigint>();
  for (const [k, size] of rows) weights.set(k, (weights.get(k) ?? 0n) + total / size);
  return { weights, total };
}

/** P2's view with each P1 field segment replaced by its sum with P0's segment at the same place. */
export function fieldSums(layout: Layout): (v: Int32Array) => Int32Array {
  const pairs: [number, number, number][] = [];
  let at = 0;
  const offsets: number[][][] = [[], [], []];
  for (const from of [0, 1, 2] as const)
    for (const msg of layout[from]) {
      const segs: number[] = [];
      for (const s of msg) {
        segs.push(at);
        at += s.count;
      }
      (offsets[from] ?? bug('sender')).push(segs);
    }
  for (const [mi, msg] of layout[1].entries())
    for (const [si, s] of msg.entries()) {
      const other = layout[0][mi]?.[si];
      if (s.group !== 'field' || other?.group !== 'field' || other.count !== s.count) continue;
      const a = offsets[0]?.[mi]?.[si] ?? bug('offset');
      const b = offsets[1]?.[mi]?.[si] ?? bug('offset');
      for (let i = 0; i < s.count; i++) pairs.push([a + i, b + i, s.modulus]);
    }
  return (v) => {
    const out = v.slice();
    for (const [a, b, p] of pairs) out[b] = ((v[a] ?? 0) + (v[b] ?? 0)) % p;
    return out;
  };
}

/** The transform a corrupted party's views are compared under: `fieldSums` for P2, none otherwise. */
export function viewTransform(c: PartyId, layout: Layout): (v: Int32Array) => Int32Array {
  return c === 2 ? fieldSums(layout) : (v) => v;
}

/** One run of the real protocol on `which`, every honest draw from the runner's `value`. */
export function realRunner(setup: PartySetup, which: Which, layout: Layout, o: FactorOptions): Runner {
  return async (value) => {
    const tamper = honestFrom(value, o.corrupted, o.byteRadices);
    const programs = mapPrograms(setup.programs(which), (p) => (ctx: PartyContext) => p(tamper(ctx)));
    const { view } = await observe(programs, { ell: o.ell, corrupted: o.corrupted, keys: o.keys });
    const d = decodeView(o.ell, layout, view.received);
    if (!d.ok) bug(`the real view does not have the simulator's shape: ${d.why}`);
    return d.values;
  };
}

/** One run of the simulator, every draw of its PRG from the runner's `value`. */
export function simulatorRunner(setup: PartySetup): Runner {
  return (value) => {
    let k = 0;
    const rng = new HookedPrg(
      labelPrg('exact|simulator'),
      drawHook(() => `sim#${k++}`, [], value),
    );
    return Promise.resolve(flatten(setup.simulate(rng)));
  };
}

/** The real view's mixture on one input set, every honest draw peeled or enumerated. */
export async function factoredReal(
  setup: PartySetup,
  which: Which,
  layout: Layout,
  o: FactorOptions,
): Promise<Factored> {
  return factor(realRunner(setup, which, layout, o), viewTransform(o.corrupted, layout), moduliOf(layout), o.maxPoints);
}

/** The simulator's mixture, every draw of its PRG peeled or enumerated. */
export async function factoredSimulated(setup: PartySetup, c: PartyId, layout: Layout, maxPoints: number) {
  return factor(simulatorRunner(setup), viewTransform(c, layout), moduliOf(layout), maxPoints);
}

/** Cells equal but at coordinate j, where j runs once over a set some cell peels it to, merged. */
export function absorb(e: Exact, sets: ReadonlyMap<number, ReadonlySet<string>>): Exact {
  let weights = new Map(e.weights);
  for (let changed = true; changed;) {
    changed = false;
    for (const [j, sigs] of sets)
      for (const sig of sigs) {
        const values = new Set(sig.slice(1, -1).split(' '));
        const groups = new Map<string, [string, bigint][]>();
        for (const [k, w] of weights) {
          const cells = k.split(',');
          const x = cells[j] ?? bug('coordinate');
          if (!values.has(x)) continue;
          cells[j] = sig;
          const g = cells.join(',');
          groups.set(g, [...(groups.get(g) ?? []), [k, w]]);
        }
        for (const [g, members] of groups) {
          const w = members[0]?.[1];
          if (members.length !== values.size || members.some(([, x]) => x !== w) || w === undefined) continue;
          for (const [k] of members) weights.delete(k);
          weights.set(g, (weights.get(g) ?? 0n) + w * BigInt(members.length));
          changed = true;
        }
      }
    weights = new Map(weights);
  }
  return { weights, total: e.total, runs: e.runs };
}

/** The coordinates some cell of `es` peels, with the sets it peels them to. */
export function peeledSets(...es: readonly Exact[]): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const e of es)
    for (const k of e.weights.keys())
      for (const [j, x] of k.split(',').entries()) if (x.startsWith('[')) out.set(j, (out.get(j) ?? new Set()).add(x));
  return out;
}
