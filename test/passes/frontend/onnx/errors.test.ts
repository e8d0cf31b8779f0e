/**
 * Bad input to the ONNX frontend is a clear CryptflowError, never a crash deep inside:
 *   - malformed files: empty, truncated at every kind of position, random bytes, bit-flipped valid
 *     models (fuzzing: whatever the damage, only CryptflowErrors escape, never an internal error);
 *   - 'unsupported': an operator, an operator domain, an attribute, an attribute value, a dynamic
 *     dimension, an opset outside 11–21, run-time shapes, a Softmax result used inside the graph —
 *     each message names the operator, the node and what is supported;
 *   - 'parse' for wrong attribute types and undefined inputs, 'shape' for shapes that do not fit;
 *   - no message carries a weight value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptflowError, type ErrorCode } from '../../../../spec/errors.js';
import { onnxToHlil } from '../../../../passes/frontend/onnx/index.js';
import { ModelProtoType } from '../../../../passes/frontend/onnx/schema.js';
import { encodeOnnx, floatTensor, onnxGraph, type OnnxGraphBuilder } from '../../../../passes/frontend/onnx/writer.js';
import { onnxGraph as onnxGraphArb } from '../../../arbitraries/onnx.js';

function failure(f: () => unknown): CryptflowError {
  try {
    f();
  } catch (e) {
    if (e instanceof CryptflowError) return e;
    throw new Error(`expected a CryptflowError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  throw new Error('expected the import to fail');
}

function expectError(bytes: Uint8Array, code: ErrorCode, ...parts: readonly string[]): CryptflowError {
  const e = failure(() => onnxToHlil(bytes));
  expect(e.code, e.message).toBe(code);
  for (const p of parts) expect(e.message).toContain(p);
  return e;
}

/** x[1,2,4,4] → (node under test) → output, opset 13 unless said. */
function single(
  op: string,
  attrs: Parameters<OnnxGraphBuilder['node']>[2] = {},
  opts: { opset?: number; extra?: (g: OnnxGraphBuilder) => string[] } = {},
): Uint8Array {
  const g = onnxGraph({ opset: opts.opset ?? 13 });
  const x = g.input('x', [1, 2, 4, 4]);
  g.output(g.node(op, [x, ...(opts.extra?.(g) ?? [])], attrs, { name: 'the_node' }));
  return g.bytes();
}

