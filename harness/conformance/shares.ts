/**
 * The `shares` check: each party's output share alone is distributed independently of the secret
 * values (and, on request, uniformly). Two samples of independent runs — every secret operand filled
 * with one constant (fill A), then with another (fill B) — one uniformly random output element per run,
 * binned on its top bits; a two-sample chi-square homogeneity test per party, and optionally a
 * goodness-of-fit test to the uniform law. Runs are independent (fresh PRG keys), which the chi-square
 * laws need; several elements of one run would not be (Concat(x, x) repeats a share).
 */
import { numel } from '../../spec/geometry.js';
import type { Backend } from '../../protocols/common/backend.js';
import { Prg } from '../../protocols/common/prg.js';
import { withSecretFills, type Case } from './cases.js';
import { digest, exactOutput, type Tally } from './checks.js';
import { runCase } from './run.js';
import { chiSquareHomogeneity, chiSquareUniform, topBits, type ChiSquare } from './stats.js';
import type { ConformanceOptions, Verdict } from './types.js';

function chiVerdict(what: string, t: ChiSquare, alpha: number): Verdict {
  const stat = `χ² = ${t.statistic.toFixed(2)}, df = ${t.df}, p = ${t.pValue.toExponential(2)}, min expected cell ${t.minExpected.toFixed(1)}`;
  return {
    check: 'shares',
    ok: t.pValue >= alpha,
    detail: `${what}: ${stat}${t.pValue >= alpha ? '' : ` < α = ${alpha}`}`,
  };
}

interface ShareSample {
  readonly p0: number[];
  readonly p1: number[];
}

export async function shareTest(
  backend: Backend,
  base: Case,
  seed: string,
  options: ConformanceOptions,
  tally: Tally,
): Promise<Verdict[]> {
  const runs = options.shareRuns ?? 96;
  const bits = Math.min(options.shareBits ?? 4, base.ell);
  const alpha = options.falseAlarm ?? 1e-6;
  const rng = new Prg(digest(`${seed}:share-fills`).subarray(0, 16));
  const fills = (): Map<string, bigint> =>
    new Map(base.operands.filter((o) => o.secret).map((o) => [o.name, rng.ring(base.ell, 1)[0] as bigint]));
  const n = numel(base.node.type.shape);
  // The histogram of the top bits of the exact output when the secret operands hold these fills.
  const profile = (fill: Map<string, bigint>): number[] => {
    const c = withSecretFills(base, (name) => fill.get(name) ?? 0n);
    const h = new Array<number>(1 << bits).fill(0);
    for (const v of exactOutput(c)) h[topBits(base.ell, v, bits)] = (h[topBits(base.ell, v, bits)] as number) + 1 / n;
    return h;
  };
  // Fill B: of 16 candidates, the one whose exact output is farthest (total variation) from fill A's,
  // so that a share which reveals the value lands in different cells. Chosen from the semantics
  // only, before any run, so the test's null distribution is untouched.
  const fillA = fills();
  const pa = profile(fillA);
  const tv = (q: number[]): number => q.reduce((s, v, i) => s + Math.abs(v - (pa[i] as number)), 0) / 2;
  const fillB = Array.from({ length: 16 }, fills)
    .map((f) => [f, tv(profile(f))] as const)
    .reduce((best, cand) => (cand[1] > best[1] ? cand : best))[0];
  const sample = async (which: string, fill: Map<string, bigint>): Promise<ShareSample> => {
    const c = withSecretFills(base, (name) => fill.get(name) ?? 0n);
    const out: ShareSample = { p0: new Array<number>(1 << bits).fill(0), p1: new Array<number>(1 << bits).fill(0) };
    for (let r = 0; r < runs; r++) {
      const runSeed = `${seed}:shares-${which}-${r}`;
      const obs = tally.add(c, runSeed, await runCase(backend, c, { seed: runSeed }));
      if (obs === null || obs.shares === null) continue;
      const j = Number((rng.ring(32, 1)[0] as bigint) % BigInt(n));
      const i0 = topBits(base.ell, obs.shares[0][j] as bigint, bits);
      const i1 = topBits(base.ell, obs.shares[1][j] as bigint, bits);
      out.p0[i0] = (out.p0[i0] as number) + 1;
      out.p1[i1] = (out.p1[i1] as number) + 1;
    }
    return out;
  };
  const a = await sample('a', fillA);
  const b = await sample('b', fillB);
  const what = `${base.label}, one random element per run, ${runs} runs per fill, top ${bits} bits`;
  const verdicts = [
    chiVerdict(`P0's share independent of the values (${what})`, chiSquareHomogeneity(a.p0, b.p0), alpha),
    chiVerdict(`P1's share independent of the values (${what})`, chiSquareHomogeneity(a.p1, b.p1), alpha),
  ];
  if (options.shareTest === 'uniform') {
    const sum = (x: number[], y: number[]): number[] => x.map((v, i) => v + (y[i] as number));
    verdicts.push(chiVerdict(`P0's share uniform (${what})`, chiSquareUniform(sum(a.p0, b.p0)), alpha));
    verdicts.push(chiVerdict(`P1's share uniform (${what})`, chiSquareUniform(sum(a.p1, b.p1)), alpha));
  }
  return verdicts;
}
