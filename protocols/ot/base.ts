/**
 * Base OTs: Chou–Orlandi, "The Simplest Protocol for Oblivious Transfer" (LATINCRYPT 2015), §3, over
 * the prime-order group ristretto255 (@noble/curves), as random OT, batched, in both directions at
 * once. Each party is base-OT sender towards its peer (for the extensions in which the peer sends)
 * and base-OT receiver (for those in which it sends).
 *
 * Steps, for `count` OTs with sender S and receiver R (G the generator, H SHA-256 keyed by the session
 * and direction, truncated to 16 bytes):
 *   1. S draws a scalar a, sends A = a·G.
 *   2. R checks A (a canonical encoding, not the identity); per OT j draws b_j and a choice s_j, sends
 *      B_j = b_j·G + s_j·A.
 *   3. S checks each B_j; its keys are k_j^0 = H(A, B_j, j, a·B_j), k_j^1 = H(A, B_j, j, a·B_j − a·A).
 *   4. R's key is k_j^{s_j} = H(A, B_j, j, b_j·A).
 * Hashing A and B_j into the key (and the index j) closes the known pitfalls of the bare protocol;
 * scalars and choices come from the party's own AES-CTR PRG. Messages of step 1 cross first in both
 * directions (one round), then those of step 2 (a second round).
 */
import { platform } from '../../platform/index.js';
import { ristretto255 } from '@noble/curves/ed25519.js';
import { CryptflowError } from '../../spec/errors.js';
import type { PartyContext } from '../common/party.js';

type Point = InstanceType<typeof ristretto255.Point>;
const Point = ristretto255.Point;
const ORDER = Point.Fn.ORDER;
const BASE = Point.BASE.precompute(8, false);

/** Bytes of one encoded ristretto255 point. */
export const POINT_BYTES = 32;

/** Labels of the base-OT messages (what a view observer sees). */
export const BASE_OT_MESSAGES = { sender: 'base OT sender point', receiver: 'base OT receiver points' } as const;

export interface BaseOts {
  /** As base-OT sender: both 16-byte keys of each OT (the peer holds one of each pair). */
  readonly pairs: readonly (readonly [Uint8Array, Uint8Array])[];
  /** As base-OT receiver: the random choice bits (one per byte) and the keys they selected. */
  readonly choices: Uint8Array;
  readonly chosen: readonly Uint8Array[];
}

/** A uniform non-zero scalar from 64 PRG bytes (reduction bias below 2^−250). */
function scalar(ctx: PartyContext): bigint {
  for (;;) {
    const b = ctx.own.bytes(64);
    let v = 0n;
    for (let i = 63; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number);
    v %= ORDER;
    if (v !== 0n) return v;
  }
}

function decodePoint(bytes: Uint8Array, from: number, what: string): Point {
  let p: Point;
  try {
    p = Point.fromBytes(bytes);
  } catch {
    throw new CryptflowError('protocol', `base OT: P${from} sent an invalid ristretto255 encoding (${what})`);
  }
  if (p.equals(Point.ZERO)) throw new CryptflowError('protocol', `base OT: P${from} sent the identity point (${what})`);
  return p;
}

function kdf(sender: number, receiver: number, a: Uint8Array, b: Uint8Array, j: number, shared: Point): Uint8Array {
  const label = new TextEncoder().encode(`cryptflow-ts base OT\u0000P${sender}->P${receiver}\u0000`);
  const idx = new Uint8Array(4);
  new DataView(idx.buffer).setUint32(0, j);
  return platform.sha256(label, a, b, idx, shared.toBytes()).slice(0, 16);
}

function expectLength(bytes: Uint8Array, want: number, from: number, what: string): void {
  if (bytes.length !== want)
    throw new CryptflowError(
      'protocol',
      `base OT: expected ${want} bytes of ${what} from P${from}, got ${bytes.length}`,
    );
}

/** `count` random base OTs in each direction between ctx.id and peer (metered under 'setup'). */
export async function baseOts(ctx: PartyContext, peer: 0 | 1, count: number): Promise<BaseOts> {
  return ctx.inPhase('setup', async () => {
    const me = ctx.id;
    // Step 1 (as sender).
    const a = scalar(ctx);
    const aG = BASE.multiply(a);
    const aBytes = aG.toBytes();
    ctx.send(peer, aBytes);
    // Step 2 (as receiver of the peer's OTs).
    const theirA = await ctx.recv(peer, BASE_OT_MESSAGES.sender);
    expectLength(theirA, POINT_BYTES, peer, 'the sender point');
    const A = decodePoint(theirA, peer, 'sender point A').precompute(8, false);
    const choices = ctx.own.bits(count);
    const bs: bigint[] = [];
    const Bs = new Uint8Array(count * POINT_BYTES);
    for (let j = 0; j < count; j++) {
      const b = scalar(ctx);
      bs.push(b);
      const B = choices[j] === 1 ? BASE.multiply(b).add(A) : BASE.multiply(b);
      Bs.set(B.toBytes(), j * POINT_BYTES);
    }
    ctx.send(peer, Bs);
    // Step 4: the receiver's keys.
    const chosen = bs.map((b, j) =>
      kdf(peer, me, theirA, Bs.subarray(j * POINT_BYTES, (j + 1) * POINT_BYTES), j, A.multiply(b)),
    );
    // Step 3: the sender's keys.
    const theirB = await ctx.recv(peer, BASE_OT_MESSAGES.receiver);
    expectLength(theirB, count * POINT_BYTES, peer, 'receiver points');
    const aA = aG.multiply(a);
    const pairs = Array.from({ length: count }, (_, j) => {
      const bj = theirB.subarray(j * POINT_BYTES, (j + 1) * POINT_BYTES);
      const aB = decodePoint(bj, peer, `receiver point B_${j}`).multiply(a);
      return [kdf(me, peer, aBytes, bj, j, aB), kdf(me, peer, aBytes, bj, j, aB.subtract(aA))] as const;
    });
    return { pairs, choices, chosen };
  });
}
