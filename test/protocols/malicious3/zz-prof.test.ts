import { it } from 'vitest';
import { fromBigints } from '../../../protocols/malicious3/ring.js';
import { relu } from '../../../protocols/malicious3/bits.js';
import { run3 } from './support.js';
it('relu timing', async () => {
  const n = 2048;
  const xs = Array.from({ length: n }, (_, i) => BigInt(i * 977 - 5000));
  const t0 = performance.now();
  await run3(64, 40, 'p', async (st) => {
    const x = await st.input(0, n, st.id === 0 ? fromBigints(104, xs) : undefined);
    return relu(st, x);
  });
  console.log('relu', n, (performance.now() - t0).toFixed(0), 'ms');
}, 600000);
