/**
 * The imported TF graphs compile: float-to-fixed (one global scale, ℓ = 64, s = 12) turns each into
 * a well-typed LLIL program, and its fixed-point result, decoded, is close to the float result
 * (a loose end-to-end check; the per-operation bounds are the float-to-fixed suites' business).
 */
import { describe, expect, test } from 'vitest';
import { checkLlil } from '../../../../ir/check.js';
import { decodeOutputs } from '../../../../semantics/decode.js';
import { fixedSem } from '../../../../semantics/fixed.js';
import { encodeInputs, floatToFixed } from '../../../../passes/float-to-fixed/program.js';
import { cnn, misc, mobile, unet3d } from './models.js';
import { importBoth, run } from './support.js';

describe.each([
  ['CNN', cnn],
  ['depthwise/BN/Relu6', mobile],
  ['3-D U-Net block', unet3d],
  ['Pad/AvgPool/broadcasting', misc],
] as const)('%s compiles to fixed point', (_name, make) => {
  test('LLIL passes the checker and fixedSem stays within 2^-6 of floatSem', () => {
    const t = make();
    const m = importBoth(t.g, { outputs: [...t.expected.keys()] });
    const plan = floatToFixed(m.program, { ell: 64, scale: 12 });
    expect(checkLlil(plan.program)._tag).toBe('Right');
    const inputs = new Map([...Object.entries(t.inputs), ...m.weights]);
    const fixed = decodeOutputs(plan.program, fixedSem(plan.program, encodeInputs(plan, inputs)));
    const float = run(m, t.inputs);
    expect(plan.program.outputs.length).toBe(m.program.outputs.length);
    m.program.outputs.forEach((o, i) => {
      const f = float.get(o.name) ?? new Float32Array();
      const x = fixed.get(plan.program.outputs[i]?.name ?? '') ?? new Float64Array();
      expect(x.length).toBe(f.length);
      f.forEach((v, j) => expect(Math.abs((x[j] ?? NaN) - v)).toBeLessThanOrEqual(2 ** -6));
    });
  });
});
