/**
 * The cryptflow2-he backend through the runner (harness/runner/program.ts, with the backend's Z_p
 * sharing hook) on LLIL programs: outputs bit-equal to the `plaintext` backend's — the ring fixed
 * point, which is the fixed point over Z_p whenever every value stays within ±(p − 1)/2 (ℓ ≤ 16 here,
 * and the CNN's values are small) — and the metered compute bytes per link equal the sum of the nodes'
 * closed forms (spec/cost/cryptflow2-he.ts). One-op programs use the functional OT double (fast); the
 * CNN runs over the real OT layer at ℓ = 16 and 64, with the noise budget of every HE response > 0.
 */
import { describe, expect, it, test } from 'vitest';
import fc from 'fast-check';
import type { LOp, LProgram } from '../../../ir/llil.js';
import { llilBuilder } from '../../../ir/builder.js';
import { plaintextBackend } from '../../../harness/backends/plaintext.js';
import { runProgram } from '../../../harness/runner/program.js';
import { keysFromSeed, Prg } from '../../../protocols/common/prg.js';
import { cryptflow2HeBackend } from '../../../protocols/cryptflow2-he/index.js';
import { HE_BYTES } from '../../../spec/cost/cryptflow2-he.js';
import { otSetupCost } from '../../../spec/cost/ot.js';
import { CryptflowError } from '../../../spec/errors.js';
import { LLIL_OPS, llilOpProgram } from '../../arbitraries/llil.js';
import { functionalOt, functionalOtCosts } from '../cryptflow2/functional-ot.js';
import { programLinks } from '../cryptflow2/program.js';
import { runs } from '../cryptflow2/support.js';
import { timeout } from '../../setup/timeouts.js';

/** The noise budget left in every HE response P0 decrypts (bits). */
const budgets: number[] = [];
const backend = cryptflow2HeBackend({
  kernels: 'reference',
  openOt: functionalOt,
  otCost: functionalOtCosts,
  onNoiseBudget: (_node, bits) => budgets.push(bits),
});

/**
 * Random inputs: uniform ring values; small ones (±2^{⌊ℓ/4⌋}) where a comparison tree needs its domain;
 * for the average pools, values whose window sums cannot wrap ℓ bits (the ring semantics sums mod 2^ℓ
 * before it divides, Z_p does not: the two agree on programs that do not overflow, proofs-notes).
 */
function inputsOf(
  p: LProgram,
  seed: string,
): { client: Map<string, BigUint64Array>; server: Map<string, BigUint64Array> } {
  const prg = new Prg(keysFromSeed(seed)[0].own);
  const compares = p.nodes.some((n) => n.op === 'MaxPool' || n.op === 'ArgMax');
  const sums = p.nodes.some((n) => n.op === 'AvgPool' || n.op === 'GlobalAvgPool');
  const client = new Map<string, BigUint64Array>();
  const server = new Map<string, BigUint64Array>();
  for (const d of p.decls) {
    if (d.kind !== 'input') continue;
    const n = d.shape.reduce((a, e) => a * e, 1);
    const raw = prg.ring(p.ell, n);
    const bits = sums ? p.ell - 1 - Math.ceil(Math.log2(n + 1)) : compares ? Math.floor(p.ell / 4) : p.ell - 1;
    const vals = raw.map((v) => BigInt.asUintN(p.ell, BigInt.asIntN(bits + 1, v)));
    (d.owner === 'client' ? client : server).set(d.name, vals);
  }
  return { client, server };
}

/** Ops whose random programs may multiply two client secrets: the backend refuses those ('unsupported'). */
const MAYBE_UNSUPPORTED: readonly LOp[] = ['Mul', 'MatMul', 'Conv', 'ConvTranspose'];

