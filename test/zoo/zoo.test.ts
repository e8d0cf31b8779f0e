/**
 * The model zoo (harness/zoo/): every network imports through the ONNX frontend with the input and
 * outputs its registry entry states; the networks behind Table 2 have exactly the operators and shapes
 * COMM-SPEC.md describes (ResNet50 v2: 53 Conv, 49 BatchNorm, 49 ReLU, 1 MaxPool, 16 residual Adds;
 * DenseNet121: 121 Conv, 121 BatchNorm, 121 ReLU, 58 Concat) and, after the paper's passes, every
 * BatchNorm is an elementwise product over the full tensor; parameter counts equal published or
 * independently derived figures; the small networks agree with onnxruntime (float32); weights are
 * reproducible from the seed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { numel } from '../../spec/geometry.js';
import type { HProgram } from '../../ir/hlil.js';
import type { LProgram } from '../../ir/llil.js';
import { onnxToHlil, type OnnxImport } from '../../passes/frontend/onnx/index.js';
import { optimizeHlil, paperConfig } from '../../passes/hlil/pipeline.js';
import { floatToFixed } from '../../passes/float-to-fixed/program.js';
import { ZOO, zooEntry, zooModel } from '../../harness/zoo/zoo.js';
import type { Net } from '../../harness/zoo/net.js';
import { compareWithOrt } from '../passes/frontend/onnx/differential.js';
import { ORT } from '../passes/frontend/onnx/ort.js';

const count = (ops: readonly string[]): Record<string, number> => {
  const c: Record<string, number> = {};
  for (const o of ops) c[o] = (c[o] ?? 0) + 1;
  return c;
};
const hlilOps = (p: HProgram): Record<string, number> => count(p.nodes.map((n) => n.op));
const llilOps = (p: LProgram): Record<string, number> => count(p.nodes.map((n) => n.op));

const declShape = (p: HProgram, name: string): readonly number[] | undefined =>
  p.decls.find((d) => d.name === name)?.shape;

describe('the zoo registry', () => {
  it('has unique names and every model imports with the input and outputs its entry states', () => {
    expect(new Set(ZOO.map((e) => e.name)).size).toBe(ZOO.length);
    for (const e of ZOO.filter((z) => !['resnet50', 'densenet121', 'densenet121-chest'].includes(z.name))) {
      const m = onnxToHlil(zooModel(e.name));
      expect([...m.inputs.keys()], e.name).toEqual([e.input.name]);
      expect(declShape(m.program, m.inputs.get(e.input.name) ?? ''), e.name).toEqual(e.input.shape);
      expect([...m.outputs.keys()], e.name).toEqual(e.outputs);
    }
  });

  it('builds the same bytes from the same seed, other weights (same shapes) from another', () => {
    const a = zooModel('lenet');
    expect(zooModel('lenet')).toEqual(a);
    const b = zooEntry('lenet').build('another seed').bytes();
    expect(b).not.toEqual(a);
    expect(b.length).toBe(a.length);
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => zooEntry('resnet51')).toThrow(/no model 'resnet51' in the zoo \(known: logreg, .*resnet50/);
  });

  it.each<[string, number]>([
    ['logreg', 784 * 10 + 10],
    ['securenn-a', 784 * 128 + 128 + 128 * 128 + 128 + 128 * 10 + 10],
    ['securenn-b', 25 * 16 + 25 * 16 * 16 + 256 * 100 + 100 + 100 * 10 + 10],
    ['securenn-c', 25 * 20 + 25 * 20 * 50 + 800 * 500 + 500 + 500 * 10 + 10],
    ['securenn-d', 25 * 5 + 980 * 100 + 100 + 100 * 10 + 10],
    // LeNet-5's classic count.
    ['lenet', 61_706],
    // torchvision's squeezenet1_1.
    ['squeezenet', 1_235_496],
  ])('%s has %i parameters', (name, params) => {
    expect(zooEntry(name).build().parameters()).toBe(params);
  });
});

describe('ResNet50 v2 (COMM-SPEC.md)', () => {
  let net: Net;
  let m: OnnxImport;
  let llil: LProgram;
  beforeAll(() => {
    net = zooEntry('resnet50').build();
    m = onnxToHlil(net.bytes());
    llil = floatToFixed(optimizeHlil(m, paperConfig).model.program, { ell: 64, scale: 12 }).program;
  });

  it('has 53 Conv, 49 BatchNorm, 49 ReLU, 1 MaxPool, 16 residual Adds, one FC and an ArgMax over 1001', () => {
    const ops = hlilOps(m.program);
    expect(ops).toMatchObject({
      Conv: 53,
      BatchNorm: 49,
      Relu: 49,
      MaxPool: 1,
      GlobalAvgPool: 1,
      MatMul: 1,
      ArgMax: 1,
      Pad: 4,
    });
    const initializers = new Set(net.g.spec().initializers?.map(([n]) => n));
    const residual = net.g.spec().nodes.filter((n) => n.op === 'Add' && n.inputs.every((i) => !initializers.has(i)));
    expect(residual).toHaveLength(16);
    expect(ops['Add']).toBe(17);
  });

  it('has the published shapes: 230×230 padded stem, 112×112×64, 56×56×64, 7×7×2048, 1001 logits', () => {
    const shapes = new Map(m.program.nodes.map((n) => [n.out, n] as const));
    const convs = m.program.nodes.filter((n) => n.op === 'Conv');
    const firstConv = convs[0];
    if (firstConv?.op !== 'Conv') throw new Error('no Conv');
    const decl = (name: string): readonly number[] | undefined => declShape(m.program, name);
    expect(decl(firstConv.w)).toEqual([64, 3, 7, 7]);
    expect(firstConv.strides).toEqual([2, 2]);
    const pad = m.program.nodes[0];
    expect(pad?.op).toBe('Pad');
    expect(pad?.op === 'Pad' ? pad.pads : []).toEqual([0, 0, 3, 3, 0, 0, 3, 3]);
    expect(shapes.has('logits')).toBe(true);
    const fc = m.program.nodes.find((n) => n.op === 'MatMul');
    expect(fc?.op === 'MatMul' ? decl(fc.b) : undefined).toEqual([2048, 1001]);
    const strided3x3 = convs.filter((c) => c.op === 'Conv' && c.strides[0] === 2 && decl(c.w)?.[2] === 3);
    expect(strided3x3).toHaveLength(3);
    const projections = convs.filter(
      (c) =>
        c.op === 'Conv' &&
        decl(c.w)?.[2] === 1 &&
        m.program.nodes.some((n) => n.op === 'Add' && 'b' in n && n.b === c.out),
    );
    expect(projections).toHaveLength(4);
  });

  it('has 25,596,841 parameters (filters, 4 per BatchNorm channel, FC 2048×1001 + 1001)', () => {
    let p = 7 * 7 * 3 * 64;
    let cin = 64;
    for (const [f, blocks] of [
      [64, 3],
      [128, 4],
      [256, 6],
      [512, 3],
    ] as const) {
      for (let b = 0; b < blocks; b++) {
        p += 4 * cin + (b === 0 ? cin * 4 * f : 0) + cin * f + 4 * f + 9 * f * f + 4 * f + f * 4 * f;
        cin = 4 * f;
      }
    }
    p += 4 * 2048 + 2048 * 1001 + 1001;
    expect(p).toBe(25_596_841);
    expect(net.parameters()).toBe(p);
  });

  it("compiles in the paper's configuration to the operations COMM-SPEC.md counts: every BatchNorm an elementwise product", () => {
    expect(llilOps(llil)).toMatchObject({ Conv: 53, Mul: 49, Relu: 49, MaxPool: 1, MatMul: 1, ArgMax: 1 });
    const size = new Map<string, number>(llil.decls.map((d) => [d.name, numel(d.shape)]));
    for (const n of llil.nodes) size.set(n.out, numel(n.type.shape));
    for (const n of llil.nodes) if (n.op === 'Mul') expect(size.get(n.b), n.out).toBe(size.get(n.a));
    const argmax = llil.nodes.find((n) => n.op === 'ArgMax');
    expect(argmax?.op === 'ArgMax' ? size.get(argmax.x) : 0).toBe(1001);
  });
});

describe('DenseNet121 (COMM-SPEC.md)', () => {
  let net: Net;
  let m: OnnxImport;
  let llil: LProgram;
  beforeAll(() => {
    net = zooEntry('densenet121').build();
    m = onnxToHlil(net.bytes());
    llil = floatToFixed(optimizeHlil(m, paperConfig).model.program, { ell: 64, scale: 12 }).program;
  });

  it('has 121 Conv, 121 BatchNorm, 121 ReLU, 58 Concat, 3 transitions, a 1×1-conv classifier and an ArgMax over 1000', () => {
    expect(hlilOps(m.program)).toMatchObject({
      Conv: 121,
      BatchNorm: 121,
      Relu: 121,
      Concat: 58,
      AvgPool: 3,
      MaxPool: 1,
      GlobalAvgPool: 1,
      ArgMax: 1,
    });
    expect(hlilOps(m.program)['MatMul']).toBeUndefined();
    const last = m.program.nodes.filter((n) => n.op === 'Conv').at(-1);
    expect(last?.op === 'Conv' ? declShape(m.program, last.w) : undefined).toEqual([1000, 1024, 1, 1]);
    const stem = m.program.nodes.find((n) => n.op === 'Conv');
    expect(stem?.op === 'Conv' ? stem.pads : []).toEqual([2, 2, 3, 3]);
  });

  it("has Keras's 8,062,504 parameters (BatchNorm moving statistics included)", () => {
    expect(net.parameters()).toBe(8_062_504);
  });

  it('compiles with every BatchNorm elementwise and the stem MaxPool moved before its ReLU', () => {
    expect(llilOps(llil)).toMatchObject({ Conv: 121, Mul: 121, Relu: 121, Concat: 58, MaxPool: 1, ArgMax: 1 });
    const pool = llil.nodes.findIndex((n) => n.op === 'MaxPool');
    const firstRelu = llil.nodes.findIndex((n) => n.op === 'Relu');
    expect(pool).toBeLessThan(firstRelu);
    expect(llil.nodes[firstRelu]?.type.shape).toEqual([1, 64, 56, 56]);
  });
});

describe.skipIf(!ORT.available)('small zoo networks against onnxruntime (float32)', () => {
  it.each(['logreg', 'securenn-a', 'securenn-b', 'securenn-c', 'securenn-d', 'lenet', 'unet3d'])('%s', async (name) => {
    const e = zooEntry(name);
    const n = numel(e.input.shape);
    const image = Float32Array.from({ length: n }, (_, i) => Math.sin(0.37 * i + 1));
    const r = await compareWithOrt({
      opset: 13,
      bytes: zooModel(name),
      inputs: new Map([[e.input.name, image]]),
      outputs: [],
      ops: [],
    });
    expect(r.worst).toBeLessThanOrEqual(1);
  });
});
if (!ORT.available) console.log(`skipped the onnxruntime comparison of the zoo: ${ORT.reason}`);
