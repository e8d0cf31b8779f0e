/**
 * Which mutation suites can reach a source file: `npm run mutation` runs Stryker on one file at a time,
 * and each run starts with a dry run of every suite it is given (with per-test coverage). A suite that
 * never loads the file into the test process cannot cover any of its mutants there, so with Stryker's
 * per-test coverage it would not be run against them anyway — but it still costs its dry run. Narrowing
 * each run to the suites whose static import graph contains the file gives the same verdicts for far
 * less time (a few seconds of dry run for a backend-specific file instead of the two-minute suite).
 *
 * The import graph is esbuild's (a bundle of every suite with `packages: 'external'` and a metafile):
 * static imports, re-exports and `import()` of literal paths, which is every way this repository loads
 * its own code into a test process (worker threads and child processes run in other isolates, where
 * Stryker's per-test coverage does not see them in any case). A file no suite imports gets the whole
 * suite list, so its run reports the mutants as uncovered the ordinary way.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { build } from 'esbuild';

/** The suites of vitest.mutation.config.ts: `dir/**\/*.test.ts` globs and single files. */
export function expandSuites(root: string, patterns: readonly string[]): string[] {
  const out = new Set<string>();
  for (const pattern of patterns) {
    const recursive = /^(.*)\/\*\*\/\*\.test\.ts$/.exec(pattern);
    if (recursive !== null) {
      const dir = join(root, recursive[1] as string);
      if (!existsSync(dir)) continue;
      for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' }))
        if (entry.endsWith('.test.ts')) out.add(toPosix(join(recursive[1] as string, entry)));
    } else if (pattern.includes('*')) {
      throw new Error(`mutation suites: unsupported pattern ${pattern} (use dir/**/*.test.ts or a file)`);
    } else if (existsSync(join(root, pattern))) out.add(pattern);
  }
  return [...out].sort();
}

const toPosix = (p: string): string => p.split(sep).join('/');

/**
 * For each suite, the repository files it loads (relative, '/'-separated), from one esbuild bundle of
 * all suites. Throws when esbuild cannot follow a suite's imports: a silent gap would drop suites.
 */
export async function importClosures(root: string, suites: readonly string[]): Promise<Map<string, Set<string>>> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: suites.map((s) => join(root, s)),
    bundle: true,
    write: false,
    metafile: true,
    outdir: join(root, '.mutation-graph'),
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
    loader: { '.wasm': 'empty', '.json': 'json' },
  });
  const closures = new Map<string, Set<string>>();
  for (const output of Object.values(result.metafile.outputs)) {
    if (output.entryPoint === undefined) continue;
    const suite = toPosix(relative(root, join(root, output.entryPoint)));
    closures.set(suite, new Set(Object.keys(output.inputs).map((i) => toPosix(relative(root, join(root, i))))));
  }
  for (const s of suites) if (!closures.has(s)) throw new Error(`mutation suites: esbuild gave no graph for ${s}`);
  return closures;
}

/** The suites whose closure contains `file`; every suite when none does. */
export function suitesFor(file: string, closures: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const hit = [...closures].filter(([, inputs]) => inputs.has(file)).map(([suite]) => suite);
  return hit.length > 0 ? hit.sort() : [...closures.keys()].sort();
}
