/**
 * The conformance suite (harness/conformance) on cryptflow2-he, its OT over the functional test double
 * (the HE layers are real: BFV at N = 8192), at ℓ = 16 where every single-op case's values stay
 * within ±(p − 1)/2. Products whose weight is not a server input are reported 'unsupported' by the
 * suite, not failed; the share test bins the top bits of each party's field share (ShareCodec.view).
 * HE cases cost about a second each, so the linear ops run fewer cases and no share test here (their
 * masks are tested in linear.test.ts and security.test.ts).
 */
import { describeConformance } from '../../../harness/conformance/vitest.js';
import type { ConformanceOptions } from '../../../harness/conformance/index.js';
import type { LOp } from '../../../ir/llil.js';
import { cryptflow2HeBackend } from '../../../protocols/cryptflow2-he/index.js';
import { ALL_OPS } from '../../../harness/conformance/suite.js';
import { llilOpProgram } from '../../arbitraries/llil.js';
import { functionalOt, functionalOtCosts } from '../cryptflow2/functional-ot.js';

const slow = process.env['CRYPTFLOW_SLOW'] === '1' ? 10 : 1;
const backend = {
  ...cryptflow2HeBackend({ kernels: 'reference', openOt: functionalOt, otCost: functionalOtCosts }),
  name: 'cryptflow2-he(functional OT)',
};
const LINEAR: readonly LOp[] = ['Conv', 'ConvTranspose', 'MatMul', 'Mul'];
// GlobalAvgPool: Z_p sums a whole channel exactly where the ring semantics wraps mod 2^ℓ, and the count
// is not in the node, so `domain` cannot fold the suite's uniform values below the wrap; backend.test.ts
// runs it on inputs whose sums do not wrap.
const NOT_HERE: readonly LOp[] = [...LINEAR, 'GlobalAvgPool'];
const base: ConformanceOptions = {
  programs: llilOpProgram,
  truncation: 'exact',
  ells: [16],
  runs: 6 * slow,
  shareRuns: 48 * slow,
  scheduledRuns: 2 * slow,
};

describeConformance(backend, { ...base, ops: ALL_OPS.filter((op) => !NOT_HERE.includes(op)) });
describeConformance(backend, { ...base, ops: LINEAR, ells: [16], runs: 4 * slow, shareRuns: 0, scheduledRuns: 1 });
