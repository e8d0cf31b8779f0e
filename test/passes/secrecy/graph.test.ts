/**
 * The graph-level secrecy analysis (passes/secrecy/graph.ts) as the ONNX and TensorFlow frontends run
 * it: each hand-written leak — a shape, a memory index, a branch condition, a loop trip count or loop
 * condition, an operand needed in the clear computed from the client's image; a weight also read in
 * the clear — is refused as 'unsupported' with the node, what it reads and the path of the secret,
 * ahead of the importer's own complaint; Shape(image) is public, so a shape computed from it is no leak.
 */
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../spec/errors.js';
import { onnxFlowGraph } from '../../../passes/frontend/onnx/flow.js';
import { onnxToHlil } from '../../../passes/frontend/onnx/index.js';
import { decodeModel } from '../../../passes/frontend/onnx/proto.js';
import { onnxGraph } from '../../../passes/frontend/onnx/writer.js';
import { graphDefToHlil } from '../../../passes/frontend/tf/graphdef.js';
import { analyzeGraph, type GraphSecrecy } from '../../../passes/secrecy/graph.js';
import { showPath, type Finding } from '../../../passes/secrecy/labels.js';
import { SecrecyRejection } from '../../../passes/secrecy/report.js';
import { TfGraphBuilder, attr } from '../frontend/tf/builder.js';
import * as M from './models.js';

function refused(f: () => unknown): SecrecyRejection {
  try {
    f();
  } catch (e) {
    if (e instanceof SecrecyRejection) return e;
    throw new Error(`expected a secrecy rejection, got ${e instanceof Error ? e.message : String(e)}`);
  }
  throw new Error('expected the import to be refused');
}

function only(e: SecrecyRejection): Finding {
  expect(e.report.findings).toHaveLength(1);
  return e.report.findings[0] as Finding;
}

function flowOf(bytes: Uint8Array): GraphSecrecy {
  const g = decodeModel(bytes).graph;
  if (g === undefined) throw new Error('no graph');
  return analyzeGraph(onnxFlowGraph(g));
}

describe('ONNX: leaks are refused with the node and the path', () => {
  it.each([
    [
      'a shape from the image',
      M.reshapeBySecret,
      'shape',
      'r',
      'Reshape',
      'the target shape',
      "image (client input) → ArgMax 'am' → Cast 'c' → Reshape 'r'",
    ],
    [
      'a memory index from the image',
      M.gatherAtSecret,
      'index',
      'lookup',
      'Gather',
      'the indices',
      "image (client input) → ArgMax 'am' → Gather 'lookup'",
    ],
    [
      'slice positions from the image',
      M.sliceAtSecret,
      'index',
      'sl',
      'Slice',
      'the starts',
      "image (client input) → ArgMax 'am' → Cast 'c' → Slice 'sl'",
    ],
    [
      'a result size from the image',
      M.nonZeroOfSecret,
      'shape',
      'nz',
      'NonZero',
      'the tensor whose non-zero count sizes the result',
      "image (client input) → NonZero 'nz'",
    ],
    [
      'a branch on the image',
      M.ifOnSecret,
      'control',
      'branch',
      'If',
      'the condition',
      "image (client input) → ReduceMax 'peak' → Greater 'bright' → If 'branch'",
    ],
    [
      'a trip count from the image',
      M.loopCountOfSecret,
      'control',
      'repeat',
      'Loop',
      'the trip count',
      "image (client input) → ArgMax 'am' → ReduceMax 'count' → Loop 'repeat'",
    ],
    [
      'a loop condition from the carried image',
      M.loopWhileSecret,
      'control',
      'repeat',
      'Loop',
      'the condition the body computes',
      "image (client input) → Loop 'repeat' → ReduceSum 'repeat/body/sum' → Greater 'repeat/body/more_left' → Loop 'repeat'",
    ],
    [
      'a divisor from the image',
      M.divideBySecret,
      'clear',
      'normalise',
      'Div',
      'the divisor',
      "image (client input) → ReduceSum 'total' → Div 'normalise'",
    ],
  ] as const)('%s', (_, build, kind, node, op, port, path) => {
    const e = refused(() => onnxToHlil(build()));
    expect(e.code).toBe('unsupported');
    const f = only(e);
    expect([f.kind, f.level, f.node, f.op, f.port]).toEqual([kind, 'graph', node, op, port]);
    expect(showPath(f.path)).toBe(path);
    expect(e.message.startsWith(`onnx node '${node}' (${op}): secrecy: ${port} (input '`)).toBe(true);
    expect(e.message).toContain(`; path: ${path}`);
  });

  it('the importer’s own refusal follows the secrecy reason', () => {
    const e = refused(() => onnxToHlil(M.reshapeBySecret()));
    expect(e.message).toMatch(
      /\nthe importer also refuses the model: onnx node 'c' \(Cast\): operator Cast is not supported/,
    );
  });

  it('a weight that is also read in the clear is refused even though the importer accepts it', () => {
    const e = refused(() => onnxToHlil(M.weightAsDivisor()));
    const f = only(e);
    expect([f.kind, f.node, f.op]).toEqual(['weight-made-public', 'divide', 'Div']);
    expect(f.message).toBe(
      "model constant 'c' is a secret weight (read as data by Mul 'scale') and is also read in the clear as the divisor, which would reveal the weight",
    );
    expect(e.message).not.toContain('the importer also refuses');
  });

  it('Shape(image) is public: a shape computed from it is no leak (the importer alone refuses Shape)', () => {
    const flow = flowOf(M.reshapeByShape());
    expect(flow.findings).toEqual([]);
    expect(flow.structure.map((s) => [s.name, s.uses.map((u) => `${u.what} of ${u.op} '${u.node}'`)])).toEqual([
      ['zero', ["the indices of Gather 'ga'"]],
      ['minus1', ["the target shape of Reshape 'r'"]],
    ]);
    let err: unknown = null;
    try {
      onnxToHlil(M.reshapeByShape());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CryptflowError);
    expect(err).not.toBeInstanceOf(SecrecyRejection);
    expect((err as Error).message).toContain('operator Shape is not supported');
  });

  it('a loop with a public trip count and condition may compute on the secret', () => {
    const flow = flowOf(M.loopPublic());
    expect(flow.findings).toEqual([]);
    expect(flow.structure.map((s) => s.name).sort()).toEqual(['go', 'three']);
    expect(flow.outputs).toEqual([{ name: 'y', to: 'client', label: { kind: 'secret', owners: ['client'] } }]);
  });

  it('an accepted import carries its graph report: inputs, weights, structure, outputs', () => {
    const m = onnxToHlil(flowModel());
    expect(m.secrecy).toMatchObject({
      format: 'onnx',
      inputs: [{ name: 'x', owner: 'client' }],
      weights: ['w'],
      structure: [{ name: 'shape', uses: [{ node: 'flat', op: 'Reshape', what: 'the target shape' }] }],
      findings: [],
    });
    expect(m.secrecy?.outputs.map((o) => `${o.name}:${o.to}:${o.label.kind}`)).toEqual(['y:client:secret']);
  });
});

