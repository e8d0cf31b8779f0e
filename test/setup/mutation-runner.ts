/**
 * The vitest runner of mutation runs (vitest.mutation.config.ts `runner`): vitest's own test runner,
 * except that a test file which throws while it is being imported for collection — its own top-level
 * code, or a module it imports, e.g. a mutant of protocols/cryptflow2-he/field.ts that makes the
 * field's construction at module load throw — gets one test, LOAD_FAILURE_TEST, that fails with the
 * import's error.
 *
 * Why. Vitest marks such a file failed and collects no test from it, and Stryker's vitest runner
 * (9.5.1) builds a mutant's verdict, and the dry run's, from the collected tests alone: a mutant that
 * only breaks module loading came out Survived although every suite importing the module failed, and a
 * file that could not load in the dry run was skipped silently. With this runner the mutant is Killed
 * by the failing test, and an unloadable file fails the dry run. Such mutants are covered while
 * modules load ("static" mutants), so Stryker runs them without a test-name filter and the extra test
 * is not filtered out.
 *
 * Not covered: a `describe` body that throws while vitest collects it (after the import); the suites
 * build their backends inside tests or hooks, or at the top level.
 */
import { test } from 'vitest';
import { VitestTestRunner } from 'vitest/runners';

/** The name of the test a file that fails to load gets; it fails with the load error. */
export const LOAD_FAILURE_TEST = 'the test file loads (mutation runs: a failed import fails this test)';

type ImportSource = Parameters<VitestTestRunner['importFile']>[1];

export default class MutationRunner extends VitestTestRunner {
  override async importFile(filepath: string, source: ImportSource): Promise<unknown> {
    if (source !== 'collect') return super.importFile(filepath, source);
    try {
      return await super.importFile(filepath, source);
    } catch (error) {
      test(LOAD_FAILURE_TEST, () => {
        throw error;
      });
      return undefined;
    }
  }
}
