/**
 * Exact view distributions whose residue factors into independent groups (factor.ts peels the pads;
 * this module avoids enumerating the product of the residue's groups). P2's view of ReLU′, ReLU and a
 * MaxPool step holds ShareConvert's messages and ComputeMSB's; each sub-block's residue (r_0, r_1, η″
 * and a permutation; ComputeMSB's β and permutation) moves its own messages, and enumerating their
 * product (9,216 points at ℓ = 3) is what made those cells unaffordable.
 *
 * The groups are found, not declared. A residue draw stuck at the background point (every residue draw
 * at its first value) starts a group of its own; a draw stuck while group g is enumerated joins g. Each
 * group is enumerated with the other groups' draws at their first value (every non-residue draw still
 * run through its range and peeled at every point, as in factor.ts), and U_g is the set of view
 * coordinates whose cell entry varies over g's points. Two groups whose U overlap are merged and the
 * walk restarts; so does the walk when a draw gets stuck. Every group's first point is the background
 * point, so the coordinates outside every U_g have the background cell's entries in all enumerations.
 *
 * The product: the cell at a joint point (e_1, …, e_k) is taken to be g's cell at e_g on U_g, for each
 * g, and the background cell elsewhere, with weight ∏ 1/size(e_g). Sound under one assumption beyond
 * factor.ts's: no cross terms between groups — a group's draws move only its own coordinates, and move
 * them the same way whatever values the other groups' draws take (the residue analogue of "a pad's
 * effect does not depend on the other masks"). The enumeration shows it where another group is at its
 * first value; `jointChecks` joint points with every group away from its first value where it can be
 * (chosen by a fixed stride through each group's points) are probed in full, and a joint cell that
 * differs from the product's, or a draw stuck there, merges the groups and restarts. At ℓ = 2 the
 * product is also cross-checked against factor.ts's unfactored enumeration (exact-peeled.test.ts).
 *
 * The product is computed explicitly (each group reduced to its distinct entries on U_g first), so the
 * real and the simulated view may split into different groups and are still compared as whole
 * distributions, after absorbing (factor.ts).
 */
import { bug } from '../../spec/errors.js';
import type { PartyId } from '../../protocols/common/party.js';
import type { PartySetup, Which } from './check.js';
import { moduliOf, type Layout } from './typed.js';
import { Odometer } from './enumerate.js';
import {
  cellAt,
  mixture,
  realRunner,
  simulatorRunner,
  viewTransform,
  type Factored,
  type FactorOptions,
  type Runner,
} from './factor.js';

/** The grouped mixture, with its groups and the work it took. */
export interface Grouped extends Factored {
  /** The residue's groups, each enumerated on its own. */
  readonly groups: readonly (readonly string[])[];
  /** Points per group. */
  readonly points: readonly number[];
  /** The view coordinates each group moves (U_g). */
  readonly coordinates: readonly (readonly number[])[];
  /** Joint points probed in full, each equal to the product's cell. */
  readonly joint: number;
  /** Why groups were merged, in order: their coordinates overlapped, or a joint point differed. */
  readonly merged: readonly ('overlap' | 'joint')[];
}

export interface GroupOptions {
  /** Refuse (bug) a group of more points than this. */
  readonly maxPoints: number;
  /** Joint points to probe in full when there are two or more groups. */
  readonly jointChecks: number;
}

interface Point {
  readonly values: ReadonlyMap<string, number>;
  readonly cell: readonly string[];
  readonly size: bigint;
}

type Walk =
  | { readonly points: readonly Point[]; readonly executions: number }
  | { readonly stuck: readonly string[]; readonly executions: number }
  | { readonly overlaps: number; readonly executions: number };

/**
 * Group g's points, the other residue draws at their first value. Stops at a stuck draw, or as soon as
 * a coordinate that an earlier group moves (`owner`) varies here.
 */
