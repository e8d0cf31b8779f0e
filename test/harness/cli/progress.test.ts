/**
 * The progress reporter of `cryptflow run` (harness/cli/progress.ts): throttled to one line per
 * interval on a fake clock, always a final line, and each line names the node, its operator, the
 * bytes so far and the elapsed time.
 */
import { describe, expect, it } from 'vitest';
import { llilBuilder } from '../../../ir/builder.js';
import type { LNode } from '../../../ir/llil.js';
import { progressReporter } from '../../../harness/cli/progress.js';

function node(out: string): LNode {
  const b = llilBuilder(64);
  b.output(b.relu(b.input('x', [1], 12, 'client')), 'client');
  const n = b.build().nodes[0];
  if (n === undefined) throw new Error('no node');
  return { ...n, out };
}

describe('progress lines', () => {
  it('prints at most one line per interval, and always the last node', () => {
    let clock = 0;
    const lines: string[] = [];
    const report = progressReporter(
      (l) => lines.push(l),
      500,
      () => clock,
    );
    for (let i = 0; i < 10; i++) {
      clock = 200 * (i + 1);
      report({ index: i, total: 10, node: node(`r${i}`), bytes: 1000 * i, elapsed: clock / 1000 });
    }
    expect(lines).toEqual([
      '[ 3/10] Relu          r2  2.00 kB sent, 0.6 s',
      '[ 6/10] Relu          r5  5.00 kB sent, 1.2 s',
      '[ 9/10] Relu          r8  8.00 kB sent, 1.8 s',
      '[10/10] Relu          r9  9.00 kB sent, 2.0 s — done',
    ]);
  });
});
