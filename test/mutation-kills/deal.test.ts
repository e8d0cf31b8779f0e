/**
 * Mutation kills for protocols/securenn-family/nonlinear/deal.ts, from the sweep of 2026-12-07
 * (proofs-notes/mutation.md). The protocols deal their Z_p parts as the elements whose bits they are
 * (`BitsOf`) and put ring parts last, so the suites never dealt a Z_p part given as plain values (its
 * complement loop, lines 128–135, had no coverage) nor a ring part followed by another part in the
 * 'one' mode (whose returned end offset, line 141, places the next part). Here `deal` and
 * `receiveDeal` run as their contract states, for any list of parts:
 *
 *   - in both modes, a message of four parts — an odd-ring part, plain Z_p values, a Z_{2^ℓ} part and
 *     a Z_p part given as BitsOf — reconstructs to every dealt value, each in its domain;
 *   - a BitsOf value array for a ring part, or for a Z_p part of other than ℓ values per element, is a
 *     defect naming the part (line 249);
 *   - a received Z_p part whose FIRST value is out of range is refused, naming element 0 (line 218).
 */
import { describe, expect, it } from 'vitest';
import { Field } from '../../spec/field.js';
import { expectDefect, loneParty } from './defect-support.js';
import { partyContext } from '../../protocols/common/context.js';
import type { Endpoint, HelperContext, HolderContext, PartyId } from '../../protocols/common/party.js';
import { keysFromSeed } from '../../protocols/common/prg.js';
import {
  deal,
  receiveDeal,
  type DealMode,
  type DealValues,
  type Part,
  type PartValues,
} from '../../protocols/securenn-family/nonlinear/deal.js';
import { run3Roles } from '../protocols/nonlinear/support.js';
import { expectCryptflowRejection } from './support.js';

const ELL = 16;
const N = 5;
const P = 67;
const PARTS: readonly Part[] = [
  { kind: 'ring', odd: true },
  { kind: 'field', field: Field(P), per: 3 },
  { kind: 'ring', odd: false },
  { kind: 'field', field: Field(P), per: ELL },
];
const ODD = (1n << BigInt(ELL)) - 1n;
const RING = 1n << BigInt(ELL);
const odd = BigUint64Array.from({ length: N }, (_, i) => (BigInt(i) * 40503n + 7n) % ODD);
const plain = Uint8Array.from({ length: 3 * N }, (_, i) => (i * 29 + 3) % P);
const ring = BigUint64Array.from({ length: N }, (_, i) => (BigInt(i) * 52501n + 11n) % RING);
const elements = BigUint64Array.from({ length: N }, (_, i) => (BigInt(i) * 30011n + 5n) % RING);
const VALUES: readonly DealValues[] = [odd, plain, ring, { bitsOf: elements }];

/** The values each part stands for, as numbers (BitsOf expanded: entry e·ℓ + k is bit k of element e). */
const expected: readonly (readonly bigint[])[] = [
  [...odd],
  [...plain].map(BigInt),
  [...ring],
  [...elements].flatMap((e) => Array.from({ length: ELL }, (_, k) => (e >> BigInt(k)) & 1n)),
];
const moduli: readonly bigint[] = [ODD, BigInt(P), RING, BigInt(P)];

const asBig = (v: PartValues | undefined): bigint[] => [...(v ?? [])].map((x) => BigInt(x));

describe('a deal of several parts reconstructs, part by part', () => {
  it.each(['both', 'one'] as const)('mode %s', async (mode: DealMode) => {
    const run = await run3Roles(
      ELL,
      `deal-${mode}`,
      (ctx) => receiveDeal(ctx, mode, N, PARTS, 'deal under test'),
      async (ctx) => deal(ctx, mode, N, PARTS, VALUES),
    );
    const [s0, s1] = [run.p0 as PartValues[], run.p1 as PartValues[]];
    PARTS.forEach((_, i) => {
      const m = moduli[i] as bigint;
      const a = asBig(s0[i]);
      const b = asBig(s1[i]);
      expect(a.length, `part ${i}`).toBe(expected[i]?.length);
      expect(a.every((x) => x < m) && b.every((x) => x < m), `part ${i} in its domain`).toBe(true);
      expect(
        a.map((x, j) => (x + (b[j] as bigint)) % m),
        `part ${i}`,
      ).toEqual(expected[i]);
    });
  });
});

describe('BitsOf only for Z_p parts of ℓ values per element', () => {
  const lone = (id: PartyId): HelperContext => loneParty(id, ELL, 'deal') as HelperContext;

  it.each([
    { what: 'a ring part', part: { kind: 'ring', odd: false } as Part },
    { what: 'a Z_p part of 3 per element', part: { kind: 'field', field: Field(P), per: 3 } as Part },
  ])('$what is refused', async ({ part }) => {
    await expectDefect(
      () => deal(lone(2), 'both', N, [{ kind: 'ring', odd: false }, part], [ring, { bitsOf: elements }]),
      'part 1 is not ℓ bits per element',
    );
  });
});

describe('a received Z_p part is range-checked from its first value', () => {
  it('p as the first value is refused, naming element 0', async () => {
    const endpoint: Endpoint = { send: () => undefined, recv: () => Promise.resolve(Uint8Array.of(P, 0, 1)) };
    const ctx = partyContext(1, ELL, endpoint, keysFromSeed('deal')[1]) as HolderContext;
    const part: Part = { kind: 'field', field: Field(P), per: 3 };
    await expectCryptflowRejection(
      () => receiveDeal(ctx, 'both', 1, [part], 'deal step'),
      'decode',
      'message from P2 (deal step): element 0 is out of range',
    );
  });
});
