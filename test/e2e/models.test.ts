/**
 * `cryptflow compile` / `cryptflow scale` on model files of every format the loader reads
 * (harness/io/model.ts): ONNX (written with the frontend's writer), a frozen TensorFlow GraphDef and a
 * TF.js graph model (the TF suites' CNN, tf/models.ts). Each compiles with the paper's HLIL passes
 * and gets a range report; the fixed-point result of the ONNX model stays within the reported bound;
 * broken files and misplaced flags are clear errors.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, scratch } from './support.js';
import { loadModel } from '../../harness/io/model.js';
import { onnxGraph } from '../../passes/frontend/onnx/writer.js';
import { floatSem } from '../../semantics/float.js';
import { fixedSem } from '../../semantics/fixed.js';
import { decodeOutputs } from '../../semantics/decode.js';
import { analyzeProgram } from '../../passes/float-to-fixed/analysis.js';
import { encodeInputs, floatToFixed } from '../../passes/float-to-fixed/program.js';
import { optimizeHlil } from '../../passes/hlil/pipeline.js';
import { cnn } from '../passes/frontend/tf/models.js';

const { dir } = scratch('models');

const wave = (n: number, k: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.5));

/** Conv → BatchNormalization → Relu → MaxPool → Flatten → Gemm(transB), batch axis symbolic. */
function onnxModel(): string {
  const g = onnxGraph({ opset: 13 });
  const x = g.input('x', ['N', 1, 4, 4]);
  const c = g.node('Conv', [x, g.weight('w', [2, 1, 3, 3], wave(18, 0.7))], { pads: [1, 1, 1, 1] });
  const bn = g.node(
    'BatchNormalization',
    [
      c,
      g.weight('s', [2], [1.5, 0.5]),
      g.weight('b', [2], [0.1, -0.2]),
      g.weight('m', [2], [0, 0.1]),
      g.weight('v', [2], [0.5, 2]),
    ],
    {
      epsilon: { float: 1e-3 },
    },
  );
  const p = g.node('MaxPool', [g.node('Relu', [bn])], { kernel_shape: [2, 2], strides: [2, 2] });
  const y = g.node('Gemm', [g.node('Flatten', [p]), g.weight('W', [3, 8], wave(24, 1.3))], { transB: 1 });
  g.output(y, ['N', 3]);
  const path = join(dir, 'model.onnx');
  writeFileSync(path, g.bytes());
  return path;
}

describe('ONNX models', () => {
  const path = onnxModel();

  it('compile: reads a symbolic batch as 1 and says so (as run does), then prints the LLIL and the report of the optimised model', async () => {
    const symbolic = await run('compile', path);
    expect([symbolic.code, symbolic.err]).toEqual([0, '']);
    expect(symbolic.out).toContain("# note: the symbolic batch axis of input 'x' is set to 1 (--batch N to change)");
    const r = await run('compile', path, '--batch', '1', '--input-range', '-1..1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^llil ell=64/);
    expect(r.out).toMatch(/# cryptflow compile .*model\.onnx \(onnx\)/);
    expect(r.out).toContain('batchnorm 1 Mul+BiasAdd, 0 folded, 0 kept; relu∘maxpool 1 swapped');
    expect(r.out).toMatch(/#   output \S+ -> client \[1,3\]: range .*\|fixed − float32\| ≤/);
  });

  it("the fixed-point run of the compiled model stays within the report's bound of its float32 run", () => {
    const loaded = loadModel(path, { batch: 1 });
    const { model } = optimizeHlil(loaded);
    const plan = floatToFixed(model.program, { ell: 64, scale: 12 });
    const report = analyzeProgram(plan, model.weights, { lo: -1, hi: 1 });
    expect(report.boundsHold).toBe(true);
    for (const k of [0.3, 1.1, 2.9]) {
      const inputs = new Map([['x', Float32Array.from(wave(16, k))], ...model.weights]);
      const float = floatSem(model.program, inputs);
      const fixed = decodeOutputs(plan.program, fixedSem(plan.program, encodeInputs(plan, inputs)));
      report.outputs.forEach((o, i) => {
        const f = float.get(o.name) ?? new Float32Array();
        const x = fixed.get(plan.program.outputs[i]?.name ?? '') ?? new Float64Array();
        expect(x.length).toBe(3);
        x.forEach((v, j) => expect(Math.abs(v - (f[j] as number))).toBeLessThanOrEqual(o.errorBound));
      });
    }
  });

  it('scale: sweeps the ONNX model on calibration inputs', async () => {
    const cal = join(dir, 'onnx-cal.json');
    writeFileSync(cal, JSON.stringify([{ x: wave(16, 0.4) }, { x: wave(16, 1.7) }]));
    const r = await run('scale', path, '--batch', '1', '--calibration', cal, '--range', '8..12', '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as { best: number | null; rows: unknown[] };
    expect(s.rows).toHaveLength(5);
    expect(s.best).not.toBeNull();
  });

  it('a malformed file and misplaced flags are clear errors', async () => {
    const bad = join(dir, 'bad.onnx');
    writeFileSync(bad, Uint8Array.of(0x0a, 0xff, 0xff));
    const r = await run('compile', bad);
    expect([r.code, r.err]).toEqual([1, expect.stringMatching(/bad\.onnx: onnx model/)]);
    expect((await run('compile', path, '--input-shape', 'x=1x1x4x4')).err).toMatch(
      /--input-shape is for TensorFlow models/,
    );
  });
});

describe('TensorFlow models', () => {
  const m = cnn();

  it('a frozen GraphDef (.pb) compiles with a range report', async () => {
    const path = join(dir, 'cnn.pb');
    writeFileSync(path, m.g.graphDef());
    const r = await run('compile', path, '--placement', 'lazy');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/# cryptflow compile .*cnn\.pb \(tf-graphdef\)/);
    expect(r.out).toMatch(/relu∘maxpool 1 swapped/);
    expect(r.out).toMatch(/#   output .* \(after Softmax\)/);
    expect((await run('compile', path, '--batch', '1')).err).toMatch(/--batch is for ONNX models/);
  });

  it('a TF.js model.json with its shards compiles; a missing shard is named', async () => {
    const tfdir = join(dir, 'tfjs');
    mkdirSync(tfdir);
    const { modelJson, files } = m.g.tfjs({ shards: 2 });
    writeFileSync(join(tfdir, 'model.json'), modelJson);
    for (const [name, bytes] of files) writeFileSync(join(tfdir, name), bytes);
    const r = await run('compile', join(tfdir, 'model.json'), '--emit', 'hlil');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^hlil\n/);
    expect(r.out).toMatch(/# cryptflow compile .*model\.json \(tfjs\)/);
    rmSync(join(tfdir, [...files.keys()][1] ?? ''));
    const missing = await run('compile', join(tfdir, 'model.json'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/shard2of2\.bin/);
  });
});
