/**
 * Every class of bad input to the TF frontends is a CryptflowError with a clear message: 'unsupported'
 * (operator, attribute value, dynamic shape — naming the op, the node and what is supported),
 * 'parse' (truncated or malformed GraphDef, bad model.json, missing or short shards), 'shape' (a
 * graph whose shapes do not fit), 'usage' (options naming no node). No message carries a weight value.
 */
import { describe, expect, test } from 'vitest';
import { CryptflowError, type ErrorCode } from '../../../../spec/errors.js';
import { graphDefToHlil } from '../../../../passes/frontend/tf/graphdef.js';
import { encodeGraphDefJson } from '../../../../passes/frontend/tf/schema.js';
import { tfjsToHlil } from '../../../../passes/frontend/tf/tfjs.js';
import type { TfImportOptions } from '../../../../passes/frontend/tf/translate.js';
import { attr, shardReader, TfGraphBuilder, values } from './builder.js';
import { cnn } from './models.js';

function caught(f: () => unknown): CryptflowError {
  try {
    f();
  } catch (e) {
    if (e instanceof CryptflowError) return e;
    throw new Error(`expected a CryptflowError, got ${String(e)}`);
  }
  throw new Error('expected an error, none was thrown');
}

/** Both frontends refuse `g` with `code` and a message matching every pattern. */
function refusedBoth(
  g: TfGraphBuilder,
  code: ErrorCode,
  patterns: readonly RegExp[],
  opts: TfImportOptions = {},
): void {
  const { modelJson, files } = g.tfjs();
  for (const [format, f] of [
    ['tf-graphdef', () => graphDefToHlil(g.graphDef(), opts)],
    ['tfjs', () => tfjsToHlil(modelJson, shardReader(files), opts)],
  ] as const) {
    const e = caught(f);
    expect(e.code, e.message).toBe(code);
    expect(e.message.startsWith(`${format} `), e.message).toBe(true);
    for (const p of patterns) expect(e.message).toMatch(p);
  }
}

/** x [1, 4, 4, 2] with a 3×3×2×2 filter, ready for one more node. */
function withConv(convAttrs: Record<string, unknown> = {}, op = 'Conv2D'): TfGraphBuilder {
  const g = new TfGraphBuilder();
  g.placeholder('x', [1, 4, 4, 2]);
  g.constF('k', [3, 3, 2, 2], values(36, 1));
  g.op('conv', op, ['x', 'k'], { strides: attr.ints([1, 1, 1, 1]), padding: attr.s('SAME'), ...convAttrs });
  return g;
}

