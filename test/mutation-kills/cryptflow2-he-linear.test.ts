/**
 * Mutation kills for protocols/cryptflow2-he/linear.ts (the HE linear layer y = conv(x0, W) over Z_p),
 * at the production parameters with one real SEAL session pair opened once and reused (the session's
 * objects are not tied to a party context). Answers the survivors and the mutants no suite reached:
 *   - the two recv labels an observer of the party's view records;
 *   - which product path P1 takes, seen through the evaluator calls it makes: a layer of monomial
 *     kernels multiplies in coefficient form (no NTT at all), any other layer takes every query to
 *     NTT form once and each kernel plaintext with it; both reconstruct to the plaintext product;
 *   - every SEAL ciphertext and plaintext either party makes is deleted exactly once;
 *   - the length checks and ciphertext validation of the queries (at P1) and the responses (at P0),
 *     with their error codes and messages, against a peer that sends what it likes;
 *   - the defects: a job without its input or weights, a response with no noise budget left, and a
 *     ciphertext whose serialised size is not the pinned one, at either party.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { P41 } from '../../protocols/cryptflow2-he/field.js';
import { matmulShape } from '../../protocols/cryptflow2-he/layers.js';
import { heLinearClient, heLinearServer } from '../../protocols/cryptflow2-he/linear.js';
import { planConv, type ConvShape } from '../../protocols/cryptflow2-he/packing.js';
import { HE_SIZES, POLY_DEGREE } from '../../protocols/cryptflow2-he/seal.js';
import type { HeClient, HeServer } from '../../protocols/cryptflow2-he/session.js';
import {
  longQueries,
  openHeSession,
  oneMore,
  recording,
  run2,
  spentResponder,
  tracked,
  type Deletable,
  type Program,
} from './he-support.js';
import { expectDefect, loneParty } from './defect-support.js';
import { expectCryptflowRejection } from './support.js';
import { timeout } from '../setup/timeouts.js';

let client: HeClient;
let server: HeServer;

beforeAll(async () => {
  ({ client, server } = await openHeSession('he-linear-session'));
}, timeout(60_000));

const values = (n: number, k: bigint): BigUint64Array =>
  BigUint64Array.from({ length: n }, (_, i) => ((BigInt(i) + 5n) * k * 2246822519n) % P41);

/** A 1×1 convolution (no padding, stride 1) on a `side` × `side` plane. */
const pointwise = (side: number, batch: number, cg: number, mg: number, groups = 1): ConvShape => ({
  batch,
  groups,
  cg,
  mg,
  input: [side, side],
  padBegin: [0, 0],
  padded: [side, side],
  kernel: [1, 1],
  strides: [1, 1],
  dilations: [1, 1],
  output: [side, side],
});

/**
 * The plaintext layer mod p for a 1×1 kernel (MatMul is the plane of one cell):
 * y[b, g·Mg + m, cell] = Σ_c x[b, g·Cg + c, cell] · W[g·Mg + m, c].
 */
function plainLayer(s: ConvShape, x: BigUint64Array, w: BigUint64Array): bigint[] {
  const cells = s.input.reduce((a, e) => a * e, 1);
  const y: bigint[] = [];
  for (let b = 0; b < s.batch; b++)
    for (let g = 0; g < s.groups; g++)
      for (let m = 0; m < s.mg; m++)
        for (let cell = 0; cell < cells; cell++) {
          let acc = 0n;
          for (let c = 0; c < s.cg; c++)
            acc +=
              (x[((b * s.groups + g) * s.cg + c) * cells + cell] as bigint) * (w[(g * s.mg + m) * s.cg + c] as bigint);
          y.push(acc % P41);
        }
  return y;
}

const open = (y0: BigUint64Array, y1: BigUint64Array): bigint[] => [...y0].map((v, i) => (v + (y1[i] as bigint)) % P41);

