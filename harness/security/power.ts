/**
 * The bias check: a simulation claim with stated power (bias.ts), for one protocol and corrupted party.
 *
 * `checkBias` runs the protocol N times on an input set (P_c's keys fixed, the honest keys fresh per
 * run, as check.ts does) and draws M = ratio · N simulated views, then compares them with the
 * bit-level family of bias.ts at false-alarm rate α (VERDICT_ALPHA by default, Bonferroni over the
 * family and the input sets). Either N is given, or a target bias δ is, and N is the fewest runs for
 * which every event's bias of δ is detected with probability ≥ 0.99 (`samplesFor`). The verdict
 * states the bias it detects with probability ≥ 0.99 at the N it ran (`detectable`).
 *
 * It complements check.ts rather than replacing it: check.ts compares A with B and real with
 * simulated on whole cell tables at N = 400; this check spends many more runs on one claim so that
 * the power against a small single-event bias is a number (proofs-notes/security-tests.md §6).
 */
import { bug } from '../../spec/errors.js';
import type { PartyId } from '../../protocols/common/party.js';
import { keysFromSeed } from '../../protocols/common/prg.js';
import { keysAmong } from '../network/parties.js';
import { compareBias, describeBias, detectableBias, samplesFor, type BiasFinding } from './bias.js';
import { labelPrg, realViews, VERDICT_ALPHA, type SecurityCase, type Which } from './check.js';
import { biasEvents } from './bias.js';
import { checkSecurityRing, describeCoordinate, flatten, layoutOf, moduliOf, sameLayout } from './typed.js';

export interface BiasOptions {
  /** Real runs per input set; or give `targetBias` and let the check choose. */
  readonly samples?: number;
  /** The bias to detect with probability ≥ `power` (sets N when `samples` is absent). */
  readonly targetBias?: number;
  /** Simulated views per real run (default 4). */
  readonly ratio?: number;
  /** The input sets to run (default A only). */
  readonly sets?: readonly Which[];
  readonly alpha?: number;
  readonly power?: number;
  readonly seed?: string;
  /**
   * Simulated views to compare with (from `simulatedViews` with the same case, party and at least
   * ratio · N views), so that two checks with the same simulator — an honest case and a planted
   * leak — draw them once.
   */
  readonly simulated?: readonly Int32Array[];
}

/** m simulated views of P_c, flattened, from labelled PRGs (`${seed}|sim|i`); P_c's keys from `${seed}|fixed`. */
export function simulatedViews(kase: SecurityCase, c: PartyId, m: number, seed = 'bias'): Int32Array[] {
  const label = `${seed}|${kase.name}|P${c}`;
  const setup = kase.setup(c, keysAmong(kase.parties ?? 3, c, keysFromSeed(`${label}|fixed`)[c]));
  const first = setup.simulate(labelPrg(`${label}|sim|0`));
  const layout = layoutOf(first);
  const out: Int32Array[] = [flatten(first)];
  for (let i = 1; i < m; i++) {
    const v = setup.simulate(labelPrg(`${label}|sim|${i}`));
    if (!sameLayout(layoutOf(v), layout))
      bug(`${kase.name}: the simulator of P${c} produced views of different shapes`);
    out.push(flatten(v));
  }
  return out;
}

export interface BiasVerdict {
  readonly case: string;
  readonly party: PartyId;
  readonly ok: boolean;
  /** Coordinates of the view, tests in the family (all input sets together), real runs per set, simulated views. */
  readonly coordinates: number;
  readonly tests: number;
  readonly samples: number;
  readonly simulated: number;
  /** The smallest single-event bias detected with probability ≥ power at this N, M, T and α. */
  readonly detectable: number;
  readonly worst: BiasFinding | null;
  readonly detail: string;
}

/** The shape of P_c's view and the size of the bias family on it (no protocol run). */
export function biasFamilySize(kase: SecurityCase, c: PartyId, sets = 1): { coordinates: number; tests: number } {
  const parties = kase.parties ?? 3;
  const setup = kase.setup(c, keysAmong(parties, c, keysFromSeed('bias family size')[c]));
  const layout = layoutOf(setup.simulate(labelPrg('bias family size')));
  const moduli = moduliOf(layout);
  return { coordinates: moduli.length, tests: sets * biasEvents(moduli, () => '').length };
}

export async function checkBias(kase: SecurityCase, c: PartyId, options: BiasOptions = {}): Promise<BiasVerdict> {
  checkSecurityRing(kase.ell);
  const alpha = options.alpha ?? VERDICT_ALPHA;
  const power = options.power ?? 0.99;
  const ratio = options.ratio ?? 4;
  const sets = options.sets ?? ['A'];
  const seed = `${options.seed ?? 'bias'}|${kase.name}|P${c}`;
  const parties = kase.parties ?? 3;
  if (c >= parties) bug(`${kase.name}: P${c} is not a party of this ${parties}-party protocol`);
  const setup = kase.setup(c, keysAmong(parties, c, keysFromSeed(`${seed}|fixed`)[c]));
  const layout = layoutOf(setup.simulate(labelPrg(`${seed}|sim|0`)));
  const moduli = moduliOf(layout);
  const tests = sets.length * biasEvents(moduli, () => '').length;
  const n =
    options.samples ??
    samplesFor(options.targetBias ?? bug('checkBias needs samples or a target bias'), tests, alpha, power, ratio);
  const m = ratio * n;
  const sim = options.simulated?.slice(0, m) ?? simulatedViews(kase, c, m, options.seed ?? 'bias');
  if (sim.length < m) bug(`checkBias: ${sim.length} simulated views given, ${m} needed`);
  if (sim.some((v) => v.length !== moduli.length)) bug(`checkBias: simulated views of another shape`);
  const describe = (k: number): string => describeCoordinate(layout, k);
  const base = {
    case: kase.name,
    party: c,
    coordinates: moduli.length,
    tests,
    samples: n,
    simulated: m,
    detectable: detectableBias(n, m, tests, alpha, power),
  };
  let worst: BiasFinding | null = null;
  let worstSet: Which = 'A';
  let randomness: string | null = null;
  for (const which of sets) {
    const r = await realViews(kase, c, setup, layout, which, n, `${seed}|fixed`, seed);
    if (!r.ok)
      return {
        ...base,
        ok: false,
        worst: null,
        detail: `the recorded view does not have the simulator's shape: ${r.why}`,
      };
    if (!r.randomnessFixed || (randomness !== null && r.randomness !== randomness))
      return { ...base, ok: false, worst: null, detail: `P${c}'s PRG draws differed between runs with the same keys` };
    randomness = r.randomness;
    const cmp = compareBias(r.views, sim, moduli, describe);
    if (cmp.worst !== null && (worst === null || cmp.worst.pValue < worst.pValue)) {
      worst = cmp.worst;
      worstSet = which;
    }
  }
  const ok = worst === null || worst.pValue >= alpha / Math.max(1, tests);
  return {
    ...base,
    ok,
    worst,
    detail: `${tests} tests at α = ${alpha}, N = ${n}, M = ${m}: detects a bias of ${base.detectable.toFixed(4)} with probability ${power}; worst (set ${worstSet}): ${describeBias(worst)}`,
  };
}
