/**
 * The trusted-party flow shared by the reference backends (plaintext.ts, ideal.ts): one party plays
 * the trusted party T of an ideal-world execution — the helper P2 in the 3-party flavour, the server
 * P1 in the 2-party flavour (`claims.parties` = 2: no P2 exists, as for CrypTFlow2). These are
 * REFERENCE POINTS for tests and cost comparisons, not secure protocols: T sees every secret operand.
 *
 * For one LLIL node, when some operand is secret (all metered in the caller's phase, 'compute' by
 * default):
 *   1. every sharing party other than T sends T its shares of the secret operands, concatenated in
 *      operand order (b·Σ|secret operands| bytes each, b = ⌈ℓ/8⌉): P0 and P1 to P2, or P0 to P1;
 *   2. T adds the shares it holds (both received ones, or P0's and its own), takes the public operands
 *      as they are, and computes the output y (`TrustedParty.compute`, with its own PRG);
 *   3. T splits y into two shares (`TrustedParty.split`, its own PRG) and sends each other sharing
 *      party its share (b·|out| bytes each); with 2 parties P1 keeps the second share.
 * That is two rounds. When every operand is public, every party computes the public result itself with
 * the exact fixed-point semantics: no messages, zero rounds. `trustedPartyCost` is that closed form.
 */
import { Ring } from '../../spec/ring.js';
import { bug, CryptflowError } from '../../spec/errors.js';
import { numel } from '../../spec/geometry.js';
import { cost, FREE, ringBytes, type Cost } from '../../spec/cost/types.js';
import type { LNode } from '../../ir/llil.js';
import { operandsOf } from '../../ir/traverse.js';
import type { RingTensor } from '../../semantics/kernels/types.js';
import { functionalityOf } from '../../ideal/functionality.js';
import type { Backend, BackendClaims, Held, OperandType } from '../../protocols/common/backend.js';
import { recvRing, sendRing } from '../../protocols/common/codec.js';
import { roleOf, type PartyContext, type PartyId } from '../../protocols/common/party.js';
import type { Prg } from '../../protocols/common/prg.js';
import { asShare, myShare } from '../../protocols/common/sharing.js';
import { addMod } from '../../semantics/kernels/words.js';

/** What the trusted party P2 does with the reconstructed operands. */
export interface TrustedParty {
  /** The output value (its shape must be the node's). */
  compute(ell: number, node: LNode, inputs: readonly RingTensor[], rng: Prg): RingTensor;
  /** P0's and P1's shares of y. */
  split(ell: number, y: BigUint64Array, rng: Prg): readonly [BigUint64Array, BigUint64Array];
}

/** The public result of a node whose operands are all public: exact fixed-point semantics. */
function publicResult(ell: number, node: LNode, inputs: readonly RingTensor[]): RingTensor {
  const spec = functionalityOf(node, { truncation: 'exact' }).spec(ell, inputs);
  if (spec.kind !== 'exact') bug(`exact functionality of ${node.op} returned an allowed set`);
  return spec.value;
}

function checkArity(node: LNode, operands: readonly unknown[]): void {
  const want = operandsOf(node).length;
  if (operands.length !== want) {
    throw new CryptflowError(
      'usage',
      `node '${node.out}' (${node.op}) takes ${want} operand(s), the backend got ${operands.length}`,
    );
  }
}

/** The trusted party of a run with `parties` parties. */
export function trustedPartyOf(parties: 2 | 3): PartyId {
  return parties === 3 ? 2 : 1;
}

/** P0's and P1's shares of the secret operands, concatenated in operand order. */
function concatShares(ctx: PartyContext, operands: readonly Held[], size: number): BigUint64Array {
  const role = roleOf(ctx);
  if (role.role !== 'holder') bug(`the helper P${ctx.id} holds no shares to send`);
  const mine = new BigUint64Array(size);
  let at = 0;
  for (const o of operands) {
    if (o.kind !== 'secret') continue;
    mine.set(myShare(role.ctx, o), at);
    at += o.share.length;
  }
  return mine;
}

async function trustedRun(
  party: TrustedParty,
  parties: 2 | 3,
  ctx: PartyContext,
  node: LNode,
  operands: readonly Held[],
): Promise<Held> {
  checkArity(node, operands);
  const ell = ctx.ell;
  const shape = node.type.shape;
  const n = numel(shape);
  const secretSize = operands.reduce((s, o) => s + (o.kind === 'secret' ? numel(o.shape) : 0), 0);
  if (!operands.some((o) => o.kind === 'secret')) {
    const y = publicResult(
      ell,
      node,
      operands.map((o) => ({
        shape: o.shape,
        data: o.kind === 'public' ? o.data : bug('secret operand on the public path'),
      })),
    );
    return { kind: 'public', shape: y.shape, data: y.data };
  }
  const t = trustedPartyOf(parties);
  if (ctx.id !== t) {
    sendRing(ctx, t, concatShares(ctx, operands, secretSize));
    const share = await recvRing(ctx, t, n, `${node.op} output share from the trusted party`);
    return { kind: 'secret', shape, share: asShare(share) };
  }
  const [m0, m1] =
    t === 2
      ? await Promise.all([
          recvRing(ctx, 0, secretSize, `${node.op} operand shares for the trusted party`),
          recvRing(ctx, 1, secretSize, `${node.op} operand shares for the trusted party`),
        ])
      : [
          await recvRing(ctx, 0, secretSize, `${node.op} operand shares for the trusted party`),
          concatShares(ctx, operands, secretSize),
        ];
  const sum = addMod(Ring(ell), m0, m1);
  let at = 0;
  const inputs = operands.map((o): RingTensor => {
    if (o.kind === 'public') return { shape: o.shape, data: o.data };
    const k = numel(o.shape);
    at += k;
    return { shape: o.shape, data: sum.slice(at - k, at) };
  });
  const y = party.compute(ell, node, inputs, ctx.own);
  if (y.data.length !== n)
    bug(`trusted party computed ${y.data.length} entries for ${node.op} of shape [${shape.join(', ')}]`);
  const [s0, s1] = party.split(ell, y.data, ctx.own);
  sendRing(ctx, 0, s0);
  if (t === 2) {
    sendRing(ctx, 1, s1);
    return { kind: 'secret', shape, share: asShare(new BigUint64Array(0)) };
  }
  return { kind: 'secret', shape, share: asShare(s1) };
}

/** The closed-form communication of the trusted-party flow with `parties` parties (default 3). */
export function trustedPartyCost(node: LNode, operands: readonly OperandType[], ell: number, parties: 2 | 3 = 3): Cost {
  checkArity(node, operands);
  const secret = operands.filter((o) => o.secret);
  if (secret.length === 0) return FREE;
  const b = ringBytes(ell);
  const up = b * secret.reduce((s, o) => s + numel(o.shape), 0);
  const down = b * numel(node.type.shape);
  return parties === 3
    ? cost({ 'P0->P2': up, 'P1->P2': up, 'P2->P0': down, 'P2->P1': down }, 2)
    : cost({ 'P0->P1': up, 'P1->P0': down }, 2);
}

/** Every ring width the trusted-party backends run at. */
export const ALL_RINGS: readonly number[] = Array.from({ length: 63 }, (_, i) => i + 2);

export function trustedPartyBackend(name: string, claims: BackendClaims, party: TrustedParty): Backend {
  return {
    name,
    claims,
    run: (ctx, node, operands) => trustedRun(party, claims.parties, ctx, node, operands),
    cost: (node, operands, ell) => trustedPartyCost(node, operands, ell, claims.parties),
  };
}