describe('cryptflow2-he backend: every LLIL op at ℓ ∈ {8, 16}, bit-equal to plaintext, bytes = Σ closed forms', () => {
  it.each(LLIL_OPS.filter((op) => !MAYBE_UNSUPPORTED.includes(op)))('%s', async (op) => {
    await fc.assert(
      fc.asyncProperty(llilOpProgram(op, [8, 16]), fc.string(), async (p, seed) => {
        const inputs = inputsOf(p, seed);
        const want = await runProgram(p, inputs, { backend: plaintextBackend(), seed });
        const got = await runProgram(p, inputs, { backend, seed });
        for (const o of p.outputs) expect(got.outputs.get(o.name), o.name).toEqual(want.outputs.get(o.name));
        expect(got.meter.links).toEqual(programLinks(p, backend));
      }),
      { numRuns: runs(3) },
    );
  });

  it('a product of two client secrets is refused with a clear error, at run and at cost', async () => {
    const b = llilBuilder(16);
    const x = b.input('x', [2, 3], 0, 'client');
    const y = b.input('y', [3, 2], 0, 'client');
    b.output(b.matmul(x, y), 'client');
    const p = b.build();
    const inputs = inputsOf(p, 'two');
    await expect(runProgram(p, inputs, { backend, seed: 'two' })).rejects.toThrow(
      /neither of which is computed from the server’s inputs/,
    );
    expect(() => programLinks(p, backend)).toThrow(CryptflowError);
  });
});

/** One linear layer with the server's filter: built from the client's input shape and the filter's. */
type Layer = (b: ReturnType<typeof llilBuilder>, x: string, w: string) => string;

const LINEAR_LAYERS: readonly (readonly [string, number[], number[], Layer])[] = [
  [
    'ConvTranspose 2-D, stride 2, pads, output padding, 2 groups',
    [1, 2, 3, 2],
    [2, 2, 3, 2],
    (b, x, w) => b.convTranspose(x, w, { strides: [2, 2], pads: [1, 0, 0, 1], outputPadding: [1, 1], groups: 2 }),
  ],
  ['ConvTranspose 1-D, dilation 2', [1, 2, 4], [2, 3, 2], (b, x, w) => b.convTranspose(x, w, { dilations: [2] })],
  ['Conv 1-D, stride 2', [2, 3, 7], [4, 3, 3], (b, x, w) => b.conv(x, w, { strides: [2], pads: [1, 1] })],
  ['Conv 3-D', [1, 2, 3, 3, 3], [2, 2, 2, 2, 2], (b, x, w) => b.conv(x, w, { pads: [1, 0, 0, 0, 1, 0] })],
  ['MatMul with the weights first (server · client)', [3, 2], [4, 3], (b, x, w) => b.matmul(w, x)],
  ['MatMul 1 × 600 · 600 × 40 (Cc = 390 chosen below its maximum)', [1, 600], [600, 40], (b, x, w) => b.matmul(x, w)],
  [
    'Conv 3 × 3 on a 56 × 56 plane (row tiles chosen though the plane fits)',
    [1, 2, 56, 56],
    [4, 2, 3, 3],
    (b, x, w) => b.conv(x, w, { pads: [1, 1, 1, 1] }),
  ],
  [
    'Mul by a server tensor, broadcast per channel (a BatchNorm scale)',
    [1, 3, 4, 4],
    [3, 1, 1],
    (b, x, w) => b.mul(x, w),
  ],
  [
    'Mul with the server tensor first, 8,320 elements (two slot ciphertexts)',
    [1, 2, 64, 65],
    [2, 1, 1],
    (b, x, w) => b.mul(w, x),
  ],
  [
    'Conv 2-D on a 66 × 66 plane (over N/2 cells: row tiles), stride 2',
    [1, 1, 66, 66],
    [2, 1, 3, 3],
    (b, x, w) => b.conv(x, w, { strides: [2, 2], pads: [1, 1, 1, 1] }),
  ],
];

describe('cryptflow2-he linear layers with the server’s weights (BFV): bit-equal to plaintext, bytes = closed form, noise budget > 0', () => {
  for (const [name, xShape, wShape, layer] of LINEAR_LAYERS) {
    it(
      name,
      async () => {
        const b = llilBuilder(16);
        const x = b.input('x', xShape, 0, 'client');
        const w = b.input('w', wShape, 0, 'server');
        b.output(layer(b, x, w), 'client');
        const p = b.build();
        const inputs = inputsOf(p, name);
        const want = await runProgram(p, inputs, { backend: plaintextBackend(), seed: name });
        budgets.length = 0;
        const got = await runProgram(p, inputs, { backend, seed: name });
        for (const o of p.outputs) expect(got.outputs.get(o.name), o.name).toEqual(want.outputs.get(o.name));
        expect(got.meter.links).toEqual(programLinks(p, backend));
        expect(budgets.length).toBeGreaterThan(0);
        for (const bits of budgets) expect(bits).toBeGreaterThan(0);
      },
      20_000,
    );
  }
});

