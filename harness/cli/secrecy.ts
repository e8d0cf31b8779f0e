/**
 * `cryptflow secrecy MODEL|PROGRAM [--json] [--policy FILE] [compile flags]`: the secrecy analysis
 * alone (passes/secrecy, proofs-notes/secrecy.md).
 *
 * A MODEL (ONNX, TensorFlow, zoo:NAME, or HLIL with --weights) is analysed as `compile` does it: the
 * graph as the frontend reads it (shapes, indices, conditions and clear operands computed from a
 * secret; constants read as structure), then the compiled LLIL against the frontend's declaration.
 * An LLIL PROGRAM is checked against a policy file (--policy: declared outputs, declassifications),
 * or against its own declaration, which still labels every value and checks what is computed in the
 * clear. The report lists each input with its owner, each output with whom it goes to and what it
 * carries, the declassifications, and "accepted" or every finding with its node and path; a rejected
 * program prints its report and then fails with exit code 1 and the error naming the first finding.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { bug, CryptflowError } from '../../spec/errors.js';
import { floatToFixed } from '../../passes/float-to-fixed/program.js';
import { analyzeLlil } from '../../passes/secrecy/llil.js';
import { analyzePlan } from '../../passes/secrecy/plan.js';
import { decodePolicy, policyOfLlil } from '../../passes/secrecy/policy.js';
import {
  rejection,
  reportJson,
  reportLines,
  SecrecyRejection,
  secrecyReport,
  type SecrecyReport,
} from '../../passes/secrecy/report.js';
import { parseProgram } from '../io/program.js';
import { getInteger, getString, type FlagSpec, type ParsedArgs } from './args.js';
import { HLIL_FLAGS, loadAndOptimize, placementFlag } from './compile.js';

export const SECRECY_FLAGS: Readonly<Record<string, FlagSpec>> = {
  json: { kind: 'boolean', help: 'print the report as one JSON object' },
  policy: {
    kind: 'string',
    help: "LLIL programs: a JSON secrecy policy to check against (default: the program's own declaration)",
  },
  scale: { kind: 'integer', help: 'fixed-point scale s (default 12)', min: 0, max: 63 },
  ...HLIL_FLAGS,
};

export interface SecrecyOutcome {
  readonly report: SecrecyReport;
  /** Why the program is rejected (null when it is accepted). */
  readonly error: CryptflowError | null;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CryptflowError(
      'input',
      `cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`,
    );
  }
}

/** An LLIL program file (text `llil ell=…` or JSON with "ir": "llil"), as opposed to a model. */
function llilText(path: string): string | null {
  if (path.startsWith('zoo:') || ['.onnx', '.pb'].includes(extname(path).toLowerCase())) return null;
  const text = readText(path, 'model');
  const code =
    text
      .split('\n')
      .map((l) => l.replace(/#.*$/, '').trim())
      .find((l) => l !== '') ?? '';
  if (code.startsWith('llil')) return text;
  if (!code.startsWith('{')) return null;
  try {
    const j: unknown = JSON.parse(text);
    return typeof j === 'object' && j !== null && 'ir' in j && j.ir === 'llil' ? text : null;
  } catch {
    return null;
  }
}

function outcome(report: SecrecyReport): SecrecyOutcome {
  return { report, error: report.accepted ? null : rejection(report) };
}

export function secrecyCommand(path: string, args: ParsedArgs): SecrecyOutcome {
  const policyFile = getString(args, 'policy');
  const text = llilText(path);
  if (text !== null) {
    const loaded = parseProgram(text, path);
    if (loaded.ir !== 'llil') return bug(`${path} was read as LLIL but parsed as ${loaded.ir}`);
    const p = loaded.program;
    const policy =
      policyFile === undefined ? policyOfLlil(p) : decodePolicy(readText(policyFile, 'policy'), policyFile, p);
    return outcome(secrecyReport(path, null, analyzeLlil(p, { policy })));
  }
  if (policyFile !== undefined)
    throw new CryptflowError(
      'usage',
      "--policy is for LLIL programs; a model's policy is its frontend's declaration (graph inputs are the client's, weights the server's, graph outputs go to the client)",
    );
  let opened: ReturnType<typeof loadAndOptimize>;
  try {
    opened = loadAndOptimize(path, args);
  } catch (e) {
    if (e instanceof SecrecyRejection) return { report: e.report, error: e };
    throw e;
  }
  const { loaded, model } = opened;
  const plan = floatToFixed(model.program, {
    ell: getInteger(args, 'bitlen') ?? 64,
    scale: getInteger(args, 'scale') ?? 12,
    placement: placementFlag(args),
  });
  return outcome(secrecyReport(path, loaded.secrecy ?? null, analyzePlan(loaded.program, plan)));
}

export function printSecrecy(o: SecrecyOutcome, json: boolean): string {
  return json ? JSON.stringify(reportJson(o.report)) : reportLines(o.report).join('\n');
}
