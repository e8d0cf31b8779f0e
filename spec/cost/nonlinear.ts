/**
 * Closed-form costs of the non-linear 3-party protocols of SecureNN and Porthos
 * (protocols/securenn-family/nonlinear/): bytes on each directed link and logical rounds, as functions of the
 * element count and ℓ. At ℓ = 64 they give COMM-SPEC.md's totals (bytes per element):
 *
 *   protocol          Porthos        SecureNN
 *   PrivateCompare    128            128
 *   ShareConvert      232            304
 *   ComputeMSB        264            360
 *   ReLU′             496            664
 *   ReLU              536            704
 *   MaxPool           (k−1)·R·536    (k−1)·R·744
 *   ArgMax            (c−1)·r·576    (c−1)·r·744
 *
 * Rounds follow the network's rule (a message carries its sender's round, a receive advances the
 * receiver to max(own, sender + 1)), which is not additive: P2 often lags the others, so a later step
 * that starts with a P2 message costs no extra round. A protocol is therefore described as a
 * `Schedule`: its link bytes and how it advances the three parties' round counters. Each step is a set
 * of messages that their senders send before receiving any message of the step; a composite is the
 * chain of its steps. `costOf` runs a schedule from [0, 0, 0]; `Schedule`s also compose across
 * operations (chain), which `sequence` of two `Cost`s would over-count.
 * Resulting rounds from a fresh start: PrivateCompare 1, ShareConvert 4, ComputeMSB 4 (Porthos: the
 * opening runs alongside the helper's first message) or 5 (SecureNN), ReLU′ 8, ReLU 9, SelectShare 1,
 * MaxPool 9(k − 1), ArgMax 9(c − 1).
 *
 * Notation: b = ⌈ℓ/8⌉ bytes per ring element, a Z_p element one byte, h = ⌊n/2⌋. Every step sends its
 * messages even when they carry no element (a Porthos half with n = 1), so rounds do not depend on n
 * ≥ 1; with n = 0 nothing is sent.
 */
import { cost, ringBytes, zeroLinks, LINKS, type Cost, type LinkBytes, type LinkName } from './types.js';

/** The variant choices that change communication (protocols/securenn-family/nonlinear/variant.ts). */
export interface NonlinearCostVariant {
  readonly helperSendsTo: 'one' | 'both';
  readonly maxPoolIndex: boolean;
}

export type Clock = readonly [number, number, number];
type Party = 0 | 1 | 2;
type Message = readonly [from: Party, to: Party, bytes: number];

export interface Schedule {
  readonly links: LinkBytes;
  advance(c: Clock): Clock;
}

export const NOTHING: Schedule = { links: zeroLinks(), advance: (c) => c };

/** One step: every message is sent at its sender's round before the step's receives. */
export function step(...msgs: readonly Message[]): Schedule {
  const links = zeroLinks();
  for (const [from, to, bytes] of msgs) links[`P${from}->P${to}` as LinkName] += bytes;
  return {
    links,
    advance: (c) => {
      const next: [number, number, number] = [c[0], c[1], c[2]];
      for (const [from, to] of msgs) next[to] = Math.max(next[to], c[from] + 1);
      return next;
    },
  };
}

/** Steps one after the other (each party runs them in program order). */
export function chain(...ss: readonly Schedule[]): Schedule {
  const links = zeroLinks();
  for (const s of ss) for (const l of LINKS) links[l] += s.links[l];
  return { links, advance: (c) => ss.reduce((acc, s) => s.advance(acc), c) };
}

/** The schedule repeated k times in sequence. */
export function repeat(k: number, s: Schedule): Schedule {
  return chain(...new Array<Schedule>(Math.max(0, k)).fill(s));
}

/** Bytes per link and rounds from a fresh start. */
export function costOf(s: Schedule): Cost {
  const c = s.advance([0, 0, 0]);
  return cost(s.links, Math.max(c[0], c[1], c[2]));
}

/** The helper's deal of `per` bytes per element to both parties, or to one per element (Porthos). */
function deal(mode: 'one' | 'both', n: number, per: number): Message[] {
  const h = Math.floor(n / 2);
  return mode === 'both'
    ? [
        [2, 0, n * per],
        [2, 1, n * per],
      ]
    : [
        [2, 0, (n - h) * per],
        [2, 1, h * per],
      ];
}

