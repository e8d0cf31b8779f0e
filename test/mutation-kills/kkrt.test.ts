/**
 * Mutation kills for protocols/ot/kkrt.ts (1-out-of-N KKRT OT): the receiver's unmasking copies its
 * pads (line 91, MethodExpression `pad.slice()` → `pad`), so the caller's pad array is left as it was
 * and the output is a fresh array. Listed as equivalent (scripts/mutation/equivalent/
 * protocols__ot__kkrt.json): the loop bounds that run one pass past a typed array's end (35, 36, 39,
 * 43, 53, 67, 71, 72, 92) and the oversized hash batch of a later chunk (41).
 */
import { describe, expect, it } from 'vitest';
import { runParties } from '../../harness/network/run.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { packBits } from '../../protocols/ot/bits.js';
import { kkrtUnmask } from '../../protocols/ot/kkrt.js';

const ELL = 40;
const N = 3;
const CHOICES = Uint8Array.of(2, 0);
/** The sender's masked messages y_i^v as (low 32 bits, high 8 bits) halves, instance-major. */
const MASKED = Uint32Array.of(
  0x11111111,
  0x01,
  0x22222222,
  0x02,
  0x33333333,
  0x03,
  0x44444444,
  0x04,
  0x55555555,
  0x05,
  0x66666666,
  0x06,
);
const PAD = Uint32Array.of(0x0000ffff, 0x80, 0xffff0000, 0x7f);

describe('KKRT receiver unmasking', () => {
  it('returns y_i^{r_i} ⊕ pad_i in a fresh array and leaves the caller’s pad unchanged', async () => {
    const pad = PAD.slice();
    const { outputs } = await runParties(
      [
        (ctx: PartyContext): Promise<null> => {
          ctx.send(1, packBits(MASKED, ELL));
          return Promise.resolve(null);
        },
        (ctx: PartyContext): Promise<Uint32Array> => kkrtUnmask(ctx, 0, N, CHOICES, pad, ELL),
      ],
      { ell: 64, seed: 'kkrt-unmask' },
    );
    const out = outputs[1] as Uint32Array;
    expect(Array.from(out)).toEqual([0x3333cccc, 0x83, 0xbbbb4444, 0x7b]);
    expect(Array.from(pad)).toEqual(Array.from(PAD));
    expect(out).not.toBe(pad);
  });
});
