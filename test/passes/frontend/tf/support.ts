/**
 * Shared by the TF frontend suites: import one test graph through both frontends (GraphDef and
 * TF.js), check they agree (same HLIL text, same weights), run the program under floatSem, and
 * compare with the NHWC reference within a float tolerance.
 */
import { expect } from 'vitest';
import type { ImportedModel } from '../../../../passes/frontend/model.js';
import { graphDefToHlil } from '../../../../passes/frontend/tf/graphdef.js';
import { tfjsToHlil } from '../../../../passes/frontend/tf/tfjs.js';
import type { TfImportOptions } from '../../../../passes/frontend/tf/translate.js';
import { printHlil } from '../../../../ir/text.js';
import { floatSem } from '../../../../semantics/float.js';
import { shardReader, type TfGraphBuilder } from './builder.js';
import type { T } from './reference.js';

/** Imports `g` as a GraphDef and as a TF.js model; both must give the same program and weights. */
export function importBoth(g: TfGraphBuilder, opts: TfImportOptions = {}): ImportedModel {
  const fromPb = graphDefToHlil(g.graphDef(), opts);
  const { modelJson, files } = g.tfjs({ shards: 3 });
  const fromJs = tfjsToHlil(modelJson, shardReader(files), opts);
  expect(fromPb.format).toBe('tf-graphdef');
  expect(fromJs.format).toBe('tfjs');
  expect(printHlil(fromJs.program)).toBe(printHlil(fromPb.program));
  expect([...fromJs.weights.keys()]).toEqual([...fromPb.weights.keys()]);
  for (const [k, v] of fromPb.weights) expect(fromJs.weights.get(k)).toEqual(v);
  return fromPb;
}

/** floatSem of the imported program on the client's inputs and the model's weights. */
export function run(m: ImportedModel, inputs: Readonly<Record<string, Float32Array>>): Map<string, Float32Array> {
  return floatSem(m.program, new Map([...Object.entries(inputs), ...m.weights]));
}

/** |actual − expected| ≤ tol·(1 + |expected|) entrywise, and the same number of entries. */
export function expectClose(actual: Float32Array | undefined, expected: T, tol = 1e-4): void {
  expect(actual).toBeDefined();
  const a = actual as Float32Array;
  expect(a.length).toBe(expected.data.length);
  let worst = 0;
  let where = -1;
  a.forEach((v, i) => {
    const e = expected.data[i] as number;
    const err = Math.abs(v - e) / (1 + Math.abs(e));
    if (!(err <= worst)) {
      worst = err;
      where = i;
    }
  });
  expect(worst, `worst relative error at entry ${where}`).toBeLessThanOrEqual(tol);
}

/** The client input declarations of a program, name → shape. */
export function clientInputs(m: ImportedModel): Map<string, readonly number[]> {
  return new Map(
    m.program.decls.flatMap((d) => (d.kind === 'input' && d.owner === 'client' ? [[d.name, d.shape] as const] : [])),
  );
}
