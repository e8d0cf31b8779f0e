/**
 * The per-run checks of the conformance suite — `correct` (reconstruction satisfies F's spec), `cost`
 * (meter = declared cost) and the wrap tally behind `wrap-rate` — and the tally that gathers them over
 * the runs of one (operator, ℓ) group. Also the suite's seed derivation (SHA-256 of a label), so that
 * every program, value and PRG key replays from one seed.
 */
import { createHash } from 'node:crypto';
import { Ring } from '../../spec/ring.js';
import { LINKS } from '../../spec/cost/types.js';
import { firstViolation, functionalityOf, type OutputSpec, type Truncation } from '../../ideal/functionality.js';
import type { Backend } from '../../protocols/common/backend.js';
import { caseInputs, caseOperandTypes, hasSecret, type Case } from './cases.js';
import type { Observation, Outcome } from './run.js';
import type { CheckName, Verdict } from './types.js';

/** 32 bytes derived from a label (PRG keys take the first 16). */
export function digest(label: string): Buffer {
  return createHash('sha256').update(`cryptflow-conformance\u0000${label}`).digest();
}

/** A fast-check seed derived from a label. */
export function intSeed(label: string): number {
  return digest(label).readUInt32LE(0) & 0x7fffffff;
}

/** Per-case tallies of one group, gathered as runs come in. */
export class Tally {
  cases = 0;
  unsupported = 0;
  readonly errors: string[] = [];
  readonly wrong: string[] = [];
  readonly costly: string[] = [];
  wraps = 0;
  wrapElements = 0;
  wrapMean = 0;
  /** Σ n_r·μ_r and max n_r over runs (Bernstein's inequality, stats.ts). */
  wrapVariance = 0;
  wrapMaxRun = 0;
  firstUnsupported: string | null = null;

  constructor(
    private readonly backend: Backend,
    private readonly truncation: Truncation,
  ) {}

  /** Record an outcome; returns the observation when the case ran. */
  add(c: Case, seed: string, outcome: Outcome): Observation | null {
    this.cases++;
    if (outcome.status === 'unsupported') {
      this.unsupported++;
      this.firstUnsupported ??= `${c.label}: ${outcome.message}`;
      return null;
    }
    if (outcome.status === 'error') {
      this.errors.push(`${c.label} (seed ${seed}): ${outcome.message}`);
      return null;
    }
    const obs = outcome.observation;
    const fault = correctness(c, obs, this.truncation);
    if (fault !== null) this.wrong.push(`${c.label} (seed ${seed}): ${fault}`);
    else this.countWraps(c, obs);
    const costFault = costMismatch(this.backend, c, obs);
    if (costFault !== null) this.costly.push(`${c.label} (seed ${seed}): ${costFault}`);
    return obs;
  }

  private countWraps(c: Case, obs: Observation): void {
    const spec = specOf(c, this.truncation);
    if (spec.kind !== 'local-division' || obs.kind !== 'secret') return;
    const ring = Ring(c.ell);
    let n = 0;
    let mu = 0;
    for (let i = 0; i < obs.value.length; i++) {
      const y = obs.value[i] as bigint;
      const q = spec.exact.data[i] as bigint;
      const near = (v: bigint): boolean => v === q || v === ring.add(q, 1n);
      // A wrap is visible only where some allowed result lies outside {q, q + 1} (not for a divisor of 1).
      if (!(spec.allowed[i] ?? []).some((v) => !near(v))) continue;
      if (!near(y)) this.wraps++;
      mu += spec.wrapProbability[i] as number;
      n++;
    }
    this.wrapMean += mu;
    this.wrapElements += n;
    this.wrapVariance += n * mu;
    this.wrapMaxRun = Math.max(this.wrapMaxRun, n);
  }
}

export function exactOutput(c: Case): BigUint64Array {
  const spec = functionalityOf(c.node, { truncation: 'exact' }).spec(c.ell, caseInputs(c));
  return spec.kind === 'exact' ? spec.value.data : spec.exact.data;
}

export function specOf(c: Case, truncation: Truncation): OutputSpec {
  return functionalityOf(c.node, { truncation }).spec(c.ell, caseInputs(c));
}

/** Output elements where a wrap of local division would be visible (0 for exact functionalities). */
export function visibleWraps(c: Case, truncation: Truncation): number {
  const spec = specOf(c, truncation);
  if (spec.kind === 'exact') return 0;
  const ring = Ring(c.ell);
  return spec.allowed.filter((set, i) => {
    const q = spec.exact.data[i] as bigint;
    return set.some((v) => v !== q && v !== ring.add(q, 1n));
  }).length;
}

/** Check 1 on one observation: null when correct, else where it fails. */
export function correctness(c: Case, obs: Observation, truncation: Truncation): string | null {
  if (obs.problems.length > 0) return obs.problems.join('; ');
  const want = hasSecret(c) ? 'secret' : 'public';
  if (obs.kind !== want)
    return `output is ${obs.kind}, expected ${want} (the node's operands are ${hasSecret(c) ? 'partly secret' : 'all public'})`;
  const spec = specOf(c, truncation);
  const bad = firstViolation(spec, obs.value);
  if (bad < 0) return null;
  const n = obs.value.length;
  return spec.kind === 'exact'
    ? `element ${bad} of ${n} differs from the exact semantics`
    : `element ${bad} of ${n} is outside the allowed set of local division`;
}

/** Check 3 on one observation: null when the meter equals the declared cost, else the differences. */
export function costMismatch(backend: Backend, c: Case, obs: Observation): string | null {
  let declared;
  try {
    declared = backend.cost(c.node, caseOperandTypes(c), c.ell);
  } catch (e) {
    return `cost() failed for a node run() supports: ${e instanceof Error ? e.message : String(e)}`;
  }
  const diffs = LINKS.filter((l) => declared.links[l] !== obs.meter.links[l]).map(
    (l) => `${l} metered ${obs.meter.links[l]} B, declared ${declared.links[l]} B`,
  );
  // A backend's once-per-session setup (CrypTFlow2's base OTs) runs inside the first node that needs
  // it: its rounds are the setup's, not the node's, and its bytes are metered apart.
  const rounds = obs.meter.rounds - (obs.meter.setupRounds ?? 0);
  const setup = obs.meter.setupRounds === undefined ? '' : ` (after ${obs.meter.setupRounds} setup round(s))`;
  if (declared.rounds !== rounds) diffs.push(`rounds metered ${rounds}${setup}, declared ${declared.rounds}`);
  return diffs.length === 0 ? null : diffs.join('; ');
}

export function listVerdict(check: CheckName, faults: readonly string[], okDetail: string): Verdict {
  if (faults.length === 0) return { check, ok: true, detail: okDetail };
  const shown = faults.slice(0, 3).join(' | ');
  return { check, ok: false, detail: `${faults.length} failing case(s): ${shown}${faults.length > 3 ? ' | …' : ''}` };
}
