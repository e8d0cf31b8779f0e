/**
 * Mutation kills for protocols/cryptflow2-he/slots.ts (the SIMD-slot HE product x0 ⊙ w), at the
 * production parameters with one real SEAL session pair opened once and reused (the session's objects
 * are not tied to a party context). Answers the survivors and the mutants no suite reached:
 *   - the two recv labels an observer of the party's view records;
 *   - a product without an onBudget callback, and a chunk of w that is all zero (skipped: a product
 *     by the zero plaintext is a transparent ciphertext, which SEAL refuses);
 *   - every SEAL object either party makes is deleted before it returns, and P1 multiplies the
 *     second query (not the first again) by the second chunk of w;
 *   - the length checks and ciphertext validation of the query (at P1) and the response (at P0),
 *     with their error codes and messages, against a peer that sends what it likes;
 *   - the client's defect on a response with no noise budget left, and both parties' defects on a
 *     ciphertext whose serialised size is not the pinned one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { P41 } from '../../protocols/cryptflow2-he/field.js';
import { HE_SIZES, POLY_DEGREE } from '../../protocols/cryptflow2-he/seal.js';
import type { HeClient, HeServer } from '../../protocols/cryptflow2-he/session.js';
import { heSlotsClient, heSlotsServer } from '../../protocols/cryptflow2-he/slots.js';
import {
  longQueries,
  openHeSession,
  oneMore,
  recording,
  run2,
  spentResponder,
  tracked,
  type Deletable,
} from './he-support.js';
import { expectDefect } from './defect-support.js';
import { expectCryptflowRejection } from './support.js';
import { timeout } from '../setup/timeouts.js';

let client: HeClient;
let server: HeServer;

beforeAll(async () => {
  ({ client, server } = await openHeSession('he-slots-session'));
}, timeout(60_000));

const values = (n: number, k: bigint): BigUint64Array =>
  BigUint64Array.from({ length: n }, (_, i) => ((BigInt(i) + 3n) * k * 2654435761n) % P41);

describe('cryptflow2-he slots', () => {
  /**
   * Kills L53 and L90 StringLiteral (the recv labels), L70 OptionalChaining (no onBudget given) and
   * L109 ConditionalExpression true ×2 (a zero chunk of w multiplied anyway: SEAL throws on the
   * transparent result).
   */
  it(
    'x0 ⊙ w over two ciphertexts, one chunk of w all zero, without onBudget; recv labels',
    async () => {
      const n = POLY_DEGREE + 5;
      const x0 = values(n, 7n);
      const w = values(n, 11n);
      w.fill(0n, POLY_DEGREE);
      w[3] = 0n;
      const labels0: (string | undefined)[] = [];
      const labels1: (string | undefined)[] = [];
      const [y0, y1] = await run2(
        (ctx) => heSlotsClient(recording(ctx, labels0), client, x0),
        (ctx) => heSlotsServer(recording(ctx, labels1), server, w),
        'slots-zero-chunk',
      );
      const y = [...y0].map((v, i) => (v + (y1[i] as bigint)) % P41);
      expect(y).toEqual([...x0].map((v, i) => (v * (w[i] as bigint)) % P41));
      expect(labels0).toEqual(['HE response ciphertexts']);
      expect(labels1).toEqual(['HE query ciphertexts']);
    },
    timeout(30_000),
  );

  /**
   * Kills L75, L79 and L123 BlockStatement (the finally blocks) and L124 ArrayDeclaration; with both
   * chunks of w nonzero, also L103 ArithmeticOperator (P1 reading its second query at offset 0).
   */
  it(
    'every SEAL ciphertext, plaintext and encoder either party makes is deleted exactly once',
    async () => {
      const c = tracked(client.seal, ['CipherText', 'PlainText', 'BatchEncoder']);
      const s = tracked(server.seal, ['CipherText', 'PlainText', 'BatchEncoder']);
      const n = 2 * POLY_DEGREE;
      const [x0, w] = [values(n, 5n), values(n, 9n)];
      const [y0, y1] = await run2(
        (ctx) => heSlotsClient(ctx, { ...client, seal: c.view }, x0),
        (ctx) => heSlotsServer(ctx, { ...server, seal: s.view }, w),
        'slots-deletes',
      );
      const y = [...y0].map((v, i) => (v + (y1[i] as bigint)) % P41);
      expect(y).toEqual([...x0].map((v, i) => (v * (w[i] as bigint)) % P41));
      expect(c.made.map((m) => m.kind).sort()).toEqual(['BatchEncoder', 'CipherText', 'PlainText']);
      expect(s.made.map((m) => m.kind).sort()).toEqual(['BatchEncoder', 'CipherText', 'CipherText', 'PlainText']);
      for (const m of [...c.made, ...s.made]) expect(m.deletes, m.kind).toBe(1);
    },
    timeout(30_000),
  );

  /** Kills L91 ConditionalExpression false, L93 and L94 StringLiteral, L94 ArithmeticOperator. */
  it('P1 refuses a query of the wrong length with a decode error naming both lengths', async () => {
    const n = POLY_DEGREE + 1;
    await expectCryptflowRejection(
      () =>
        run2(
          (ctx) => {
            ctx.send(1, new Uint8Array(HE_SIZES.query));
            return Promise.resolve(null);
          },
          (ctx) => heSlotsServer(ctx, server, values(n, 3n)),
          'slots-short-query',
        ),
      'decode',
      `HE queries from P0: expected ${2 * HE_SIZES.query} bytes, got ${HE_SIZES.query}`,
    );
  });

  /** Kills L104 BlockStatement and L105 StringLiteral ×2. */
  it('P1 refuses a query of the right length that is not a ciphertext', async () => {
    await expectCryptflowRejection(
      () =>
        run2(
          (ctx) => {
            ctx.send(1, new Uint8Array(HE_SIZES.query).fill(0x5a));
            return Promise.resolve(null);
          },
          (ctx) => heSlotsServer(ctx, server, values(4, 3n)),
          'slots-bad-query',
        ),
      'decode',
      /^an HE query from P0 is not a valid ciphertext for these parameters$/,
    );
  });

  /** Kills L54 ConditionalExpression false, L56 and L57 StringLiteral, L57 ArithmeticOperator. */
  it('P0 refuses a response of the wrong length with a decode error naming both lengths', async () => {
    const n = 2 * POLY_DEGREE + 1;
    await expectCryptflowRejection(
      () =>
        run2(
          (ctx) => heSlotsClient(ctx, client, values(n, 3n)),
          async (ctx) => {
            await ctx.recv(0);
            ctx.send(0, new Uint8Array(HE_SIZES.response));
            return null;
          },
          'slots-short-response',
        ),
      'decode',
      `HE responses from P1: expected ${3 * HE_SIZES.response} bytes, got ${HE_SIZES.response}`,
    );
  });

  /** Kills L65 BlockStatement and L66 StringLiteral ×2. */
  it('P0 refuses a response of the right length that is not a ciphertext', async () => {
    await expectCryptflowRejection(
      () =>
        run2(
          (ctx) => heSlotsClient(ctx, client, values(4, 3n)),
          async (ctx) => {
            await ctx.recv(0);
            ctx.send(0, new Uint8Array(HE_SIZES.response).fill(0x5a));
            return null;
          },
          'slots-bad-response',
        ),
      'decode',
      /^an HE response from P1 is not a valid ciphertext for these parameters$/,
    );
  });

  /** Kills L69 ConditionalExpression false, EqualityOperator (budget < 0) and StringLiteral. */
  it(
    'P0 stops with a defect on a response with no noise budget left (SEAL reports 0, never less)',
    async () => {
      const spent = spentResponder(server, client, (k) => values(POLY_DEGREE, BigInt(101 + k)));
      await expectDefect(
        () => run2((ctx) => heSlotsClient(ctx, client, values(3, 5n)), spent, 'slots-spent'),
        'an HE response has no noise budget left',
      );
    },
    timeout(30_000),
  );

  /** Kills L49 ConditionalExpression false and StringLiteral. */
  it("P0 stops with a defect when SEAL's query ciphertext is not the pinned size", async () => {
    await expectDefect(
      () =>
        run2(
          (ctx) => heSlotsClient(ctx, longQueries(client), values(3, 5n)),
          async (ctx) => {
            await ctx.recv(0);
            return null;
          },
          'slots-long-query',
        ),
      `a query ciphertext of ${HE_SIZES.query + 1} bytes`,
    );
  });

  /** Kills L119 ConditionalExpression false and StringLiteral. */
  it(
    "P1 stops with a defect when SEAL's response ciphertext is not the pinned size",
    async () => {
      const s = tracked(server.seal, ['CipherText', 'PlainText', 'BatchEncoder'], (ct) => {
        const target = ct as Deletable & { saveArray(m: unknown): Uint8Array };
        const save = target.saveArray.bind(target);
        target.saveArray = (m: unknown) => oneMore(save(m));
      });
      await expectDefect(
        () =>
          run2(
            (ctx) => heSlotsClient(ctx, client, values(3, 5n)),
            (ctx) => heSlotsServer(ctx, { ...server, seal: s.view }, values(3, 7n)),
            'slots-long-response',
          ),
        `a response ciphertext of ${HE_SIZES.response + 1} bytes`,
      );
    },
    timeout(30_000),
  );
});
