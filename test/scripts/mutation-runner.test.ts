/**
 * The runner of mutation runs (test/setup/mutation-runner.ts, named by vitest.mutation.config.ts): a
 * nested vitest run with that runner over fixture files — one whose imported module throws at load, one
 * that throws in its own top-level code, one that loads, one whose `describe` bodies throw (directly
 * and in a nested suite) next to suites that collect — shows that each file that fails to load reports
 * exactly one failed test, LOAD_FAILURE_TEST, carrying the load error (the test results Stryker's
 * vitest runner reads); that each top-level suite whose body throws reports one failed test,
 * DESCRIBE_FAILURE_TEST, with that error while the file's other tests run as usual; and that a file
 * that loads keeps its own tests and gets no extra one.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createVitest } from 'vitest/node';
import type { RunnerTask, RunnerTestFile } from 'vitest';
import mutationConfig from '../../vitest.mutation.config.js';
import { DESCRIBE_FAILURE_TEST, LOAD_FAILURE_TEST } from '../setup/mutation-runner.js';

const dir = mkdtempSync(join(tmpdir(), 'mutation-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixtures: Readonly<Record<string, string>> = {
  'broken-module.ts': "export const value: number = JSON.parse('{');\n",
  'imports-broken.test.ts':
    "import { expect, it } from 'vitest';\nimport { value } from './broken-module.js';\nit('reads the value', () => expect(value).toBe(1));\n",
  'throws-itself.test.ts':
    "import { it } from 'vitest';\nit('is declared before the throw', () => undefined);\nthrow new RangeError('top-level failure');\n",
  'loads.test.ts': "import { expect, it } from 'vitest';\nit('passes', () => expect(1 + 1).toBe(2));\n",
  'describe-throws.test.ts': [
    "import { describe, expect, it } from 'vitest';",
    "it('top-level test', () => expect(2).toBe(2));",
    "describe('throws', () => {",
    "  it('declared before the throw', () => undefined);",
    "  throw new TypeError('describe body failure');",
    '});',
    "describe('collects', () => it('still runs', () => expect(3).toBe(3)));",
    "describe('outer', () => {",
    "  it('outer test', () => undefined);",
    "  describe('inner', () => { throw new RangeError('nested describe failure'); });",
    '});',
    '',
  ].join('\n'),
};

const tests = (task: RunnerTask): RunnerTask[] =>
  task.type === 'suite' ? task.tasks.flatMap(tests) : task.type === 'test' ? [task] : [];

/** name → [state, first error message] of each test vitest reports for the fixture file `name`. */
const outcome = (files: RunnerTestFile[], name: string): Array<[string, string | undefined, string | undefined]> => {
  const file = files.find((f) => f.filepath === join(dir, name));
  if (file === undefined) throw new Error(`vitest ran no file ${name}`);
  return tests(file).map((t) => [t.name, t.result?.state, t.result?.errors?.[0]?.message]);
};

describe('the mutation runner', () => {
  it('is the runner vitest.mutation.config.ts names', () => {
    expect(mutationConfig.test?.runner).toBe('./test/setup/mutation-runner.ts');
  });

  it('turns a file that fails to load, or a suite that fails to collect, into one failed test with the error', async () => {
    for (const [name, text] of Object.entries(fixtures)) writeFileSync(join(dir, name), text);
    const runner = resolve(mutationConfig.test?.runner ?? 'no runner named');
    const exitCode = process.exitCode;
    const vitest = await createVitest('test', {
      root: dir,
      config: false,
      include: ['*.test.ts'],
      runner,
      watch: false,
      reporters: [{}],
    });
    try {
      await vitest.start();
      const files = vitest.state.getFiles();
      expect(outcome(files, 'imports-broken.test.ts')).toEqual([
        [LOAD_FAILURE_TEST, 'fail', expect.stringContaining('JSON')],
      ]);
      expect(outcome(files, 'throws-itself.test.ts')).toEqual([
        ['is declared before the throw', 'pass', undefined],
        [LOAD_FAILURE_TEST, 'fail', 'top-level failure'],
      ]);
      expect(outcome(files, 'loads.test.ts')).toEqual([['passes', 'pass', undefined]]);
      expect(outcome(files, 'describe-throws.test.ts')).toEqual([
        ['top-level test', 'pass', undefined],
        [DESCRIBE_FAILURE_TEST, 'fail', 'describe body failure'],
        ['still runs', 'pass', undefined],
        [DESCRIBE_FAILURE_TEST, 'fail', 'nested describe failure'],
      ]);
      const suites = files.find((f) => f.filepath === join(dir, 'describe-throws.test.ts'))?.tasks;
      expect(suites?.map((t) => [t.type, t.name])).toEqual([
        ['test', 'top-level test'],
        ['suite', 'throws'],
        ['suite', 'collects'],
        ['suite', 'outer'],
      ]);
    } finally {
      await vitest.close();
      process.exitCode = exitCode;
    }
  });
});
