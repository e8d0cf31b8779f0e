/**
 * The HE variant of CrypTFlow2 (`npm run bench`, group 'cryptflow2-he'), both parties in this one
 * thread over the in-memory network (a rate is the work of both parties on one core):
 *   - the HE linear layer: response ciphertexts per second on a MatMul 1 × 4096 · 4096 × 8 (8 queries'
 *     worth of work: 1 query, 8 plaintext products, 8 masked responses), with the metered bytes;
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
import { matmulShape } from '../protocols/cryptflow2-he/layers.js';
import { heLinearClient, heLinearServer } from '../protocols/cryptflow2-he/linear.js';
import { planConv } from '../protocols/cryptflow2-he/packing.js';
import { openHe } from '../protocols/cryptflow2-he/session.js';
import { densenetHe } from './densenet-he.js';
import type { BenchGroup, Measurement } from './harness.js';

/** Field values from a fixed-key PRG (bench inputs, not protocol randomness). */
const values = (seed: string, n: number): BigUint64Array =>
  new Prg(Buffer.from(seed.padEnd(16, '.').slice(0, 16))).below(P41, n);

const mb = (b: number): string => `${(b / 1e6).toFixed(2)} MB`;

export const cryptflow2HeGroup: BenchGroup = {
  name: 'cryptflow2-he',
  async run(report: (m: Measurement) => void): Promise<void> {
    const plan = planConv(matmulShape(1, 4096, 8));
    const [x, w] = [values('he-x', 4096), values('he-w', 4096 * 8)];
    const party = async (ctx: PartyContext): Promise<number> => {
      const he = await openHe(ctx);
      const t0 = performance.now();
      if (he.role === 'client') await heLinearClient(ctx, he, [plan], [x]);
      else await heLinearServer(ctx, he, [plan], [w]);
      return (performance.now() - t0) / 1000;
    };
    const { outputs, meter } = await runParties([party, party, async () => 0], { ell: 64, seed: 'bench-he' });
    const seconds = Math.max(outputs[0], outputs[1]);
    report({
      group: 'cryptflow2-he',
      name: 'HE layer, MatMul 1 × 4096 · 4096 × 8 (N = 8192)',
      rate: plan.responses / seconds,
      unit: 'responses/s',
      detail: `${plan.queries} query, ${plan.responses} responses, ${mb(meter.links['P0->P1'] + meter.links['P1->P0'])} metered, ${seconds.toFixed(2)} s, both parties on one core`,
    });
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
