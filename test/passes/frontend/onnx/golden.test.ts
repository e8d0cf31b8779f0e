/**
 * Golden tests of the ONNX frontend: small hand-written models (built with the writer) and the exact
 * HLIL they become (printHlil), with the server's weights and the output-name map. They pin the
 * lowering of each operator family (op table of proofs-notes/frontend-onnx.md): which constants become
 * server weights, public constants or nothing; how LeakyRelu, Clip, Gemm's α/β, N-D MatMul, Unsqueeze,
 * ceil-mode pooling, SAME padding and ConvTranspose's output_shape are resolved; aliases and repeated
 * outputs; names made valid for HLIL.
 */
import { describe, expect, it } from 'vitest';
import { printHlil } from '../../../../ir/text.js';
import { onnxToHlil, type OnnxImport } from '../../../../passes/frontend/onnx/index.js';
import { int64Tensor, onnxGraph, type OnnxGraphBuilder } from '../../../../passes/frontend/onnx/writer.js';

const seq = (n: number): number[] => Array.from({ length: n }, (_, i) => (i % 7) / 8 - 0.25);
const text = (lines: readonly string[]): string => `${lines.join('\n')}\n`;
const imported = (g: OnnxGraphBuilder, opts = {}): OnnxImport => onnxToHlil(g.bytes(), opts);

