/**
 * The conformance suite: one battery of checks run over ANY `Backend` (protocols/common/backend.ts),
 * per operator and ring width. For each (op, ℓ) — ℓ in the backend's `claims.rings` ∩ the requested
 * widths — it cuts cases out of random single-op programs (cases.ts), runs them on every party the
 * backend has (run.ts: three, or two for a 2-party backend such as CrypTFlow2) and returns verdicts
 * instead of throwing, so that the suite itself can be tested.
 *
 *   run        no party fails except by CryptflowError('unsupported') (reported, not failed);
 *   correct    the outputs are well formed, secret exactly when some operand is, and the reconstruction
 *              satisfies `functionalityOf(node, { truncation }).spec`: equal to the exact semantics, or
 *              (local division: ScaleDown, AvgPool, GlobalAvgPool) in the allowed set;
 *   wrap-rate  over the group's local-division elements where a wrap is visible, the number of results
 *              outside {exact, exact + 1} (wraps) is at most μ + t, μ = Σ wrap probabilities, t from
 *              Bernstein's inequality over the independent runs (stats.ts) — valid however the
 *              elements of one run depend on each other (e.g. overlapping AvgPool windows);
 *   shares     (when `claims.uniformShares`) each party's output share alone is distributed
 *              independently of the secret values: a two-sample chi-square homogeneity test on the top
 *              `shareBits` bits of P0's share (and of P1's) at one random element per run, over
 *              `shareRuns` runs with every secret operand filled with one constant and as many with
 *              another; with `shareTest: 'uniform'` also a goodness-of-fit test to the uniform law;
 *   cost       the metered 'compute' bytes on each directed link (six with three parties, two with two;
 *              a 2-party backend must also declare zero on every P2 link) and the rounds equal
 *              `backend.cost(node, operandTypes, ℓ)` exactly;
 *   scheduled  under fast-check's scheduler (adversarial delivery order across links), `correct` still
 *              holds.
 * Every statistical check has false-alarm rate α (`falseAlarm`, default 1e-6). See README.md.
 */
import fc from 'fast-check';
import type { LOp } from '../../ir/llil.js';
import type { Backend } from '../../protocols/common/backend.js';
import { Prg } from '../../protocols/common/prg.js';
import { caseFromProgram, hasSecret, type Case } from './cases.js';
import { correctness, digest, intSeed, listVerdict, Tally, visibleWraps } from './checks.js';
import { runCase } from './run.js';
import { shareTest } from './shares.js';
import { bernsteinUpper } from './stats.js';
import type { ConformanceOptions, ConformanceReport, GroupReport, Verdict } from './types.js';

export type { CheckName, ConformanceOptions, ConformanceReport, GroupReport, Verdict } from './types.js';
export { correctness, costMismatch } from './checks.js';

/** Every LLIL operator (a record over the closed union, so a new operator fails to compile here). */
const OPS = {
  Conv: true,
  ConvTranspose: true,
  MatMul: true,
  Add: true,
  Sub: true,
  Mul: true,
  BiasAdd: true,
  Relu: true,
  MaxPool: true,
  AvgPool: true,
  GlobalAvgPool: true,
  ScaleDown: true,
  ScaleUp: true,
  Concat: true,
  Pad: true,
  Reshape: true,
  Flatten: true,
  Transpose: true,
  Squeeze: true,
  ArgMax: true,
} as const satisfies Record<LOp, true>;

export const ALL_OPS: readonly LOp[] = Object.keys(OPS) as LOp[];

export const DEFAULT_ELLS: readonly number[] = [16, 32, 64];

/** The ring widths the suite checks a backend at. */
export function conformanceRings(backend: Backend, options: Pick<ConformanceOptions, 'ells'> = {}): number[] {
  return (options.ells ?? DEFAULT_ELLS).filter((l) => backend.claims.rings.includes(l));
}

function baseSeed(options: ConformanceOptions): number {
  return options.seed ?? fc.readConfigureGlobal().seed ?? 0;
}

async function scheduledCheck(
  backend: Backend,
  cases: readonly Case[],
  seed: string,
  options: ConformanceOptions,
): Promise<Verdict> {
  const runs = options.scheduledRuns ?? 2;
  const truncation = options.truncation ?? 'local';
  const faults: string[] = [];
  let k = 0;
  const property = fc.asyncProperty(fc.scheduler(), async (s) => {
    const i = k++;
    const c = cases[i % cases.length] as Case;
    const runSeed = `${seed}:scheduled-${i}`;
    // Schedule a delivery only once its message has arrived: a scheduled promise that is still pending
    // would block fast-check's scheduler while it waits for a message another scheduled task releases.
    const deliver = <T>(p: Promise<T>, label: string): Promise<T> =>
      p.then((m) => s.schedule(Promise.resolve(m), label));
    const outcome = await s.waitFor(runCase(backend, c, { seed: runSeed, deliver }));
    const fault =
      outcome.status === 'ok'
        ? correctness(c, outcome.observation, truncation)
        : outcome.status === 'error'
          ? outcome.message
          : null;
    if (fault !== null) faults.push(`${c.label} (seed ${runSeed}): ${fault}`);
    return fault === null;
  });
  await fc.check(property, { seed: intSeed(`${seed}:scheduled`), numRuns: runs, endOnFailure: true });
  return listVerdict('scheduled', faults, `${runs} run(s) in adversarial delivery orders reconstruct correctly`);
}