async function walkGroup(
  run: Runner,
  transform: (v: Int32Array) => Int32Array,
  moduli: readonly number[],
  residue: ReadonlySet<string>,
  group: ReadonlySet<string>,
  owner: ReadonlyMap<number, number>,
  maxPoints: number,
): Promise<Walk> {
  const odo = new Odometer(maxPoints);
  const points: Point[] = [];
  let executions = 0;
  for (let more = true; more;) {
    const values = new Map<string, number>();
    const point = await cellAt(run, transform, moduli, residue, (key, radix) => {
      const v = group.has(key) ? odo.value(key, radix) : 0;
      values.set(key, v);
      return v;
    });
    executions += point.executions;
    if (point.stuck.length > 0) return { stuck: point.stuck, executions };
    const cell = point.cell.split(',');
    const first = points[0]?.cell ?? cell;
    for (const [j, x] of cell.entries()) {
      const h = owner.get(j);
      if (h !== undefined && x !== first[j]) return { overlaps: h, executions };
    }
    more = odo.next();
    points.push({ values, cell, size: odo.size });
  }
  return { points, executions };
}

/** Stuck draws in groups: two draws that move a common coordinate are in the same group. */
function groupsOf(moves: ReadonlyMap<string, readonly number[]>): string[][] {
  const groups: { keys: string[]; coords: Set<number> }[] = [];
  for (const [key, coords] of moves) {
    const mine = { keys: [key], coords: new Set(coords) };
    for (let i = groups.length - 1; i >= 0; i--) {
      const g = groups[i] ?? bug('group');
      if (![...g.coords].some((j) => mine.coords.has(j))) continue;
      mine.keys.unshift(...g.keys);
      for (const j of g.coords) mine.coords.add(j);
      groups.splice(i, 1);
    }
    groups.push(mine);
  }
  return groups.map((g) => g.keys);
}

/** The coordinates whose entry varies over the points. */
function varying(points: readonly Point[]): Set<number> {
  const first = points[0]?.cell ?? bug('a group without points');
  const out = new Set<number>();
  for (const p of points) for (const [j, x] of p.cell.entries()) if (x !== first[j]) out.add(j);
  return out;
}

/** The product's cell at one joint point: each group's entries on its coordinates, else the background's. */
function productCell(background: readonly string[], us: readonly Set<number>[], cells: readonly (readonly string[])[]) {
  const out = background.slice();
  for (const [g, u] of us.entries()) for (const j of u) out[j] = cells[g]?.[j] ?? bug('cell');
  return out.join(',');
}

/** The explicit product of the groups' mixtures, each reduced to its distinct entries on U_g. */
function product(background: readonly string[], us: readonly Set<number>[], walks: readonly (readonly Point[])[]) {
  const factors = walks.map((points, g) => {
    const u = [...(us[g] ?? bug('U'))];
    const rows = points.map((p): [string, bigint] => [u.map((j) => p.cell[j] ?? bug('cell')).join(','), p.size]);
    const m = mixture(rows);
    return { u, m };
  });
  let cells: [string[], bigint][] = [[background.slice(), 1n]];
  let total = 1n;
  for (const { u, m } of factors) {
    const next: [string[], bigint][] = [];
    for (const [cell, w] of cells)
      for (const [sub, x] of m.weights) {
        const out = cell.slice();
        for (const [i, e] of sub.split(',').entries()) out[u[i] ?? bug('coordinate')] = e;
        next.push([out, w * x]);
      }
    cells = next;
    total *= m.total;
  }
  const weights = new Map<string, bigint>();
  for (const [cell, w] of cells) weights.set(cell.join(','), (weights.get(cell.join(',')) ?? 0n) + w);
  return { weights, total };
}

/** Distinct odd multipliers (fixed primes) that walk each group's points in a different order. */
const STRIDES = [7919, 104_729, 1_299_709, 15_485_863] as const;

