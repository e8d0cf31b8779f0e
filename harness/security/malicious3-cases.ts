/**
 * The malicious backend's protocols as simulation cases (malicious3.ts), at k = 4, s = 4 (Z_{2^8}, one
 * byte per element): an input per party, a product, an opening of a masked value, the MAC check on
 * pending products, a reveal to each party, and ReLU (bit decomposition and the borrow circuit); and,
 * in `malicious3MoreCases`, exact truncation and ArgMax. The
 * honest inputs differ between A and B where a leak would show (signs, magnitudes, the integer
 * products' high bits); a revealed value is the same mod 2^k on A and B for its receiver, whoever is
 * corrupted (the functionality tells it that much).
 *
 * And two planted leaks, the real code with one step changed in the honest parties' sessions:
 *   - product shares whose zero-sharing leaves out the honest pair's PRG term (`Session.zeta`
 *     overridden), so the corrupted party can unmask the share it receives;
 *   - a reveal to the corrupted party without the high-bit mask (`Session.revealMask` overridden;
 *     drawn, not added, so the PRG streams stay in step): the honest parties send the components of x itself, so its receiver learns the
 *     s high bits of x (the integer product's overflow here) — the reveal as it was before these tests.
 */
import { relu, truncate } from '../../protocols/malicious3/bits.js';
import { argmaxTree } from '../../protocols/malicious3/trees.js';
import type { PartyContext, PartyId } from '../../protocols/common/party.js';
import { sub, zeros, type Z128 } from '../../protocols/malicious3/ring.js';
import { auth, drawZ, next, prev, type Auth, type M3Params, type Rss } from '../../protocols/malicious3/rss.js';
import { Session } from '../../protocols/malicious3/session.js';
import type { M3Case } from './malicious3.js';

const K = 4;
const S = 4;

const mod = (v: bigint): bigint => BigInt.asUintN(K, v);
const signed = (v: bigint): bigint => BigInt.asIntN(K, v);

/** x (P0) and y (P1), chosen so that x·y mod 2^k is the same on A and B for every corrupted party. */
const X = { owner: 0 as PartyId, A: [4n, 1n, 3n], B: [4n, 5n, 11n] };
const Y = { owner: 1 as PartyId, A: [1n, 4n, 8n], B: [5n, 4n, 8n] };

const product = (v: readonly (readonly bigint[])[]): bigint[] =>
  (v[0] ?? []).map((x, i) => mod(signed(x) * signed(v[1]?.[i] ?? 0n)));

export function malicious3Cases(): M3Case[] {
  const base = { k: K, s: S };
  return [
    {
      ...base,
      name: 'input (one per party)',
      inputs: [X, Y, { owner: 2, A: [7n, 0n], B: [9n, 15n] }],
      body: async () => {},
    },
    {
      ...base,
      name: 'product x·y',
      inputs: [X, Y],
      body: async (st, [x, y]) => {
        await st.mult([{ x: x as Auth, y: y as Auth }]);
      },
    },
    {
      ...base,
      name: 'opening of x + r (r random)',
      inputs: [X],
      body: async (st, [x]) => {
        const r = await st.random(3);
        await st.openChecked([auth.add(st.m, x as Auth, r)]);
      },
    },
    {
      ...base,
      name: 'MAC check of two layers of products',
      inputs: [X, Y],
      body: async (st, [x, y]) => {
        const [z] = await st.mult([{ x: x as Auth, y: y as Auth }]);
        await st.mult([{ x: z as Auth, y: x as Auth }]);
        await st.verify();
      },
    },
    revealCase('reveal of x·y to P0, P1, P2'),
    {
      ...base,
      name: 'ReLU (bit decomposition, borrows)',
      inputs: [{ owner: 0, A: [3n, 12n], B: [13n, 5n] }],
      body: async (st, [x]) => {
        await relu(st, x as Auth);
      },
    },
  ];
}

/** Further cases (truncation, ArgMax): run for every corrupted party under CRYPTFLOW_SLOW, for P1 otherwise. */
export function malicious3MoreCases(): M3Case[] {
  return [
    {
      k: K,
      s: S,
      name: 'exact truncation by 2^1',
      inputs: [{ owner: 0, A: [3n, 12n], B: [13n, 5n] }],
      body: async (st, [x]) => {
        await truncate(st, x as Auth, 1);
      },
    },
    {
      k: K,
      s: S,
      name: 'ArgMax of two columns (inputs within ±2^{k−2})',
      inputs: [
        { owner: 0, A: [1n, 14n], B: [3n, 2n] },
        { owner: 2, A: [3n, 2n], B: [1n, 14n] },
      ],
      body: async (st, [x, y]) => {
        await argmaxTree(st, [x as Auth, y as Auth], 2);
      },
    },
  ];
}

function revealCase(name: string): M3Case {
  return {
    name,
    k: K,
    s: S,
    inputs: [X, Y],
    body: async (st, [x, y]) => {
      const [z] = await st.mult([{ x: x as Auth, y: y as Auth }]);
      for (const to of [0, 1, 2] as PartyId[]) await st.revealTo(z as Auth, to);
    },
    reveals: ([0, 1, 2] as PartyId[]).map((to) => ({ to, value: product })),
  };
}

/**
 * The two honest parties leave the term of the PRG they share out of their zero-sharing shares
 * (ζ_h = ±F(k_{h,c}) only: still a sharing of zero, but one the corrupted party c can compute).
 */
class NoZeroShare extends Session {
  constructor(
    ctx: PartyContext,
    params: M3Params,
    private readonly corrupted: PartyId,
  ) {
    super(ctx, params);
  }

  protected override zeta(n: number): Z128 {
    const m = this.m;
    const plus = drawZ(this.ctx.shared(next(this.id)), m, n);
    const minus = drawZ(this.ctx.shared(prev(this.id)), m, n);
    return sub(
      m,
      next(this.id) === this.corrupted ? plus : zeros(n),
      prev(this.id) === this.corrupted ? minus : zeros(n),
    );
  }
}

/** The honest parties leave the high-bit mask out (drawn, not added) of what they send the corrupted party. */
class UnmaskedReveal extends Session {
  private toCorrupted = false;

  constructor(
    ctx: PartyContext,
    params: M3Params,
    private readonly corrupted: PartyId,
  ) {
    super(ctx, params);
  }

  override revealTo(x: Auth, to: PartyId): Promise<Z128 | null> {
    this.toCorrupted = to === this.corrupted;
    return super.revealTo(x, to);
  }

  protected override revealMask(n: number): Rss {
    const mask = super.revealMask(n);
    return this.toCorrupted ? { a: zeros(n), b: zeros(n) } : mask;
  }
}

export const malicious3Leaks: readonly { readonly name: string; readonly case: M3Case }[] = [
  {
    name: 'product shares without their zero-sharing',
    case: {
      ...(malicious3Cases()[1] as M3Case),
      name: 'product x·y, shares unmasked',
      honestSession: (ctx, p, c) => new NoZeroShare(ctx, p, c),
    },
  },
  {
    name: 'reveal without the high-bit mask',
    case: {
      ...revealCase('reveal of x·y, high bits unmasked'),
      honestSession: (ctx, p, c) => new UnmaskedReveal(ctx, p, c),
    },
  },
];
