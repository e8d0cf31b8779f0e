/**
 * Mutation kill for protocols/securenn-family/nonlinear/private-compare.ts: line 118
 * (EqualityOperator, `e0 < n` → `e0 <= n`), the holders' streaming loop. When n is a multiple of
 * STREAM_BLOCK the mutant runs one more, empty block, and that block still draws from the P0–P1 PRG
 * (`permutations` takes a pool of at least 64 bytes even for no elements). β′ stays right, since
 * both holders draw alike, but the common stream is left at another position, so every later
 * protocol on the same session draws other masks. Pinned here: after PrivateCompare on exactly
 * STREAM_BLOCK elements each holder's common PRG is exactly past that one block's s, z and π.
 */
import { describe, expect, it } from 'vitest';
import { privateCompare } from '../protocols/by-role.js';
import { run3, testPrg } from '../protocols/nonlinear/support.js';
import { bitsOf, nonZeroField, permutations } from '../../protocols/securenn-family/nonlinear/arith.js';
import { STREAM_BLOCK } from '../../protocols/securenn-family/nonlinear/private-compare.js';
import { PORTHOS, SECURENN, type Variant } from '../../protocols/securenn-family/nonlinear/variant.js';
import { keysFromSeed, Prg } from '../../protocols/common/prg.js';
import { peerOf } from '../../protocols/common/party.js';

const ELL = 16;
const N = STREAM_BLOCK;
const AFTER = 32;

describe.each([PORTHOS, SECURENN])('PrivateCompare on exactly one full block, $name', (v: Variant) => {
  it('P2 learns β ⊕ (x > r) and each holder’s common PRG stops right after the block’s s, z, π', async () => {
    const p = v.field.p;
    const values = testPrg(`pc-stream-end-${v.name}`);
    const xs = values.ring(ELL, N);
    const rs = values.ring(ELL, N);
    const betas = values.bits(N);
    const bits = bitsOf(ELL, xs);
    const s0 = values.field(p, bits.length);
    const s1 = bits.map((b, i) => (b - (s0[i] as number) + p) % p);
    const seed = `pc-stream-end-${v.name}`;
    const run = await run3(ELL, seed, async (ctx) => {
      const out = await privateCompare(ctx, v, N, ctx.id === 0 ? s0 : s1, rs, betas);
      return ctx.id === 2 ? out : ctx.shared(peerOf(ctx.id)).bytes(AFTER);
    });

    const want = Uint8Array.from(betas, (b, e) => b ^ ((xs[e] as bigint) > (rs[e] as bigint) ? 1 : 0));
    expect(run.p2).toEqual(want);

    const common = new Prg(keysFromSeed(seed)[0].shared[1] ?? new Uint8Array(0));
    nonZeroField(common, p, N * ELL);
    common.field(p, N * ELL);
    permutations(common, N, ELL);
    const next = common.bytes(AFTER);
    expect(run.p0).toEqual(next);
    expect(run.p1).toEqual(next);
  });
});
