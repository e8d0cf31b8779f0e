/**
 * The ONNX writer (passes/frontend/onnx/writer.ts): what it writes reads back field for field through
 * the frontend's own reader (proto.ts, tensor.ts), attribute types follow the documented rules,
 * raw and typed tensor encodings carry the same values, and misuse is a 'usage' error. (That
 * onnxruntime accepts what it writes is checked by every differential test.)
 */
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../../spec/errors.js';
import { decodeModel } from '../../../../passes/frontend/onnx/proto.js';
import { AttributeType, DataType } from '../../../../passes/frontend/onnx/schema.js';
import { decodeTensor } from '../../../../passes/frontend/onnx/tensor.js';
import { encodeOnnx, floatTensor, int64Tensor, onnxGraph } from '../../../../passes/frontend/onnx/writer.js';

describe('onnx writer', () => {
  it('writes the opset, the matching IR version, typed inputs and outputs, and nodes in order', () => {
    const g = onnxGraph({ opset: 18, name: 'tiny' });
    const x = g.input('x', ['N', 3]);
    const y = g.node('Relu', [x], {}, { name: 'r' });
    g.output(g.node('ArgMax', [y], { axis: 1 }), ['N'], 'int64');
    const m = decodeModel(g.bytes());
    expect(m.ir_version).toBe('8');
    expect(m.opset_import).toEqual([{ domain: '', version: '18' }]);
    expect(m.graph?.name).toBe('tiny');
    expect(m.graph?.input[0]?.type?.tensor_type?.elem_type).toBe(DataType.FLOAT);
    expect(m.graph?.input[0]?.type?.tensor_type?.shape?.dim).toEqual([{ dim_param: 'N' }, { dim_value: '3' }]);
    expect(m.graph?.output[0]?.type?.tensor_type?.elem_type).toBe(DataType.INT64);
    expect(m.graph?.node.map((n) => [n.op_type, n.name, n.input, n.output])).toEqual([
      ['Relu', 'r', ['x'], ['relu_0']],
      ['ArgMax', 'ArgMax_1', ['relu_0'], ['argmax_1']],
    ]);
    expect(decodeModel(encodeOnnx({ opset: 21, inputs: [], outputs: [], nodes: [] })).ir_version).toBe('10');
    expect(
      decodeModel(
        encodeOnnx({
          opset: 11,
          inputs: [],
          outputs: [],
          nodes: [],
          extraOpsets: [{ domain: 'com.example', version: 2 }],
        }),
      ).opset_import,
    ).toEqual([
      { domain: '', version: '11' },
      { domain: 'com.example', version: '2' },
    ]);
  });

  it('attribute types: number INT, number[] INTS, string STRING, and the tagged forms', () => {
    const g = onnxGraph();
    g.output(
      g.node('Op', [g.input('x', [1])], {
        i: -3,
        is: [1, -2],
        s: 'SAME_UPPER',
        f: { float: 0.25 },
        fs: { floats: [1.5, -2] },
        ss: { strings: ['a', 'b'] },
        t: { tensor: int64Tensor([4, 5]) },
      }),
    );
    const attrs = decodeModel(g.bytes()).graph?.node[0]?.attribute ?? [];
    const byName = new Map(attrs.map((a) => [a.name, a]));
    expect(byName.get('i')).toMatchObject({ type: AttributeType.INT, i: '-3' });
    expect(byName.get('is')).toMatchObject({ type: AttributeType.INTS, ints: ['1', '-2'] });
    expect(new TextDecoder().decode(byName.get('s')?.s)).toBe('SAME_UPPER');
    expect(byName.get('f')).toMatchObject({ type: AttributeType.FLOAT, f: 0.25 });
    expect(byName.get('fs')).toMatchObject({ type: AttributeType.FLOATS, floats: [1.5, -2] });
    expect(byName.get('ss')?.strings.map((b) => new TextDecoder().decode(b))).toEqual(['a', 'b']);
    const t = byName.get('t')?.t;
    expect(t === undefined ? null : decodeTensor(t, 'attribute', 't')).toEqual({
      type: 'int',
      dims: [2],
      values: [4, 5],
    });
  });

  it('raw_data and typed fields carry the same values (negative int64s included)', () => {
    const values = Float32Array.of(0.1, -0, 3e38, -1e-40, 7);
    for (const encoding of ['raw', 'typed'] as const) {
      const m = decodeModel(
        encodeOnnx({
          inputs: [],
          outputs: [],
          nodes: [],
          initializers: [
            ['f', floatTensor([5], values, encoding)],
            ['i', int64Tensor([-1, 0, 2 ** 40], [3], encoding)],
          ],
        }),
      );
      const [f, i] = m.graph?.initializer ?? [];
      expect(f === undefined ? null : decodeTensor(f, 'initializer', 'f')).toEqual({
        type: 'float',
        dims: [5],
        values,
      });
      expect(i === undefined ? null : decodeTensor(i, 'initializer', 'i')).toEqual({
        type: 'int',
        dims: [3],
        values: [-1, 0, 2 ** 40],
      });
    }
  });

  it('misuse is a usage error', () => {
    const usage = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        if (e instanceof CryptflowError && e.code === 'usage') return e.message;
      }
      throw new Error('expected a usage error');
    };
    expect(
      usage(() =>
        encodeOnnx({
          inputs: [],
          outputs: [],
          nodes: [{ op: 'LeakyRelu', inputs: ['x'], outputs: ['y'], attrs: { alpha: 0.1 } }],
        }),
      ),
    ).toContain('write { float }');
    expect(
      usage(() =>
        encodeOnnx({ inputs: [], outputs: [], nodes: [], initializers: [['w', floatTensor([2, 2], [1, 2, 3])]] }),
      ),
    ).toContain('3 values for dims [2,2]');
    expect(
      usage(() => encodeOnnx({ inputs: [], outputs: [], nodes: [], initializers: [['s', int64Tensor([1.5])]] })),
    ).toContain('non-integer');
    const g = onnxGraph();
    g.input('x', [1]);
    expect(usage(() => g.weight('x2', [1], [1]) && g.node('Relu', ['x'], {}, { outputs: ['x2'] }))).toContain(
      "'x2' is already used",
    );
  });
});
