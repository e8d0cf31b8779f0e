/**
 * The results file of a study: JSON Lines, one object per finished case, appended (one write each) as
 * cases complete, so a run that is interrupted loses at most the case in flight. On `--resume` the
 * file is read back; a last line cut off by the interruption (no newline, or not JSON) is dropped and
 * the file truncated to its last whole line before appending resumes. Any other bad line is an error
 * naming its line.
 */
import { appendFileSync, existsSync, readFileSync, truncateSync } from 'node:fs';
import { CryptflowError } from '../../spec/errors.js';

/** Per-label scores of one case under the three computations. */
export interface Scores {
  readonly float: readonly number[];
  readonly fixed: readonly number[];
  readonly secure: readonly number[];
}

/** Dice per class of one segmentation: secure vs plaintext fixed point, and each vs the mask. */
export interface SegmentationDice {
  readonly secureVsFixed: readonly number[];
  readonly secureVsTruth: readonly number[] | null;
  readonly fixedVsTruth: readonly number[] | null;
  readonly floatVsTruth: readonly number[] | null;
  /** Fraction of voxels where secure and plaintext fixed-point labels agree. */
  readonly agreement: number;
}

export interface CaseRecord {
  readonly case: string;
  readonly site: string;
  readonly file: string;
  readonly labels: readonly number[] | null;
  readonly scores: Scores | null;
  readonly dice: SegmentationDice | null;
  /** max |secure − plaintext fixed point| and max |secure − float32| over the scored output. */
  readonly maxAbsSecureFixed: number;
  readonly maxAbsSecureFloat: number;
  /** The compile-time error bound held for every output. */
  readonly withinBound: boolean;
  /** Compute-phase bytes (all links), rounds, seconds of the secure run. */
  readonly bytes: number;
  readonly rounds: number;
  readonly seconds: number;
}

function isRecord(v: unknown): v is CaseRecord {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o['case'] === 'string' &&
    typeof o['site'] === 'string' &&
    typeof o['bytes'] === 'number' &&
    typeof o['seconds'] === 'number' &&
    'scores' in o &&
    'dice' in o
  );
}

/**
 * How to treat a last line without its newline: 'strict' refuses it, 'repair' drops it and truncates
 * the file (resuming this file's run), 'ignore' skips it (another process may be writing it now).
 */
export type PartialLine = 'strict' | 'repair' | 'ignore';

/** Read the finished cases of one results file. */
export function readResults(path: string, partial: PartialLine): CaseRecord[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const whole = text.slice(0, text.lastIndexOf('\n') + 1);
  if (whole.length < text.length) {
    if (partial === 'strict')
      throw new CryptflowError(
        'input',
        `${path}: its last case was cut off by an interrupted run (resume with --resume)`,
      );
    if (partial === 'repair') truncateSync(path, Buffer.byteLength(whole, 'utf8'));
  }
  return whole
    .split('\n')
    .slice(0, -1)
    .map((line, i) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      if (!isRecord(parsed)) throw new CryptflowError('input', `${path} line ${i + 1}: not a case record`);
      return parsed;
    });
}

export function appendResult(path: string, r: CaseRecord): void {
  try {
    appendFileSync(path, `${JSON.stringify(r)}\n`);
  } catch (e) {
    throw new CryptflowError('input', `cannot append to ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`);
  }
}
