/**
 * The conformance suite's vocabulary: its options, the checks it runs, and the verdicts and reports it
 * returns (as data, so that the suite itself can be tested). suite.ts says what each check means.
 */
import type fc from 'fast-check';
import type { LOp, LProgram } from '../../ir/llil.js';
import type { Truncation } from '../../ideal/functionality.js';

export interface ConformanceOptions {
  /** Random well-typed programs containing `op`, at a ring width from `ells` (test/arbitraries' `llilOpProgram`). */
  readonly programs: (op: LOp, ells: readonly number[]) => fc.Arbitrary<LProgram>;
  /** Ring widths to try (intersected with the backend's claims.rings). Default 16, 32, 64. */
  readonly ells?: readonly number[];
  /** Operators to try. Default: all. */
  readonly ops?: readonly LOp[];
  /** Random cases per (op, ℓ), alternating small and uniform values. Default 6. */
  readonly runs?: number;
  /** Make the last case of each group all-public (the backend must compute in the clear). Default true. */
  readonly publicCases?: boolean;
  /** Runs per fill value in the share test. Default 96 (so 6 expected per cell at 4 bits). */
  readonly shareRuns?: number;
  /** Top bits of a share that the share test bins on. Default 4. */
  readonly shareBits?: number;
  /** 'independent' (default): shares independent of the values; 'uniform': also uniform. */
  readonly shareTest?: 'independent' | 'uniform';
  /** Runs under fast-check's scheduler per (op, ℓ). Default 2. */
  readonly scheduledRuns?: number;
  /** False-alarm rate of each statistical check. Default 1e-6. */
  readonly falseAlarm?: number;
  /** The functionality the backend realises for local-division ops. Default 'local'. */
  readonly truncation?: Truncation;
  /** Seed of programs, values and PRG keys. Default: fast-check's global seed. */
  readonly seed?: number;
}

export type CheckName = 'run' | 'correct' | 'wrap-rate' | 'shares' | 'cost' | 'scheduled';

export interface Verdict {
  readonly check: CheckName;
  readonly ok: boolean;
  /** What was checked and, on failure, where (case, seed, link, element index — never values). */
  readonly detail: string;
}

export interface GroupReport {
  readonly backend: string;
  readonly op: LOp;
  readonly ell: number;
  /** Cases run (random cases and share-test runs). */
  readonly cases: number;
  readonly unsupported: number;
  readonly verdicts: readonly Verdict[];
  /** Checks not run and why; the first unsupported message. */
  readonly notes: readonly string[];
}

export interface ConformanceReport {
  readonly backend: string;
  readonly groups: readonly GroupReport[];
  readonly failures: readonly (Verdict & { readonly op: LOp; readonly ell: number })[];
  readonly ok: boolean;
}