describe("'unsupported': operators, attribute values, dynamic shapes", () => {
  test('an operator outside the list names itself, the node and the supported operators', () => {
    const g = withConv();
    g.op('act', 'Tanh', ['conv']);
    refusedBoth(g, 'unsupported', [/node 'act' \(Tanh\)/, /operator Tanh is not supported/, /Conv2D/, /Relu6/]);
  });

  test('data_format NCHW, strides on the batch axis, an unknown padding kind', () => {
    refusedBoth(withConv({ data_format: attr.s('NCHW') }), 'unsupported', [
      /'conv' \(Conv2D\)/,
      /data_format NCHW/,
      /only NHWC/,
    ]);
    refusedBoth(withConv({ strides: attr.ints([2, 1, 1, 1]) }), 'unsupported', [
      /strides \[2,1,1,1\] on the batch or channel axis/,
    ]);
    refusedBoth(withConv({ padding: attr.s('CAUSAL') }), 'unsupported', [/padding CAUSAL/, /SAME, VALID and EXPLICIT/]);
  });

  test('non-float element types', () => {
    refusedBoth(withConv({ T: attr.type('DT_HALF') }), 'unsupported', [/T = DT_HALF/, /only DT_FLOAT/]);
    const g = new TfGraphBuilder();
    g.placeholder('ids', [1, 4], 'DT_INT32');
    g.op('r', 'Relu', ['ids']);
    refusedBoth(g, 'unsupported', [/'ids' \(Placeholder\)/, /DT_INT32/]);
  });

  test('a dynamic shape (−1 or unknown rank) without inputShapes; with inputShapes it imports', () => {
    for (const shape of [[-1, 4, 4, 2], null, 'none'] as const) {
      const g = new TfGraphBuilder();
      g.placeholder('x', shape);
      g.op('y', 'Relu', ['x']);
      refusedBoth(g, 'unsupported', [/'x' \(Placeholder\)/, /dynamic shape/, /inputShapes\['x'\]/]);
      const m = graphDefToHlil(g.graphDef(), { inputShapes: { x: [3, 4, 4, 2] } });
      expect(m.program.decls).toEqual([{ kind: 'input', name: 'x', shape: [3, 4, 4, 2], owner: 'client' }]);
    }
  });

  test('Mean over other axes than the spatial ones', () => {
    const g = withConv();
    g.constI('axes', [1], [3]);
    g.op('m', 'Mean', ['conv', 'axes'], { keep_dims: attr.b(false) });
    refusedBoth(g, 'unsupported', [/Mean over axes \[3\]/, /only the spatial axes \[1,2\]/]);
  });

  test('a Softmax read by another operator; ArgMax over a Softmax reads the logits', () => {
    const g = withConv();
    g.op('sm', 'Softmax', ['conv']);
    g.op('r', 'Relu', ['sm']);
    refusedBoth(g, 'unsupported', [/'r' \(Relu\)/, /Softmax result 'sm'/, /only feed graph outputs/]);
    const ok = withConv();
    ok.op('sm', 'Softmax', ['conv']);
    ok.constI('d', [], [3]);
    ok.op('am', 'ArgMax', ['sm', 'd']);
    const m = graphDefToHlil(ok.graphDef(), { outputs: ['am', 'sm'] });
    expect(m.program.nodes.filter((n) => n.op === 'Softmax').map((n) => n.out)).toEqual(['sm']);
    expect(m.program.nodes.find((n) => n.op === 'ArgMax')).toMatchObject({ x: 'conv:nchw', axis: 1 });
  });

  test('training-mode batch norm, and reading a batch statistic (output 1)', () => {
    const bn = (isTraining: boolean | undefined, reader: string): TfGraphBuilder => {
      const g = withConv();
      for (const p of ['s', 'o', 'm', 'v']) g.constF(p, [2], [1, 0.5]);
      g.op(
        'bn',
        'FusedBatchNormV3',
        ['conv', 's', 'o', 'm', 'v'],
        isTraining === undefined ? {} : { is_training: attr.b(isTraining) },
      );
      g.op('y', 'Relu', [reader]);
      return g;
    };
    refusedBoth(bn(true, 'bn'), 'unsupported', [/'bn' \(FusedBatchNormV3\)/, /is_training/]);
    refusedBoth(bn(undefined, 'bn'), 'unsupported', [/is_training is true \(or absent/]);
    refusedBoth(bn(false, 'bn:1'), 'unsupported', [/'y' \(Relu\)/, /reads output 1 of 'bn'/]);
  });

  test('an integer Const read as a tensor operand', () => {
    const g = withConv();
    g.constI('c', [2], [1, 2]);
    g.op('y', 'Add', ['conv', 'c']);
    refusedBoth(g, 'unsupported', [
      /'y' \(Add\)/,
      /reads constant 'c' \(an integer tensor\)/,
      /only DT_FLOAT constants/,
    ]);
  });

  test('EXPLICIT padding on the batch axis', () => {
    refusedBoth(
      withConv({ padding: attr.s('EXPLICIT'), explicit_paddings: attr.ints([1, 0, 0, 0, 0, 0, 0, 0]) }),
      'unsupported',
      [/explicit_paddings on the batch or channel axis/],
    );
  });

  test('shapes computed at run time, constant-only arithmetic, constant outputs', () => {
    const g = withConv();
    g.placeholder('shape', [2]);
    g.op('r', 'Reshape', ['conv', 'shape']);
    refusedBoth(g, 'unsupported', [/'r' \(Reshape\)/, /shape must be a Const/]);
    const h = new TfGraphBuilder();
    h.placeholder('x', [1, 2]);
    h.constF('a', [2], [1, 2]);
    h.constF('b', [2], [3, 4]);
    h.op('ab', 'Add', ['a', 'b']);
    h.op('y', 'Mul', ['x', 'ab']);
    refusedBoth(h, 'unsupported', [/'ab' \(Add\)/, /both operands are constants/]);
    refusedBoth(h, 'unsupported', [/'a' \(Const\)/, /output is a constant/], { outputs: ['a'] });
  });
});

describe("'parse': malformed GraphDefs", () => {
  const bytes = cnn().g.graphDef();

  test('truncated bytes, garbage and an empty file', () => {
    for (const cut of [bytes.length - 1, Math.floor(bytes.length / 2), 7]) {
      const e = caught(() => graphDefToHlil(bytes.slice(0, cut)));
      expect(e.code).toBe('parse');
      expect(e.message).toMatch(
        /^tf-graphdef model: GraphDef: the \d+ bytes are not a complete tensorflow.GraphDef message/,
      );
    }
    expect(caught(() => graphDefToHlil(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x07]))).code).toBe('parse');
    expect(caught(() => graphDefToHlil(new Uint8Array(0))).message).toMatch(/graph: it has no nodes/);
  });

  test('dangling input, cycle, duplicate name, wrong arity, missing attribute, bad tensor content', () => {
    const enc = (nodes: unknown[]): Uint8Array => encodeGraphDefJson({ node: nodes });
    const x = { name: 'x', op: 'Placeholder', attr: { dtype: attr.type('DT_FLOAT'), shape: attr.shape([1, 2]) } };
    const cases: ReadonlyArray<readonly [unknown[], RegExp]> = [
      [[x, { name: 'y', op: 'Relu', input: ['nope'] }], /node 'y' \(Relu\): input 'nope' names no node/],
      [
        [
          x,
          { name: 'a', op: 'Relu', input: ['b'] },
          { name: 'b', op: 'Relu', input: ['a'] },
          { name: 'c', op: 'Relu', input: ['b'] },
        ],
        /cycle/,
      ],
      [[x, { ...x }], /node name 'x' appears twice/],
      [[x, { name: 'y', op: 'Relu', input: ['x', 'x'] }], /'y' \(Relu\): has 2 data inputs, expected 1/],
      [
        [
          { ...x, attr: { shape: attr.shape([1, 2]) } },
          { name: 'y', op: 'Relu', input: ['x'] },
        ],
        /'x' \(Placeholder\): attribute 'dtype' is missing/,
      ],
      [
        [
          x,
          {
            name: 'c',
            op: 'Const',
            attr: {
              value: { tensor: { dtype: 'DT_FLOAT', tensorShape: attr.shape([3])['shape'], tensorContent: 'AAAA' } },
            },
          },
          { name: 'y', op: 'Add', input: ['x', 'c'] },
        ],
        /tensorContent: has 3 bytes, expected 3 × 4/,
      ],
      [
        [
          { ...x, attr: { dtype: attr.type('DT_FLOAT'), shape: { i: '3' } } },
          { name: 'y', op: 'Relu', input: ['x'] },
        ],
        /'x' \(Placeholder\): attribute 'shape' should be of kind 'shape', found 'i'/,
      ],
    ];
    for (const [nodes, pattern] of cases) {
      const e = caught(() => graphDefToHlil(enc(nodes)));
      expect(e.message).toMatch(pattern);
      expect(e.code).toBe('parse');
    }
    const strides = caught(() => graphDefToHlil(withConv({ strides: attr.ints([1, 1, 1]) }).graphDef()));
    expect([strides.code, strides.message]).toEqual([
      'parse',
      "tf-graphdef model: node 'conv' (Conv2D): attribute 'strides' has 3 entries, expected 4 (one per axis of the 4-D input)",
    ]);
    const noPad = new TfGraphBuilder();
    noPad.placeholder('x', [1, 4, 4, 2]);
    noPad.op('p', 'MaxPool', ['x'], { ksize: attr.ints([1, 2, 2, 1]), strides: attr.ints([1, 2, 2, 1]) });
    expect(caught(() => graphDefToHlil(noPad.graphDef())).message).toBe(
      "tf-graphdef model: node 'p' (MaxPool): attribute 'padding' is missing",
    );
  });
});

