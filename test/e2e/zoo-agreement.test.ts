/**
 * The zoo's small networks end to end (issue 5's done-when): logistic regression, SecureNN networks
 * A–D, LeNet and the 3D-UNet, each compiled as `cryptflow run` compiles it (paper HLIL passes, ℓ = 64,
 * s = 12) and run under Porthos and SecureNN by `secureInference` on a fixed client input in [0, 1].
 * For every output:
 *   - plaintext fixed point: |secure − fixed| ≤ 2·E_fixed (both lie within E_fixed, the analysis's
 *     bound on |decode − R| that holds for exact and local truncation alike, of the same real R);
 *   - float32: |secure − floatSem| ≤ the compile-time bound (ArgMax: the float32 value at the secure
 *     index is within the analysis's gap of the row maximum);
 *   - onnxruntime (the exported ONNX bytes, CPU, no graph optimisations): |secure − ort| ≤ bound + E,
 *     with E the float tolerance of floatSem against onnxruntime (test/passes/frontend/onnx/tolerance.ts;
 *     valid here because the paper passes only swap ReLU and MaxPool on these networks — no BatchNorm
 *     — which changes no rounding, and checked: floatSem of the imported and the optimised program are
 *     equal). Heads (Softmax) add their tolerance; for ArgMax, onnxruntime's own logits at the secure
 *     index are within gap + E_i + E_j of their maximum.
 * And the meter equals the closed-form cost walk on every directed link and node by node; the rounds
 * are the walk's bound plus the output reveal's round (attained: on these networks no node's first
 * message overlaps the previous node's last).
 */
import { describe, expect, it } from 'vitest';
import { numel } from '../../spec/geometry.js';
import { LINKS } from '../../spec/cost/types.js';
import type { HNode } from '../../ir/hlil.js';
import { floatSemAll } from '../../semantics/float.js';
import { onnxToHlil } from '../../passes/frontend/onnx/index.js';
import { optimizeHlil, paperConfig } from '../../passes/hlil/pipeline.js';
import { backendOf, secureInference, type BackendName, type InferenceResult } from '../../harness/runner/inference.js';
import { bytesReport, costProgram } from '../../harness/cost/walk.js';
import { zooEntry, zooModel } from '../../harness/zoo/zoo.js';
import { ORT, type OrtTensor } from '../passes/frontend/onnx/ort.js';
import { floatRun, headTolerance, type FloatRun } from '../passes/frontend/onnx/tolerance.js';

const NETS = ['logreg', 'securenn-a', 'securenn-b', 'securenn-c', 'securenn-d', 'lenet', 'unet3d'] as const;
const BACKENDS: readonly BackendName[] = ['porthos', 'securenn'];

/** A deterministic image-like input in [0, 1]. */
const pixels = (n: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => 0.5 + 0.5 * Math.sin(0.37 * i + 0.1 * Math.cos(0.05 * i)));

function prepare(name: string): {
  bytes: Uint8Array;
  model: ReturnType<typeof optimizeHlil>['model'];
  input: Map<string, Float32Array>;
  onnxInput: string;
  run: FloatRun;
} {
  const entry = zooEntry(name);
  const bytes = zooModel(name);
  const imported = onnxToHlil(bytes);
  const { model } = optimizeHlil(imported, paperConfig);
  const hlilName = imported.inputs.get(entry.input.name);
  if (hlilName === undefined) throw new Error(`${name}: no input ${entry.input.name}`);
  const input = new Map([[hlilName, pixels(numel(entry.input.shape))]]);
  const run = floatRun(model.program, new Map([...input, ...model.weights]));
  const before = floatSemAll(imported.program, new Map([...input, ...imported.weights]));
  for (const o of model.program.outputs)
    expect(Array.from(run.values.get(o.name)?.data ?? []), `${name}: ${o.name} unchanged by the HLIL passes`).toEqual(
      Array.from(before.get(o.name)?.data ?? [0]),
    );
  return { bytes, model, input, onnxInput: entry.input.name, run };
}

