/**
 * The client's input file for `cryptflow run`, in whichever form it comes: a JSON object (inputs.ts),
 * a NumPy `.npy` array (npy.ts) or a PNG / PGM image (image-input.ts, with its documented
 * preprocessing). The form is chosen by the extension (.json, .npy, .png, .pgm), or by the file's
 * first bytes when the extension says nothing.
 *
 * Only the client's inputs are read here: the server's weights come with the model and never pass
 * through this file. A JSON file naming a server input is refused; an `.npy` array or an image fills
 * the model's one client input (a model with several needs JSON). Errors name the file, the input and
 * the shapes, never values.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CryptflowError } from '../../spec/errors.js';
import { numel, showShape, type Shape } from '../../spec/geometry.js';
import type { HProgram, HInputDecl } from '../../ir/hlil.js';
import { decodeImage, imageTensor, type ImagePreprocessing } from './image-input.js';
import { parseInputs } from './inputs.js';
import { decodeNpy, isNpy } from './npy.js';
import { isPng } from './png.js';

export type InputForm = 'json' | 'npy' | 'image';

export interface ClientInput {
  readonly form: InputForm;
  readonly values: Map<string, Float32Array>;
  /** What was read and how it was turned into the input (one line). */
  readonly note: string;
}

export interface ClientInputOptions extends ImagePreprocessing {
  /** Whether image-only options (mean, std, layout) were given explicitly: refused for other forms. */
  readonly imageOptionsGiven?: boolean;
}

function readBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new CryptflowError('input', `cannot read input file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`);
  }
}

function formOf(path: string, bytes: Uint8Array): InputForm {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.npy') return 'npy';
  if (ext === '.png' || ext === '.pgm') return 'image';
  if (isNpy(bytes)) return 'npy';
  if (isPng(bytes) || (bytes[0] === 0x50 && (bytes[1] === 0x32 || bytes[1] === 0x35))) return 'image';
  const first = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart();
  if (first.startsWith('{') || first.startsWith('[')) return 'json';
  throw new CryptflowError('unsupported', `${path}: unknown input file type; inputs are JSON (.json), NumPy arrays (.npy) or PNG / PGM images`);
}

function clientDecls(p: HProgram): HInputDecl[] {
  return p.decls.filter((d): d is HInputDecl => d.kind === 'input' && d.owner === 'client');
}

/** The model's single client input, for the forms that carry one array. */
function single(p: HProgram, path: string, what: string): HInputDecl {
  const c = clientDecls(p);
  if (c.length === 1) return c[0] as HInputDecl;
  if (c.length === 0) throw new CryptflowError('input', `${path}: the model has no client input to fill`);
  throw new CryptflowError('input', `${path}: ${what} fills one input, the model has ${c.length} client inputs (${c.map((d) => `'${d.name}'`).join(', ')}); give a JSON file naming each`);
}

const squeeze = (s: Shape): number[] => s.filter((d) => d !== 1);

function toFloat32(values: ArrayLike<number>, path: string, name: string): Float32Array {
  const f = Float32Array.from(values);
  const i = f.findIndex((x) => !Number.isFinite(x));
  if (i >= 0) throw new CryptflowError('input', `${path}: entry ${i} of '${name}' is not a finite float32`);
  return f;
}

function fromJson(path: string, bytes: Uint8Array, p: HProgram): ClientInput {
  const text = new TextDecoder().decode(bytes);
  const server = new Set(p.decls.filter((d) => d.kind === 'input' && d.owner === 'server').map((d) => d.name));
  let keys: string[] = [];
  try {
    const j: unknown = JSON.parse(text);
    if (typeof j === 'object' && j !== null && !Array.isArray(j)) keys = Object.keys(j);
  } catch {
    keys = [];
  }
  const weights = keys.filter((k) => server.has(k));
  if (weights.length > 0) {
    throw new CryptflowError('input', `${path}: ${weights.map((k) => `'${k}'`).join(', ')} ${weights.length === 1 ? 'is a server input' : 'are server inputs'}; the client's input file holds only client inputs (the weights come with the model, or --weights for an HLIL program)`);
  }
  const values = parseInputs(text, clientDecls(p), path);
  return { form: 'json', values, note: `JSON input file, ${values.size} client input(s)` };
}

function fromNpy(path: string, bytes: Uint8Array, p: HProgram): ClientInput {
  const d = single(p, path, 'an .npy array');
  const a = decodeNpy(bytes, path);
  const same = numel(a.shape) === numel(d.shape) && squeeze(a.shape).join(',') === squeeze(d.shape).join(',');
  if (!same) throw new CryptflowError('input', `${path}: the array has shape ${showShape(a.shape)} (${numel(a.shape)} values); the model's client input '${d.name}' has shape ${showShape(d.shape)} (${numel(d.shape)} values)`);
  return { form: 'npy', values: new Map([[d.name, toFloat32(a.values, path, d.name)]]), note: `NumPy array ${showShape(a.shape)} of '${a.descr}' → '${d.name}' ${showShape(d.shape)}` };
}

function fromImage(path: string, bytes: Uint8Array, p: HProgram, pre: ImagePreprocessing): ClientInput {
  const d = single(p, path, 'an image');
  const { values, note } = imageTensor(decodeImage(bytes, path), d.shape, pre, path);
  return { form: 'image', values: new Map([[d.name, values]]), note: `${note} → '${d.name}'` };
}

/** Read the client's inputs of `p` from `path` (see the file header). */
export function readClientInput(path: string, p: HProgram, options: ClientInputOptions): ClientInput {
  const bytes = readBytes(path);
  const form = formOf(path, bytes);
  if (form !== 'image' && options.imageOptionsGiven === true) throw new CryptflowError('usage', `--mean, --std and --layout apply to image inputs; ${path} is ${form === 'json' ? 'a JSON file' : 'an .npy array'}`);
  switch (form) {
    case 'json':
      return fromJson(path, bytes, p);
    case 'npy':
      return fromNpy(path, bytes, p);
    case 'image':
      return fromImage(path, bytes, p, options);
  }
}