describe("'shape' and 'usage'", () => {
  test('a filter whose channels do not fit, a Reshape to the wrong size, a misfit inputShapes', () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 4, 4, 3]);
    g.constF('k', [3, 3, 2, 2], values(36, 1));
    g.op('conv', 'Conv2D', ['x', 'k'], { strides: attr.ints([1, 1, 1, 1]), padding: attr.s('VALID') });
    refusedBoth(g, 'shape', [/'conv' \(Conv2D\)/, /2 input channels, which does not divide the 3 channels/]);
    const r = withConv();
    r.constI('s', [2], [5, -1]);
    r.op('r', 'Reshape', ['conv', 's']);
    refusedBoth(r, 'shape', [/cannot reshape \[1,4,4,2\] \(32 elements\) to \[5,-1\]/]);
    const p = new TfGraphBuilder();
    p.placeholder('x', [-1, 4]);
    p.op('y', 'Relu', ['x']);
    refusedBoth(p, 'shape', [/inputShapes gives \[2,5\], which does not fit its shape \[-1,4\]/], {
      inputShapes: { x: [2, 5] },
    });
  });

  test('Conv3DBackpropInputV2 whose input_sizes cannot produce out_backprop', () => {
    const g = new TfGraphBuilder();
    g.placeholder('dy', [1, 2, 2, 2, 3]);
    g.constI('sizes', [5], [1, 9, 4, 4, 2]);
    g.constF('k', [2, 2, 2, 2, 3], values(48, 2));
    g.op('up', 'Conv3DBackpropInputV2', ['sizes', 'k', 'dy'], {
      strides: attr.ints([1, 2, 2, 2, 1]),
      padding: attr.s('SAME'),
    });
    refusedBoth(g, 'shape', [
      /'up' \(Conv3DBackpropInputV2\)/,
      /input_sizes \[1,9,4,4,2\] does not match out_backprop \[1,2,2,2,3\]/,
    ]);
  });

  test('outputs or inputShapes naming no (Placeholder) node', () => {
    const e = caught(() => graphDefToHlil(cnn().g.graphDef(), { outputs: ['nope:0'] }));
    expect([e.code, e.message]).toEqual([
      'usage',
      "tf-graphdef model: output 'nope:0' (in the import options) names no node of the graph",
    ]);
    const s = caught(() => graphDefToHlil(cnn().g.graphDef(), { inputShapes: { 'conv1/Relu': [1, 2] } }));
    expect([s.code, s.message]).toEqual([
      'usage',
      "tf-graphdef model: inputShapes names 'conv1/Relu', which is not a Placeholder of the graph",
    ]);
  });
});

