/**
 * Mutation kills for protocols/securenn-family/beaver.ts: the operand-size invariant. P0 and P1 must pass
 * shares of exactly f.xSize and f.ySize entries; a caller that passes anything else is a defect, and
 * Beaver stops it through `bug()` (InvariantViolation) before sending, whichever operand is wrong —
 * instead of opening a wrongly sized E, F that the peer would then reject or, worse, accept.
 */
import { describe, expect, it } from 'vitest';
import { InvariantViolation } from '../../spec/errors.js';
import { runParties } from '../../harness/network/run.js';
import { beaver } from '../protocols/by-role.js';
import { hadamard } from '../../protocols/securenn-family/nonlinear/arith.js';
import type { PartyContext } from '../../protocols/common/party.js';

const ELL = 16;

async function failure(xLen: number, yLen: number): Promise<unknown> {
  const prog = async (ctx: PartyContext): Promise<BigUint64Array> =>
    ctx.id === 2
      ? beaver(ctx, hadamard(ELL, 3), new BigUint64Array(0), new BigUint64Array(0))
      : beaver(ctx, hadamard(ELL, 3), new BigUint64Array(xLen), new BigUint64Array(yLen));
  try {
    await runParties([prog, prog, prog], { ell: ELL, seed: 'beaver-sizes' });
  } catch (e) {
    return e;
  }
  return null;
}

describe('Beaver operand sizes', () => {
  it('operands of the declared sizes run', async () => {
    expect(await failure(3, 3)).toBeNull();
  });

  it.each([
    { xLen: 2, yLen: 3, what: 'X short' },
    { xLen: 3, yLen: 4, what: 'Y long' },
    { xLen: 4, yLen: 2, what: 'both wrong' },
  ])('$what: an InvariantViolation naming both sizes', async ({ xLen, yLen }) => {
    const e = await failure(xLen, yLen);
    expect(e).toBeInstanceOf(InvariantViolation);
    expect((e as Error).message).toContain(`Beaver operands of ${xLen} and ${yLen} entries for a map of 3 × 3`);
  });
});
