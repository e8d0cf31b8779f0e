/**
 * The simulation-based security check of one protocol against one corrupted party, as verdicts.
 *
 * A `SecurityCase` says, for a corrupted party c with fixed keys, how to run the protocol on two
 * input sets A and B (c's input is the same in both; the honest parties' inputs differ; what c learns
 * from the functionality, if anything, is the same) and how to simulate c's view. `checkParty` then:
 *   1. draws N simulated views, and runs the protocol N times on A and N times on B, with c's keys
 *      fixed and the honest parties' keys fresh each run (view.ts); every recorded view is decoded
 *      with the simulator's layout (a mismatch fails every claim), and c's randomness digests must be
 *      identical across all 2N runs;
 *   2. 'input-independence': views on A vs views on B;
 *   3. 'simulation': views on A vs simulated views, and views on B vs simulated views;
 *   4. 'output' (when c has an output): c's output over runs with every key fresh — the same on A as
 *      on B and distributed as the functionality's (fresh uniform shares), or, where the
 *      functionality fixes it (a revealed value, P2's comparison bit, local truncation of c's own
 *      share), identical in every run.
 * A comparison is exact when both samples are constant (the two constants must be equal — empty
 * views, deterministic views such as a reveal to P0), otherwise the chi-square family of stats.ts at
 * false-alarm rate α per verdict (Bonferroni over the verdict's tests).
 */
import { bug } from '../../spec/errors.js';
import type { PartyId } from '../../protocols/common/party.js';
import { keysFromSeed, Prg, type PartyKeys } from '../../protocols/common/prg.js';
import { createHash } from 'node:crypto';
import { compareSamples, describeFinding, rejects, type Comparison } from './stats.js';
import {
  checkSecurityRing,
  decodeView,
  describeCoordinate,
  flatten,
  flattenSegments,
  layoutOf,
  moduliOf,
  sameLayout,
  uniformSegment,
  type Layout,
  type Segment,
  type TypedView,
} from './typed.js';
import { observe, viewKeys, yieldEventLoop, type Programs } from './view.js';
import type { CorruptedKnowledge } from './knowledge.js';
import { keysAmong, type PartyCount } from '../network/parties.js';

export type Which = 'A' | 'B';
export type Output = readonly Segment[];

/** What the corrupted party's output is in the ideal world. */
export type OutputClaim = 'uniform' | 'fixed' | 'none';

export interface PartySetup {
  /**
   * What P_c knows in the ideal world (knowledge.ts): its input, its output from the functionality,
   * its keys. The cases of cases.ts build it and their simulators read only it; optional so that a
   * case written elsewhere still plugs in.
   */
  readonly knowledge?: CorruptedKnowledge<unknown, unknown>;
  /** The party programs (three, or two for a 2-party protocol) on input set A or B; each returns its output as typed segments. */
  programs(which: Which): Programs<Output>;
  /** One simulated view of the corrupted party, drawing its randomness from `rng`. */
  simulate(rng: Prg): TypedView;
  readonly output: OutputClaim;
}

export interface SecurityCase {
  readonly name: string;
  readonly ell: number;
  /** How many parties the protocol has (default 3); with 2, P0 or P1 is the corrupted party. */
  readonly parties?: PartyCount;
  /** The set-up for corrupted party c, whose keys are `keys` (fixed for the whole check). */
  setup(c: PartyId, keys: PartyKeys): PartySetup;
}

export type Claim = 'input-independence' | 'simulation' | 'output';

export interface Verdict {
  readonly case: string;
  readonly party: PartyId;
  readonly claim: Claim;
  readonly ok: boolean;
  readonly method: 'exact' | 'chi-square';
  /** Tests in the chi-square family (0 for exact comparisons). */
  readonly tests: number;
  /** Samples per compared set. */
  readonly samples: number;
  readonly detail: string;
}

export interface SecurityOptions {
  /** Runs per input set, and simulated views (default 400). */
  readonly samples?: number;
  /** Runs per input set for the output claim (default samples / 2). */
  readonly outputSamples?: number;
  /** False-alarm rate of one verdict (default 1e-8). */
  readonly alpha?: number;
  readonly seed?: string;
}

export const DEFAULT_SAMPLES = 400;
export const VERDICT_ALPHA = 1e-8;

/** A PRG from a label (simulator randomness, test inputs): SHA-256 of the label as the key. */
export function labelPrg(label: string): Prg {
  return new Prg(
    new Uint8Array(createHash('sha256').update(`cryptflow-security\u0000${label}`).digest().subarray(0, 16)),
  );
}

