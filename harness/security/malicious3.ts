/**
 * Simulation-based security tests of the malicious backend's semi-honest part (protocols/malicious3/,
 * proofs-notes/malicious3.md "Privacy"): for a corrupted party c that follows the protocol, its view
 * in real runs is compared with the view a simulator produces from c's input, c's keys and what the
 * functionality gives c — on two input sets A and B that differ in the honest parties' inputs only.
 *
 * The simulator runs c's own code (a `Session` on c's keys, c's input) against simulated peers, one
 * rule per message kind (the labels of session.ts `M3_MESSAGES`), written from the notes' sketch:
 *   - product share (from c + 1, after c sent its own to c − 1): uniform in Z_{2^m} (masked by the
 *     zero-sharing component of the two honest parties' PRG);
 *   - opening (from c − 1, after c sent its component to c + 1): uniform (the opened values are
 *     masked by a random r, its s high bits by 2^k·r′);
 *   - input component (from the owner): uniform (masked by the honest pair's PRG component);
 *   - check digest and coin (from both peers, after c sent its own): c's own digest, and one uniform
 *     16-byte coin component, the same from both;
 *   - check opening (from both): −(what c sent), since z·t = 0 in an honest run;
 *   - output component (from both, when c is the receiver): y − (c's two components) mod 2^k, the
 *     functionality's y, with uniform s high bits (the reveal masks them), the same from both.
 * No rule sees an honest party's input or keys.
 *
 * A view is a vector of coordinates: each received Z_{2^m} element; for each 48-byte check message,
 * whether its digest equals the one c sent (mod 2) and its coin's first four bytes (two coordinates
 * mod 2^16 — the rest of the digest and coin are not examined); and, derived from those, every value
 * c obtains from an opening or a reveal (what c computes from its view and keys; a leak that spreads
 * over several uniform components shows there). Samples are compared by the chi-square family of
 * stats.ts (per coordinate, per pair: joint high quarters, difference and sum), Bonferroni at α:
 * input independence (A vs B) and simulation (A vs simulated, B vs simulated).
 */
import { bug } from '../../spec/errors.js';
import type { PartyId } from '../../protocols/common/party.js';
import { keysFromSeed } from '../../protocols/common/prg.js';
import { compareSamples, describeFinding, rejects } from './stats.js';
import { labelPrg } from './check.js';
import { yieldEventLoop } from './view.js';
import { checkSecurityRing } from './typed.js';
import {
  realM3View,
  valuesOf,
  type Coordinates,
  type M3Case,
  type M3Verdict,
  type M3Which,
} from './malicious3-view.js';
import { simulateM3View, type SimulatorChange } from './malicious3-sim.js';

export type { M3Case, M3Input, M3Verdict, M3Which, SessionFactory } from './malicious3-view.js';
export type { SimulatorChange } from './malicious3-sim.js';
export { realM3View } from './malicious3-view.js';
export { simulateM3View } from './malicious3-sim.js';

export interface M3CheckOptions {
  readonly samples: number;
  readonly alpha?: number;
  readonly seed?: string;
  /** Replace the simulator's answers (a wrong simulator, in tests); absent, the simulator above. */
  readonly simulatorChange?: SimulatorChange;
}

/** Input independence and simulation of c's view in `kase`. */
export async function checkM3Party(kase: M3Case, c: PartyId, options: M3CheckOptions): Promise<M3Verdict[]> {
  checkSecurityRing(kase.k + kase.s); // coordinates are exact numbers of Z_{2^m}, m ≤ 24
  const n = options.samples;
  const alpha = options.alpha ?? 1e-8;
  const seed = `${options.seed ?? 'security'}|malicious3|${kase.name}|P${c}`;
  const fixedSeed = `${seed}|fixed`;
  const keys = keysFromSeed(fixedSeed)[c];
  for (const r of kase.reveals ?? [])
    if (r.to === c && String(r.value(valuesOf(kase, 'A', c))) !== String(r.value(valuesOf(kase, 'B', c))))
      bug(`${kase.name}: what P${c} is told differs between A and B`);
  const sim: number[][] = [];
  const real: Record<M3Which, number[][]> = { A: [], B: [] };
  const held: { layout?: Coordinates } = {};
  const structure: string[] = [];
  const take = (what: string, v: Coordinates): number[] => {
    const first = (held.layout ??= v);
    if (v.names.length !== first.names.length || v.names.some((x, i) => x !== first.names[i]))
      structure.push(`${what}: ${v.names.length} coordinates, the first view ${first.names.length}`);
    return v.values;
  };
  // c's own code rejecting a simulated view (an abort, which an honest run never has) fails the simulation
  let simAbort: string | null = null;
  for (let i = 0; i < n; i++) {
    if (simAbort === null)
      try {
        const rng = labelPrg(`${seed}|sim|${i}`);
        sim.push(take('simulated', await simulateM3View(kase, c, keys, rng, options.simulatorChange)));
      } catch (e) {
        simAbort = e instanceof Error ? e.message : String(e);
      }
    for (const which of ['A', 'B'] as const)
      real[which].push(take(`real ${which}`, await realM3View(kase, c, which, fixedSeed, `${seed}|${which}|${i}`)));
    if (i % 16 === 15) await yieldEventLoop();
  }
  const lay = held.layout ?? bug('no samples');
  if (structure.length > 0) return [{ claim: 'structure', ok: false, detail: structure.slice(0, 3).join('; ') }];
  const moduli = lay.moduli;
  const describe = (j: number): string => lay.names[j] ?? `coordinate ${j}`;
  const asRows = (rows: number[][]): Int32Array[] => rows.map((r) => Int32Array.from(r));
  const judge = (pairs: [string, number[][], number[][]][]): { ok: boolean; detail: string } => {
    const cs = pairs.map(([w, x, y]) => [w, compareSamples(asRows(x), asRows(y), moduli, describe)] as const);
    const tests = cs.reduce((a, [, r]) => a + r.tests, 0);
    const bad = cs.find(([, r]) => rejects({ tests, worst: r.worst }, alpha));
    const worst = cs.reduce((a, b) => ((b[1].worst?.pValue ?? 1) < (a[1].worst?.pValue ?? 1) ? b : a));
    return {
      ok: bad === undefined,
      detail: `${moduli.length} coordinates, ${tests} tests at α = ${alpha}; worst (${worst[0]}): ${describeFinding(worst[1].worst)}`,
    };
  };
  return [
    { claim: 'input-independence', ...judge([['A vs B', real.A, real.B]]) },
    {
      claim: 'simulation',
      ...(simAbort !== null
        ? { ok: false, detail: `P${c}'s own code aborted on a simulated view: ${simAbort}` }
        : judge([
            ['A vs simulated', real.A, sim],
            ['B vs simulated', real.B, sim],
          ])),
    },
  ];
}
