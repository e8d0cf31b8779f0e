/**
 * The threaded runner (harness/runner/threads.ts): three worker threads, one per party, must be the
 * same protocol run as the in-memory one — with the same PRG seed, the same revealed outputs bit for
 * bit, and the same bytes per link and phase, message counts, rounds and per-node bytes — and a
 * party's failure must end the run with that party's error, not a hang.
 */
import { describe, expect, it } from 'vitest';
import { numel } from '../../spec/geometry.js';
import { onnxToHlil } from '../../passes/frontend/onnx/index.js';
import { optimizeHlil, paperConfig } from '../../passes/hlil/pipeline.js';
import { backendOf, prepareInference, type BackendName } from '../../harness/runner/inference.js';
import { runProgram } from '../../harness/runner/program.js';
import { runProgramThreads } from '../../harness/runner/threads.js';
import { MemoryNetwork } from '../../harness/network/memory.js';
import { zooEntry, zooModel } from '../../harness/zoo/zoo.js';
import { CryptflowError } from '../../spec/errors.js';

function prepared(name: string) {
  const entry = zooEntry(name);
  const imported = onnxToHlil(zooModel(name));
  const { model } = optimizeHlil(imported, paperConfig);
  const hlilName = imported.inputs.get(entry.input.name) ?? entry.input.name;
  const input = new Map([
    [hlilName, Float32Array.from({ length: numel(entry.input.shape) }, (_, i) => 0.5 + 0.5 * Math.sin(0.37 * i))],
  ]);
  return prepareInference(model, input, { ell: 64, scale: 12, placement: 'eager' });
}

describe('parties in worker threads', () => {
  const cases: [string, BackendName][] = [
    ['lenet', 'porthos'],
    ['securenn-b', 'securenn'],
    ['unet3d', 'porthos'],
  ];
  for (const [name, backend] of cases) {
    it(`${name} under ${backend}: the same outputs, bytes, messages, rounds and per-node bytes as in memory`, async () => {
      const prep = prepared(name);
      const inputs = { client: prep.client, server: prep.server };
      const network = new MemoryNetwork();
      const memory = await runProgram(prep.plan.program, inputs, {
        backend: backendOf(backend, undefined),
        network,
        seed: 'threads',
      });
      const progress: number[] = [];
      const threaded = await runProgramThreads(prep.plan.program, inputs, {
        backend,
        seed: 'threads',
        onNode: ({ index, bytes }) => progress.push(index, bytes),
      });
      expect([...threaded.outputs.keys()].sort()).toEqual([...memory.outputs.keys()].sort());
      for (const [k, v] of memory.outputs) expect(threaded.outputs.get(k), k).toEqual(v);
      expect(threaded.meter).toEqual(memory.meter);
      expect(threaded.perNode).toEqual(memory.perNode);
      expect(threaded.rounds).toBeGreaterThan(0);
      expect(threaded.rounds).toBeLessThanOrEqual(memory.meter.rounds);
      // P0 reports every node, in order, with non-decreasing byte counts.
      const indices = progress.filter((_, i) => i % 2 === 0);
      expect(indices).toEqual(prep.plan.program.nodes.map((_, i) => i));
      const bytes = progress.filter((_, i) => i % 2 === 1);
      expect(bytes.every((b, i) => i === 0 || b >= (bytes[i - 1] as number))).toBe(true);
    }, 120_000);
  }

  it("a party's failure ends the run with its error, naming the party", async () => {
    const prep = prepared('lenet');
    const run = runProgramThreads(
      prep.plan.program,
      { client: new Map(), server: prep.server },
      { backend: 'porthos', seed: 'threads' },
    );
    await expect(run).rejects.toThrow(CryptflowError);
    await expect(run).rejects.toThrow(/^P0: the client has no value for input/);
    await expect(run).rejects.toMatchObject({ code: 'input' });
  }, 60_000);

  it('fresh keys (OS randomness) run too: the same bytes and output sizes', async () => {
    const prep = prepared('securenn-a');
    const inputs = { client: prep.client, server: prep.server };
    const a = await runProgramThreads(prep.plan.program, inputs, { backend: 'porthos' });
    const b = await runProgramThreads(prep.plan.program, inputs, { backend: 'porthos', seed: 'other' });
    expect(b.meter.links).toEqual(a.meter.links);
    // Values may differ by local truncation's carries (shares differ); sizes and bytes may not.
    for (const [k, v] of a.outputs) expect(b.outputs.get(k)?.length, k).toBe(v.length);
  }, 60_000);

  it('transferInputs moves the encoded inputs to the parties: the same run, and the caller keeps nothing', async () => {
    const a = prepared('lenet');
    const b = prepared('lenet');
    const copied = await runProgramThreads(
      a.plan.program,
      { client: a.client, server: a.server },
      { backend: 'porthos', seed: 't' },
    );
    const moved = await runProgramThreads(
      b.plan.program,
      { client: b.client, server: b.server },
      { backend: 'porthos', seed: 't', transferInputs: true },
    );
    expect(moved.meter).toEqual(copied.meter);
    for (const [k, v] of copied.outputs) expect(moved.outputs.get(k), k).toEqual(v);
    expect([...a.server.values()].every((x) => x.length > 0)).toBe(true);
    expect([...b.server.values(), ...b.client.values()].every((x) => x.length === 0)).toBe(true);
  }, 60_000);

  it('a party that stops sending leaves the others blocked: reported as a deadlock naming who waits on whom', async () => {
    const prep = prepared('lenet');
    const run = runProgramThreads(
      prep.plan.program,
      { client: prep.client, server: prep.server },
      { backend: 'porthos', seed: 'threads', stallSeconds: 1, dropSends: { party: 1, after: 3 } },
    );
    await expect(run).rejects.toMatchObject({ code: 'protocol' });
    await expect(run).rejects.toThrow(
      /^protocol deadlock: P0 waits for P1( and P2)?, P1 waits for P(0|2|0 and P2), P2 waits for P(0|1|0 and P1) \(no message for 1 s\)$/,
    );
  }, 60_000);
});
