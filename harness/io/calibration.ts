/**
 * Calibration inputs for scale selection: the client's inputs of a few representative samples.
 * A FILE holds one sample (a JSON object mapping each client input to its values, as an input file)
 * or a JSON array of such objects; a DIRECTORY holds such files (`*.json`, read in name order).
 * Entries naming server inputs are refused (the weights come with the model); errors name the file
 * and the sample, never values.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CryptflowError } from '../../spec/errors.js';
import type { HProgram } from '../../ir/hlil.js';
import { parseInputs } from './inputs.js';

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CryptflowError(
      'input',
      `cannot read calibration file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`,
    );
  }
}

function samplesOf(path: string, p: HProgram): Map<string, Float32Array>[] {
  const text = readText(path);
  const client = p.decls.filter((d) => d.kind === 'input' && d.owner === 'client');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [parseInputs(text, client, path)];
  }
  const items = Array.isArray(json) ? json : [json];
  if (items.length === 0) throw new CryptflowError('input', `${path}: the calibration array is empty`);
  return items.map((item, i) =>
    parseInputs(JSON.stringify(item), client, Array.isArray(json) ? `${path} sample ${i}` : path),
  );
}

/** The calibration samples at `path` (file or directory) for the client inputs of `p`. */
export function readCalibration(path: string, p: HProgram): Map<string, Float32Array>[] {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    throw new CryptflowError(
      'input',
      `cannot read calibration ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`,
    );
  }
  if (!isDir) return samplesOf(path, p);
  const files = readdirSync(path)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new CryptflowError('input', `calibration directory ${path} holds no .json files`);
  return files.flatMap((f) => samplesOf(join(path, f), p));
}
