/**
 * Mutation kills for protocols/cryptflow2-he/products.ts (the linear layers of cryptflow2-he: 69.89 % in
 * the sweep of 2026-12-07, 34 survived, 19 uncovered), by behaviour, through the runner on hand-built
 * LLIL programs whose outputs must equal the `plaintext` backend's:
 *   - a node of server-only values (a server input with a public constant, a server input times
 *     itself) is computed by P1 alone and shared by the P0–P1 zero-sharing (serverOnly, lines 57–70:
 *     no suite ran a node whose secret operands are all the server's, so all of it was uncovered); a
 *     result outside the field names the node (68);
 *   - Conv, ConvTranspose and MatMul with a public operand on either side run locally (116, 126, 140),
 *     and a public operand outside the field is refused naming it (51);
 *   - a Conv, ConvTranspose or Mul of two client secrets is refused with code 'unsupported' and the
 *     backend's message (25, 117, 127–128, 142–145);
 *   - a Mul by a server tensor (slot packing) on a backend built without a noise-budget callback (156);
 *   - every backend is built inside its test, so `heProducts` itself runs under the active mutant (47).
 * Only the Mul case opens the HE session (BFV at N = 8192, about a second); the others are local or
 * refused before any message. Argued equivalent in scripts/mutation/equivalent/
 * protocols__cryptflow2-he__products.json: the tile guard (104), the half-redundant Mul guard (143),
 * P1's ignored query operand (173) and the BiasAdd operand names (184).
 */
import { describe, expect, it } from 'vitest';
import { llilBuilder } from '../../ir/builder.js';
import type { LProgram } from '../../ir/llil.js';
import { plaintextBackend } from '../../harness/backends/plaintext.js';
import { runProgram, type ProgramInputs } from '../../harness/runner/program.js';
import type { Backend } from '../../protocols/common/backend.js';
import { keysFromSeed, Prg } from '../../protocols/common/prg.js';
import { cryptflow2HeBackend } from '../../protocols/cryptflow2-he/index.js';
import { numel, type Shape } from '../../spec/geometry.js';
import { functionalOt, functionalOtCosts } from '../protocols/cryptflow2/functional-ot.js';
import { expectCryptflowRejection } from './support.js';
import { timeout } from '../setup/timeouts.js';

type Builder = ReturnType<typeof llilBuilder>;

/** A fresh backend (so `heProducts` runs inside the test), with or without a noise-budget callback. */
const heBackend = (onNoiseBudget?: (node: string, bits: number) => void): Backend =>
  cryptflow2HeBackend({
    kernels: 'reference',
    openOt: functionalOt,
    otCost: functionalOtCosts,
    ...(onNoiseBudget === undefined ? {} : { onNoiseBudget }),
  });

/** Small signed values (|v| < 2^5) of ℓ bits, from a fixed seed. */
function small(seed: string, ell: number, n: number): BigUint64Array {
  const prg = new Prg(keysFromSeed(seed)[0].own);
  return prg.ring(ell, n).map((v) => BigInt.asUintN(ell, BigInt.asIntN(6, v)));
}

/** Small inputs for every declared input of `p`. */
function inputsOf(p: LProgram, seed: string): ProgramInputs {
  const client = new Map<string, BigUint64Array>();
  const server = new Map<string, BigUint64Array>();
  for (const d of p.decls)
    if (d.kind === 'input')
      (d.owner === 'client' ? client : server).set(d.name, small(`${seed}/${d.name}`, p.ell, numel(d.shape)));
  return { client, server };
}

/** Small public constant values for a shape (ring words of ℓ bits). */
const constValues = (seed: string, ell: number, shape: Shape): BigUint64Array => small(seed, ell, numel(shape));

/** `p` under cryptflow2-he must reveal exactly what the plaintext backend computes. */
async function expectPlaintext(p: LProgram, seed: string, backend: Backend = heBackend()): Promise<void> {
  const inputs = inputsOf(p, seed);
  const want = await runProgram(p, inputs, { backend: plaintextBackend(), seed });
  const got = await runProgram(p, inputs, { backend, seed });
  expect(p.outputs.length).toBeGreaterThan(0);
  for (const o of p.outputs) {
    const v = got.outputs.get(o.name);
    expect(v, o.name).toBeDefined();
    expect(v, o.name).toEqual(want.outputs.get(o.name));
  }
}

function program(ell: number, build: (b: Builder) => void): LProgram {
  const b = llilBuilder(ell);
  build(b);
  return b.build();
}

describe('cryptflow2-he products: nodes of server-only values (serverOnly)', () => {
  /**
   * Pins 57 BlockStatement, 58 ConditionalExpression true/false and EqualityOperator (the P0–P1 PRG
   * from each side), 59 all three (only P0 takes the negated mask), 60 ArrowFunction and ObjectLiteral,
   * 62 ConditionalExpression true/false, EqualityOperator and StringLiteral (a public operand's ring
   * data, a server operand's clear value), and 47 BlockStatement (heProducts builds the products).
   */
  it('a server input plus a public constant, and a server input times itself, equal plaintext', async () => {
    const p = program(16, (b) => {
      const w = b.input('w', [2, 3], 0, 'server');
      const c = b.const('c', [2, 3], 0, constValues('c', 16, [2, 3]));
      b.output(b.add(w, c), 'client');
      b.output(b.mul(w, w), 'client');
      b.output(b.sub(c, w), 'server');
    });
    await expectPlaintext(p, 'server-only');
  });

  /** Pins 68 StringLiteral: a server-only result outside ±(p − 1)/2 is refused naming its node. */
  it('a server-only result outside the field is refused, naming the node', async () => {
    let out = '';
    const p = program(64, (b) => {
      const w = b.input('w', [2], 0, 'server');
      out = b.add(w, w);
      b.output(out, 'client');
    });
    const big = BigUint64Array.of((1n << 39n) + 5n, 1n);
    await expectCryptflowRejection(
      () => runProgram(p, { client: new Map(), server: new Map([['w', big]]) }, { backend: heBackend(), seed: 'far' }),
      'input',
      `'${out}' (computed from the server's inputs) has an entry outside the field's range`,
    );
  });
});