/** Run every check for one operator at one ring width. */
export async function checkGroup(
  backend: Backend,
  op: LOp,
  ell: number,
  options: ConformanceOptions,
): Promise<GroupReport> {
  const truncation = options.truncation ?? 'local';
  const alpha = options.falseAlarm ?? 1e-6;
  const runs = options.runs ?? 6;
  const seed = `${baseSeed(options)}:${op}:${ell}`;
  const notes: string[] = [];
  const tally = new Tally(backend, truncation);
  const values = new Prg(digest(`${seed}:values`).subarray(0, 16));
  const programs = fc.sample(options.programs(op, [ell]), { seed: intSeed(`${seed}:programs`), numRuns: runs });
  const supported: Case[] = [];
  let shareBase: Case | null = null;
  for (const [i, program] of programs.entries()) {
    const publicOnly = (options.publicCases ?? true) && i === runs - 1 && runs > 1;
    const c = caseFromProgram(program, op, values, {
      mode: i % 2 === 0 ? 'small' : 'uniform',
      publicOnly,
      bound: (node, ell) => backend.domain?.(node, ell),
    });
    if (c === null) {
      notes.push(`program ${i} has no ${op} node`);
      continue;
    }
    const runSeed = `${seed}:case-${i}`;
    const obs = tally.add(c, runSeed, await runCase(backend, c, { seed: runSeed }));
    if (obs === null) continue;
    supported.push(c);
    if (
      obs.kind === 'secret' &&
      hasSecret(c) &&
      (shareBase === null || visibleWraps(c, truncation) > visibleWraps(shareBase, truncation))
    )
      shareBase = c;
  }
  const verdicts: Verdict[] = [];
  if (backend.claims.uniformShares && shareBase !== null)
    verdicts.push(...(await shareTest(backend, shareBase, seed, options, tally)));
  else
    notes.push(
      backend.claims.uniformShares
        ? 'share test not run: no supported case with a secret output'
        : 'share test not run: the backend does not claim uniform shares',
    );
  if (supported.length > 0) verdicts.push(await scheduledCheck(backend, supported, seed, options));
  verdicts.unshift(
    listVerdict(
      'run',
      tally.errors,
      `${tally.cases - tally.unsupported} case(s) ran, ${tally.unsupported} unsupported`,
    ),
    listVerdict(
      'correct',
      tally.wrong,
      `every reconstruction satisfies F_${op}${truncation === 'exact' ? ' (exact truncation)' : ''}`,
    ),
    listVerdict('cost', tally.costly, 'metered bytes per link and rounds equal the declared cost'),
  );
  if (tally.wrapElements > 0) {
    const bound = bernsteinUpper(tally.wrapMean, tally.wrapVariance, tally.wrapMaxRun, alpha);
    const detail = `${tally.wraps} wrap(s) in ${tally.wrapElements} local-division elements, expected ${tally.wrapMean.toFixed(2)}, Bernstein bound ${bound.toFixed(2)} at α = ${alpha}`;
    verdicts.push({ check: 'wrap-rate', ok: tally.wraps <= bound, detail });
  }
  if (tally.firstUnsupported !== null)
    notes.push(`unsupported (${tally.unsupported} of ${tally.cases}): ${tally.firstUnsupported}`);
  return { backend: backend.name, op, ell, cases: tally.cases, unsupported: tally.unsupported, verdicts, notes };
}

/** Run the suite over every requested operator and ring width. */
export async function checkBackend(backend: Backend, options: ConformanceOptions): Promise<ConformanceReport> {
  const groups: GroupReport[] = [];
  for (const ell of conformanceRings(backend, options)) {
    for (const op of options.ops ?? ALL_OPS) groups.push(await checkGroup(backend, op, ell, options));
  }
  const failures = groups.flatMap((g) => g.verdicts.filter((v) => !v.ok).map((v) => ({ ...v, op: g.op, ell: g.ell })));
  return { backend: backend.name, groups, failures, ok: failures.length === 0 };
}

/** The failing verdicts of a group. */
export function failuresOf(g: GroupReport): Verdict[] {
  return g.verdicts.filter((v) => !v.ok);
}