describe("TF.js: 'parse' for a bad model.json or shards, 'unsupported' for other formats", () => {
  const t = cnn();
  const { modelJson, files } = t.g.tfjs({ shards: 2 });
  const json = JSON.parse(modelJson) as Record<string, unknown>;
  const edit = (f: (j: Record<string, unknown>) => void): string => {
    const j = JSON.parse(modelJson) as Record<string, unknown>;
    f(j);
    return JSON.stringify(j);
  };
  const err = (mj: string, fs: ReadonlyMap<string, Uint8Array> = files): CryptflowError =>
    caught(() => tfjsToHlil(mj, shardReader(fs)));

  test('not JSON, no modelTopology, a topology that is not a GraphDef', () => {
    expect([err('{"modelTopology": ').code, err('{"modelTopology": ').message]).toEqual([
      'parse',
      'tfjs model: model.json: is not valid JSON',
    ]);
    expect(err('[]').message).toMatch(/model.json: expected a JSON object/);
    expect(err(edit((j) => delete j['modelTopology'])).message).toMatch(
      /modelTopology: expected a GraphDef object with a node list/,
    );
    const e = err(edit((j) => ((j['modelTopology'] as Record<string, unknown>)['node'] = [{ name: 'x', attr: 7 }])));
    expect([e.code, e.message]).toEqual([
      'parse',
      'tfjs model: modelTopology: is not a GraphDef in protobuf JSON form (.tensorflow.NodeDef.attr: object expected)',
    ]);
  });

  test('a missing shard, a short shard, a long shard', () => {
    const first = [...files.keys()][0] as string;
    const missing = new Map(files);
    missing.delete(first);
    const m = err(modelJson, missing);
    expect([m.code, m.message]).toEqual([
      'parse',
      `tfjs model: weight shard '${first}': could not be read (ENOENT: no such file '${first}')`,
    ]);
    const short = new Map(files);
    short.set(first, (files.get(first) as Uint8Array).slice(1));
    expect(err(modelJson, short).message).toMatch(
      /weightsManifest\[0\]: the shards hold \d+ bytes, too few for weight/,
    );
    const long = new Map(files);
    long.set(first, Uint8Array.from([...(files.get(first) as Uint8Array), 0, 0, 0, 0]));
    expect(err(modelJson, long).message).toMatch(
      /weightsManifest\[0\]: the shards hold \d+ bytes but the manifest describes \d+/,
    );
  });

  test('a Const without weights, a manifest shape that differs from the Const, a bad manifest entry', () => {
    const weightsOf = (j: Record<string, unknown>): Array<Record<string, unknown>> =>
      ((j['weightsManifest'] as Array<Record<string, unknown>>)[0] as { weights: Array<Record<string, unknown>> })
        .weights;
    expect(err(edit((j) => ((weightsOf(j)[1] as Record<string, unknown>)['name'] = 'other'))).message).toBe(
      "tfjs model: weightsManifest: no weight for Const node 'conv1/bias'",
    );
    expect(
      err(
        edit((j) => ((weightsOf(j)[1] as Record<string, unknown>)['shape'] = [2, 2])),
        files,
      ).message,
    ).toMatch(/Const node 'conv1\/bias': its shape \[4\] differs from the manifest's \[2,2\]/);
    expect(err(edit((j) => ((weightsOf(j)[0] as Record<string, unknown>)['shape'] = 'big'))).message).toMatch(
      /weight 'conv1\/kernel': 'shape' must be a list/,
    );
    expect(err(edit((j) => (j['weightsManifest'] = {}))).message).toMatch(
      /weightsManifest: expected a list of weight groups/,
    );
  });

  test('a signature output naming no node', () => {
    const { modelJson: mj, files: fs } = t.g.tfjs({ signatureOutputs: ['gone'] });
    const e = err(mj, fs);
    expect([e.code, e.message]).toEqual([
      'parse',
      "tfjs model: signature: output 'gone:0' (in the model signature) names no node of the graph",
    ]);
  });

  test('quantised weights, other dtypes and layers-models are unsupported', () => {
    const q = err(
      edit(
        (j) =>
          (((j['weightsManifest'] as Array<{ weights: Array<Record<string, unknown>> }>)[0]?.weights[0] ?? {})[
            'quantization'
          ] = { dtype: 'uint8', scale: 0.1, min: -1 }),
      ),
    );
    expect([q.code, q.message]).toEqual([
      'unsupported',
      "tfjs model: weight 'conv1/kernel' is quantised; only unquantised float32/int32 weights are supported",
    ]);
    expect(
      err(
        edit(
          (j) =>
            (((j['weightsManifest'] as Array<{ weights: Array<Record<string, unknown>> }>)[0]?.weights[0] ?? {})[
              'dtype'
            ] = 'float16'),
        ),
      ).code,
    ).toBe('unsupported');
    const l = err(edit((j) => (j['format'] = 'layers-model')));
    expect([l.code, l.message]).toEqual([
      'unsupported',
      "tfjs model: format 'layers-model'; only TF.js graph models ('graph-model', from tensorflowjs_converter --output_format=tfjs_graph_model) are supported",
    ]);
    expect(json['format']).toBe('graph-model');
  });
});

describe('no weight value in any message', () => {
  test('errors after weights are read name nodes and shapes only', () => {
    const g = new TfGraphBuilder();
    g.placeholder('x', [1, 4, 4, 2]);
    const secret = [0.123456789, -98765.4321, 4242.4242];
    g.constF('k', [3], secret);
    g.constF('k2', [3, 3, 2, 2], values(36, 1));
    g.op('conv', 'Conv2D', ['x', 'k2'], { strides: attr.ints([1, 1, 1, 1]), padding: attr.s('VALID') });
    g.op('y', 'Add', ['conv', 'k']);
    const { modelJson, files } = g.tfjs();
    for (const e of [
      caught(() => graphDefToHlil(g.graphDef())),
      caught(() => tfjsToHlil(modelJson, shardReader(files))),
    ]) {
      expect(e.code).toBe('shape');
      expect(e.message).toMatch(
        /^tf(js|-graphdef) node 'y' \(Add\): node y:nchw \(Add\): shapes do not broadcast: a is \[1,2,2,2\], b is \[1,3,1,1\]/,
      );
      expect(e.message).not.toMatch(/0\.1234|98765|4242/);
    }
  });
});
