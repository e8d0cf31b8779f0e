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
 * The same holds for a `describe` body that throws while vitest collects it, after the import: vitest
 * then fails the whole file with no test either. Each top-level `describe` of a file that loaded is
 * collected under a guard; when its body, or the body of a `describe` nested in it, throws, the guard
 * collects in its place a suite of the same name with one test, DESCRIBE_FAILURE_TEST, failing with
 * that error. The file's other top-level suites and tests are collected as usual.
 */
import type { File, Suite, SuiteCollector } from 'vitest';
import { describe, test } from 'vitest';
import { getCurrentSuite } from 'vitest/suite';
import { VitestTestRunner } from 'vitest/runners';

/** The name of the test a file that fails to load gets; it fails with the load error. */
export const LOAD_FAILURE_TEST = 'the test file loads (mutation runs: a failed import fails this test)';

/** The one test of a top-level suite whose body (or a nested suite's body) threw while collected. */
export const DESCRIBE_FAILURE_TEST = 'the suite collects (mutation runs: a throwing describe body fails this test)';

/** Collect `collector` as usual, or, when a suite body in it throws, as one failing test of that name. */
function guard(collector: SuiteCollector): void {
  const collect = collector.collect;
  collector.collect = async (file: File): Promise<Suite> => {
    try {
      return await collect(file);
    } catch (error) {
      // describe registers the fallback with the suite being collected when the body threw; it is
      // collected here instead, so it is taken out of that list.
      const fallback = describe(collector.name, () => {
        test(DESCRIBE_FAILURE_TEST, () => {
          throw error;
        });
      });
      const owner = getCurrentSuite().tasks;
      owner.splice(owner.indexOf(fallback), 1);
      const suite = await fallback.collect(file);
      // the suite the guarded one had as parent (none for a top-level suite), not the one that threw
      const parent = collector.suite?.suite;
      if (parent === undefined) delete suite.suite;
      else suite.suite = parent;
      return suite;
    }
  };
}

type ImportSource = Parameters<VitestTestRunner['importFile']>[1];

export default class MutationRunner extends VitestTestRunner {
  override async importFile(filepath: string, source: ImportSource): Promise<unknown> {
    if (source !== 'collect') return super.importFile(filepath, source);
    try {
      const imported = await super.importFile(filepath, source);
      for (const task of getCurrentSuite().tasks) if (task.type === 'collector') guard(task);
      return imported;
    } catch (error) {
      test(LOAD_FAILURE_TEST, () => {
        throw error;
      });
      return undefined;
    }
  }
}
