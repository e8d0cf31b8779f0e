/**
 * fast-check for every suite: one seed per run, printed when a test fails; `FC_SEED=<n>` replays it.
 * `CRYPTFLOW_SLOW=1` (npm run test:slow) multiplies the number of runs per property by 20.
 */
import { randomInt } from 'node:crypto';
import fc from 'fast-check';
import { afterEach } from 'vitest';

const fromEnv = process.env['FC_SEED'];
const seed = fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : randomInt(0, 2 ** 31 - 1);
if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${String(fromEnv)}`);
const slow = process.env['CRYPTFLOW_SLOW'] === '1';

fc.configureGlobal({ seed, numRuns: slow ? 2000 : 100 });

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') {
    console.error(
      `\n[fast-check] seed ${seed}: replay with FC_SEED=${seed} npx vitest run ${ctx.task.file?.name ?? ''}`,
    );
  }
});
