/**
 * How the malicious backend's values sit in the runtime's `Held` (protocols/common/backend.ts): a
 * secret's `share` packs the party's authenticated replicated share — components (x_p, x_{p+1}) and
 * MAC components (m_p, m_{p+1}), each n elements of two 64-bit lanes — as 8n lanes in that order.
 * Every party (P2 included) holds such a share. Only this backend reads it; `unpack` checks the size.
 */
import { bug } from '../../spec/errors.js';
import { numel, type Shape } from '../../spec/geometry.js';
import type { Held } from '../common/backend.js';
import { asShare } from '../common/sharing.js';
import type { Auth } from './rss.js';
import type { Z128 } from './ring.js';

function view(lanes: BigUint64Array, part: number, n: number): Z128 {
  const l = lanes.slice(2 * n * part, 2 * n * (part + 1));
  return { n, lanes: l, w: new Uint32Array(l.buffer) };
}

export function pack(shape: Shape, x: Auth): Held {
  const n = numel(shape);
  const parts = [x.x.a, x.x.b, x.mac.a, x.mac.b];
  const lanes = new BigUint64Array(8 * n);
  parts.forEach((p, i) => {
    if (p.n !== n) bug(`a value of ${p.n} elements held for shape [${shape.join(', ')}]`);
    lanes.set(p.lanes, 2 * n * i);
  });
  return { kind: 'secret', shape, share: asShare(lanes) };
}

export function unpack(h: Held & { kind: 'secret' }): Auth {
  const n = numel(h.shape);
  if (h.share.length !== 8 * n)
    bug(`malicious3 holds ${h.share.length} lanes for shape [${h.shape.join(', ')}] (expected ${8 * n})`);
  return {
    x: { a: view(h.share, 0, n), b: view(h.share, 1, n) },
    mac: { a: view(h.share, 2, n), b: view(h.share, 3, n) },
  };
}
