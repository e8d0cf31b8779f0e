/**
 * Liveness (passes/hlil/liveness.ts): the freed sets and the held bytes agree with a direct count of
 * the memory model on random programs (HLIL at 4 bytes per element, the compiled LLIL at ⌈ℓ/8⌉), and a
 * logistic-regression program gives the numbers worked out by hand.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numel } from '../../../spec/geometry.js';
import { checkHlil } from '../../../ir/check.js';
import type { HProgram } from '../../../ir/hlil.js';
import type { LProgram } from '../../../ir/llil.js';
import { operandsOf } from '../../../ir/traverse.js';
import { parseProgram } from '../../../harness/io/program.js';
import { floatToFixed } from '../../../passes/float-to-fixed/program.js';
import { liveness, livenessPass, llilLiveness } from '../../../passes/hlil/liveness.js';
import { hlilProgram } from '../../arbitraries/hlil.js';
import { cnnProgram } from '../../arbitraries/hlil-patterns.js';

/** The memory model counted directly: at node i, every value alive during it. */
function heldDuring(p: HProgram | LProgram, bytes: (v: string) => number): number[] {
  const outs = new Set(p.outputs.map((o) => o.name));
  const lastUse = (v: string): number => p.nodes.reduce((a, n, i) => (operandsOf(n).includes(v) ? i : a), -1);
  const defined = (v: string): number => p.nodes.findIndex((n) => n.out === v);
  const names = [...p.decls.map((d) => d.name), ...p.nodes.map((n) => n.out)];
  return p.nodes.map((_, i) =>
    names
      .filter((v) => {
        const def = defined(v);
        if (def > i) return false;
        if (def === i || outs.has(v)) return true;
        return lastUse(v) >= i;
      })
      .reduce((a, v) => a + bytes(v), 0),
  );
}

describe('liveness', () => {
  it('matches a direct count on random HLIL programs (float32)', () => {
    fc.assert(
      fc.property(fc.oneof(hlilProgram({ maxNodes: 8 }), cnnProgram(5)), (p) => {
        const r = livenessPass({ program: p, weights: new Map() }).report;
        const info = checkHlil(p);
        if (info._tag === 'Left') throw new Error('ill-typed');
        const held = heldDuring(p, (v) => 4 * numel(info.right.shapeOf(v)));
        expect(r.steps.map((s) => s.liveBytes)).toEqual(held);
        expect(r.peakBytes).toBe(Math.max(r.initialBytes, ...held));
        const outs = new Set(p.outputs.map((o) => o.name));
        const freed = r.steps.flatMap((s) => s.freed);
        expect(new Set(freed).size).toBe(freed.length);
        for (const v of freed) expect(outs.has(v)).toBe(false);
        r.steps.forEach((s, i) => {
          for (const v of s.freed) {
            const later = p.nodes.slice(i + 1).some((n) => operandsOf(n).includes(v));
            expect(later).toBe(false);
          }
        });
      }),
      { numRuns: 60 },
    );
  });

  it('matches a direct count on compiled LLIL at ⌈ℓ/8⌉ bytes per element', () => {
    fc.assert(
      fc.property(hlilProgram({ maxNodes: 6 }), fc.constantFrom(64, 32, 20), (p, ell) => {
        const plan = floatToFixed(p, { ell, scale: 6 });
        const r = llilLiveness(plan.program);
        expect(r.bytesPerElement).toBe(Math.ceil(ell / 8));
        const shapes = new Map([
          ...plan.program.decls.map((d) => [d.name, d.shape] as const),
          ...plan.program.nodes.map((n) => [n.out, n.type.shape] as const),
        ]);
        expect(r.steps.map((s) => s.liveBytes)).toEqual(
          heldDuring(plan.program, (v) => r.bytesPerElement * numel(shapes.get(v) ?? [])),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('logistic regression, by hand', () => {
    const l = parseProgram(
      'hlil\ninput x : f32[1,16] @client\ninput W : f32[16,3] @server\ninput b : f32[3] @server\nxW = MatMul(x, W)\nxWb = Add(xW, b)\ncls = ArgMax(xWb) axis=1 keepdims=false\np = Softmax(xWb) axis=1\noutput cls -> client\noutput p -> client\n',
      'logreg',
    );
    if (l.ir !== 'hlil') throw new Error('not HLIL');
    const r = liveness(l.program, (v) => l.info.shapeOf(v), 4);
    expect(r.initialBytes).toBe(64 + 192 + 12);
    expect(r.steps.map((s) => [s.node, s.liveBytes, s.freed])).toEqual([
      ['xW', 280, ['x', 'W']],
      ['xWb', 36, ['b', 'xW']],
      ['cls', 16, []],
      ['p', 28, ['xWb']],
    ]);
    expect([r.peakBytes, r.peakAt, r.totalBytes]).toEqual([280, 'xW', 268 + 12 + 12 + 4 + 12]);
  });
});
