/**
 * Input files for `cryptflow eval` (and later `run`): a JSON object mapping each input name to its
 * values, either a flat array of numbers in row-major order or nested arrays whose nesting matches
 * the declared shape. Errors name the file, the input and the shapes — never the values, which may
 * be a patient's image or a vendor's weights.
 */
import { readFileSync } from 'node:fs';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { CryptflowError } from '../../spec/errors.js';
import { numel, showShape, type Shape } from '../../spec/geometry.js';

export interface DeclaredInput {
  readonly name: string;
  readonly shape: Shape;
}

const InputFile = t.record(t.string, t.unknown);

function bad(where: string, message: string): CryptflowError {
  return new CryptflowError('input', `${where}: ${message}`);
}

/** Flatten nested arrays of numbers, recording the nesting shape; null if ragged or not numeric. */
function flatten(v: unknown, out: number[]): number[] | null {
  if (typeof v === 'number') {
    out.push(v);
    return [];
  }
  if (!Array.isArray(v)) return null;
  let inner: number[] | null = null;
  for (const item of v) {
    const s = flatten(item, out);
    if (s === null) return null;
    if (inner !== null && (inner.length !== s.length || inner.some((d, i) => d !== s[i]))) return null;
    inner = s;
  }
  return [v.length, ...(inner ?? [])];
}

/** Parse the text of an input file against the declared inputs it must provide. */
export function parseInputs(
  text: string,
  decls: readonly DeclaredInput[],
  where = 'input file',
): Map<string, Float32Array> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw bad(
      where,
      `not valid JSON (${e instanceof Error ? e.message.replace(/ in JSON at position.*$/, '') : 'parse error'})`,
    );
  }
  const decoded = InputFile.decode(json);
  if (isLeft(decoded) || Array.isArray(json))
    throw bad(where, 'expected a JSON object mapping input names to arrays of numbers');
  const record = decoded.right;
  const known = new Set(decls.map((d) => d.name));
  const extra = Object.keys(record).filter((k) => !known.has(k));
  if (extra.length > 0)
    throw bad(
      where,
      `unknown input(s) ${extra.map((k) => `'${k}'`).join(', ')}; the program declares ${[...known].map((k) => `'${k}'`).join(', ') || 'none'}`,
    );
  const out = new Map<string, Float32Array>();
  for (const d of decls) {
    if (!(d.name in record)) throw bad(where, `missing input '${d.name}' of shape ${showShape(d.shape)}`);
    const values: number[] = [];
    const nesting = flatten(record[d.name], values);
    if (nesting === null) throw bad(where, `'${d.name}' must be an array of numbers (flat or nested, not ragged)`);
    const n = numel(d.shape);
    const nestedOk = nesting.length === d.shape.length && nesting.every((x, i) => x === d.shape[i]);
    if (!(nesting.length === 1 && values.length === n) && !nestedOk) {
      throw bad(
        where,
        `'${d.name}' has shape ${showShape(nesting)} (${values.length} values); the program declares ${showShape(d.shape)} (${n} values)`,
      );
    }
    const f = Float32Array.from(values);
    const i = f.findIndex((x) => !Number.isFinite(x));
    if (i >= 0) throw bad(where, `'${d.name}' entry ${i} is not a finite float32`);
    out.set(d.name, f);
  }
  return out;
}

export function readInputs(path: string, decls: readonly DeclaredInput[]): Map<string, Float32Array> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CryptflowError(
      'input',
      `cannot read input file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`,
    );
  }
  return parseInputs(text, decls, path);
}