describe('ONNX → HLIL golden programs', () => {
  it('a LeNet-style PyTorch export: Conv, Relu, MaxPool, Flatten, Gemm(transB), Softmax', () => {
    const g = onnxGraph({ opset: 13 });
    const x = g.input('input.1', [1, 1, 8, 8]);
    const c = g.node(
      'Conv',
      [x, g.weight('conv1.weight', [4, 1, 3, 3], seq(36)), g.weight('conv1.bias', [4], seq(4))],
      { pads: [1, 1, 1, 1] },
      { outputs: ['onnx::Relu_5'] },
    );
    const r = g.node('Relu', [c], {}, { outputs: ['6'] });
    const p = g.node('MaxPool', [r], { kernel_shape: [2, 2], strides: [2, 2] }, { outputs: ['7'] });
    const f = g.node('Flatten', [p], { axis: 1 }, { outputs: ['8'] });
    const fc = g.node(
      'Gemm',
      [f, g.weight('fc.weight', [10, 64], seq(640)), g.weight('fc.bias', [10], seq(10))],
      { transB: 1 },
      { outputs: ['logits'] },
    );
    g.output(g.node('Softmax', [fc], { axis: 1 }, { outputs: ['probs'] }), [1, 10]);
    const m = imported(g);
    expect(printHlil(m.program)).toBe(
      text([
        'hlil',
        'input input.1 : f32[1,1,8,8] @client',
        'input conv1.weight : f32[4,1,3,3] @server',
        'input conv1.bias : f32[4] @server',
        'input fc.weight : f32[10,64] @server',
        'input fc.bias : f32[10] @server',
        'onnx::Relu_5 = Conv(input.1, conv1.weight, conv1.bias) strides=[1,1] pads=[1,1,1,1] dilations=[1,1] groups=1',
        '_6 = Relu(onnx::Relu_5)',
        '_7 = MaxPool(_6) kernel=[2,2] strides=[2,2] pads=[0,0,0,0]',
        '_8 = Flatten(_7) axis=1',
        'logits = Gemm(_8, fc.weight, fc.bias) transA=false transB=true',
        'probs = Softmax(logits) axis=1',
        'output probs -> client',
      ]),
    );
    expect([...m.weights.keys()]).toEqual(['conv1.weight', 'conv1.bias', 'fc.weight', 'fc.bias']);
    expect(Array.from(m.weights.get('conv1.bias') ?? [])).toEqual(seq(4));
    expect([...m.inputs]).toEqual([['input.1', 'input.1']]);
    expect([...m.outputs]).toEqual([['probs', 'probs']]);
    expect(m.opset).toBe(13);
  });

  it('LeakyRelu and Clip lower to Relu, Sub, Mul and Add with public scalars', () => {
    const g = onnxGraph({ opset: 13 });
    const x = g.input('x', [2, 3]);
    const a = g.node('LeakyRelu', [x], { alpha: { float: 0.2 } }, { outputs: ['leaky'] });
    const b = g.node('Clip', [a, g.weight('lo', [], [0]), g.weight('hi', [], [6])], {}, { outputs: ['relu6'] });
    g.output(g.node('Clip', [b, g.weight('zero', [], [0])], {}, { outputs: ['relu'] }));
    const m = imported(g);
    expect(printHlil(m.program)).toBe(
      text([
        'hlil',
        'input x : f32[2,3] @client',
        'const leaky/alpha : f32[] = [0.2]',
        'const relu6/max : f32[] = [6]',
        'leaky/relu = Relu(x)',
        'leaky/negative = Sub(x, leaky/relu)',
        'leaky/scaled = Mul(leaky/negative, leaky/alpha)',
        'leaky = Add(leaky/relu, leaky/scaled)',
        'relu6/relu = Relu(leaky)',
        'relu6/shifted = Sub(leaky, relu6/max)',
        'relu6/excess = Relu(relu6/shifted)',
        'relu6 = Sub(relu6/relu, relu6/excess)',
        'relu = Relu(relu6)',
        'output relu -> client',
      ]),
    );
    expect(m.weights.size).toBe(0);
  });

  it('shape-only constants stay out of the program; a Div divisor becomes a public constant', () => {
    const g = onnxGraph({ opset: 13 });
    const x = g.input('x', [1, 2, 3, 1]);
    const s = g.node('Squeeze', [x, g.ints('axes', [-1])], {}, { outputs: ['sq'] });
    const d = g.node('Div', [s, g.weight('d', [], [4])], {}, { outputs: ['div'] });
    const sh = g.node('Constant', [], { value: { tensor: int64Tensor([0, -1]) } }, { outputs: ['shape'] });
    const r = g.node('Reshape', [d, sh], {}, { outputs: ['flat'] });
    const u = g.node('Unsqueeze', [r, g.ints('uaxes', [0, 3])], {}, { outputs: ['unsq'] });
    const p = g.node(
      'Pad',
      [u, g.ints('pads', [0, 0, 1, 0, 0, 0, 0, 2]), g.weight('pv', [], [0.5])],
      {},
      { outputs: ['padded'] },
    );
    const t = g.node('Transpose', [p], { perm: [0, 2, 1, 3] }, { outputs: ['tr'] });
    g.output(g.node('ArgMax', [t], { axis: -1, keepdims: 0 }, { outputs: ['cls'] }), [1, 7, 1], 'int64');
    const m = imported(g);
    expect(printHlil(m.program)).toBe(
      text([
        'hlil',
        'input x : f32[1,2,3,1] @client',
        'const d/public : f32[] = [4]',
        'sq = Squeeze(x) axes=[3]',
        'div = Div(sq, d/public)',
        'flat = Reshape(div) shape=[1,6]',
        'unsq = Reshape(flat) shape=[1,1,6,1]',
        'padded = Pad(unsq) pads=[0,0,1,0,0,0,0,2] value=0.5',
        'tr = Transpose(padded) perm=[0,2,1,3]',
        'cls = ArgMax(tr) axis=3 keepdims=false',
        'output cls -> client',
      ]),
    );
    expect(m.weights.size).toBe(0);
  });

  it('Gemm α and β fold into the constant operands; N-D MatMul goes through Reshape; aliases and repeated outputs', () => {
    const g = onnxGraph({ opset: 11 });
    const x = g.input('x', [2, 3, 4]);
    const mm = g.node('MatMul', [x, g.weight('W', [4, 2], seq(8))], {}, { outputs: ['mm'] });
    const f = g.node('Flatten', [mm], { axis: -1 }, { outputs: ['fl'] });
    const ge = g.node(
      'Gemm',
      [f, g.weight('B', [2, 2], [1, 2, 3, 4]), g.weight('C', [2], [1, -1])],
      { alpha: { float: 0.5 }, beta: { float: 2 } },
      { outputs: ['gemm'] },
    );
    const id = g.node('Identity', [ge], {}, { outputs: ['same'] });
    g.output(g.node('Dropout', [id], { ratio: { float: 0.5 } }, { outputs: ['dropped'] }));
    g.output(ge);
    g.output(x);
    const m = imported(g);
    expect(printHlil(m.program)).toBe(
      text([
        'hlil',
        'input x : f32[2,3,4] @client',
        'input W : f32[4,2] @server',
        'input B/alpha : f32[2,2] @server',
        'input C/beta : f32[2] @server',
        'mm/rows = Reshape(x) shape=[6,4]',
        'mm/product = MatMul(mm/rows, W)',
        'mm = Reshape(mm/product) shape=[2,3,2]',
        'fl = Flatten(mm) axis=2',
        'gemm = Gemm(fl, B/alpha, C/beta) transA=false transB=false',
        'gemm_1 = Reshape(gemm) shape=[6,2]',
        'output gemm -> client',
        'output gemm_1 -> client',
        'output x -> client',
      ]),
    );
    expect(Array.from(m.weights.get('B/alpha') ?? [])).toEqual([0.5, 1, 1.5, 2]);
    expect(Array.from(m.weights.get('C/beta') ?? [])).toEqual([2, -2]);
    expect([...m.outputs]).toEqual([
      ['dropped', 'gemm'],
      ['gemm', 'gemm_1'],
      ['x', 'x'],
    ]);
  });

  it('a symbolic batch fixed by the batch option; BatchNorm, ceil-mode MaxPool, SAME AveragePool, ConvTranspose output_shape', () => {
    const g = onnxGraph({ opset: 17 });
    const x = g.input('image', ['N', 2, 5, 5]);
    const bn = g.node(
      'BatchNormalization',
      [
        x,
        g.weight('g', [2], [1, 2]),
        g.weight('b', [2], [0, 1]),
        g.weight('m', [2], [0.5, 0]),
        g.weight('v', [2], [1, 4]),
      ],
      { epsilon: { float: 1e-3 } },
      { outputs: ['bn'] },
    );
    const mp = g.node('MaxPool', [bn], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }, { outputs: ['mp'] });
    const ap = g.node(
      'AveragePool',
      [mp],
      { kernel_shape: [3, 3], auto_pad: 'SAME_UPPER', count_include_pad: 1 },
      { outputs: ['ap'] },
    );
    const ct = g.node(
      'ConvTranspose',
      [ap, g.weight('wt', [2, 1, 3, 3], seq(18))],
      { strides: [2, 2], output_shape: [5, 5], group: 2 },
      { outputs: ['up'] },
    );
    const gp = g.node('GlobalAveragePool', [ct], {}, { outputs: ['gap'] });
    g.output(g.node('Sigmoid', [gp], {}, { outputs: ['p'] }), ['N', 2, 1, 1]);
    expect(printHlil(imported(g, { batch: 1 }).program)).toBe(
      text([
        'hlil',
        'input image : f32[1,2,5,5] @client',
        'input g : f32[2] @server',
        'input b : f32[2] @server',
        'input m : f32[2] @server',
        'input v : f32[2] @server',
        'input wt : f32[2,1,3,3] @server',
        'bn = BatchNorm(image, g, b, m, v) epsilon=0.0010000000474974513',
        'mp = MaxPool(bn) kernel=[2,2] strides=[2,2] pads=[0,0,1,1]',
        'ap = AvgPool(mp) kernel=[3,3] strides=[1,1] pads=[1,1,1,1] countIncludePad=true',
        'up = ConvTranspose(ap, wt) strides=[2,2] pads=[1,1,1,1] dilations=[1,1] groups=2 outputPadding=[0,0]',
        'gap = GlobalAvgPool(up)',
        'p = Sigmoid(gap)',
        'output p -> client',
      ]),
    );
    expect(imported(g, { dims: { N: 3 } }).program.decls[0]).toEqual({
      kind: 'input',
      name: 'image',
      shape: [3, 2, 5, 5],
      owner: 'client',
    });
  });

  it('SAME_LOWER puts the odd padding cell first; a 1-D depthwise Conv with dilation', () => {
    const g = onnxGraph({ opset: 21 });
    const x = g.input('x', [1, 3, 6]);
    g.output(
      g.node(
        'Conv',
        [x, g.weight('w', [3, 1, 2], seq(6))],
        { auto_pad: 'SAME_LOWER', group: 3, strides: [1] },
        { outputs: ['a'] },
      ),
    );
    g.output(
      g.node(
        'Conv',
        [x, g.weight('w2', [6, 1, 3], seq(18))],
        { group: 3, dilations: [2], pads: [2, 1] },
        { outputs: ['b'] },
      ),
    );
    const lines = printHlil(imported(g).program).split('\n');
    expect(lines).toContain('a = Conv(x, w) strides=[1] pads=[1,0] dilations=[1] groups=3');
    expect(lines).toContain('b = Conv(x, w2) strides=[1] pads=[2,1] dilations=[2] groups=3');
  });

  it('Squeeze and Unsqueeze take axes as an attribute before opset 13; Softmax defaults to axis 1 there', () => {
    const g = onnxGraph({ opset: 11 });
    const x = g.input('x', [1, 4, 1]);
    const s = g.node('Squeeze', [x], { axes: [0, 2] }, { outputs: ['s'] });
    const u = g.node('Unsqueeze', [s], { axes: [0] }, { outputs: ['u'] });
    g.output(g.node('Softmax', [u], {}, { outputs: ['y'] }));
    expect(printHlil(imported(g).program)).toBe(
      text([
        'hlil',
        'input x : f32[1,4,1] @client',
        's = Squeeze(x) axes=[0,2]',
        'u = Reshape(s) shape=[1,4]',
        'y = Softmax(u) axis=1',
        'output y -> client',
      ]),
    );
  });

  it('a constant read as data becomes ONE server weight however often it is read; unused initializers vanish', () => {
    const g = onnxGraph({ opset: 13 });
    const x = g.input('x', [2]);
    const k = g.node('Constant', [], { value: { tensor: { dims: [2], values: [3, 4] } } }, { outputs: ['k'] });
    g.weight('unused', [3], [1, 2, 3]);
    const a = g.node('Mul', [x, k], {}, { outputs: ['a'] });
    g.output(g.node('Add', [a, k], {}, { outputs: ['b'] }));
    const m = imported(g);
    expect(printHlil(m.program)).toBe(
      text([
        'hlil',
        'input x : f32[2] @client',
        'input k : f32[2] @server',
        'a = Mul(x, k)',
        'b = Add(a, k)',
        'output b -> client',
      ]),
    );
    expect([...m.weights.keys()]).toEqual(['k']);
  });

  it('weights stored as typed float_data read the same as raw_data; the graph input list may repeat initializers', () => {
    const build = (encoding: 'raw' | 'typed'): OnnxImport => {
      const g = onnxGraph({ opset: 13 });
      const x = g.input('x', [1, 2]);
      g.input('W', [2, 2]);
      g.initializer('W', { dims: [2, 2], values: [0.1, -2, 3.5, 1e-8], encoding });
      g.output(g.node('MatMul', [x, 'W']));
      return onnxToHlil(g.bytes());
    };
    const raw = build('raw');
    const typed = build('typed');
    expect(Array.from(raw.weights.get('W') ?? [])).toEqual(Array.from(Float32Array.of(0.1, -2, 3.5, 1e-8)));
    expect(typed.weights).toEqual(raw.weights);
    expect([...raw.inputs.keys()]).toEqual(['x']);
  });
});