function constant(samples: readonly Int32Array[]): Int32Array | null {
  const first = samples[0];
  if (first === undefined) return new Int32Array(0);
  for (const s of samples) {
    if (s.length !== first.length) return null;
    for (let i = 0; i < s.length; i++) if (s[i] !== first[i]) return null;
  }
  return first;
}

interface Outcome {
  readonly ok: boolean;
  readonly method: 'exact' | 'chi-square';
  readonly tests: number;
  readonly detail: string;
}

/** Compare pairs of samples as one verdict: exact when every sample set is constant, chi-square otherwise. */
function judge(
  pairs: readonly (readonly [string, readonly Int32Array[], readonly Int32Array[]])[],
  moduli: readonly number[],
  alpha: number,
  describe: (k: number) => string,
): Outcome {
  const consts = pairs.map(([, x, y]) => [constant(x), constant(y)] as const);
  if (consts.every(([a, b]) => a !== null && b !== null)) {
    const bad = pairs.findIndex((_, i) => {
      const [a, b] = consts[i] as readonly [Int32Array, Int32Array];
      return a.length !== b.length || a.some((v, k) => v !== b[k]);
    });
    const dims = moduli.length === 0 ? 'empty' : `${moduli.length} coordinates, constant`;
    if (bad < 0) return { ok: true, method: 'exact', tests: 0, detail: `identical in every sample (${dims})` };
    return {
      ok: false,
      method: 'exact',
      tests: 0,
      detail: `${(pairs[bad] as readonly [string, unknown, unknown])[0]}: both constant but different`,
    };
  }
  const results: [string, Comparison][] = pairs.map(([what, x, y]) => [what, compareSamples(x, y, moduli, describe)]);
  const tests = results.reduce((s, [, c]) => s + c.tests, 0);
  const merged: Comparison = {
    tests,
    worst: results
      .map(([, c]) => c.worst)
      .reduce((a, b) => (b !== null && (a === null || b.pValue < a.pValue) ? b : a), null),
  };
  const worstOf = results.find(([, c]) => c.worst === merged.worst)?.[0] ?? '';
  const ok = !rejects(merged, alpha);
  return {
    ok,
    method: 'chi-square',
    tests,
    detail: `${tests} tests at α = ${alpha} (per test ${(alpha / Math.max(1, tests)).toExponential(1)}); worst: ${worstOf}, ${describeFinding(merged.worst)}`,
  };
}

export type RealViews =
  | {
      readonly ok: true;
      readonly views: Int32Array[];
      /** The corrupted party's PRG digests in the first run, and whether every run had the same. */
      readonly randomness: string;
      readonly randomnessFixed: boolean;
    }
  | { readonly ok: false; readonly why: string };

/**
 * n real views of P_c on input set `which`, decoded with the simulator's layout: P_c's keys from
 * `fixedSeed` (the seed its setup's keys came from), the honest keys fresh per run from
 * `${honestSeed}|honest|which|i`.
 */
export async function realViews(
  kase: SecurityCase,
  c: PartyId,
  setup: PartySetup,
  layout: Layout,
  which: Which,
  n: number,
  fixedSeed: string,
  honestSeed: string,
): Promise<RealViews> {
  const parties = kase.parties ?? 3;
  const views: Int32Array[] = [];
  let randomness: string | null = null;
  let randomnessFixed = true;
  for (let i = 0; i < n; i++) {
    const keys = viewKeys(c, fixedSeed, `${honestSeed}|honest|${which}|${i}`, parties);
    const { view } = await observe(setup.programs(which), { ell: kase.ell, corrupted: c, keys });
    if (i % 64 === 63) await yieldEventLoop();
    const digest = JSON.stringify(view.randomness);
    if (randomness === null) randomness = digest;
    else if (digest !== randomness) randomnessFixed = false;
    const d = decodeView(kase.ell, layout, view.received);
    if (!d.ok) return { ok: false, why: d.why };
    views.push(d.values);
  }
  return { ok: true, views, randomness: randomness ?? '', randomnessFixed };
}