/** The grouped mixture of `run`'s view (module header). */
export async function grouped(
  run: Runner,
  transform: (v: Int32Array) => Int32Array,
  moduli: readonly number[],
  o: GroupOptions,
): Promise<Grouped> {
  const groups: string[][] = [];
  const merged: ('overlap' | 'joint')[] = [];
  let executions = 0;
  const merge = (a: number, b: number) => {
    (groups[a] ?? bug('group')).push(...(groups[b] ?? bug('group')));
    groups.splice(b, 1);
  };
  for (;;) {
    const residue = new Set(groups.flat());
    const bg = await cellAt(run, transform, moduli, residue, () => 0);
    executions += bg.executions;
    if (bg.stuck.length > 0) {
      groups.push(...groupsOf(bg.moves));
      continue;
    }
    const walks: (readonly Point[])[] = [];
    const owner = new Map<number, number>();
    let restart = false;
    for (const [gi, g] of groups.entries()) {
      const w = await walkGroup(run, transform, moduli, residue, new Set(g), owner, o.maxPoints);
      executions += w.executions;
      if ('stuck' in w) g.push(...w.stuck);
      else if ('overlaps' in w) {
        merge(w.overlaps, gi);
        merged.push('overlap');
      } else {
        walks.push(w.points);
        for (const j of varying(w.points)) owner.set(j, gi);
        continue;
      }
      restart = true;
      break;
    }
    if (restart) continue;
    const background = bg.cell.split(',');
    for (const w of walks) if (w[0]?.cell.join(',') !== bg.cell) bug('a group does not start at the background point');
    const us = walks.map(varying);
    const coupled = await jointCheck(run, transform, moduli, residue, background, us, walks, o.jointChecks);
    executions += coupled.executions;
    if (coupled.groups !== null) {
      if (coupled.groups.length < 2) bug('a joint point differs with only one group away from its first value');
      const [a, ...rest] = coupled.groups;
      for (const b of rest.reverse()) merge(a ?? bug('group'), b);
      merged.push('joint');
      continue;
    }
    return {
      ...product(background, us, walks),
      runs: walks.reduce((n, w) => n + w.length, 1),
      executions,
      residue: groups.flat(),
      groups: groups.map((g) => [...g]),
      points: walks.map((w) => w.length),
      coordinates: us.map((u) => [...u].sort((a, b) => a - b)),
      joint: coupled.joint,
      merged,
    };
  }
}

/** Probe joint points in full; the groups away from their first value at the first mismatch, or null. */
async function jointCheck(
  run: Runner,
  transform: (v: Int32Array) => Int32Array,
  moduli: readonly number[],
  residue: ReadonlySet<string>,
  background: readonly string[],
  us: readonly Set<number>[],
  walks: readonly (readonly Point[])[],
  count: number,
): Promise<{ groups: number[] | null; joint: number; executions: number }> {
  if (walks.length < 2) return { groups: null, joint: 0, executions: 0 };
  let executions = 0;
  for (let t = 0; t < count; t++) {
    const picks = walks.map((w, g) => {
      const n = w.length;
      const i = n === 1 ? 0 : 1 + ((t * (STRIDES[g % STRIDES.length] ?? 1) + g) % (n - 1));
      return w[i] ?? bug('pick');
    });
    const values = new Map<string, number>();
    for (const p of picks) for (const [k, v] of p.values) if (v !== 0 || !values.has(k)) values.set(k, v);
    const point = await cellAt(run, transform, moduli, residue, (key) => values.get(key) ?? 0);
    executions += point.executions;
    const expected = productCell(
      background,
      us,
      picks.map((p) => p.cell),
    );
    if (point.stuck.length > 0 || point.cell !== expected)
      return { groups: walks.map((_, g) => g).filter((g) => (walks[g]?.length ?? 1) > 1), joint: t, executions };
  }
  return { groups: null, joint: count, executions };
}

/** The real view's grouped mixture on one input set. */
export function groupedReal(
  setup: PartySetup,
  which: Which,
  layout: Layout,
  o: FactorOptions & GroupOptions,
): Promise<Grouped> {
  return grouped(realRunner(setup, which, layout, o), viewTransform(o.corrupted, layout), moduliOf(layout), o);
}

/** The simulator's grouped mixture. */
export function groupedSimulated(setup: PartySetup, c: PartyId, layout: Layout, o: GroupOptions): Promise<Grouped> {
  return grouped(simulatorRunner(setup), viewTransform(c, layout), moduliOf(layout), o);
}
