/**
 * The simulator's contract as a type (harness/security/knowledge.ts): a CorruptedKnowledge holds the
 * corrupted party's id, ring width, keys, input and ideal output — nothing else — and only
 * `corruptedKnowledge` makes one; the cases build it with P_c's own keys and an input that is the same
 * on both input sets, and their simulators start from it.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  commonCases,
  corruptedKnowledge,
  labelPrg,
  privateCompareCase,
  productCase,
  sharingCase,
  smallVariant,
  variantCases,
  viewKeys,
  type CorruptedKnowledge,
  type Simulator,
} from '../../harness/security/index.js';
import { PORTHOS } from '../../protocols/securenn-family/nonlinear/variant.js';
import type { PartyKeys, Prg } from '../../protocols/common/prg.js';
import type { PartyId } from '../../protocols/common/party.js';
import type { TypedView } from '../../harness/security/typed.js';
import { InvariantViolation } from '../../spec/errors.js';

const keysOf = (c: PartyId): PartyKeys => viewKeys(c, 'knowledge|fixed', 'knowledge|honest')[c];

describe('CorruptedKnowledge', () => {
  it('has exactly the fields party, ell, keys, input, output (and the brand); a Simulator sees only it', () => {
    type K = CorruptedKnowledge<number, string>;
    expectTypeOf<K['party']>().toEqualTypeOf<PartyId>();
    expectTypeOf<K['keys']>().toEqualTypeOf<PartyKeys>();
    expectTypeOf<K['input']>().toEqualTypeOf<number>();
    expectTypeOf<K['output']>().toEqualTypeOf<string>();
    expectTypeOf<Extract<keyof K, string>>().toEqualTypeOf<'party' | 'ell' | 'keys' | 'input' | 'output'>();
    expectTypeOf<Parameters<Simulator<number, string>>>().toEqualTypeOf<[K, Prg]>();
    expectTypeOf<ReturnType<Simulator<number, string>>>().toEqualTypeOf<TypedView>();
    // @ts-expect-error — the brand: a literal with the same fields is not a CorruptedKnowledge.
    const forged: K = { party: 0, ell: 8, keys: keysOf(0), input: 1, output: 'x' };
    expect(forged.party).toBe(0);
    const made = corruptedKnowledge(0, 8, keysOf(0), 1, 'x');
    expectTypeOf(made).toEqualTypeOf<K>();
    expect(Object.isFrozen(made)).toBe(true);
  });

  it('refuses another party’s keys', () => {
    expect(() => corruptedKnowledge(1, 8, keysOf(0), null, null)).toThrow(InvariantViolation);
    expect(() => corruptedKnowledge(0, 8, keysOf(0), null, null)).not.toThrow();
  });

  it('every case at ℓ = 8 builds it for P_c with P_c’s keys; its simulator’s view depends only on it and the randomness', () => {
    for (const kase of [...commonCases(8), ...variantCases(PORTHOS, 8)]) {
      for (const c of [0, 1, 2] as const) {
        const keys = keysOf(c);
        const setup = kase.setup(c, keys);
        const k = setup.knowledge;
        expect(k, `${kase.name} P${c}`).toBeDefined();
        expect(k?.party).toBe(c);
        expect(k?.ell).toBe(8);
        expect(k?.keys).toBe(keys);
        const again = kase.setup(c, keys);
        expect(JSON.stringify(again.simulate(labelPrg('same')))).toBe(JSON.stringify(setup.simulate(labelPrg('same'))));
      }
    }
  });

  it('holds the corrupted party’s input alone: its shares (product), its own values (sharing), β′ for P2 (PrivateCompare)', () => {
    const product = productCase(8);
    expect((product.setup(2, keysOf(2)).knowledge?.input as readonly unknown[]).length).toBe(0);
    expect((product.setup(0, keysOf(0)).knowledge?.input as readonly BigUint64Array[]).map((s) => s.length)).toEqual([
      3, 3,
    ]);
    const sharing = sharingCase(8).setup(0, keysOf(0)).knowledge?.input as {
      y: readonly bigint[];
      w: readonly bigint[];
    };
    expect([...sharing.y, ...sharing.w]).toEqual([0n, 0n, 0n, 0n]);
    expect(sharingCase(8).setup(2, keysOf(2)).knowledge?.input).toBeNull();
    const pc = privateCompareCase(smallVariant(PORTHOS, 8), 8);
    expect([...(pc.setup(2, keysOf(2)).knowledge?.output as Uint8Array)]).toEqual([0, 1, 1]);
    expect(pc.setup(2, keysOf(2)).knowledge?.input).toBeNull();
  });
});