/** A bilinear layer with a public operand on one side and a client secret on the other. */
type Layer = (b: Builder, x: string, w: string) => string;
const PUBLIC_SIDES: readonly (readonly [string, Shape, Shape, Layer])[] = [
  ['Conv', [1, 2, 4, 4], [3, 2, 2, 2], (b, x, w) => b.conv(x, w, { pads: [1, 0, 0, 1] })],
  ['ConvTranspose', [1, 2, 3, 3], [2, 3, 2, 2], (b, x, w) => b.convTranspose(x, w, { strides: [2, 2] })],
  ['MatMul', [2, 3], [3, 4], (b, x, w) => b.matmul(x, w)],
];

describe('cryptflow2-he products: a public operand runs locally', () => {
  /**
   * Pins 116, 126, 140: ConditionalExpression false (whole test and each side), LogicalOperator `&&`,
   * StringLiteral '' on each `'public'` — a public image with a client filter, and a client image
   * with a public filter, are computed by each party on its share, not refused or sent to HE.
   */
  for (const [name, xShape, wShape, layer] of PUBLIC_SIDES) {
    it(`${name}: public first operand × client secret, and client secret × public second operand`, async () => {
      const p = program(16, (b) => {
        const xc = b.const('xc', xShape, 0, constValues(`${name}/xc`, 16, xShape));
        const wc = b.const('wc', wShape, 0, constValues(`${name}/wc`, 16, wShape));
        const x = b.input('x', xShape, 0, 'client');
        const w = b.input('w', wShape, 0, 'client');
        b.output(layer(b, xc, w), 'client');
        b.output(layer(b, x, wc), 'client');
      });
      await expectPlaintext(p, `public-${name}`);
    });
  }

  /** Pins 51 StringLiteral: a public operand outside ±(p − 1)/2 is refused as 'a public operand'. */
  it('a public operand outside the field is refused naming it', async () => {
    const p = program(64, (b) => {
      const x = b.input('x', [1, 2], 0, 'client');
      const c = b.const('c', [2, 2], 0, [1n << 45n, 1n, 2n, 3n]);
      b.output(b.matmul(x, c), 'client');
    });
    await expectCryptflowRejection(
      () => runProgram(p, inputsOf(p, 'far-public'), { backend: heBackend(), seed: 'far-public' }),
      'input',
      "a public operand has an entry outside the field's range",
    );
  });
});

const REFUSED: readonly (readonly [string, Shape, Shape, Layer, string])[] = [
  [
    'Conv',
    [1, 1, 3, 3],
    [1, 1, 2, 2],
    (b, x, w) => b.conv(x, w),
    'cryptflow2-he: a convolution whose filter is not computed from the server’s inputs alone',
  ],
  [
    'ConvTranspose',
    [1, 1, 2, 2],
    [1, 1, 2, 2],
    (b, x, w) => b.convTranspose(x, w),
    'cryptflow2-he: a transposed convolution whose filter is not computed from the server’s inputs alone',
  ],
  [
    'Mul',
    [2, 3],
    [2, 3],
    (b, x, w) => b.mul(x, w),
    'cryptflow2-he: an elementwise product of two secrets neither of which is computed from the server’s inputs alone',
  ],
];

describe('cryptflow2-he products: a product of two client secrets is unsupported', () => {
  /**
   * Pins 25 StringLiteral (the error code), 117 ConditionalExpression false and StringLiteral, 127
   * ConditionalExpression false, 128 StringLiteral, 142 ArrayDeclaration, 143 ConditionalExpression false
   * (the whole guard and its first two terms) and LogicalOperator `(…) && x.kind !== 'secret'`, 145
   * StringLiteral: the refusal is a CryptflowError 'unsupported' with the backend's message, never a
   * defect from reading a clear value that is not held.
   */
  for (const [name, xShape, wShape, layer, message] of REFUSED) {
    it(`${name} of two client secrets`, async () => {
      const p = program(16, (b) => {
        const x = b.input('x', xShape, 0, 'client');
        const w = b.input('w', wShape, 0, 'client');
        b.output(layer(b, x, w), 'client');
      });
      await expectCryptflowRejection(
        () => runProgram(p, inputsOf(p, name), { backend: heBackend(), seed: name }),
        'unsupported',
        message,
      );
    });
  }
});

describe('cryptflow2-he products: Mul by a server tensor without a noise-budget callback', () => {
  /** Pins 156 OptionalChaining: the slot-packed product runs on a backend given no onNoiseBudget. */
  it(
    'a per-channel scale from the server equals plaintext',
    async () => {
      const p = program(16, (b) => {
        const x = b.input('x', [1, 2, 2, 2], 0, 'client');
        const w = b.input('w', [2, 1, 1], 0, 'server');
        b.output(b.mul(x, w), 'client');
      });
      await expectPlaintext(p, 'slots');
    },
    timeout(30_000),
  );
});
