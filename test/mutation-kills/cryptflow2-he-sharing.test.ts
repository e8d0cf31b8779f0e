/**
 * Mutation kills for protocols/cryptflow2-he/sharing.ts (the field ShareCodec of cryptflow2-he), over
 * the small prime p = 251 (one byte per element on the wire) and the production prime. Answers the
 * survivors and the mutants no suite reached:
 *   - `share`: the helper P2 holds an empty share; an owner without its value, or with the wrong
 *     number of entries, is an 'input' error naming the shape and the count; an entry outside the
 *     field's range names "an input";
 *   - `reveal`: P2 and a party holding a public value neither send nor receive; the receiver's recv
 *     label, and its error on a malformed frame from the peer;
 *   - `reconstruct`: every malformed view (missing, public, wrong length, unreduced entries, a helper
 *     share with entries) is reported, with zeros for the value and the raw shares; a well-formed one
 *     maps each share to the ℓ-bit view (v·2^ℓ)/p.
 */
import { describe, expect, it } from 'vitest';
import { totalBytes } from '../../harness/network/meter.js';
import { runParties } from '../../harness/network/run.js';
import type { Held } from '../../protocols/common/backend.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { FIELD41, P41, primeField } from '../../protocols/cryptflow2-he/field.js';
import { ServerClear, fieldSecret } from '../../protocols/cryptflow2-he/local.js';
import { fieldSharing } from '../../protocols/cryptflow2-he/sharing.js';
import { loneParty } from './defect-support.js';
import { expectCryptflowError, expectCryptflowRejection } from './support.js';

const F = primeField(251n);
const codec = fieldSharing(F, new ServerClear());

/** `ctx` with every send recorded in `sent` and every recv's label in `labels`. */
function recording(
  ctx: PartyContext,
  sent: { to: PartyId; bytes: Uint8Array }[],
  labels: (string | undefined)[],
): PartyContext {
  return {
    ...ctx,
    send: (to, bytes) => {
      sent.push({ to, bytes });
      ctx.send(to, bytes);
    },
    recv: (from, what) => {
      labels.push(what);
      return ctx.recv(from, what);
    },
  };
}

const secret = (share: readonly bigint[], shape: readonly number[] = [share.length]): Held =>
  fieldSecret(shape, BigUint64Array.from(share));

describe('cryptflow2-he sharing: share', () => {
  /** Kills L27 ConditionalExpression false (P2 would draw a share of n entries from its PRG with P0). */
  it('the helper P2 holds an empty share of the input', async () => {
    const h = await codec.share(loneParty(2, 16, 'he-sharing-p2'), 0, [2, 3], undefined);
    expect(h).toMatchObject({ kind: 'secret', shape: [2, 3] });
    expect(h.kind === 'secret' ? [...h.share] : null).toEqual([]);
  });

  /**
   * Kills L28 ConditionalExpression false ×3 and LogicalOperator (&&), L30 and L31 StringLiteral,
   * L31 LogicalOperator (value?.length && 0) and OptionalChaining (value.length).
   */
  it('an owner without its value, or with the wrong count, is an input error naming both', () => {
    for (const owner of [0, 1] as const) {
      const ctx = loneParty(owner, 16, 'he-sharing-owner');
      expectCryptflowError(
        () => codec.share(ctx, owner, [2, 3], undefined),
        'input',
        `P${owner} shares an input of shape [2, 3] but holds 0 entries`,
      );
      expectCryptflowError(
        () => codec.share(ctx, owner, [2, 3], new BigUint64Array(5)),
        'input',
        `P${owner} shares an input of shape [2, 3] but holds 5 entries`,
      );
    }
  });

  /** Kills L33 StringLiteral ('an input' in the range error). */
  it('an entry outside the field range is an input error naming "an input"', () => {
    const ctx = loneParty(0, 16, 'he-sharing-range');
    expectCryptflowError(
      () => codec.share(ctx, 0, [2], BigUint64Array.from([1n, 200n])),
      'input',
      "an input has an entry outside the field's range",
    );
  });

  /** Kills L36 ConditionalExpression true/false and EqualityOperator (only P1's inputs are server-clear). */
  it('the owner and the other party hold x + r and −r mod p; a server input is kept in the clear', async () => {
    const x = BigUint64Array.from([5n, 0xfffen, 100n]);
    for (const owner of [0, 1] as const) {
      const clears = [new ServerClear(), new ServerClear()] as const;
      const { outputs } = await runParties(
        [0, 1].map(
          (id) => (ctx: PartyContext) =>
            Promise.resolve(fieldSharing(F, clears[id as 0 | 1]).share(ctx, owner, [3], id === owner ? x : undefined)),
        ),
        { ell: 16, seed: 'he-sharing-split' },
      );
      const [a, b] = outputs.map((h) => (h.kind === 'secret' ? [...h.share] : []));
      expect(a?.map((v, i) => (v + (b?.[i] as bigint)) % F.p)).toEqual([5n, 249n, 100n]);
      outputs.forEach((h, id) => expect(clears[id as 0 | 1].has(h)).toBe(owner === 1));
      if (owner === 1) expect([...clears[1].value(outputs[1] as Held)]).toEqual([5n, 249n, 100n]);
    }
  });
});

