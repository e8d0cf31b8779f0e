/**
 * Every network of the model zoo (harness/zoo/zoo.ts) is accepted by the secrecy analysis at both
 * levels: the ONNX graph as imported (no shape, index, branch or clear operand from a secret; no
 * weight read in the clear) and the compiled LLIL against the frontend's declaration (every input
 * owned as declared, every output revealed to the client as declared, nothing else revealed).
 */
import { describe, expect, it } from 'vitest';
import { floatToFixed } from '../../../passes/float-to-fixed/program.js';
import { optimizeHlil, paperConfig } from '../../../passes/hlil/pipeline.js';
import { analyzePlan } from '../../../passes/secrecy/plan.js';
import { ZOO } from '../../../harness/zoo/zoo.js';
import { loadModel } from '../../../harness/io/model.js';

describe('the zoo is accepted', () => {
  it.each(ZOO.map((z) => [z.name, z] as const))(
    '%s',
    (name, z) => {
      const loaded = loadModel(`zoo:${name}`);
      const g = loaded.secrecy;
      expect(g?.findings).toEqual([]);
      expect(g?.inputs).toEqual([{ name: z.input.name, owner: 'client' }]);
      expect(g?.outputs.map((o) => `${o.name}->${o.to}`)).toEqual(z.outputs.map((o) => `${o}->client`));
      expect(g?.weights.length).toBeGreaterThan(0);
      const { model } = optimizeHlil(loaded, paperConfig);
      const plan = floatToFixed(model.program, { ell: 64, scale: 12 });
      const l = analyzePlan(loaded.program, plan);
      expect(l.findings).toEqual([]);
      expect(l.outputs.map((o) => `${o.name}->${o.to}:${o.status}`)).toEqual(
        z.outputs.map((o) => `${o}->client:declared`),
      );
      for (const o of l.outputs) {
        expect(o.dependsOn.client).toEqual([z.input.name]);
        expect(o.dependsOn.server.length).toBeGreaterThan(0);
      }
    },
    30_000,
  );
});
