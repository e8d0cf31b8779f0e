/**
 * The conformance suite (harness/conformance) over every backend. Adding a backend is one line in
 * BACKENDS: the backend and, if it needs them, options (e.g. `shareTest: 'uniform'`, fewer runs).
 */
import type { Backend } from '../../protocols/common/backend.js';
import { idealBackend } from '../../harness/backends/ideal.js';
import { plaintextBackend } from '../../harness/backends/plaintext.js';
import type { ConformanceOptions } from '../../harness/conformance/index.js';
import { describeConformance } from '../../harness/conformance/vitest.js';
import { llilOpProgram } from '../arbitraries/llil.js';
import { porthos } from '../../protocols/porthos/index.js';
import { securenn } from '../../protocols/securenn/index.js';
import { cryptflow2Backend } from '../../protocols/cryptflow2/index.js';
import { functionalOt, functionalOtCosts } from './cryptflow2/functional-ot.js';

const slow = process.env['CRYPTFLOW_SLOW'] === '1' ? 10 : 1;
const base: ConformanceOptions = {
  programs: llilOpProgram,
  runs: 6 * slow,
  shareRuns: 96 * slow,
  scheduledRuns: 2 * slow,
};

const BACKENDS: readonly (readonly [Backend, Partial<ConformanceOptions>])[] = [
  [plaintextBackend(), { truncation: 'exact' }],
  [idealBackend(), { shareTest: 'uniform' }],
  [idealBackend({ truncation: 'exact' }), { truncation: 'exact', shareTest: 'uniform' }],
  [porthos(), {}],
  [porthos({ convPolicy: 'reshaped' }), { ops: ['Conv', 'ConvTranspose'] }],
  [securenn(), { shareRuns: 48 * slow }],
  // Two parties (P0 and P1 alone): the 2-party reference backends, the ideal world of CrypTFlow2.
  [plaintextBackend({ parties: 2 }), { truncation: 'exact', ells: [8, 64] }],
  [idealBackend({ parties: 2 }), { truncation: 'exact', shareTest: 'uniform', ells: [8, 32] }],
  // CrypTFlow2: the protocols over a functional OT double (every op, fast); over the real OT layer with
  // CRYPTFLOW_SLOW (its base OTs cost over a second per run here; test/harness/conformance/two-party.test.ts
  // runs one real-OT case per op class at the default speed).
  [
    { ...cryptflow2Backend({ openOt: functionalOt, otCost: functionalOtCosts }), name: 'cryptflow2(functional OT)' },
    { truncation: 'exact', ells: [8, 64], shareRuns: 48 * slow },
  ],
  ...(slow > 1 ? [[cryptflow2Backend(), { truncation: 'exact', ells: [16, 64] }] as const] : []),
];

for (const [backend, options] of BACKENDS) describeConformance(backend, { ...base, ...options });
