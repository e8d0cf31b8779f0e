/**
 * Scale selection (passes/float-to-fixed/scale.ts): per scale, measured agreement and errors stay
 * within what the analysis predicts; the chosen scale follows the stated rule; scales that cannot be
 * compiled or may overflow are listed and never chosen.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hlilBuilder } from '../../ir/builder.js';
import { sweepScales, type ScaleRow } from '../../passes/float-to-fixed/scale.js';
import { cnnProgram, withWeights } from '../arbitraries/hlil-patterns.js';

function classifier() {
  const b = hlilBuilder();
  const x = b.input('x', [1, 6], 'client');
  const h = b.relu(b.matmul(x, b.input('W1', [6, 5], 'server')));
  const logits = b.add(b.matmul(h, b.input('W2', [5, 3], 'server')), b.input('b2', [3], 'server'));
  b.output(b.argmax(logits, 1, false), 'client');
  b.output(b.softmax(logits, 1), 'client');
  return b.build();
}

const rng = (seed: number) => () => {
  seed = (seed * 48271) % 2147483647;
  return seed / 2147483647;
};
const vec = (r: () => number, n: number, scale: number): Float32Array =>
  Float32Array.from({ length: n }, () => (2 * r() - 1) * scale);

function sweepInput() {
  const r = rng(7);
  const weights = new Map([
    ['W1', vec(r, 30, 1)],
    ['W2', vec(r, 15, 1)],
    ['b2', vec(r, 3, 0.5)],
  ]);
  const calibration = Array.from({ length: 12 }, () => new Map([['x', vec(r, 6, 2)]]));
  return { program: classifier(), weights, calibration };
}

function chosenByRule(rows: readonly ScaleRow[]): number | null {
  const ok = rows.filter((r) => r.status === 'ok' && r.predictedOverflow === false);
  const top = Math.max(...ok.map((r) => r.top1Agreement ?? 0));
  const atTop = ok.filter((r) => (r.top1Agreement ?? 0) === top);
  const err = Math.min(...atTop.map((r) => r.maxAbsError ?? Infinity));
  return (
    atTop
      .filter((r) => r.maxAbsError === err)
      .map((r) => r.scale)
      .sort((a, b) => a - b)[0] ?? null
  );
}

describe('scale sweep', () => {
  it('ℓ = 32, scales 2..20: errors fall with the scale, overflow is predicted near the top, refusal past 2s ≥ ℓ', () => {
    const { program, weights, calibration } = sweepInput();
    const sweep = sweepScales({ program, weights }, calibration, { scales: [2, 20], ell: 32, kernels: 'reference' });
    expect(sweep.rows.map((r) => r.scale)).toEqual(Array.from({ length: 19 }, (_, i) => i + 2));
    const ok = sweep.rows.filter((r) => r.status === 'ok');
    const refused = sweep.rows.filter((r) => r.status === 'refused');
    expect(refused.map((r) => r.scale)).toEqual([16, 17, 18, 19, 20]);
    expect(refused[0]?.note).toMatch(/scale/);
    for (const r of ok) {
      if (!r.predictedOverflow) expect(r.maxAbsError).toBeLessThanOrEqual(r.errorBound ?? 0);
      expect(r.top1Agreement).toBeGreaterThanOrEqual(0);
    }
    expect(ok.some((r) => r.predictedOverflow)).toBe(true);
    const err = (s: number): number => ok.find((r) => r.scale === s)?.maxAbsError ?? NaN;
    expect(err(12)).toBeLessThan(err(4));
    expect(sweep.best).toBe(chosenByRule(sweep.rows));
    expect(sweep.rows.find((r) => r.scale === sweep.best)?.predictedOverflow).toBe(false);
    expect(sweep.rows.find((r) => r.scale === sweep.best)?.top1Agreement).toBe(1);
  });

  it('says why there is no best scale when every scale may overflow', () => {
    const { program, weights, calibration } = sweepInput();
    const sweep = sweepScales({ program, weights }, calibration, {
      scales: [10, 12],
      ell: 24,
      inputRange: { lo: -1e4, hi: 1e4 },
      kernels: 'reference',
    });
    expect(sweep.best).toBeNull();
    expect(sweep.note).toMatch(/may overflow/);
  });

  it('random CNNs: measured errors within the analysed bound wherever no overflow is predicted', () => {
    fc.assert(
      fc.property(withWeights(cnnProgram(4), -1, 1), (w) => {
        const sweep = sweepScales({ program: w.program, weights: w.weights }, [w.inputs], {
          scales: [6, 14],
          ell: 40,
          placement: 'lazy',
          inputRange: { lo: -1, hi: 1 },
        });
        for (const r of sweep.rows)
          if (r.status === 'ok' && !r.predictedOverflow) expect(r.maxAbsError).toBeLessThanOrEqual(r.errorBound ?? 0);
        expect(sweep.best).toBe(chosenByRule(sweep.rows));
      }),
      { numRuns: 15 },
    );
  });

  it('refuses an empty calibration set and a bad range', () => {
    const { program, weights } = sweepInput();
    expect(() => sweepScales({ program, weights }, [])).toThrow(/at least one calibration input/);
    expect(() =>
      sweepScales({ program, weights }, [new Map([['x', new Float32Array(6)]])], { scales: [9, 3] }),
    ).toThrow(/scale range/);
  });
});