/** conv 3×3 (bias) → ReLU → MaxPool 2×2 → AvgPool 2×2 → ScaleDown → flatten → MatMul → ArgMax. */
function cnn(ell: number, s: number): LProgram {
  const b = llilBuilder(ell);
  const x = b.input('image', [1, 2, 6, 6], s, 'client');
  const w1 = b.input('w1', [4, 1, 3, 3], s, 'server');
  const b1 = b.input('b1', [4], 2 * s, 'server');
  const c1 = b.conv(x, w1, { pads: [1, 1, 1, 1], groups: 2, b: b1 });
  const r1 = b.relu(b.scaleDown(c1, s));
  const p1 = b.maxPool(r1, { kernel: [2, 2], strides: [2, 2] });
  const a1 = b.avgPool(p1, { kernel: [2, 2], strides: [1, 1] });
  const f = b.flatten(a1, 1);
  const w2 = b.input('w2', [b.shapeOf(f)[1] ?? 0, 3], s, 'server');
  const logits = b.scaleDown(b.matmul(f, w2), s);
  b.output(logits, 'client');
  b.output(b.argmax(logits, 1), 'client');
  return b.build();
}

describe('cryptflow2-he backend over the real OT layer and BFV', () => {
  for (const ell of [64]) {
    it(
      `a small CNN at ℓ = ${ell}: bit-equal to plaintext; compute bytes = Σ node costs; setup = base OTs + public key`,
      async () => {
        const budgets: number[] = [];
        const real = cryptflow2HeBackend({ kernels: 'reference', onNoiseBudget: (_n, bits) => budgets.push(bits) });
        const p = cnn(ell, 3);
        const prg = new Prg(keysFromSeed(`cnn${ell}`)[0].own);
        const small = (n: number): BigUint64Array =>
          prg.ring(ell, n).map((v) => BigInt.asUintN(ell, BigInt.asIntN(5, v)));
        const inputs = {
          client: new Map([['image', small(72)]]),
          server: new Map([
            ['w1', small(36)],
            ['b1', small(4)],
            ['w2', small(48)],
          ]),
        };
        const want = await runProgram(p, inputs, { backend: plaintextBackend(), seed: 'cnn' });
        const got = await runProgram(p, inputs, { backend: real, seed: 'cnn' });
        for (const o of p.outputs) expect(got.outputs.get(o.name), o.name).toEqual(want.outputs.get(o.name));
        expect(got.meter.links).toEqual(programLinks(p, real));
        const setup = otSetupCost().links;
        expect(got.meter.setup).toEqual({
          ...setup,
          'P0->P1': setup['P0->P1'] + HE_BYTES.publicKey,
          'P1->P0': setup['P1->P0'] + 1,
        });
        expect(budgets.length).toBe(3);
        for (const bits of budgets) expect(bits).toBeGreaterThan(0);
      },
      timeout(60_000),
    );
  }
});

describe('cryptflow2-he: not done yet', () => {
  test.todo(
    'DenseNet121-chest at 224×224 and 320×320 executed in full (opt-in bench line BENCH_DENSENET_HE=224 or 320: hours on one core, the OT layers’ 80 GB dominate; so far a 224×224 prefix was executed and the rest extrapolated)',
  );
  test.todo('noise flooding of the HE responses (circuit privacy), with the budget and byte cost it takes');
  test.todo('slot packing with rotations and output packing as per-layer choices, to cut response ciphertexts');
  test.todo(
    'every zoo model under cryptflow2-he against onnxruntime within the analysed bound (the 224×224 ones need the bench’s hours)',
  );
  test.todo('a secret × secret product where neither operand is computed from the server’s inputs alone');
});
