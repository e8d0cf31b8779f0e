/**
 * The label lattice (passes/secrecy/labels.ts): join is a semilattice (commutative, associative,
 * idempotent, PUBLIC its unit), monotone in the order public ⊑ model ⊑ secret{server} ⊑
 * secret{client,server}, and a model constant meeting a secret becomes the server's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  join,
  MODEL,
  PUBLIC,
  sameLabel,
  secret,
  showFinding,
  showLabel,
  showPath,
  type Label,
} from '../../../passes/secrecy/labels.js';

const LABELS: readonly Label[] = [PUBLIC, MODEL, secret('client'), secret('server'), secret('client', 'server')];
const label = fc.constantFrom(...LABELS);

/** a ⊑ b: joining b adds nothing. */
const below = (a: Label, b: Label): boolean => sameLabel(join(a, b), b);

describe('label lattice', () => {
  it('join is commutative, associative and idempotent, with PUBLIC as unit', () => {
    fc.assert(
      fc.property(label, label, label, (a, b, c) => {
        expect(sameLabel(join(a, b), join(b, a))).toBe(true);
        expect(sameLabel(join(join(a, b), c), join(a, join(b, c)))).toBe(true);
        expect(sameLabel(join(a, a), a)).toBe(true);
        expect(sameLabel(join(PUBLIC, a), a)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('join is an upper bound and monotone', () => {
    fc.assert(
      fc.property(label, label, label, (a, b, c) => {
        expect(below(a, join(a, b))).toBe(true);
        if (below(a, b)) expect(below(join(a, c), join(b, c))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('orders public ⊑ model ⊑ secret{server} ⊑ secret{client,server}; a model constant meeting the client becomes the server’s too', () => {
    expect(
      below(PUBLIC, MODEL) && below(MODEL, secret('server')) && below(secret('server'), secret('client', 'server')),
    ).toBe(true);
    expect(below(MODEL, secret('client'))).toBe(false);
    expect(showLabel(join(MODEL, secret('client')))).toBe('secret{client,server}');
    expect(showLabel(secret('server', 'client'))).toBe('secret{client,server}');
    expect(showLabel(join(MODEL, MODEL))).toBe('model');
  });

  it('paths and findings print source first, without values', () => {
    const path = [
      { kind: 'source', value: 'image', what: 'client input' },
      { kind: 'node', value: 'am_out', node: 'am', op: 'ArgMax' },
      { kind: 'node', value: 'r_out', node: 'r', op: 'Reshape' },
    ] as const;
    expect(showPath(path)).toBe("image (client input) → ArgMax 'am' → Reshape 'r'");
    expect(
      showFinding({ kind: 'shape', level: 'graph', node: 'r', op: 'Reshape', path, message: 'the shape leaks' }),
    ).toBe("the shape leaks; path: image (client input) → ArgMax 'am' → Reshape 'r'");
    expect(
      showFinding({ kind: 'missing-output', level: 'llil', node: 'y', op: 'output', path: [], message: 'no y' }),
    ).toBe('no y');
  });
});
