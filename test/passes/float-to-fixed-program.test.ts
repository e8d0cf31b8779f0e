/**
 * Whole-program float-to-fixed (passes/float-to-fixed/program.ts): the lowered program is well typed,
 * each party encodes only its own inputs, weight transforms are server-side, exact-only programs stay
 * exact end to end on grid inputs, and what cannot be lowered is refused with a CryptflowError.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../spec/errors.js';
import { FixedPoint } from '../../spec/fixed.js';
import { hlilBuilder } from '../../ir/builder.js';
import { checkLlil } from '../../ir/check.js';
import type { HProgram } from '../../ir/hlil.js';
import { floatSem } from '../../semantics/float.js';
import { fixedSem } from '../../semantics/fixed.js';
import { encodeInputs, floatToFixed } from '../../passes/float-to-fixed/program.js';
import { hlilProgram, type HlilStepOp } from '../arbitraries/hlil.js';
import { inputsArb } from './support.js';

const [ELL, S] = [64, 12];

function withInputs(arb: fc.Arbitrary<HProgram>, values: 'grid' | 'any') {
  return arb.chain((p) => inputsArb(p, S, 2, values).map((inp) => [p, inp] as const));
}

describe('floatToFixed on random programs', () => {
  it('lowers to a well-typed LLIL program; owners encode exactly their own inputs', () => {
    fc.assert(
      fc.property(withInputs(hlilProgram(), 'any'), ([p, inputs]) => {
        const plan = floatToFixed(p, { ell: ELL, scale: S });
        const checked = checkLlil(plan.program);
        expect(E.isRight(checked) ? [] : checked.left.map((e) => e.message)).toEqual([]);
        const owned = (o: 'client' | 'server') =>
          new Map(
            [...inputs].filter(([k]) => p.decls.some((d) => d.kind === 'input' && d.name === k && d.owner === o)),
          );
        const client = encodeInputs(plan, owned('client'), 'client');
        const server = encodeInputs(plan, owned('server'), 'server');
        const all = encodeInputs(plan, inputs);
        expect(new Map([...client, ...server])).toEqual(all);
        for (const d of plan.program.decls) {
          if (d.kind === 'input') expect((d.owner === 'client' ? client : server).has(d.name)).toBe(true);
        }
        const raw = fixedSem(plan.program, all);
        expect([...raw.keys()].sort()).toEqual(p.outputs.map((o) => o.name).sort());
      }),
    );
  });

  it('programs of exact operators are exact end to end on grid inputs', () => {
    const ops: HlilStepOp[] = [
      'Relu',
      'MaxPool',
      'Concat',
      'Pad',
      'Reshape',
      'Flatten',
      'Transpose',
      'Squeeze',
      'Add',
      'Sub',
      'BiasAdd',
    ];
    const fp = FixedPoint({ ell: ELL, scale: S });
    fc.assert(
      fc.property(withInputs(hlilProgram({ ops }), 'grid'), ([p, inputs]) => {
        const plan = floatToFixed(p, { ell: ELL, scale: S });
        const raw = fixedSem(plan.program, encodeInputs(plan, inputs));
        const float = floatSem(p, inputs);
        for (const o of plan.program.outputs) {
          if (o.post !== undefined) continue;
          expect(raw.get(o.name)).toEqual(fp.encodeTensor(float.get(o.name) ?? new Float32Array()));
        }
      }),
    );
  });
});

describe('weight transforms and refusals', () => {
  function bn(varOwner: 'server' | 'client' | 'const') {
    const b = hlilBuilder();
    const x = b.input('x', [1, 2], 'client');
    const v = varOwner === 'const' ? b.const('v', [2], [1, 4]) : b.input('v', [2], varOwner);
    b.output(
      b.batchNorm(x, {
        scale: b.input('g', [2], 'server'),
        bias: b.const('be', [2], [0.5, 0]),
        mean: b.const('m', [2], [0, 1]),
        var: v,
        epsilon: 0,
      }),
      'client',
    );
    return b.build();
  }

  it("BatchNorm's γ' = γ/√(σ²+ε) and β' = β − γ'μ are server inputs the server computes alone", () => {
    const plan = floatToFixed(bn('server'), { ell: ELL, scale: S });
    const server = encodeInputs(
      plan,
      new Map([
        ['g', Float32Array.of(3, 2)],
        ['v', Float32Array.of(1, 4)],
      ]),
      'server',
    );
    const fp = FixedPoint({ ell: ELL, scale: S });
    const fp2 = FixedPoint({ ell: ELL, scale: 2 * S });
    const gamma = plan.derived.find((d) => d.transform.kind === 'bn-scale');
    const beta = plan.derived.find((d) => d.transform.kind === 'bn-shift');
    expect([gamma?.owner, beta?.owner]).toEqual(['server', 'server']);
    expect(server.get(gamma?.name ?? '')).toEqual(fp.encodeTensor([3, 1]));
    expect(server.get(beta?.name ?? '')).toEqual(fp2.encodeTensor([0.5, -1]));
    expect([...server.keys()].sort()).toEqual([gamma?.name, beta?.name].sort());
  });

  it('refuses a BatchNorm whose parameters belong to both parties', () => {
    expect(() => floatToFixed(bn('client'), { ell: ELL, scale: S })).toThrow(CryptflowError);
  });

  it('public-only transforms become constants; Div by a constant multiplies by its encoded reciprocal', () => {
    const b = hlilBuilder();
    b.output(b.div(b.input('x', [2], 'client'), b.const('c', [2], [4, -8])), 'client');
    const plan = floatToFixed(b.build(), { ell: ELL, scale: S });
    const recip = plan.program.decls.find((d) => d.kind === 'const');
    expect(recip?.kind === 'const' ? recip.values : null).toEqual(
      FixedPoint({ ell: ELL, scale: S }).encodeTensor([0.25, -0.125]),
    );
  });

  it('refuses Softmax feeding another node, and 2s ≥ ℓ for products', () => {
    const unchecked: HProgram = {
      ir: 'hlil',
      decls: [{ kind: 'input', name: 'x', shape: [1, 3], owner: 'client' }],
      nodes: [
        { op: 'Softmax', out: 'p', x: 'x', axis: 1 },
        { op: 'Relu', out: 'y', x: 'p' },
      ],
      outputs: [{ name: 'y', to: 'client' }],
    };
    expect(() => floatToFixed(unchecked, { ell: ELL, scale: S })).toThrow(/may only be a program output/);
    const m = hlilBuilder();
    m.output(m.mul(m.input('x', [2], 'client'), m.input('y', [2], 'server')), 'client');
    expect(() => floatToFixed(m.build(), { ell: 16, scale: 8 })).toThrow(CryptflowError);
  });
});
