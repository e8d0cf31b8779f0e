/**
 * `cryptflow eval PROGRAM --input FILE [--fixed --scale S --bitlen L] [--kernels reference|wasm] [--json]`
 *
 * Runs a program under its denotational semantics, in the clear: an HLIL program under float32
 * (semantics/float.ts), or — with --fixed — compiled by float-to-fixed at one global scale and run
 * over Z_2^ℓ (semantics/fixed.ts), printed next to the float result with the largest difference;
 * an LLIL program over Z_2^ℓ at the scales it declares. This is the oracle every backend is held to.
 */
import { CryptflowError } from '../../spec/errors.js';
import { FixedPoint } from '../../spec/fixed.js';
import type { Shape } from '../../spec/geometry.js';
import type { LProgram } from '../../ir/llil.js';
import { floatSem } from '../../semantics/float.js';
import { fixedSem } from '../../semantics/fixed.js';
import { decodeOutputs } from '../../semantics/decode.js';
import { encodeInputs, floatToFixed } from '../../passes/float-to-fixed/program.js';
import { readInputs } from '../io/inputs.js';
import { loadProgram } from '../io/program.js';
import { getBoolean, getInteger, getString, type FlagSpec, type ParsedArgs } from './args.js';

export const EVAL_FLAGS: Readonly<Record<string, FlagSpec>> = {
  input: {
    kind: 'string',
    help: 'JSON file mapping every input name (client inputs and server weights) to its values',
  },
  fixed: { kind: 'boolean', help: 'HLIL: compile to fixed point and run over Z_2^ℓ, next to the float result' },
  scale: { kind: 'integer', help: 'fixed-point scale s for --fixed (default 12)', min: 0, max: 63 },
  bitlen: { kind: 'integer', help: 'ring width ℓ for --fixed (default 64)', min: 2, max: 64 },
  kernels: { kind: 'string', help: "ring kernels: 'wasm' (default) or 'reference' (bigint)" },
  json: { kind: 'boolean', help: 'print one JSON object instead of text' },
};

export interface EvalOutput {
  readonly name: string;
  readonly to: string;
  readonly shape: Shape;
  readonly float?: readonly number[];
  readonly fixed?: readonly number[];
  readonly maxAbsDiff?: number;
}

export interface EvalReport {
  readonly ir: 'hlil' | 'llil';
  readonly semantics: 'float32' | 'fixed';
  readonly ell?: number;
  readonly scale?: number;
  readonly kernels?: 'reference' | 'wasm';
  readonly outputs: readonly EvalOutput[];
}

function kernelsFlag(args: ParsedArgs): 'reference' | 'wasm' {
  const k = getString(args, 'kernels') ?? 'wasm';
  if (k !== 'reference' && k !== 'wasm')
    throw new CryptflowError('usage', `--kernels must be 'reference' or 'wasm', got '${k}'`);
  return k;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

function runFixed(
  p: LProgram,
  inputs: ReadonlyMap<string, BigUint64Array>,
  kernels: 'reference' | 'wasm',
): Map<string, Float64Array> {
  return decodeOutputs(p, fixedSem(p, inputs, { kernels }));
}

export function evaluate(path: string, args: ParsedArgs): EvalReport {
  const inputPath = getString(args, 'input');
  if (inputPath === undefined)
    throw new CryptflowError('usage', 'eval needs --input FILE (a JSON object of input values)');
  const kernels = kernelsFlag(args);
  const loaded = loadProgram(path);
  const scaleFlag = getInteger(args, 'scale');
  const bitlenFlag = getInteger(args, 'bitlen');
  if (loaded.ir === 'llil') {
    if (scaleFlag !== undefined || bitlenFlag !== undefined) {
      throw new CryptflowError(
        'usage',
        '--scale and --bitlen apply to HLIL programs; an LLIL program declares its own ring and scales',
      );
    }
    const p = loaded.program;
    const floats = readInputs(
      inputPath,
      p.decls.filter((d) => d.kind === 'input'),
    );
    const encoded = new Map<string, BigUint64Array>();
    for (const d of p.decls) {
      if (d.kind !== 'input') continue;
      encoded.set(
        d.name,
        FixedPoint({ ell: p.ell, scale: d.scale }).encodeTensor(
          floats.get(d.name) ?? new Float32Array(),
          `input '${d.name}'`,
        ),
      );
    }
    const out = runFixed(p, encoded, kernels);
    return {
      ir: 'llil',
      semantics: 'fixed',
      ell: p.ell,
      kernels,
      outputs: p.outputs.map((o) => ({
        name: o.name,
        to: o.to,
        shape: loaded.info.shapeOf(o.name),
        fixed: Array.from(out.get(o.name) ?? []),
      })),
    };
  }
  const p = loaded.program;
  const inputs = readInputs(
    inputPath,
    p.decls.filter((d) => d.kind === 'input'),
  );
  const floatOut = floatSem(p, inputs);
  if (!getBoolean(args, 'fixed')) {
    if (scaleFlag !== undefined || bitlenFlag !== undefined)
      throw new CryptflowError('usage', '--scale and --bitlen need --fixed');
    return {
      ir: 'hlil',
      semantics: 'float32',
      outputs: p.outputs.map((o) => ({
        name: o.name,
        to: o.to,
        shape: loaded.info.shapeOf(o.name),
        float: Array.from(floatOut.get(o.name) ?? []),
      })),
    };
  }
  const ell = bitlenFlag ?? 64;
  const scale = scaleFlag ?? 12;
  const plan = floatToFixed(p, { ell, scale });
  const fixedOut = runFixed(plan.program, encodeInputs(plan, inputs), kernels);
  return {
    ir: 'hlil',
    semantics: 'fixed',
    ell,
    scale,
    kernels,
    outputs: p.outputs.map((o, i) => {
      const lo = plan.program.outputs[i];
      const f = Array.from(floatOut.get(o.name) ?? []);
      const x = Array.from((lo && fixedOut.get(lo.name)) ?? []);
      return {
        name: o.name,
        to: o.to,
        shape: loaded.info.shapeOf(o.name),
        float: f,
        fixed: x,
        maxAbsDiff: maxAbsDiff(f, x),
      };
    }),
  };
}

function showValues(xs: readonly number[]): string {
  const head = xs.slice(0, 10).map((x) => (Number.isInteger(x) ? String(x) : x.toPrecision(6)));
  return `[${head.join(', ')}${xs.length > 10 ? `, … (${xs.length} values)` : ''}]`;
}

export function formatEval(r: EvalReport): string {
  const lines = [
    r.semantics === 'float32'
      ? `semantics: float32 (HLIL)`
      : `semantics: fixed point over Z_2^${r.ell ?? '?'}${r.scale !== undefined ? `, scale ${r.scale}` : ''} (${r.kernels ?? 'wasm'} kernels)`,
  ];
  for (const o of r.outputs) {
    lines.push(`output ${o.name} -> ${o.to}  shape [${o.shape.join(',')}]`);
    if (o.float) lines.push(`  float32: ${showValues(o.float)}`);
    if (o.fixed) lines.push(`  fixed:   ${showValues(o.fixed)}`);
    if (o.maxAbsDiff !== undefined) lines.push(`  max |fixed − float32| = ${o.maxAbsDiff.toPrecision(3)}`);
  }
  return lines.join('\n');
}
