/**
 * Whole programs with two parties (harness/runner/): a backend with claims.parties = 2 runs on P0
 * and P1 alone — in memory and in worker threads — with the same outputs, bytes per link, messages,
 * rounds and per-node bytes either way; its meter equals the cost walk link by link and has nothing
 * on a P2 link; the run report and its JSON show the two parties and their two links only; and the
 * views of both parties are recorded and checked against the 2-party declaration.
 */
import { describe, expect, it } from 'vitest';
import { numel } from '../../../spec/geometry.js';
import { onnxToHlil } from '../../../passes/frontend/onnx/index.js';
import { optimizeHlil, paperConfig } from '../../../passes/hlil/pipeline.js';
import { fixedSem } from '../../../semantics/fixed.js';
import { backendOf, prepareInference, secureInference, type ServerModel } from '../../../harness/runner/inference.js';
import { runProgram } from '../../../harness/runner/program.js';
import { runProgramThreads } from '../../../harness/runner/threads.js';
import { MemoryNetwork } from '../../../harness/network/memory.js';
import { allLinks, costProgram, nodeCosts } from '../../../harness/cost/walk.js';
import { formatRun, runJson } from '../../../harness/cli/run-report.js';
import { zooEntry, zooModel } from '../../../harness/zoo/zoo.js';

function model(name: string): { model: ServerModel; input: Map<string, Float32Array> } {
  const entry = zooEntry(name);
  const imported = onnxToHlil(zooModel(name));
  const { model } = optimizeHlil(imported, paperConfig);
  const hlilName = imported.inputs.get(entry.input.name) ?? entry.input.name;
  return {
    model,
    input: new Map([
      [hlilName, Float32Array.from({ length: numel(entry.input.shape) }, (_, i) => 0.5 + 0.5 * Math.sin(0.37 * i))],
    ]),
  };
}

const P2_LINKS = ['P0->P2', 'P1->P2', 'P2->P0', 'P2->P1'] as const;

describe('two-party programs', () => {
  it('plaintext2 on LeNet: outputs bit-equal to plaintext and the fixed-point semantics; meter = cost walk, node by node, nothing on P2', async () => {
    const { model: m, input } = model('lenet');
    const prep = prepareInference(m, input, { ell: 64, scale: 12, placement: 'eager' });
    const p = prep.plan.program;
    const inputs = { client: prep.client, server: prep.server };
    const two = backendOf('plaintext2', undefined);
    expect(two.claims.parties).toBe(2);
    const network = new MemoryNetwork({ parties: 2 });
    const run2 = await runProgram(p, inputs, { backend: two, network, seed: 'two' });
    const run3 = await runProgram(p, inputs, { backend: backendOf('plaintext', undefined), seed: 'three' });
    const clear = fixedSem(p, new Map([...prep.client, ...prep.server]), { kernels: 'wasm' });
    for (const o of p.outputs) {
      expect(run2.outputs.get(o.name), o.name).toEqual(run3.outputs.get(o.name));
      expect(run2.outputs.get(o.name), o.name).toEqual(clear.get(o.name));
    }
    const walked = costProgram(p, two);
    expect(walked.parties).toBe(2);
    expect(run2.meter.links).toEqual(allLinks(walked.bytes.links));
    expect(run2.perNode).toEqual(nodeCosts(p, two).map((c) => c.links));
    for (const l of P2_LINKS) expect(run2.meter.links[l] + run2.meter.io[l] + run2.meter.messages[l], l).toBe(0);
    expect(Object.keys(walked.bytes.links)).toEqual(['P0->P1', 'P1->P0']);
    expect(Object.keys(walked.bytes.sent)).toEqual(['P0', 'P1']);
    expect(walked.bytes.total).toBe(run2.meter.links['P0->P1'] + run2.meter.links['P1->P0']);
  }, 60_000);

  it('ideal2 in two worker threads: the same outputs, meter and per-node bytes as in memory; a silent party is a deadlock', async () => {
    const { model: m, input } = model('securenn-a');
    const prep = prepareInference(m, input, { ell: 64, scale: 12, placement: 'eager' });
    const inputs = { client: prep.client, server: prep.server };
    const memory = await runProgram(prep.plan.program, inputs, {
      backend: backendOf('ideal2', undefined),
      network: new MemoryNetwork({ parties: 2 }),
      seed: 'threads2',
    });
    const threaded = await runProgramThreads(prep.plan.program, inputs, { backend: 'ideal2', seed: 'threads2' });
    for (const [k, v] of memory.outputs) expect(threaded.outputs.get(k), k).toEqual(v);
    expect(threaded.meter).toEqual(memory.meter);
    expect(threaded.perNode).toEqual(memory.perNode);
    const stalled = runProgramThreads(prep.plan.program, inputs, {
      backend: 'plaintext2',
      seed: 't',
      stallSeconds: 1,
      dropSends: { party: 0, after: 1 },
    });
    await expect(stalled).rejects.toThrow(
      /^protocol deadlock: P0 waits for P1, P1 waits for P0 \(no message for 1 s\)$/,
    );
  }, 60_000);

  it('secureInference under ideal2 with views checked: two views; the report and its JSON show P0, P1 and their two links only', async () => {
    const { model: m, input } = model('securenn-d');
    const r = await secureInference(m, input, {
      backend: 'ideal2',
      ell: 64,
      scale: 12,
      seed: 'views2',
      checkViews: { declared: m.program },
    });
    expect(r.views?.map((v) => v.party)).toEqual([0, 1]);
    expect(r.views?.[1]?.events.some((e) => e.meaning === 'trusted')).toBe(true);
    for (const o of r.outputs) expect(o.fixedDiff, o.name).toBe(0);
    const j = runJson(r, { model: 'securenn-d', format: 'onnx', input: 'wave', inputNote: '' });
    expect(Object.keys(j.bytes.links)).toEqual(['P0->P1', 'P1->P0']);
    expect(Object.keys(j.bytes.sent)).toEqual(['P0', 'P1']);
    expect(Object.keys(j.bytes.recv)).toEqual(['P0', 'P1']);
    expect(j.bytes.sent.P0).toBe(j.bytes.links['P0->P1']);
    const text = formatRun(r, { model: 'securenn-d', format: 'onnx', input: 'wave', inputNote: '' });
    expect(text).toMatch(/two parties, no helper: P0 client \(input\), P1 server \(weights\)/);
    expect(text).toMatch(/links: P0->P1 [^,]+, P1->P0 [^,\n]+\n/);
    expect(text).toMatch(/for the two-party run/);
    expect(text).not.toMatch(/P2/);
  }, 60_000);
});