function flowModel(): Uint8Array {
  const g = onnxGraph({ opset: 13 });
  const x = g.input('x', [1, 2, 2]);
  const flat = g.node('Reshape', [x, g.ints('shape', [1, 4])], {}, { name: 'flat' });
  g.output(
    g.node('MatMul', [flat, g.weight('w', [4, 2], new Float32Array(8).fill(0.25))], {}, { name: 'mm', outputs: ['y'] }),
  );
  return g.bytes();
}

describe('TensorFlow: leaks are refused with the node and the path', () => {
  const base = (): TfGraphBuilder => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 4]);
    g.constI('dim', [], [1]);
    g.op('am', 'ArgMax', ['x', 'dim'], { Tidx: attr.type('DT_INT32'), output_type: attr.type('DT_INT32') });
    return g;
  };

  it('a Reshape whose shape comes from the placeholder', () => {
    const g = base();
    g.op('r', 'Reshape', ['x', 'am'], { Tshape: attr.type('DT_INT32') });
    const e = refused(() => graphDefToHlil(g.graphDef()));
    const f = only(e);
    expect([f.kind, f.node, f.op]).toEqual(['shape', 'r', 'Reshape']);
    expect(showPath(f.path)).toBe("x (client input) → ArgMax 'am' → Reshape 'r'");
    expect(e.message.startsWith("tf-graphdef node 'r' (Reshape): secrecy: the target shape (input 'am')")).toBe(true);
  });

  it('a Switch on a predicate computed from the placeholder, and a slice at secret positions', () => {
    const g = base();
    g.constF('zero', [], [0]);
    g.op('peak', 'Max', ['x', 'dim'], { Tidx: attr.type('DT_INT32') });
    g.op('bright', 'Greater', ['peak', 'zero']);
    g.op('sw', 'Switch', ['x', 'bright']);
    g.constI('end', [1], [4]);
    g.constI('stride', [1], [1]);
    g.op('sl', 'StridedSlice', ['x', 'am', 'end', 'stride'], { Index: attr.type('DT_INT32') });
    const e = refused(() => graphDefToHlil(g.graphDef(), { outputs: ['sw', 'sl'] }));
    expect(e.report.findings.map((f) => `${f.kind}@${f.node}: ${showPath(f.path)}`)).toEqual([
      "control@sw: x (client input) → Max 'peak' → Greater 'bright' → Switch 'sw'",
      "index@sl: x (client input) → ArgMax 'am' → StridedSlice 'sl'",
    ]);
  });
});
