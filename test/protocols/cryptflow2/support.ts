/**
 * Two-party test runs of the CrypTFlow2 protocols over the in-memory network: P0 and P1 run the
 * program, P2 takes no part (its program returns at once, so it never sends or receives). Each
 * party's OT channel is the functional test double (functional-ot.ts) by default — fast, so the
 * property tests run many cases — or the OT layer's (protocols/ot/, base OTs in the 'setup' phase at
 * the start of the run) with kind 'real', which the exact-cost tests use. Also: XOR/additive
 * reconstruction helpers and seeded test values.
 */
import fc from 'fast-check';
import { runParties } from '../../../harness/network/run.js';
import type { MeterReading } from '../../../harness/network/meter.js';
import type { PartyContext } from '../../../protocols/common/party.js';
import type { OtChannel } from '../../../protocols/ot/types.js';
import { functionalOt } from './functional-ot.js';
import { openOtChannel } from '../../../protocols/ot/channel.js';

export const SLOW = process.env['CRYPTFLOW_SLOW'] === '1';
export const runs = (n: number): number => (SLOW ? n * 10 : n);
export const RINGS = [8, 16, 32, 64] as const;

export interface Run2<T> {
  readonly p0: T;
  readonly p1: T;
  readonly meter: MeterReading;
}

export type TwoPartyProgram<T> = (ctx: PartyContext & { readonly id: 0 | 1 }, ot: OtChannel) => Promise<T>;

/** Which OT channel a run uses: the OT layer (default) or the functional test double. */
export type OtKind = 'real' | 'double';

async function otFor(ctx: PartyContext, kind: OtKind): Promise<OtChannel> {
  const peer = ctx.id === 0 ? 1 : 0;
  return kind === 'real' ? openOtChannel(ctx, peer) : functionalOt(ctx, peer);
}

export async function run2<T>(
  ell: number,
  seed: string,
  program: TwoPartyProgram<T>,
  kind: OtKind = 'double',
): Promise<Run2<T>> {
  const party = async (ctx: PartyContext): Promise<T> =>
    program(ctx as PartyContext & { readonly id: 0 | 1 }, await otFor(ctx, kind));
  const idle = async (): Promise<null> => null;
  const { outputs, meter } = await runParties([party, party, idle], { ell, seed });
  return { p0: outputs[0], p1: outputs[1], meter };
}

export const xor = (a: Uint8Array, b: Uint8Array): number[] => [...a].map((v, i) => v ^ (b[i] as number));

export const addShares = (ell: number, a: BigUint64Array, b: BigUint64Array): bigint[] =>
  [...a].map((v, i) => BigInt.asUintN(ell, v + (b[i] as bigint)));

/** n values of Z_{2^ℓ}: uniform, with the ring's edge values mixed in. */
export function ringValues(ell: number, maxLength: number): fc.Arbitrary<bigint[]> {
  const top = (1n << BigInt(ell)) - 1n;
  const half = 1n << BigInt(ell - 1);
  const one = fc.oneof(
    fc.bigInt({ min: 0n, max: top }),
    fc.constantFrom(...[0n, 1n, top, half, half - 1n, half + 1n].filter((v) => v <= top)),
  );
  return fc.array(one, { minLength: 1, maxLength, size: 'max' });
}

/** Additive shares of known values at no communication: P0 holds v + r, P1 holds −r (common PRG). */
export function shareRing(ctx: PartyContext, ell: number, values: readonly bigint[]): BigUint64Array {
  const r = ctx.shared(ctx.id === 0 ? 1 : 0).ring(ell, values.length);
  return ctx.id === 0
    ? r.map((v, i) => BigInt.asUintN(ell, v + (values[i] as bigint)))
    : r.map((v) => BigInt.asUintN(ell, -v));
}

/** XOR shares of known bits: P0 holds b ⊕ r, P1 holds r. */
export function shareBits(ctx: PartyContext, bits: Uint8Array): Uint8Array {
  const r = ctx
    .shared(ctx.id === 0 ? 1 : 0)
    .bytes(bits.length)
    .map((v) => v & 1);
  return ctx.id === 0 ? r.map((v, i) => v ^ (bits[i] as number)) : r;
}
