/**
 * `cost` equals a real run, compiled as `cryptflow cost` compiles it: the closed-form walk
 * (harness/cost/walk.ts) equals what `runProgram` meters — on every directed link, exactly, and node by
 * node — for the zoo's LeNet and 3D-UNet under Porthos's reshaped and im2col convolution policies (the
 * default policy and SecureNN on every small zoo network are in zoo-agreement.test.ts) and for random
 * ONNX graphs under Porthos and SecureNN. Its rounds (the nodes' rounds summed) bound the metered
 * rounds, which add one round for the output reveal; on the zoo networks the bound is attained (no
 * node's first message overlaps the previous node's last).
 * Also: SecureNN's own networks cost what COMM-SPEC.md says (2.1, 8.86, 18.94 MB).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numel } from '../../spec/geometry.js';
import { LINKS } from '../../spec/cost/types.js';
import type { LProgram } from '../../ir/llil.js';
import { onnxToHlil } from '../../passes/frontend/onnx/index.js';
import { encodeInputs, floatToFixed } from '../../passes/float-to-fixed/program.js';
import { optimizeHlil, paperConfig } from '../../passes/hlil/pipeline.js';
import type { Backend } from '../../protocols/common/backend.js';
import { porthos } from '../../protocols/porthos/index.js';
import { securenn } from '../../protocols/securenn/index.js';
import { runProgram } from '../../harness/runner/program.js';
import { bytesReport, costProgram } from '../../harness/cost/walk.js';
import { zooModel } from '../../harness/zoo/zoo.js';
import { shapeOnlyWeights } from '../../harness/zoo/synthetic-weights.js';
import { onnxGraph } from '../arbitraries/onnx.js';

const RUNS = process.env['CRYPTFLOW_SLOW'] === '1' ? 400 : 50;

interface Compiled {
  readonly program: LProgram;
  readonly client: Map<string, BigUint64Array>;
  readonly server: Map<string, BigUint64Array>;
}

/** Compile ONNX bytes as `cryptflow cost` does (paper configuration, ℓ = 64, s = 12) and encode inputs. */
function compile(bytes: Uint8Array, inputs: (name: string, n: number) => Float32Array): Compiled {
  const m = onnxToHlil(bytes);
  const { model } = optimizeHlil(m, paperConfig);
  const plan = floatToFixed(model.program, { ell: 64, scale: 12 });
  const declared = new Map(model.program.decls.map((d) => [d.name, d] as const));
  const mine = new Map<string, Float32Array>();
  for (const [onnx, h] of m.inputs) {
    const d = declared.get(h);
    if (d !== undefined) mine.set(h, inputs(onnx, numel(d.shape)));
  }
  const weights = new Map([...model.weights].filter(([k]) => declared.has(k)));
  return {
    program: plan.program,
    client: encodeInputs(plan, mine, 'client'),
    server: encodeInputs(plan, weights, 'server'),
  };
}

/** Walk and run agree on bytes; the rounds bound holds (and is attained with `tight`, plus the reveal's round). */
async function agree(c: Compiled, backend: Backend, seed: string, tight = false): Promise<void> {
  const walked = costProgram(c.program, backend);
  const run = await runProgram(c.program, { client: c.client, server: c.server }, { backend, seed });
  expect(walked.bytes).toEqual(bytesReport(run.meter.links));
  for (const l of LINKS) expect(walked.bytes.links[l], l).toBe(run.meter.links[l]);
  walked.perNode.forEach((n, i) => expect(n.links, `node ${n.node} (${n.op})`).toEqual(run.perNode[i]));
  expect(run.meter.rounds).toBeLessThanOrEqual(walked.rounds + 1);
  if (tight) expect(run.meter.rounds).toBe(walked.rounds + 1);
}

const wave = (_: string, n: number): Float32Array => Float32Array.from({ length: n }, (_v, i) => Math.sin(0.7 * i));

describe('cost = metered, on the zoo', () => {
  it.each(['reshaped', 'im2col'] as const)('Porthos with %s convolutions (LeNet, 3D-UNet)', async (policy) => {
    for (const name of ['lenet', 'unet3d'])
      await agree(compile(zooModel(name), wave), porthos({ convPolicy: policy }), `${policy}:${name}`, true);
  });
});

describe('cost = metered, on random ONNX graphs', () => {
  it('Porthos and SecureNN, every link and every node', async () => {
    await fc.assert(
      fc.asyncProperty(
        onnxGraph({ maxNodes: 4 }),
        fc.constantFrom<'porthos' | 'securenn'>('porthos', 'securenn'),
        async (g, which) => {
          const c = compile(g.bytes, (name, n) => g.inputs.get(name) ?? new Float32Array(n));
          await agree(c, which === 'porthos' ? porthos() : securenn(), `${which}:${g.ops.join(',')}`);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("SecureNN's own networks (COMM-SPEC.md: 2.1, 8.86, 18.94 MB on SecureNN)", () => {
  it.each<[string, number, string]>([
    ['securenn-a', 2_093_944, '2.1'],
    ['securenn-b', 8_856_152, '8.86'],
    ['securenn-c', 18_936_216, '18.94'],
  ])('%s: %i bytes (%s MB)', (name, want, mb) => {
    const c = compile(zooModel(name), wave);
    const got = costProgram(c.program, securenn({ kernels: 'reference' })).bytes.total;
    expect(got).toBe(want);
    expect(Number((got / 1e6).toFixed(mb.length - mb.indexOf('.') - 1)).toString()).toBe(mb);
    expect(costProgram(c.program, porthos({ kernels: 'reference' })).bytes.total).toBeLessThan(got);
  });
});

describe('cost reads shapes only', () => {
  it.each(['resnet50', 'densenet121', 'unet3d', 'lenet', 'securenn-b'])(
    '%s: shape-only zoo weights give the same LLIL and the same cost as the seeded ones',
    (name) => {
      const compile = (bytes: Uint8Array): LProgram =>
        floatToFixed(optimizeHlil(onnxToHlil(bytes), paperConfig).model.program, {
          ell: 64,
          scale: 12,
          placement: 'eager',
        }).program;
      const seeded = compile(zooModel(name));
      const shapeOnly = compile(zooModel(name, shapeOnlyWeights()));
      expect(shapeOnly.nodes).toEqual(seeded.nodes);
      expect(shapeOnly.decls.map((d) => [d.name, d.kind, d.shape])).toEqual(
        seeded.decls.map((d) => [d.name, d.kind, d.shape]),
      );
      for (const b of [porthos(), securenn()]) {
        const [x, y] = [costProgram(shapeOnly, b), costProgram(seeded, b)];
        expect(x.bytes).toEqual(y.bytes);
        expect(x.rounds).toBe(y.rounds);
      }
    },
    60_000,
  );
});
