/**
 * fast-check for every suite, deterministic in CI.
 *
 * Seed. Each test file gets a fixed seed of its own: FNV-1a of its path relative to the repository
 * root, mixed with BASE_SEED (`fileSeed`). So `npm test` draws the same inputs on every run and every
 * machine — whether a fault is caught no longer depends on the CI run — and two files do not share
 * their inputs. `FC_SEED=<n>` replaces the seed of every file (replay a failure, or explore);
 * `npm run test:slow` (CRYPTFLOW_SLOW=1) without FC_SEED draws a fresh seed per file and prints it,
 * so the nightly-style run explores new inputs and each of its failures can be replayed. The seed is
 * printed with the replay command when a test fails (and for every file when FC_PRINT_SEED=1).
 *
 * Run counts. The global default is 100 runs per property (2000 with CRYPTFLOW_SLOW); files that
 * choose their own counts scale them with CRYPTFLOW_SLOW (test/protocols/nonlinear/support.ts `runs`).
 */
import { randomInt } from 'node:crypto';
import { relative } from 'node:path';
import fc from 'fast-check';
import { afterEach, expect } from 'vitest';

/** The base every file's seed derives from; change it to move the whole suite to other inputs. */
export const BASE_SEED = 20_261_206;

/** The fixed seed of a test file: FNV-1a (32-bit) of its repository-relative path, xor BASE_SEED, as a positive int32. */
export function fileSeed(relativePath: string): number {
  let h = 0x811c9dc5;
  for (const ch of relativePath.split('\\').join('/')) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return ((h ^ BASE_SEED) >>> 0) & 0x7fffffff;
}

const testPath = expect.getState().testPath ?? '';
const file = testPath === '' ? '' : relative(process.cwd(), testPath);
const fromEnv = process.env['FC_SEED'];
const slow = process.env['CRYPTFLOW_SLOW'] === '1';
const seed =
  fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : slow ? randomInt(0, 2 ** 31 - 1) : fileSeed(file);
if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${String(fromEnv)}`);

fc.configureGlobal({ seed, numRuns: slow ? 2000 : 100 });

const replay = `replay with FC_SEED=${seed} npx vitest run ${file}`;
if (process.env['FC_PRINT_SEED'] === '1' || (slow && (fromEnv === undefined || fromEnv === '')))
  console.info(`[fast-check] ${file}: seed ${seed} (${replay})`);

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.error(`\n[fast-check] seed ${seed}: ${replay}`);
});
