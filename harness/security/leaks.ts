/**
 * Deliberately broken protocols: the real code with one step changed by wrapping the parties'
 * contexts, to show that the security tests (check.ts) catch each kind of leak. None of these runs
 * outside test/security/leaks.test.ts.
 *
 *   - a mask reused: the PRG P1 and P2 share repeats its first ring element across a Beaver opening
 *     (E1_i − E1_j = X1_i − X1_j), or replays one product's masks in the next product;
 *   - a share sent unmasked: P0's side of a mask is zero, so its Beaver opening is its share itself,
 *     or (ShareConvert) it sends P2 its share a_0 instead of a_0 + r_0;
 *   - a biased PRG: every ring element drawn from one shared stream has its top bit forced to 0;
 *   - the helper sends one party something depending on the other's share: in SecureNN's
 *     ShareConvert, P2 hands P1, in place of its share of δ, P0's masked share ã_0 = a_0 + r_0 —
 *     which P1 unmasks with the r_0 it shares with P0;
 *   - PrivateCompare without the z mask (the whitepaper's text; proofs-notes/securenn-family.md):
 *     the common stream of P0 and P1 gives z = 0.
 * Each leak is a `SecurityCase` built from an honest one (cases.ts) with the same simulator, the
 * party that should see it, and the input sets that make it show.
 */
import { bug } from '../../spec/errors.js';
import { referenceKernels } from '../../semantics/kernels/index.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import type { Prg } from '../../protocols/common/prg.js';
import { productHelper, productHolder } from '../../protocols/securenn-family/linear.js';
import type { Shared } from '../../protocols/common/sharing.js';
import { decodeRing, encodeRing, ringBytes } from '../../protocols/common/codec.js';
import { SECURENN, type Variant } from '../../protocols/securenn-family/nonlinear/variant.js';
import type { Output, PartySetup, SecurityCase } from './check.js';
import { privateCompareCase, productCase, sharedCase, shareConvertCase, smallVariant } from './cases.js';
import { simBeaver } from './simulators.js';
import { segment } from './typed.js';
import { HookedPrg, mapPrograms, withPrgs, type DrawHook } from './view.js';

/** A context transformer applied to every party before it runs (it looks at ctx.id to pick its victims). */
export type Tamper = (ctx: PartyContext) => PartyContext;

/** The case with every party's program run on `tamper(ctx)`; the simulator is the honest one. */
export function tampered(base: SecurityCase, name: string, tamper: Tamper): SecurityCase {
  return {
    name,
    ell: base.ell,
    ...(base.parties === undefined ? {} : { parties: base.parties }),
    setup: (c, keys): PartySetup => {
      const s = base.setup(c, keys);
      return {
        ...s,
        programs: (which) => mapPrograms(s.programs(which), (p) => (ctx) => p(tamper(ctx))),
      };
    },
  };
}

/**
 * Hook the stream that parties a and b share, on both holders (or on `only` one of them), with a
 * fresh hook per holder and run.
 */
export function hookStream(a: PartyId, b: PartyId, hook: () => DrawHook, only?: PartyId): Tamper {
  return (ctx) => {
    const other = ctx.id === a ? b : ctx.id === b ? a : null;
    if (other === null || (only !== undefined && ctx.id !== only)) return ctx;
    const h = hook();
    return withPrgs(ctx, (stream, prg: Prg) => (stream === `P${other}` ? new HookedPrg(prg, h) : prg));
  };
}

/** Ring draws repeat their first element. */
export const repeatFirst = (): DrawHook => (kind, _param, out) => {
  if (kind === 'ring' && out instanceof BigUint64Array) out.fill(out[0] ?? 0n);
};

/** The first `keep` ring draws are remembered; the next `keep` draws replay them. */
export const replayRing =
  (keep: number): (() => DrawHook) =>
  () => {
    const seen: BigUint64Array[] = [];
    let replayed = 0;
    return (kind, _param, out) => {
      if (kind !== 'ring' || !(out instanceof BigUint64Array)) return;
      if (seen.length < keep) seen.push(out.slice());
      else if (replayed < keep) out.set(seen[replayed++] ?? bug('replay'));
    };
  };

/** Ring draws are zero (a mask that masks nothing). */
export const zeroRing = (): DrawHook => (kind, _param, out) => {
  if (kind === 'ring' && out instanceof BigUint64Array) out.fill(0n);
};

/** Ring draws have their top bit (bit ℓ − 1) cleared. */
export const topBitZero = (): DrawHook => (kind, param, out) => {
  if (kind !== 'ring' || !(out instanceof BigUint64Array)) return;
  const keep = (1n << (param - 1n)) - 1n;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as bigint) & keep;
};

/**
 * A partial leak of size k/64: a ring draw's top bit is cleared when its low five bits are below k, so
 * P(top bit = 1) = 1/2 − k/64 (k = 2: 15/32, a bias of 1/32; k = 4: 0.4375, 1/16). The choice is a
 * function of the draw itself: no randomness outside the PRG.
 */
export const topBitBiased =
  (k: number): (() => DrawHook) =>
  () =>
  (kind, param, out) => {
    if (kind !== 'ring' || !(out instanceof BigUint64Array)) return;
    if (!Number.isInteger(k) || k < 0 || k > 32) bug(`topBitBiased: k = ${k} is not in 0…32`);
    const keep = (1n << (param - 1n)) - 1n;
    for (let i = 0; i < out.length; i++) if (Number((out[i] as bigint) & 31n) < k) out[i] = (out[i] as bigint) & keep;
  };