/** Run the check of `kase` with party c corrupted. */
export async function checkParty(kase: SecurityCase, c: PartyId, options: SecurityOptions = {}): Promise<Verdict[]> {
  checkSecurityRing(kase.ell);
  const n = options.samples ?? DEFAULT_SAMPLES;
  const nOut = options.outputSamples ?? Math.max(1, Math.floor(n / 2));
  const alpha = options.alpha ?? VERDICT_ALPHA;
  const seed = `${options.seed ?? 'security'}|${kase.name}|P${c}`;
  const fixedSeed = `${seed}|fixed`;
  const parties = kase.parties ?? 3;
  if (c >= parties) bug(`${kase.name}: P${c} is not a party of this ${parties}-party protocol`);
  const setup = kase.setup(c, keysAmong(parties, c, keysFromSeed(fixedSeed)[c]));
  const verdict = (claim: Claim, o: Outcome, samples: number): Verdict => ({
    case: kase.name,
    party: c,
    claim,
    ok: o.ok,
    method: o.method,
    tests: o.tests,
    samples,
    detail: o.detail,
  });

  const simViews = Array.from({ length: n }, (_, i) => setup.simulate(labelPrg(`${seed}|sim|${i}`)));
  const layout: Layout = layoutOf(simViews[0] ?? { 0: [], 1: [], 2: [] });
  for (const v of simViews)
    if (!sameLayout(layoutOf(v), layout))
      bug(`${kase.name}: the simulator of P${c} produced views of different shapes`);
  const sim = simViews.map(flatten);
  const moduli = moduliOf(layout);
  const describe = (k: number): string => describeCoordinate(layout, k);

  const real: Record<Which, Int32Array[]> = { A: [], B: [] };
  let randomness: string | null = null;
  let randomnessFixed = true;
  for (const which of ['A', 'B'] as const) {
    const r = await realViews(kase, c, setup, layout, which, n, fixedSeed, seed);
    if (!r.ok) {
      const o: Outcome = {
        ok: false,
        method: 'exact',
        tests: 0,
        detail: `the recorded view does not have the simulator's shape (input set ${which}): ${r.why}`,
      };
      return [verdict('input-independence', o, n), verdict('simulation', o, n)];
    }
    if (randomness === null) randomness = r.randomness;
    if (!r.randomnessFixed || r.randomness !== randomness) randomnessFixed = false;
    real[which].push(...r.views);
  }

  const verdicts: Verdict[] = [];
  const independence = judge([['views on A vs views on B', real.A, real.B]], moduli, alpha, describe);
  verdicts.push(
    verdict(
      'input-independence',
      randomnessFixed
        ? independence
        : {
            ...independence,
            ok: false,
            detail: `P${c}'s PRG draws differed between runs with the same keys; ${independence.detail}`,
          },
      n,
    ),
  );
  verdicts.push(
    verdict(
      'simulation',
      judge(
        [
          ['views on A vs simulated', real.A, sim],
          ['views on B vs simulated', real.B, sim],
        ],
        moduli,
        alpha,
        describe,
      ),
      n,
    ),
  );

  if (setup.output !== 'none') {
    const outs: Record<Which, Int32Array[]> = { A: [], B: [] };
    let shape: readonly Segment[] = [];
    let outModuli: number[] = [];
    for (const which of ['A', 'B'] as const) {
      for (let i = 0; i < nOut; i++) {
        const keys = keysFromSeed(`${seed}|output|${which}|${i}`);
        const { outputs } = await observe(setup.programs(which), { ell: kase.ell, corrupted: c, keys });
        await yieldEventLoop();
        const segs = outputs[c] ?? bug(`no output of P${c}`);
        const flat = flattenSegments(segs);
        shape = segs;
        outModuli = flat.moduli;
        outs[which].push(flat.values);
      }
    }
    const ideal = (i: number): Int32Array => {
      const rng = labelPrg(`${seed}|ideal-output|${i}`);
      return flattenSegments(
        shape.map((s) =>
          uniformSegment(rng, kase.ell, s.group, s.values.length, s.group === 'field' ? s.modulus : undefined),
        ),
      ).values;
    };
    const describeOut = (k: number): string => `output element ${k + 1}`;
    const o =
      setup.output === 'fixed'
        ? judge([['outputs on A vs outputs on B', outs.A, outs.B]], outModuli, alpha, describeOut)
        : judge(
            [
              ['outputs on A vs outputs on B', outs.A, outs.B],
              [
                'outputs on A and B vs fresh uniform shares',
                [...outs.A, ...outs.B],
                Array.from({ length: 2 * nOut }, (_, i) => ideal(i)),
              ],
            ],
            outModuli,
            alpha,
            describeOut,
          );
    const fixedButNot = setup.output === 'fixed' && o.method !== 'exact';
    verdicts.push(
      verdict(
        'output',
        fixedButNot
          ? { ...o, ok: false, detail: `the output should be fixed by the inputs but varies; ${o.detail}` }
          : o,
        nOut,
      ),
    );
  }
  return verdicts;
}
