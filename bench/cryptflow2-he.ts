/**
 * The HE variant of CrypTFlow2 (`npm run bench`, group 'cryptflow2-he'), both parties in this one
 * thread over the in-memory network (a rate is the work of both parties on one core):
 *   - the HE linear layer: response ciphertexts per second on a MatMul 1 × 4096 · 4096 × 8 and on
 *     DenseNet121's 1×1 and 3×3 convolutions of dense block 1 at 224 × 224 (128 plaintext products per
 *     response), each in the packing the backend chooses (hePacking: the MatMul's 2 queries and 3
 *     responses; before 2026-12-07 this line ran the MatMul at the largest Cc, 1 query and 8 responses),
 *     with the metered bytes;
 *   - networks executed for real under `cryptflow2-he` (securenn-b, lenet; ℓ = 64, s = 12): seconds,
 *     compute bytes (metered, equal to `cryptflow cost`), and the process's peak resident memory so far.
 * DenseNet121-chest (224×224, the study's 320×320) runs only when asked (BENCH_DENSENET_HE=SIZE for the
 * whole network, hours on one core; SIZE:LAYERS for a prefix and an extrapolation: bench/densenet-he.ts).
 */
import { numel } from '../spec/geometry.js';
import { onnxToHlil } from '../passes/frontend/onnx/index.js';
import { optimizeHlil, paperConfig } from '../passes/hlil/pipeline.js';
import { runParties } from '../harness/network/run.js';
import { secureInference } from '../harness/runner/inference.js';
import { zooEntry, zooModel } from '../harness/zoo/zoo.js';
import type { PartyContext } from '../protocols/common/party.js';
import { Prg } from '../protocols/common/prg.js';
import { P41 } from '../protocols/cryptflow2-he/field.js';
import { convShape, matmulShape } from '../protocols/cryptflow2-he/layers.js';
import { heLinearClient, heLinearServer } from '../protocols/cryptflow2-he/linear.js';
import { planTiles, type ConvShape } from '../protocols/cryptflow2-he/packing.js';
import { openHe } from '../protocols/cryptflow2-he/session.js';
import { densenetHe } from './densenet-he.js';
import type { BenchGroup, Measurement } from './harness.js';

/** Field values from a fixed-key PRG (bench inputs, not protocol randomness). */
const values = (seed: string, n: number): BigUint64Array =>
  new Prg(Buffer.from(seed.padEnd(16, '.').slice(0, 16))).below(P41, n);

const sum = <T>(xs: readonly T[], f: (x: T) => number): number => xs.reduce((s, x) => s + f(x), 0);

/** A k × k convolution, stride 1, SAME padding, on one 56 × 56 image. */
const conv56 = (c: number, m: number, k: number): ConvShape =>
  convShape(
    { pads: new Array<number>(4).fill((k - 1) / 2), strides: [1, 1], dilations: [1, 1], groups: 1 },
    [1, c, 56, 56],
    [m, c, k, k],
  );

const mb = (b: number): string => `${(b / 1e6).toFixed(2)} MB`;

export const cryptflow2HeGroup: BenchGroup = {
  name: 'cryptflow2-he',
  async run(report: (m: Measurement) => void): Promise<void> {
    // DenseNet121's dense-block-1 convolutions at 224 × 224 (56 × 56 planes): the 1×1 takes the
    // monomial (coefficient-form) product path, the 3×3 the NTT-form one (linear.ts).
    const layers: readonly (readonly [string, ConvShape])[] = [
      ['HE layer, MatMul 1 × 4096 · 4096 × 8 (N = 8192)', matmulShape(1, 4096, 8)],
      ['HE layer, DenseNet121 Conv 1×1 128 → 128 on 56 × 56', conv56(128, 128, 1)],
      ['HE layer, DenseNet121 Conv 3×3 128 → 32 on 56 × 56 (pad 1)', conv56(128, 32, 3)],
    ];
    for (const [name, shape] of layers) {
      const plans = planTiles(shape).map((t) => t.plan);
      const x = values('he-x', shape.batch * shape.cg * numel(shape.input));
      const w = values('he-w', shape.mg * shape.cg * numel(shape.kernel));
      const party = async (ctx: PartyContext): Promise<number> => {
        const he = await openHe(ctx);
        const t0 = performance.now();
        if (he.role === 'client') await heLinearClient(ctx, he, plans, [x]);
        else await heLinearServer(ctx, he, plans, [w]);
        return (performance.now() - t0) / 1000;
      };
      const { outputs, meter } = await runParties([party, party, async () => 0], { ell: 64, seed: 'bench-he' });
      const seconds = Math.max(outputs[0], outputs[1]);
      const [queries, responses] = [sum(plans, (p) => p.queries), sum(plans, (p) => p.responses)];
      report({
        group: 'cryptflow2-he',
        name,
        rate: responses / seconds,
        unit: 'responses/s',
        detail: `${queries} queries, ${responses} responses, ${sum(plans, (p) => p.shape.batch * p.shape.groups * p.outGroups * p.chunks)} plaintext products, ${mb(meter.links['P0->P1'] + meter.links['P1->P0'])} metered, ${seconds.toFixed(2)} s, both parties on one core`,
      });
    }
    for (const name of ['securenn-b', 'lenet']) {
      const entry = zooEntry(name);
      const imported = onnxToHlil(zooModel(name));
      const { model } = optimizeHlil(imported, paperConfig);
      const input = new Map([
        [
          imported.inputs.get(entry.input.name) ?? entry.input.name,
          Float32Array.from({ length: numel(entry.input.shape) }, (_, i) => 0.5 + 0.5 * Math.sin(0.37 * i)),
        ],
      ]);
      const r = await secureInference(model, input, { backend: 'cryptflow2-he', ell: 64, scale: 12, seed: name });
      const bytes = r.links['P0->P1'] + r.links['P1->P0'];
      report({
        group: 'cryptflow2-he',
        name: `${name} executed (ℓ = 64, s = 12)`,
        rate: 1 / r.seconds,
        unit: 'inferences/s',
        detail: `${r.seconds.toFixed(1)} s, ${mb(bytes)} (P0->P1 ${mb(r.links['P0->P1'])}, P1->P0 ${mb(r.links['P1->P0'])}), max |secure − fixed| = ${Math.max(...r.outputs.map((o) => o.fixedDiff))}, peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
      });
    }
    const densenet = process.env.BENCH_DENSENET_HE;
    if (densenet !== undefined && densenet !== '') await densenetHe(densenet, report);
  },
};