/** One Beaver product of an element-wise map on n elements (beaver.ts). */
export function productSchedule(ell: number, n: number): Schedule {
  if (n === 0) return NOTHING;
  const b = ringBytes(ell);
  return step([0, 1, 2 * n * b], [1, 0, 2 * n * b], [2, 1, n * b]);
}

export function privateCompareSchedule(ell: number, n: number): Schedule {
  if (n === 0) return NOTHING;
  return step([0, 2, n * ell], [1, 2, n * ell]);
}

export function shareConvertSchedule(v: NonlinearCostVariant, ell: number, n: number): Schedule {
  if (n === 0) return NOTHING;
  const b = ringBytes(ell);
  return chain(
    step([0, 2, n * b], [1, 2, n * b]),
    step(...deal(v.helperSendsTo, n, ell + b)),
    privateCompareSchedule(ell, n),
    step(...deal('both', n, b)),
  );
}

export function computeMsbSchedule(v: NonlinearCostVariant, ell: number, n: number): Schedule {
  if (n === 0) return NOTHING;
  const b = ringBytes(ell);
  const opening: Message[] = [
    [0, 1, n * b],
    [1, 0, n * b],
  ];
  const first =
    v.helperSendsTo === 'one'
      ? step(...deal('one', n, ell + b), ...opening)
      : chain(step(...deal('both', n, ell + 2 * b)), step(...opening));
  return chain(first, privateCompareSchedule(ell, n), step(...deal(v.helperSendsTo, n, b)), productSchedule(ell, n));
}

export function dreluSchedule(v: NonlinearCostVariant, ell: number, n: number): Schedule {
  return chain(shareConvertSchedule(v, ell, n), computeMsbSchedule(v, ell, n));
}

export function selectShareSchedule(ell: number, n: number): Schedule {
  return productSchedule(ell, n);
}

export function reluSchedule(v: NonlinearCostVariant, ell: number, n: number): Schedule {
  return chain(dreluSchedule(v, ell, n), selectShareSchedule(ell, n));
}

/** k − 1 steps on R groups, each ReLU′ then one product on R (2R when the index is tracked). */
function maxSchedule(v: NonlinearCostVariant, ell: number, r: number, k: number, trackIndex: boolean): Schedule {
  if (r === 0) return NOTHING;
  return repeat(k - 1, chain(dreluSchedule(v, ell, r), productSchedule(ell, trackIndex ? 2 * r : r)));
}

export function maxPoolSchedule(v: NonlinearCostVariant, ell: number, r: number, k: number): Schedule {
  return maxSchedule(v, ell, r, k, v.maxPoolIndex);
}

export function argmaxSchedule(v: NonlinearCostVariant, ell: number, r: number, c: number): Schedule {
  return maxSchedule(v, ell, r, c, true);
}

export const privateCompareCost = (ell: number, n: number): Cost => costOf(privateCompareSchedule(ell, n));
export const shareConvertCost = (v: NonlinearCostVariant, ell: number, n: number): Cost =>
  costOf(shareConvertSchedule(v, ell, n));
export const computeMsbCost = (v: NonlinearCostVariant, ell: number, n: number): Cost =>
  costOf(computeMsbSchedule(v, ell, n));
export const dreluCost = (v: NonlinearCostVariant, ell: number, n: number): Cost => costOf(dreluSchedule(v, ell, n));
export const selectShareCost = (ell: number, n: number): Cost => costOf(selectShareSchedule(ell, n));
export const reluCost = (v: NonlinearCostVariant, ell: number, n: number): Cost => costOf(reluSchedule(v, ell, n));
export const maxPoolCost = (v: NonlinearCostVariant, ell: number, r: number, k: number): Cost =>
  costOf(maxPoolSchedule(v, ell, r, k));
export const argmaxCost = (v: NonlinearCostVariant, ell: number, r: number, c: number): Cost =>
  costOf(argmaxSchedule(v, ell, r, c));
