/**
 * A run's reported rounds are the computation phase's (harness/network/meter.ts `computeRounds`): the
 * input sharing before the first node, the reveals after the last and a backend's one-time setup inside
 * its first node are not counted, so `cryptflow cost`'s rounds (the nodes composed one after the other)
 * bound them — on every backend, in one thread and in worker threads. Porthos and malicious, whose
 * parties advance in lock step, meet the bound exactly. Before this accounting, input sharing made
 * malicious runs report 18 more rounds than the bound on this model (1,691 against 1,673).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/main.js';
import { computeRounds } from '../../harness/network/meter.js';
import { InvariantViolation } from '../../spec/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'cryptflow-rounds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const input = join(dir, 'image.json');
writeFileSync(input, JSON.stringify({ image: Array.from({ length: 784 }, (_, i) => (Math.sin(i * 0.37) + 1) / 2) }));

async function rounds(...argv: string[]): Promise<number> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--json'], { out: (s) => out.push(s), err: (s) => err.push(s) });
  expect(code, err.join('\n')).toBe(0);
  return (JSON.parse(out.join('\n')) as { rounds: number }).rounds;
}

describe('computeRounds', () => {
  it('counts from the latest first node to the latest last node, less setup rounds inside that window', () => {
    expect(computeRounds([3, 5, 4], [20, 19, 21])).toBe(16);
    expect(computeRounds([3, 5, 4], [20, 19, 21], [0, 1, 5, 6, 6, 21])).toBe(14);
    expect(computeRounds([0], [0])).toBe(0);
    expect(() => computeRounds([], [])).toThrow(InvariantViolation);
    expect(() => computeRounds([1, 2], [3])).toThrow(InvariantViolation);
  });
});

describe('run rounds against the cost walk (zoo:logreg)', () => {
  for (const [backend, exact] of [
    ['porthos', true],
    ['malicious', true],
    ['cryptflow2', false],
    ['cryptflow2-he', false],
  ] as const) {
    it(`${backend}: one thread and worker threads report the same rounds, ${exact ? 'equal to' : 'at most'} the walk's`, async () => {
      const bound = await rounds('cost', 'zoo:logreg', '--backend', backend);
      const one = await rounds('run', 'zoo:logreg', '--input', input, '--backend', backend, '--one-thread', '--quiet');
      const threads = await rounds('run', 'zoo:logreg', '--input', input, '--backend', backend, '--threads', '--quiet');
      expect(threads).toBe(one);
      expect(one).toBeGreaterThan(0);
      if (exact) expect(one).toBe(bound);
      else expect(one).toBeLessThanOrEqual(bound);
    }, 60_000);
  }
});