describe('cryptflow2-he sharing: reveal', () => {
  /** Kills L41 ConditionalExpression false ×2 and LogicalOperator (&&): P2 would send an empty frame. */
  it('P2 neither sends nor receives and reveals nothing', async () => {
    const sent: { to: PartyId; bytes: Uint8Array }[] = [];
    const labels: (string | undefined)[] = [];
    const ctx = recording(loneParty(2, 16, 'he-sharing-reveal-p2'), sent, labels);
    await expect(codec.reveal(ctx, secret([]), 0)).resolves.toBeNull();
    expect(sent).toEqual([]);
    expect(labels).toEqual([]);
  });

  /** Kills L41 ConditionalExpression false (x.kind !== 'secret') and LogicalOperator (&&). */
  it('a party holding a public value sends nothing and reveals nothing', async () => {
    const sent: { to: PartyId; bytes: Uint8Array }[] = [];
    const labels: (string | undefined)[] = [];
    const ctx = recording(loneParty(0, 16, 'he-sharing-reveal-public'), sent, labels);
    const pub: Held = { kind: 'public', shape: [2], data: BigUint64Array.from([1n, 2n]) };
    await expect(codec.reveal(ctx, pub, 1)).resolves.toBeNull();
    expect(sent).toEqual([]);
    expect(labels).toEqual([]);
  });

  /** Kills L40 StringLiteral (the 'io' phase) and L46 StringLiteral (the recv label 'reveal'). */
  it('the receiver adds the shares mod p, labels its recv "reveal"; the frame is io traffic', async () => {
    const labels: (string | undefined)[] = [];
    const { outputs, meter } = await runParties(
      [
        (ctx) => codec.reveal(recording(ctx, [], labels), secret([200n, 10n, 0n]), 0),
        (ctx) => codec.reveal(ctx, secret([100n, 250n, 1n]), 0),
      ],
      { ell: 16, seed: 'he-sharing-reveal' },
    );
    expect(outputs[0] === null ? null : [...outputs[0]]).toEqual([49n, 9n, 1n]);
    expect(outputs[1]).toBeNull();
    expect(labels).toEqual(['reveal']);
    expect(meter.io['P1->P0']).toBe(3);
    expect(totalBytes(meter.links)).toBe(0);
  });

  /** Kills L46 StringLiteral (the 'reveal' naming a malformed frame in the decode error). */
  it('a frame of the wrong length from the peer is a decode error naming "reveal"', async () => {
    await expectCryptflowRejection(
      () =>
        runParties(
          [
            (ctx) => codec.reveal(ctx, secret([1n, 2n, 3n]), 0),
            (ctx) => {
              ctx.send(0, new Uint8Array(2));
              return Promise.resolve(null);
            },
          ],
          { ell: 16, seed: 'he-sharing-reveal-bad' },
        ),
      'decode',
      'message from P1 (reveal): expected 3 bytes, got 2',
    );
  });
});

