/**
 * Golden secrecy reports: each case's text report (and one JSON report) must equal
 * `golden/<case>.txt` (`.json`) byte for byte. The cases: zoo:logreg and zoo:lenet through the whole
 * pipeline (graph and LLIL), an HLIL program (LLIL only), an LLIL program that reveals an intermediate,
 * and ONNX graphs refused at the graph level (a shape from the image, a branch on it, a weight read in
 * the clear). The files were reviewed by hand; UPDATE_GOLDEN=1 rewrites them (then review the diff).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onnxToHlil } from '../../../passes/frontend/onnx/index.js';
import { analyzeLlil } from '../../../passes/secrecy/llil.js';
import {
  reportJson,
  reportLines,
  SecrecyRejection,
  secrecyReport,
  type SecrecyReport,
} from '../../../passes/secrecy/report.js';
import { parseArgs } from '../../../harness/cli/args.js';
import { SECRECY_FLAGS, secrecyCommand } from '../../../harness/cli/secrecy.js';
import * as M from './models.js';

const DIR = join(import.meta.dirname, 'golden');

function golden(file: string, got: string): void {
  const path = join(DIR, file);
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(path)) writeFileSync(path, got);
  expect(got).toBe(readFileSync(path, 'utf8'));
}

function cli(path: string, ...flags: string[]): SecrecyReport {
  return secrecyCommand(path, parseArgs(flags, SECRECY_FLAGS)).report;
}

function graphRefusal(bytes: Uint8Array): SecrecyReport {
  try {
    onnxToHlil(bytes);
  } catch (e) {
    if (e instanceof SecrecyRejection) return e.report;
    throw e;
  }
  throw new Error('expected a refusal');
}

const text = (r: SecrecyReport): string => `${reportLines(r).join('\n')}\n`;

describe('golden secrecy reports', () => {
  it.each([
    ['zoo-logreg', (): SecrecyReport => cli('zoo:logreg')],
    ['zoo-lenet', (): SecrecyReport => cli('zoo:lenet')],
    ['hlil-logreg', (): SecrecyReport => cli('examples/logreg.hlil', '--weights', 'examples/logreg.inputs.json')],
    [
      'llil-reveals-intermediate',
      (): SecrecyReport =>
        secrecyReport(
          'logreg.llil',
          null,
          analyzeLlil(M.llil(`${M.LOGREG}output xW -> client\n`), { policy: M.DECLARED }),
        ),
    ],
    ['onnx-reshape-by-secret', (): SecrecyReport => graphRefusal(M.reshapeBySecret())],
    ['onnx-if-on-secret', (): SecrecyReport => graphRefusal(M.ifOnSecret())],
    ['onnx-weight-as-divisor', (): SecrecyReport => graphRefusal(M.weightAsDivisor())],
  ] as const)('%s', (name, report) => {
    golden(`${name}.txt`, text(report()));
  });

  it('zoo-logreg as JSON', () => {
    golden('zoo-logreg.json', `${JSON.stringify(reportJson(cli('zoo:logreg')), null, 2)}\n`);
  });
});