function checkAgainstClear(r: InferenceResult): void {
  expect(r.range.boundsHold).toBe(true);
  expect(r.range.domain).toEqual([]);
  for (const o of r.outputs) {
    expect(o.withinBound, o.name).toBe(true);
    if (o.boundKind === 'argmax-gap' || o.post !== undefined) continue;
    expect(o.maxAbsDiff, o.name).toBeLessThanOrEqual(o.bound);
    const fixedError = r.range.tensors.find((t) => t.name === o.name)?.llil?.fixedError;
    expect(fixedError, o.name).toBeGreaterThan(0);
    expect(o.fixedDiff, o.name).toBeLessThanOrEqual(2 * (fixedError ?? 0));
  }
}

function checkAgainstOrt(
  r: InferenceResult,
  run: FloatRun,
  onnxOutputs: readonly string[],
  ort: ReadonlyMap<string, OrtTensor>,
): void {
  r.outputs.forEach((o, i) => {
    const theirs = ort.get(onnxOutputs[i] ?? '');
    if (theirs === undefined) throw new Error(`onnxruntime gave no output ${onnxOutputs[i] ?? i}`);
    expect(theirs.dims, o.name).toEqual(o.shape);
    const node: HNode | undefined = run.producer(o.name);
    if (node?.op === 'ArgMax') {
      const logits = ort.get(onnxOutputs[0] ?? '');
      const shape = run.values.get(node.x)?.shape;
      const e = run.bound(node.x);
      if (logits === undefined || shape === undefined || r.outputs[0]?.boundKind !== 'value')
        throw new Error('an ArgMax output follows its logits');
      expect(logits.dims, 'the logits are the ArgMax operand').toEqual(shape);
      const d = shape[node.axis] ?? 1;
      const inner = numel(shape.slice(node.axis + 1));
      o.secure.forEach((idx, cell) => {
        const at = (t: number): number => (Math.floor(cell / inner) * d + t) * inner + (cell % inner);
        const j = Number(theirs.data[cell]);
        const gap = (logits.data[at(j)] as number) - (logits.data[at(idx)] as number);
        expect(gap, `${o.name}[${cell}]: onnxruntime's logits at the secure index`).toBeLessThanOrEqual(
          o.bound + (e[at(idx)] as number) + (e[at(j)] as number),
        );
      });
      return;
    }
    const tol = node?.op === 'Softmax' || node?.op === 'Sigmoid' ? headTolerance(run, node) : run.bound(o.name);
    o.secure.forEach((v, j) =>
      expect(Math.abs(v - (theirs.data[j] as number)), `${o.name}[${j}]`).toBeLessThanOrEqual(
        o.bound + (tol[j] as number),
      ),
    );
  });
}

describe('the zoo end to end: secure = plaintext fixed point = float32 = onnxruntime within the bounds; metered = cost', () => {
  for (const name of NETS) {
    describe(name, () => {
      const p = prepare(name);
      const ortRun = ORT.available
        ? ORT.run(
            p.bytes,
            new Map([
              [
                p.onnxInput,
                { dims: zooEntry(name).input.shape, data: p.input.values().next().value ?? new Float32Array() },
              ],
            ]),
          )
        : null;
      for (const backend of BACKENDS) {
        it(`under ${backend}`, async () => {
          const r = await secureInference(p.model, p.input, {
            backend,
            ell: 64,
            scale: 12,
            seed: `zoo:${name}:${backend}`,
          });
          checkAgainstClear(r);
          const walked = costProgram(r.plan.program, backendOf(backend, undefined));
          expect(walked.bytes).toEqual(bytesReport(r.meter.links));
          for (const l of LINKS) expect(walked.bytes.links[l], l).toBe(r.meter.links[l]);
          walked.perNode.forEach((n, i) => expect(n.links, `node ${n.node} (${n.op})`).toEqual(r.perNode[i]));
          expect(r.meter.rounds).toBe(walked.rounds + 1);
          if (ortRun === null) {
            console.warn(`${name}: onnxruntime comparison skipped (${ORT.reason})`);
            return;
          }
          checkAgainstOrt(r, p.run, zooEntry(name).outputs, await ortRun);
        });
      }
    });
  }
});
