/**
 * When a run's output may be wrong (harness/cli/safety.ts): each reason on its own, which backends each
 * applies to (local truncation; each backend's comparison domain), and how probability bounds and
 * thresholds are written.
 */
import { describe, expect, it } from 'vitest';
import {
  maxFailureOf,
  probabilityText,
  probabilityValue,
  rangeOf,
  safetyIssues,
  thresholdText,
  wrapClause,
} from '../../../harness/cli/safety.js';
import type { BackendName, InferenceResult } from '../../../harness/runner/inference.js';

interface Fake {
  backend?: BackendName;
  overflow?: number;
  domain?: number;
  p?: number;
  outside?: boolean;
  analysed?: { lo: number; hi: number };
}

/** Only the fields the checks read. */
function result(f: Fake): InferenceResult {
  const r = {
    backend: f.backend ?? 'porthos',
    plan: {
      params: { scale: 12 },
      program: {
        ell: 64,
        nodes: Array.from({ length: f.domain ?? 0 }, (_, i) => ({ op: 'Relu', out: `r${i}`, x: `c${i}` })),
      },
    },
    range: {
      inputRange: f.analysed ?? { lo: 0, hi: 1 },
      overflow: Array.from({ length: f.overflow ?? 0 }, (_, i) => ({ value: `v${i}`, op: 'Conv', bits: 66 })),
      domain: Array.from({ length: f.domain ?? 0 }, (_, i) => ({
        node: `r${i}`,
        op: 'Relu',
        value: `c${i}`,
        bits: 64,
        allowed: 63,
      })),
      truncation: { probability: f.p ?? 1e-9 },
    },
    outputs: [
      {
        name: 'y',
        withinBound: f.outside !== true,
        boundKind: 'value',
        bound: 0.01,
        maxAbsDiff: f.outside === true ? 0.5 : 0.001,
      },
    ],
  };
  return r as unknown as InferenceResult;
}

const kinds = (f: Fake, actual = { lo: 0, hi: 1 }, maxFailure = 1e-6): string[] =>
  safetyIssues(result(f), { maxFailure, actual }).map((i) => i.kind);

describe('safety checks', () => {
  it('a result within every guarantee has no issue', () => {
    expect(kinds({})).toEqual([]);
  });

  it('each reason on its own, each message saying what to change', () => {
    expect(kinds({}, { lo: -0.5, hi: 1 })).toEqual(['input-range']);
    expect(kinds({ overflow: 2 })).toEqual(['overflow']);
    expect(kinds({ domain: 1 })).toEqual(['domain']);
    expect(kinds({ p: 2e-6 })).toEqual(['truncation']);
    expect(kinds({ p: 2e-6 }, { lo: 0, hi: 1 }, 1e-5)).toEqual([]);
    expect(kinds({ outside: true })).toEqual(['outside-bound']);
    for (const i of safetyIssues(result({ overflow: 1, domain: 1, p: 5, outside: true }), {
      maxFailure: 1e-6,
      actual: { lo: 0, hi: 2 },
    })) {
      expect(i.message).toMatch(/--scale|--input-range/);
    }
  });

  it("the truncation check applies to local truncation only, the domain check to each backend's own domain", () => {
    expect(kinds({ backend: 'plaintext', p: 0.5, domain: 3 })).toEqual([]);
    expect(kinds({ backend: 'cryptflow2', p: 0.5, domain: 3 })).toEqual([]);
    expect(kinds({ backend: 'ideal', p: 0.5, domain: 3 })).toEqual(['truncation']);
    expect(kinds({ backend: 'securenn', p: 0.5, domain: 3 })).toEqual(['domain', 'truncation']);
  });

  it('probability bounds ≥ 1 are "no guarantee"; thresholds as given', () => {
    expect(probabilityText(16.5)).toBe('no guarantee');
    expect(probabilityText(1)).toBe('no guarantee');
    expect(probabilityText(Infinity)).toBe('no guarantee');
    expect(probabilityText(4.62e-7)).toBe('4.62e-7');
    expect(probabilityText(0)).toBe('0');
    expect(probabilityValue(64000)).toBe(1);
    expect(wrapClause(16.5)).toBe('P(some local truncation wraps): no guarantee (the union bound is ≥ 1)');
    expect(wrapClause(1e-8)).toBe('P(some local truncation wraps) ≤ 1.00e-8');
    expect([thresholdText(1e-6), thresholdText(0.01), thresholdText(1)]).toEqual(['1e-6', '0.01', '1']);
    expect(maxFailureOf(undefined)).toBe(1e-6);
    expect(maxFailureOf('1e-9')).toBe(1e-9);
    for (const bad of ['2', '-1', 'x', ''])
      expect(() => maxFailureOf(bad)).toThrow(/--max-failure needs a probability in \[0, 1\]/);
    expect(
      rangeOf(
        new Map([
          ['a', Float32Array.of(3, -1)],
          ['b', Float32Array.of(2)],
        ]),
      ),
    ).toEqual({ lo: -1, hi: 3 });
  });
});
