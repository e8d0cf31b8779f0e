/**
 * Progress of a long secure run on standard error: one line per LLIL node at most every `interval`
 * milliseconds (and always after the last node), with the node's index, operator and name, the
 * compute-phase bytes sent so far and the elapsed time. `--quiet` passes no reporter at all.
 */
import type { Progress } from '../runner/inference.js';
import { bytes } from './compile.js';

export function progressReporter(
  write: (line: string) => void,
  interval = 500,
  now: () => number = () => performance.now(),
): (p: Progress) => void {
  let last = now();
  return (p) => {
    const t = now();
    const final = p.index === p.total - 1;
    if (!final && t - last < interval) return;
    last = t;
    const width = String(p.total).length;
    write(
      `[${String(p.index + 1).padStart(width)}/${p.total}] ${p.node.op.padEnd(13)} ${p.node.out}  ${bytes(p.bytes)} sent, ${p.elapsed.toFixed(1)} s${final ? ' — done' : ''}`,
    );
  };
}