describe('malformed files are parse errors', () => {
  const valid = single('Relu');

  it('empty, garbage, not-a-model', () => {
    expectError(new Uint8Array(), 'parse', 'empty');
    expectError(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]), 'parse', 'onnx model');
    expectError(new TextEncoder().encode('{"format": "json, not onnx"}'), 'parse', 'onnx model');
    expectError(ModelProtoType.encode(ModelProtoType.fromObject({ ir_version: 8 })).finish(), 'parse', 'no graph');
    expectError(
      ModelProtoType.encode(ModelProtoType.fromObject({ ir_version: 8, graph: { name: 'g' } })).finish(),
      'parse',
      'opset_import',
    );
  });

  it('every strict prefix of a model is a parse error', () => {
    for (let n = 0; n < valid.length; n++) expectError(valid.slice(0, n), 'parse', 'onnx');
  });

  it('random bytes and bit-flipped random models never escape as anything but a CryptflowError', () => {
    const codes = new Set<ErrorCode>();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (bytes) => {
        codes.add(failure(() => onnxToHlil(bytes)).code);
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(
        onnxGraphArb({ maxNodes: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.nat(7),
        (c, at, bit) => {
          const bytes = Uint8Array.from(c.bytes);
          for (const a of at) bytes[a % bytes.length] = (bytes[a % bytes.length] ?? 0) ^ (1 << bit);
          try {
            onnxToHlil(bytes);
          } catch (e) {
            if (!(e instanceof CryptflowError)) throw e;
            codes.add(e.code);
            expect(e.message).not.toContain('internal error');
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(codes.has('parse')).toBe(true);
  });

  it('an input that no earlier node, initializer or graph input defines', () => {
    const g = onnxGraph({ opset: 13 });
    g.input('x', [2]);
    g.output(g.node('Relu', ['nowhere'], {}, { name: 'r' }));
    expectError(g.bytes(), 'parse', "node 'r' (Relu)", "'nowhere'", 'topological');
  });

  it('an attribute of the wrong type', () => {
    expectError(
      single('MaxPool', { kernel_shape: { floats: [2, 2] } }),
      'parse',
      "node 'the_node' (MaxPool) attribute 'kernel_shape'",
      'FLOATS',
      'expected INTS',
    );
  });

  it('a tensor whose data does not match its dims', () => {
    const spec = onnxGraph({ opset: 13 });
    const x = spec.input('x', [2]);
    spec.output(spec.node('Add', [x, 'w']));
    const s = spec.spec();
    const model = ModelProtoType.toObject(
      ModelProtoType.decode(encodeOnnx({ ...s, initializers: [['w', floatTensor([2], [1, 2], 'typed')]] })),
      { longs: Number },
    );
    const graph = model['graph'] as { initializer: Array<{ float_data: number[] }> };
    graph.initializer[0]?.float_data.push(3);
    expectError(
      ModelProtoType.encode(ModelProtoType.fromObject(model)).finish(),
      'parse',
      "initializer 'w'",
      'holds 3 values',
      'dims give 2',
    );
  });
});

describe('unsupported models say what, where, and what is supported', () => {
  it('an unsupported operator names the operator and the node, and lists the supported ones', () => {
    const e = expectError(
      single('Tanh'),
      'unsupported',
      "onnx node 'the_node' (Tanh)",
      'operator Tanh is not supported',
      'Conv',
      'MaxPool',
    );
    expect(e.message).toContain('supported:');
  });

  it('an operator of another domain', () => {
    const g = onnxGraph({ opset: 13 });
    g.output(g.node('FusedConv', [g.input('x', [1])], {}, { name: 'fc', domain: 'com.microsoft' }));
    expectError(g.bytes(), 'unsupported', "node 'fc' (FusedConv)", "domain 'com.microsoft'");
  });

  it('an unsupported attribute, and an unsupported attribute value', () => {
    expectError(
      single('Relu', { fancy: 1 }),
      'unsupported',
      "node 'the_node' (Relu)",
      "attribute 'fancy'",
      'supported attributes: none',
    );
    expectError(
      single('Conv', { auto_pad: 'EXPLICIT' }, { extra: (g) => [g.weight('w', [2, 2, 1, 1], [1, 2, 3, 4])] }),
      'unsupported',
      '(Conv)',
      "auto_pad 'EXPLICIT'",
      'SAME_UPPER',
    );
    expectError(
      single('Pad', { mode: 'reflect' }, { extra: (g) => [g.ints('p', [0, 0, 1, 1, 0, 0, 1, 1])] }),
      'unsupported',
      "node 'the_node' (Pad)",
      "mode 'reflect'",
      "only 'constant'",
    );
    expectError(single('MaxPool', { kernel_shape: [2, 2], dilations: [2, 2] }), 'unsupported', 'dilations', 'only 1');
    expectError(single('ArgMax', { select_last_index: 1 }), 'unsupported', 'select_last_index');
    expectError(
      single('Gemm', { alpha: { float: 2 } }, { extra: () => ['x'] }),
      'unsupported',
      '(Gemm)',
      'alpha = 2',
      'model constant',
    );
    expectError(
      single('Clip', {}, { extra: (g) => [g.weight('lo', [], [-1]), g.weight('hi', [], [1])] }),
      'unsupported',
      '(Clip)',
      'ReLU6',
    );
    expectError(
      single(
        'BatchNormalization',
        { training_mode: 1 },
        { opset: 15, extra: (g) => ['s', 'b', 'm', 'v'].map((n) => g.weight(n, [2], [1, 1])) },
      ),
      'unsupported',
      'training_mode',
    );
    expectError(
      single(
        'ConvTranspose',
        { strides: [1, 1], dilations: [2, 2], output_padding: [1, 1] },
        { extra: (g) => [g.weight('w', [2, 1, 1, 1], [1, 1])] },
      ),
      'unsupported',
      'output_padding[0] = 1',
      'stride',
    );
  });

  it('a dynamic dimension names the input and the dimension, unless the caller fixes it', () => {
    const g = onnxGraph({ opset: 13 });
    g.output(g.node('Relu', [g.input('images', ['batch', 3, 'height', 8])]));
    const bytes = g.bytes();
    expectError(bytes, 'unsupported', "'images'", "dim 0 is symbolic ('batch')", 'batch or dims option');
    expect(() => onnxToHlil(bytes, { batch: 1 })).toThrow(/dim 2 is symbolic \('height'\)/);
    expect(onnxToHlil(bytes, { batch: 2, dims: { height: 5 } }).program.decls[0]?.shape).toEqual([2, 3, 5, 8]);
    expect(() => onnxToHlil(bytes, { batch: 0, dims: { height: 5 } })).toThrow(/batch must be a positive integer/);
    const h = onnxGraph({ opset: 13 });
    h.output(h.node('Relu', [h.input('unknown_rank', [])]));
    const spec = h.spec();
    expectError(
      encodeOnnx({ ...spec, inputs: [{ name: 'unknown_rank' }] }),
      'unsupported',
      "'unknown_rank'",
      'no shape',
    );
  });

  it('an opset outside 11–21, or none for the default domain', () => {
    for (const opset of [10, 22])
      expectError(single('Relu', {}, { opset }), 'unsupported', `opset ${opset}`, 'opsets 11 to 21');
    const spec = onnxGraph({ opset: 13 });
    spec.output(spec.node('Relu', [spec.input('x', [1])]));
    const model = ModelProtoType.toObject(ModelProtoType.decode(spec.bytes()), { longs: Number });
    model['opset_import'] = [{ domain: 'ai.onnx.ml', version: 3 }];
    expectError(
      ModelProtoType.encode(ModelProtoType.fromObject(model)).finish(),
      'parse',
      'opset_import',
      'default ONNX domain',
    );
  });

  it('shapes, pads and divisors computed at run time', () => {
    const g = onnxGraph({ opset: 13 });
    const x = g.input('x', [2, 2]);
    const y = g.input('y', [2]);
    g.output(g.node('Div', [x, y], {}, { name: 'divide' }));
    expectError(g.bytes(), 'unsupported', "node 'divide' (Div)", "the divisor (input 'y') must be a constant");
    const h = onnxGraph({ opset: 13 });
    const a = h.input('a', [2, 2]);
    h.output(h.node('Reshape', [a, h.input('s', [2], 'int64')], {}, { name: 'rs' }));
    const spec = h.spec();
    const e = failure(() => onnxToHlil(encodeOnnx(spec)));
    expect(e.code).toBe('unsupported');
    expect(e.message).toContain("'s' (graph input)");
    expect(e.message).toContain('graph inputs must be float32');
  });

  it('a non-finite weight', () => {
    const g = onnxGraph({ opset: 13 });
    g.output(g.node('Mul', [g.input('x', [3]), g.weight('w', [3], [1, Number.NaN, 2])], {}, { name: 'scale' }));
    expectError(g.bytes(), 'unsupported', "node 'scale' (Mul)", "'w' has a non-finite entry at index 1");
  });

  it('a Softmax result read by another node', () => {
    const g = onnxGraph({ opset: 13 });
    const s = g.node('Softmax', [g.input('x', [1, 4])], {}, { outputs: ['probs'] });
    g.output(g.node('Relu', [s], {}, { name: 'after' }));
    expectError(g.bytes(), 'unsupported', "node 'after' (Relu)", "'probs' is a Softmax result", 'graph output');
  });

  it('external weight data and sparse initializers', () => {
    const g = onnxGraph({ opset: 13 });
    g.output(g.node('Add', [g.input('x', [2]), g.weight('w', [2], [1, 2])]));
    const model = ModelProtoType.toObject(ModelProtoType.decode(g.bytes()), { longs: Number });
    const graph = model['graph'] as { initializer: Array<Record<string, unknown>> };
    const w = graph.initializer[0] ?? {};
    w['data_location'] = 1;
    w['external_data'] = [{ key: 'location', value: 'weights.bin' }];
    expectError(
      ModelProtoType.encode(ModelProtoType.fromObject(model)).finish(),
      'unsupported',
      "'w'",
      'external data',
    );
    const sparse = ModelProtoType.toObject(ModelProtoType.decode(g.bytes()), { longs: Number });
    (sparse['graph'] as Record<string, unknown>)['sparse_initializer'] = [
      {
        dims: [2],
        values: { name: 'sw', dims: [1], data_type: 1, float_data: [1] },
        indices: { dims: [1], data_type: 7, int64_data: [0] },
      },
    ];
    expectError(
      ModelProtoType.encode(ModelProtoType.fromObject(sparse)).finish(),
      'unsupported',
      'sparse initializers',
    );
  });
});

describe('shape errors and secrecy of messages', () => {
  it('shapes that do not fit are shape errors naming the ONNX node', () => {
    const g = onnxGraph({ opset: 13 });
    g.output(
      g.node('MatMul', [g.input('x', [2, 3]), g.weight('w', [4, 2], new Array<number>(8).fill(1))], {}, { name: 'mm' }),
    );
    expectError(g.bytes(), 'shape', "onnx node 'mm' (MatMul)", 'inner dimensions differ');
    expectError(
      single('Reshape', {}, { extra: (g2) => [g2.ints('s', [3, -1])] }),
      'shape',
      '(Reshape)',
      'cannot infer',
    );
    expectError(single('Concat', { axis: 4 }), 'shape', '(Concat)', 'axis 4 is out of range');
  });

  it('a declared output shape that disagrees with the inferred one', () => {
    const g = onnxGraph({ opset: 13 });
    g.output(g.node('Relu', [g.input('x', [2, 3])], {}, { outputs: ['y'] }), [3, 2]);
    expectError(g.bytes(), 'shape', "graph output 'y'", 'declared shape [3,2]', 'inferred [2,3]');
  });

  it('no error message carries a weight value', () => {
    const secret = 1234.5678;
    const cases: Array<(g: OnnxGraphBuilder, x: string) => string> = [
      (g, x) => g.node('Reshape', [x, g.weight('s', [2], [secret, 1])]),
      (g, x) => g.node('Div', [x, g.weight('d', [2], [secret, 0])]),
      (g, x) => g.node('Clip', [x, g.weight('lo', [], [secret])]),
      (g, x) => g.node('MatMul', [x, g.weight('w', [3, 1], [secret, secret, secret])]),
    ];
    for (const make of cases) {
      const g = onnxGraph({ opset: 13 });
      g.output(make(g, g.input('x', [1, 2])));
      const e = failure(() => onnxToHlil(g.bytes()));
      expect(e.message).not.toMatch(/1234\.5/);
    }
  });
});
