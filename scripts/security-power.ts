/**
 * `npm run security:power`: the power table of the security tests (proofs-notes/security-tests.md §6).
 *
 * For every protocol × corrupted party of test/security/ (ℓ = 8; the variants' small primes), it
 * prints the size of P_c's view, the number T of tests in the bit-level bias family (bias.ts), the
 * smallest single-event bias detected with probability ≥ 0.99 at α = 10⁻⁸ with the suite's N = 400
 * runs (and 4N simulated views), and the N at which that bias is 1/32. Views that are empty or
 * constant (exact comparisons in check.ts) are marked as such: no bias can hide in them.
 *
 *   npm run security:power                     the table (computed, no protocol run; seconds)
 *   npm run security:power -- --run FILTER…    also run the bias check at N(1/32) on the cases whose
 *                                              name or party ("P0") contains each FILTER, honest and
 *                                              with the planted leaks, and print each verdict and time
 *   npm run security:power -- --run all        every case (hours on two cores)
 */
import { performance } from 'node:perf_hooks';
import {
  biasFamilySize,
  checkBias,
  commonCases,
  detectableBias,
  hookStream,
  productCase,
  samplesFor,
  selectShareCase,
  tampered,
  topBitBiased,
  variantCases,
  VERDICT_ALPHA,
  type SecurityCase,
} from '../harness/security/index.js';
import { PORTHOS, SECURENN } from '../protocols/securenn-family/nonlinear/variant.js';
import type { PartyId } from '../protocols/common/party.js';

const TARGET = 1 / 32;
const SUITE_N = 400;
const ELL = 8;

const args = process.argv.slice(2);
const runAt = args.indexOf('--run');
const filters = runAt < 0 ? null : args.slice(runAt + 1);

const cases: SecurityCase[] = [...commonCases(ELL), ...variantCases(PORTHOS, ELL), ...variantCases(SECURENN, ELL)];
const leaks: SecurityCase[] = [
  tampered(
    productCase(ELL),
    `${productCase(ELL).name}, P1's mask top bit P(1) = 0.4375`,
    hookStream(1, 2, topBitBiased(4)),
  ),
  tampered(
    productCase(ELL),
    `${productCase(ELL).name}, P0's mask top bit P(1) = 0.4375`,
    hookStream(0, 2, topBitBiased(4)),
  ),
  tampered(
    selectShareCase(ELL),
    `${selectShareCase(ELL).name}, P1's mask top bit P(1) = 0.4375`,
    hookStream(1, 2, topBitBiased(4)),
  ),
];
const pct = (x: number): string => x.toFixed(4);
const selected = (name: string, c: PartyId): boolean =>
  filters !== null && (filters.includes('all') || filters.some((f) => `${name} P${c}`.includes(f)));

console.log(
  `| protocol | party | coordinates | tests T | detectable at N = ${SUITE_N} | N for 1/32 |${filters === null ? '' : ' run: verdict, worst event, seconds |'}`,
);
console.log(`|---|---|---|---|---|---|${filters === null ? '' : '---|'}`);
for (const kase of [...cases, ...(filters === null ? [] : leaks)]) {
  for (const c of [0, 1, 2] as const) {
    const { coordinates, tests } = biasFamilySize(kase, c);
    const exact = tests === 0;
    const n = exact ? 0 : samplesFor(TARGET, tests, VERDICT_ALPHA);
    const at400 = exact ? 'exact (empty view)' : pct(detectableBias(SUITE_N, 4 * SUITE_N, tests, VERDICT_ALPHA));
    let run = '';
    if (selected(kase.name, c) && !exact) {
      const t = performance.now();
      const v = await checkBias(kase, c, { targetBias: TARGET, seed: 'power' });
      run = ` ${v.ok ? 'pass' : 'REJECT'} (detects ${pct(v.detectable)}); ${v.worst?.feature ?? '—'}, p = ${v.worst?.pValue.toExponential(1) ?? '—'}; ${((performance.now() - t) / 1000).toFixed(1)} s |`;
    } else if (filters !== null) run = ' |';
    console.log(
      `| ${kase.name} | P${c} | ${coordinates} | ${tests} | ${at400} | ${exact ? '—' : n.toLocaleString('en')} |${run}`,
    );
  }
}