describe('cryptflow2-he sharing: reconstruct', () => {
  /** Kills L53 OptionalChaining (v0.shape) and ArrayDeclaration, L58 OptionalChaining and BlockStatement, L59 StringLiteral. */
  it('no views: both shares missing, the value a zero scalar', () => {
    const r = codec.reconstruct(16, []);
    expect(r.problems).toEqual(['P0 holds no share of a secret output', 'P1 holds no share of a secret output']);
    expect([...r.value]).toEqual([0n]);
    expect(r.shares.map((s) => [...s])).toEqual([[0n], [0n]]);
  });

  /** Kills L58 ConditionalExpression false (a public view read as a share). */
  it('a public view is no share', () => {
    const pub: Held = { kind: 'public', shape: [2], data: BigUint64Array.from([1n, 2n]) };
    const r = codec.reconstruct(16, [secret([1n, 2n]), pub]);
    expect(r.problems).toEqual(['P1 holds no share of a secret output']);
    expect([...r.value]).toEqual([0n, 0n]);
  });

  /**
   * Kills L62 ConditionalExpression false, L63 StringLiteral, L64 ConditionalExpression false ×2,
   * MethodExpression (every), ArrowFunction, EqualityOperator (v > p), L64 StringLiteral, and L69
   * ConditionalExpression false and ObjectLiteral (zeros and the raw shares on a malformed view).
   */
  it('a short share and an entry equal to p are reported; zeros and the raw shares come back', () => {
    const s0 = BigUint64Array.from([3n, 251n, 4n]);
    const s1 = BigUint64Array.from([7n, 8n]);
    const r = codec.reconstruct(16, [fieldSecret([3], s0), fieldSecret([3], s1)]);
    expect(r.problems).toEqual([
      "P0's share has entries not reduced mod p",
      'P1 holds a share of 2 entries, the shape needs 3',
    ]);
    expect([...r.value]).toEqual([0n, 0n, 0n]);
    expect(r.shares[0]).toBe(s0);
    expect(r.shares[1]).toBe(s1);
  });

  /**
   * Kills L55 ConditionalExpression true ×2 / false, LogicalOperator (||), EqualityOperator ×2,
   * StringLiteral ×2 (the helper's check), with L71 ArithmeticOperator (the ℓ-bit view of a share).
   */
  it('a helper share with entries is reported; an empty or public helper view is not', () => {
    const views = [secret([200n, 10n]), secret([100n, 250n])];
    const pub: Held = { kind: 'public', shape: [2], data: new BigUint64Array(2) };
    const ok = codec.reconstruct(8, [...views, secret([], [2]), pub]);
    expect(ok.problems).toEqual([]);
    expect([...ok.value]).toEqual([49n, 9n]);
    const view = (v: bigint): bigint => (v << 8n) / 251n;
    expect(ok.shares.map((s) => [...s])).toEqual([
      [view(200n), view(10n)],
      [view(100n), view(250n)],
    ]);
    expect(ok.shares[1][1]).toBe(254n);
    const bad = codec.reconstruct(8, [...views, secret([1n, 2n, 3n], [2])]);
    expect(bad.problems).toEqual(['the helper P2 holds a share of 3 entries (it must hold none)']);
    expect([...bad.value]).toEqual([0n, 0n]);
  });

  it('the production field maps a negative sum to its ring encoding', () => {
    const prod = fieldSharing(FIELD41, new ServerClear());
    const r = prod.reconstruct(16, [secret([P41 - 5n]), secret([2n])]);
    expect(r.problems).toEqual([]);
    expect([...r.value]).toEqual([0xfffdn]);
  });
});
