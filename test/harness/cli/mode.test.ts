/**
 * How `cryptflow run` places the parties when not told (harness/cli/mode.ts): worker threads only for
 * a 3-party backend that supports them, with cores to spare and a model large enough to pay for the
 * threads' start-up; explicit flags win; the reason is always stated.
 */
import { describe, expect, it } from 'vitest';
import { chooseMode, MIN_MODEL_BYTES, type ModeInputs } from '../../../harness/cli/mode.js';

const base: ModeInputs = {
  backend: 'porthos',
  processes: false,
  threads: false,
  oneThread: false,
  checkViews: false,
  modelBytes: 2 * MIN_MODEL_BYTES,
  cores: 4,
};

describe('run mode', () => {
  it('threads for a large model on several cores, one thread otherwise, with the reason', () => {
    expect(chooseMode(base)).toEqual({ mode: 'threads', why: 'auto: 4 cores and a large model (128 MB of values)' });
    expect(chooseMode({ ...base, modelBytes: 70_000 })).toEqual({
      mode: 'one-thread',
      why: expect.stringMatching(/^auto: a small model \(0\.07 MB of values < 64 MB\)/),
    });
    expect(chooseMode({ ...base, cores: 1 })).toEqual({ mode: 'one-thread', why: 'auto: 1 core' });
    expect(chooseMode({ ...base, backend: 'plaintext' })).toEqual({
      mode: 'one-thread',
      why: 'auto: plaintext runs on one thread',
    });
    expect(chooseMode({ ...base, checkViews: true }).mode).toBe('one-thread');
  });

  it('explicit flags win', () => {
    expect(chooseMode({ ...base, oneThread: true })).toEqual({ mode: 'one-thread', why: '--one-thread' });
    expect(chooseMode({ ...base, modelBytes: 1, threads: true })).toEqual({ mode: 'threads', why: '--threads' });
    expect(chooseMode({ ...base, processes: true })).toEqual({ mode: 'processes', why: '--processes' });
  });
});
