/**
 * DenseNet121-chest at other input sizes and as a prefix (harness/zoo/densenet.ts, densenetChestAt; the
 * bench's BENCH_DENSENET_HE runs and extrapolates from these): the 224 × 224 model is the zoo's own
 * (same ONNX bytes), 320 × 320 (the study's size) has the same operators on a 10 × 10 final map, and
 * a prefix of k dense layers ends on the stem's 64 + 32k channels (within block 1) or after a
 * transition when block 2 has begun.
 */
import { describe, expect, it } from 'vitest';
import { onnxToHlil } from '../../passes/frontend/onnx/index.js';
import { optimizeHlil, paperConfig } from '../../passes/hlil/pipeline.js';
import { floatToFixed } from '../../passes/float-to-fixed/program.js';
import { densenetChest, densenetChestAt } from '../../harness/zoo/densenet.js';
import { shapeOnlyWeights } from '../../harness/zoo/synthetic-weights.js';

const ops = (bytes: Uint8Array): Record<string, number> => {
  const c: Record<string, number> = {};
  for (const n of onnxToHlil(bytes).program.nodes) c[n.op] = (c[n.op] ?? 0) + 1;
  return c;
};

describe('densenetChestAt', () => {
  it('at 224 is the zoo model; at 320 the same operators with a 320 × 320 input', () => {
    const w = shapeOnlyWeights();
    expect(Buffer.from(densenetChestAt(224, 'x').bytes()).equals(Buffer.from(densenetChest('x').bytes()))).toBe(true);
    const big = densenetChestAt(320, w);
    expect(big.bytes().length).toBeGreaterThan(0);
    const m = onnxToHlil(big.bytes());
    expect(m.program.decls.find((d) => d.name === m.inputs.get('image'))?.shape).toEqual([1, 3, 320, 320]);
    expect(ops(big.bytes())).toEqual(ops(densenetChestAt(224, w).bytes()));
  });

  it('a prefix of k dense layers outputs the feature map after them', () => {
    const w = shapeOnlyWeights();
    const shape = (k: number): readonly number[] | undefined => {
      const imported = onnxToHlil(densenetChestAt(224, w, k).bytes());
      expect([...imported.outputs.keys()]).toEqual(['features']);
      const p = floatToFixed(optimizeHlil(imported, paperConfig).model.program, { ell: 64, scale: 12 }).program;
      const out = p.outputs[0]?.name;
      return p.nodes.find((n) => n.out === out)?.type.shape;
    };
    expect(shape(0)).toEqual([1, 64 * 56 * 56]);
    expect(shape(6)).toEqual([1, 256 * 56 * 56]);
    // the 7th layer starts block 2, after transition 1 (256 → 128 channels, 28 × 28)
    expect(shape(7)).toEqual([1, (128 + 32) * 28 * 28]);
  });
});