/** Z_p draws with this p are zero (PrivateCompare's z is the only such draw on the P0–P1 stream). */
export const zeroField =
  (p: number): (() => DrawHook) =>
  () =>
  (kind, param, out) => {
    if (kind === 'field' && param === BigInt(p) && out instanceof Uint8Array) out.fill(0);
  };

/**
 * P2 replaces, in its first message to P1, the last n ring elements (SecureNN ShareConvert: P1's
 * shares of δ) by P0's masked shares ã_0 reduced modulo 2^ℓ − 1 (so that P1 still accepts them).
 */
export function helperForwards(n: number): Tamper {
  return (ctx) => {
    if (ctx.id !== 2) return ctx;
    let fromP0: BigUint64Array | null = null;
    let sentToP1 = 0;
    const ell = ctx.ell;
    return {
      ...ctx,
      recv: async (from) => {
        const bytes = await ctx.recv(from);
        if (from === 0 && fromP0 === null) fromP0 = decodeRing(ell, bytes, n, 0, 'ã_0');
        return bytes;
      },
      send: (to, bytes) => {
        if (to === 1 && sentToP1++ === 0) {
          const masked = fromP0 ?? bug('P2 forwards ã_0 before it arrived');
          const odd = (1n << BigInt(ell)) - 1n;
          const out = bytes.slice();
          out.set(
            encodeRing(
              ell,
              masked.map((x) => x % odd),
            ),
            bytes.length - n * ringBytes(ell),
          );
          ctx.send(to, out);
          return;
        }
        ctx.send(to, bytes);
      },
    };
  };
}

/** Two products in a row, x·y then u·w (three elements each); the output is both results. */
export function twoProductsCase(ell: number): SecurityCase {
  return sharedCase({
    name: `two products (n = 3 each, ℓ = ${ell})`,
    ell,
    operands: 'ring',
    A: [
      [1n, 2n, 3n],
      [4n, 5n, 6n],
      [9n, -9n, 100n],
      [7n, 7n, 7n],
    ],
    B: [
      [-128n, 0n, 64n],
      [1n, 1n, 1n],
      [3n, 50n, -3n],
      [0n, 127n, -1n],
    ],
    holder: async (ctx, s) => {
      const at = (i: number): Shared => ({ shape: [3], share: s[i] ?? bug('operand') });
      const first = await productHolder(ctx, referenceKernels, at(0), at(1), 3);
      const second = await productHolder(ctx, referenceKernels, at(2), at(3), 3);
      return [segment(ell, 'ring', first), segment(ell, 'ring', second)] as Output;
    },
    helper: async (ctx) => {
      productHelper(ctx, referenceKernels, [3], [3], 3);
      productHelper(ctx, referenceKernels, [3], [3], 3);
    },
    simulate: (b) => {
      simBeaver(b, { x: 3, y: 3, z: 3 });
      simBeaver(b, { x: 3, y: 3, z: 3 });
    },
  });
}

export interface Leak {
  readonly name: string;
  /** The honest case (its checks pass) and the broken one. */
  readonly honest: SecurityCase;
  readonly broken: SecurityCase;
  /** The corrupted party that sees the leak. */
  readonly party: PartyId;
}

/** Every planted leak, at ring width ℓ (the comparison protocols with their small prime). */
export function leaks(ell: number): Leak[] {
  const sn: Variant = smallVariant(SECURENN, ell);
  const leak = (name: string, honest: SecurityCase, party: PartyId, tamper: Tamper): Leak => ({
    name,
    honest,
    broken: tampered(honest, `${honest.name} — ${name}`, tamper),
    party,
  });
  const pc = privateCompareCase(sn, ell, { p0OnesInA: true });
  return [
    leak(
      'mask reused across the elements of one Beaver opening (P1–P2 PRG repeats itself)',
      productCase(ell),
      0,
      hookStream(1, 2, repeatFirst),
    ),
    leak(
      "mask reused across two products (P1–P2 PRG replays the first product's masks)",
      twoProductsCase(ell),
      0,
      hookStream(1, 2, replayRing(2)),
    ),
    leak(
      "share sent unmasked: P0's Beaver masks are zero, so it opens its shares",
      productCase(ell),
      1,
      hookStream(0, 2, zeroRing, 0),
    ),
    leak(
      'share sent unmasked: P0 sends P2 its ShareConvert share a_0 (r_0 = 0 on its side)',
      shareConvertCase(sn, ell),
      2,
      hookStream(0, 1, zeroRing, 0),
    ),
    leak(
      'biased PRG: the top bit of every ring element from the P1–P2 stream is 0 (Beaver masks of P1)',
      productCase(ell),
      0,
      hookStream(1, 2, topBitZero),
    ),
    leak(
      'biased PRG: the top bit of every ring element from the P0–P1 stream is 0 (ShareConvert masks r_0, r_1)',
      shareConvertCase(sn, ell),
      2,
      hookStream(0, 1, topBitZero),
    ),
    leak(
      "helper sends P1 P0's masked share ã_0 in place of P1's share of δ (ShareConvert)",
      shareConvertCase(sn, ell),
      1,
      helperForwards(2),
    ),
    leak(
      'PrivateCompare without the z mask (z = 0 from the P0–P1 stream)',
      pc,
      2,
      hookStream(0, 1, zeroField(sn.field.p)),
    ),
  ];
}

/** A deliberately wrong simulator, to show the simulation claim can fail on the simulator's side too. */
export function withSimulator(
  base: SecurityCase,
  name: string,
  simulate: (c: PartyId, honest: PartySetup['simulate']) => PartySetup['simulate'],
): SecurityCase {
  return {
    name,
    ell: base.ell,
    setup: (c, keys) => {
      const s = base.setup(c, keys);
      return { ...s, simulate: simulate(c, s.simulate) };
    },
  };
}