/** A view of `obj` that counts the calls of each of its methods into `calls`. */
function counting<T extends object>(obj: T, calls: Map<string, number>): T {
  return new Proxy(obj, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        calls.set(prop, (calls.get(prop) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** P1's product path on `shape`: the reconstructed output and P1's evaluator calls by name. */
async function layerCalls(shape: ConvShape, seed: string) {
  const plan = planConv(shape);
  const x0 = values(shape.batch * shape.groups * shape.cg * shape.input.reduce((a, e) => a * e, 1), 7n);
  const w = values(shape.groups * shape.mg * shape.cg, 13n);
  const calls = new Map<string, number>();
  const evaluator = counting(server.evaluator, calls);
  const [y0, y1] = await run2(
    (ctx) => heLinearClient(ctx, client, [plan], [x0]),
    (ctx) => heLinearServer(ctx, { ...server, evaluator }, [plan], [w]),
    seed,
  );
  expect(y0.length).toBe(1);
  expect(y1.length).toBe(1);
  return { plan, y: open(y0[0] as BigUint64Array, y1[0] as BigUint64Array), want: plainLayer(shape, x0, w), calls };
}

/** A P0 that sends `bytes` as its queries and stops. */
const sendsQuery =
  (bytes: Uint8Array): Program<null> =>
  (ctx) => {
    ctx.send(1, bytes);
    return Promise.resolve(null);
  };

/** A P1 that reads the queries and answers `bytes`. */
const answers =
  (bytes: Uint8Array): Program<null> =>
  async (ctx) => {
    await ctx.recv(0);
    ctx.send(0, bytes);
    return null;
  };

describe('cryptflow2-he linear', () => {
  /**
   * Kills L74 and L124 StringLiteral (the recv labels); with no onBudget given, a MatMul on two jobs
   * (the second job's queries and responses after the first's) reconstructs to the plaintext product.
   */
  it(
    'two MatMul jobs reconstruct to the plaintext products; recv labels',
    async () => {
      const shapes = [matmulShape(2, 5, 3), matmulShape(1, 4, 2)];
      const plans = shapes.map((s) => planConv(s));
      const xs = shapes.map((s, i) => values(s.batch * s.cg, BigInt(3 + i)));
      const ws = shapes.map((s, i) => values(s.mg * s.cg, BigInt(11 + i)));
      const labels0: (string | undefined)[] = [];
      const labels1: (string | undefined)[] = [];
      const [y0, y1] = await run2(
        (ctx) => heLinearClient(recording(ctx, labels0), client, plans, xs),
        (ctx) => heLinearServer(recording(ctx, labels1), server, plans, ws),
        'linear-two-jobs',
      );
      shapes.forEach((s, i) =>
        expect(open(y0[i] as BigUint64Array, y1[i] as BigUint64Array)).toEqual(
          plainLayer(s, xs[i] as BigUint64Array, ws[i] as BigUint64Array),
        ),
      );
      expect(labels0).toEqual(['HE response ciphertexts']);
      expect(labels1).toEqual(['HE query ciphertexts']);
    },
    timeout(30_000),
  );

  /**
   * Kills L143 ConditionalExpression true and EqualityOperator `>= 1` (monomial kernels taken to NTT
   * form) and L164 ConditionalExpression true (kernel plaintexts transformed on the coefficient path).
   */
  it(
    'a 1×1 layer of monomial kernels multiplies in coefficient form: no NTT transform at all',
    async () => {
      const { plan, y, want, calls } = await layerCalls(pointwise(56, 1, 2, 2), 'linear-monomial');
      expect([plan.cc, plan.mc, plan.chunks, plan.outGroups]).toEqual([1, 1, 2, 2]);
      expect(y).toEqual(want);
      expect(calls.get('cipherTransformToNtt') ?? 0).toBe(0);
      expect(calls.get('plainTransformToNtt') ?? 0).toBe(0);
      expect(calls.get('cipherTransformFromNtt') ?? 0).toBe(0);
      expect(calls.get('multiplyPlain')).toBe(plan.chunks * plan.outGroups);
    },
    timeout(30_000),
  );

  /**
   * Kills L143 ConditionalExpression false and EqualityOperator `<= 1` (a dense layer multiplied in
   * coefficient form): every query goes to NTT form once, every kernel once, every response back once.
   */
  it(
    'a dense layer multiplies in NTT form: each query and kernel transformed once',
    async () => {
      const shape = matmulShape(2, 5, 3);
      const { plan, y, want, calls } = await layerCalls(shape, 'linear-dense');
      expect(y).toEqual(want);
      expect(calls.get('cipherTransformToNtt')).toBe(plan.queries);
      expect(calls.get('plainTransformToNtt')).toBe(plan.chunks * plan.outGroups);
      expect(calls.get('cipherTransformFromNtt')).toBe(plan.responses);
    },
    timeout(30_000),
  );

  /**
   * Kills L34 ArithmeticOperator (the output size), L166 and L196 ArithmeticOperator ×3 each (the
   * query read and the response written for b, g > 0) and L173 ConditionalExpression true and L174
   * BlockStatement (the second chunk's NTT product added to the first, not written over it): batch 2,
   * 2 groups, 2 channel chunks and 2 responses per (batch, group), on the NTT path.
   */
  it(
    'batch 2, 2 groups, 2 chunks, 2 responses each: NTT sums over chunks reconstruct to the layer',
    async () => {
      const { plan, y, want, calls } = await layerCalls(pointwise(32, 2, 5, 2, 2), 'linear-grouped');
      expect([plan.cc, plan.chunks, plan.mc, plan.outGroups]).toEqual([4, 2, 1, 2]);
      expect(y.length).toBe(2 * 2 * 2 * 32 * 32);
      expect(y).toEqual(want);
      expect(calls.get('cipherTransformToNtt')).toBe(plan.queries);
    },
    timeout(30_000),
  );

  /**
   * Kills L70, L107, L200 and L207 BlockStatement (the finally blocks) and L201 and L208
   * ArrayDeclaration (the lists of objects deleted), on a dense layer of batch 2 (NTT sums made).
   */
  it(
    'every SEAL ciphertext and plaintext either party makes is deleted exactly once',
    async () => {
      const c = tracked(client.seal, ['CipherText', 'PlainText']);
      const s = tracked(server.seal, ['CipherText', 'PlainText']);
      const shape = matmulShape(2, 3, 2);
      const plan = planConv(shape);
      const [x0, w] = [values(shape.batch * shape.cg, 5n), values(shape.mg * shape.cg, 9n)];
      const [y0, y1] = await run2(
        (ctx) => heLinearClient(ctx, { ...client, seal: c.view }, [plan], [x0]),
        (ctx) => heLinearServer(ctx, { ...server, seal: s.view }, [plan], [w]),
        'linear-deletes',
      );
      expect(open(y0[0] as BigUint64Array, y1[0] as BigUint64Array)).toEqual(plainLayer(shape, x0, w));
      const kinds = (made: readonly { kind: string }[], kind: string): number =>
        made.filter((m) => m.kind === kind).length;
      expect([kinds(c.made, 'CipherText'), kinds(c.made, 'PlainText')]).toEqual([1, 2]);
      expect([kinds(s.made, 'CipherText'), kinds(s.made, 'PlainText')]).toEqual([
        1 + plan.queries + 2 * shape.batch,
        2,
      ]);
      for (const m of [...c.made, ...s.made]) expect(m.deletes, m.kind).toBe(1);
    },
    timeout(30_000),
  );

  /** Kills L125 ConditionalExpression false, L127 and L128 StringLiteral, L128 ArithmeticOperator. */
  it('P1 refuses queries of the wrong length with a decode error naming both lengths', async () => {
    const plan = planConv(matmulShape(3, 2, 2));
    await expectCryptflowRejection(
      () =>
        run2(
          sendsQuery(new Uint8Array(HE_SIZES.query)),
          (ctx) => heLinearServer(ctx, server, [plan], [values(4, 3n)]),
          'linear-short-query',
        ),
      'decode',
      `HE queries from P0: expected ${3 * HE_SIZES.query} bytes, got ${HE_SIZES.query}`,
    );
  });

  /** Kills L152 BlockStatement and L153 StringLiteral ×2. */
  it('P1 refuses a query of the right length that is not a ciphertext', async () => {
    const plan = planConv(matmulShape(1, 2, 2));
    await expectCryptflowRejection(
      () =>
        run2(
          sendsQuery(new Uint8Array(HE_SIZES.query).fill(0x5a)),
          (ctx) => heLinearServer(ctx, server, [plan], [values(4, 3n)]),
          'linear-bad-query',
        ),
      'decode',
      /^an HE query from P0 is not a valid ciphertext for these parameters$/,
    );
  });

  /** Kills L75 ConditionalExpression false, L77 and L78 StringLiteral, L78 ArithmeticOperator. */
  it('P0 refuses responses of the wrong length with a decode error naming both lengths', async () => {
    const plan = planConv(matmulShape(3, 2, 2));
    await expectCryptflowRejection(
      () =>
        run2(
          (ctx) => heLinearClient(ctx, client, [plan], [values(6, 3n)]),
          answers(new Uint8Array(HE_SIZES.response)),
          'linear-short-response',
        ),
      'decode',
      `HE responses from P1: expected ${3 * HE_SIZES.response} bytes, got ${HE_SIZES.response}`,
    );
  });

  /** Kills L92 BlockStatement and L94 and L95 StringLiteral. */
  it('P0 refuses a response of the right length that is not a ciphertext', async () => {
    const plan = planConv(matmulShape(1, 2, 2));
    await expectCryptflowRejection(
      () =>
        run2(
          (ctx) => heLinearClient(ctx, client, [plan], [values(2, 3n)]),
          answers(new Uint8Array(HE_SIZES.response).fill(0x5a)),
          'linear-bad-response',
        ),
      'decode',
      /^an HE response from P1 is not a valid ciphertext for these parameters$/,
    );
  });

  /** Kills L100 ConditionalExpression false, EqualityOperator (budget < 0) and StringLiteral. */
  it(
    'P0 stops with a defect on a response with no noise budget left (SEAL reports 0, never less)',
    async () => {
      const plan = planConv(matmulShape(1, 2, 1));
      expect([plan.queries, plan.responses]).toEqual([1, 1]);
      const spent = spentResponder(server, client, (k) => values(POLY_DEGREE, BigInt(211 + k)));
      await expectDefect(
        () => run2((ctx) => heLinearClient(ctx, client, [plan], [values(2, 5n)]), spent, 'linear-spent'),
        'an HE response has no noise budget left (parameters too small for the layer)',
      );
    },
    timeout(30_000),
  );

  /** Kills L66 ConditionalExpression false and StringLiteral. */
  it("P0 stops with a defect when SEAL's query ciphertext is not the pinned size", async () => {
    const plan = planConv(matmulShape(1, 2, 1));
    await expectDefect(
      () => heLinearClient(loneParty(0, 16, 'linear-long-query'), longQueries(client), [plan], [values(2, 5n)]),
      `a query ciphertext of ${HE_SIZES.query + 1} bytes`,
    );
  });

  /** Kills L195 ConditionalExpression false and StringLiteral. */
  it(
    "P1 stops with a defect when SEAL's response ciphertext is not the pinned size",
    async () => {
      const s = tracked(server.seal, ['CipherText', 'PlainText'], (ct) => {
        const target = ct as Deletable & { saveArray(m: unknown): Uint8Array };
        const save = target.saveArray.bind(target);
        target.saveArray = (m: unknown) => oneMore(save(m));
      });
      const plan = planConv(matmulShape(1, 2, 1));
      await expectDefect(
        () =>
          run2(
            (ctx) => heLinearClient(ctx, client, [plan], [values(2, 5n)]),
            (ctx) => heLinearServer(ctx, { ...server, seal: s.view }, [plan], [values(2, 7n)]),
            'linear-long-response',
          ),
        `a response ciphertext of ${HE_SIZES.response + 1} bytes`,
      );
    },
    timeout(30_000),
  );

  /** Kills L57 StringLiteral: P0 given more jobs than inputs stops before it sends anything. */
  it('P0 stops with a defect on a job without its input', async () => {
    const plan = planConv(matmulShape(1, 2, 1));
    await expectDefect(
      () => heLinearClient(loneParty(0, 16, 'linear-no-input'), client, [plan, plan], [values(2, 5n)]),
      'a job without its input',
    );
  });

  /** Kills L140 StringLiteral: P1 given more jobs than weights stops at the job without them. */
  it('P1 stops with a defect on a job without its weights', async () => {
    const plan = planConv(matmulShape(1, 2, 1));
    await expectDefect(
      () =>
        run2(
          (ctx) => heLinearClient(ctx, client, [plan, plan], [values(2, 5n), values(2, 6n)]),
          (ctx) => heLinearServer(ctx, server, [plan, plan], [values(2, 7n)]),
          'linear-no-weights',
        ),
      'a job without its weights',
    );
  });
});
