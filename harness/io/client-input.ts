/**
 * The client's input file for `cryptflow run`, in whichever form it comes: a JSON object (inputs.ts),
 * a NumPy `.npy` array (npy.ts) or a PNG / PGM image (image-input.ts, with its documented
 * preprocessing). The form is chosen by the extension (.json, .npy, .png, .pgm), or by the file's
 * first bytes when the extension says nothing.
 *
 * Only the client's inputs are read here: the server's weights come with the model and never pass
 * through this file. A JSON file naming a server input is refused; an `.npy` array, an image or a
 * bare (nested) JSON array fills the model's one client input (a model with several needs a JSON
 * object naming each). An image fills only an image-shaped input unless `flatten` says to lay its
 * pixels out as one vector. Errors name the file, the input and the shapes, never values.
 *
 * Two steps, so that a deployment's client can check every file before it connects: `decodeClientInput`
 * reads and decodes a file without the model (readable, a known form, well-formed, finite numbers);
 * `fitClientInput` fits the decoded file to the model's client inputs (names, shapes, image layout).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CryptflowError } from '../../spec/errors.js';
import { numel, showShape, type Shape } from '../../spec/geometry.js';
import type { HProgram, HInputDecl } from '../../ir/hlil.js';
import { decodeImage, flatImageTensor, imageTensor, type ImagePreprocessing } from './image-input.js';
import { parseInputs } from './inputs.js';
import { decodeNpy, isNpy, type NpyArray } from './npy.js';
import { isPng } from './png.js';
import type { Raster } from '../format/raster.js';

export type InputForm = 'json' | 'npy' | 'image';

export interface ClientInput {
  readonly form: InputForm;
  readonly values: Map<string, Float32Array>;
  /** What was read and how it was turned into the input (one line). */
  readonly note: string;
}

export interface ClientInputOptions extends ImagePreprocessing {
  /** Whether image-only options (mean, std, layout, flatten) were given explicitly: refused for other forms. */
  readonly imageOptionsGiven?: boolean;
  /** Images: lay the pixels out as one vector filling a non-image input (`--flatten`). */
  readonly flatten?: boolean;
}

/** A client input file read and decoded, not yet fitted to a model. */
export type DecodedInput =
  | { readonly path: string; readonly form: 'json'; readonly text: string; readonly json: unknown }
  | { readonly path: string; readonly form: 'npy'; readonly array: NpyArray }
  | { readonly path: string; readonly form: 'image'; readonly raster: Raster };

function readBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new CryptflowError(
      'input',
      `cannot read input file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`,
    );
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
  throw new CryptflowError(
    'unsupported',
    `${path}: unknown input file type; inputs are JSON (.json), NumPy arrays (.npy) or PNG / PGM images`,
  );
}

function clientDecls(p: HProgram): HInputDecl[] {
  return p.decls.filter((d): d is HInputDecl => d.kind === 'input' && d.owner === 'client');
}

/** The model's single client input, for the forms that carry one array. */
function single(p: HProgram, path: string, what: string): HInputDecl {
  const c = clientDecls(p);
  if (c.length === 1) return c[0] as HInputDecl;
  if (c.length === 0) throw new CryptflowError('input', `${path}: the model has no client input to fill`);
  throw new CryptflowError(
    'input',
    `${path}: ${what} fills one input, the model has ${c.length} client inputs (${c.map((d) => `'${d.name}'`).join(', ')}); give a JSON file naming each`,
  );
}

const squeeze = (s: Shape): number[] => s.filter((d) => d !== 1);

function toFloat32(values: ArrayLike<number>, path: string, name: string): Float32Array {
  const f = Float32Array.from(values);
  const i = f.findIndex((x) => !Number.isFinite(x));
  if (i >= 0) throw new CryptflowError('input', `${path}: entry ${i} of '${name}' is not a finite float32`);
  return f;
}

function decodeJson(path: string, bytes: Uint8Array): unknown {
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CryptflowError(
      'input',
      `${path}: not valid JSON (${e instanceof Error ? e.message.replace(/ in JSON at position.*$/, '') : 'parse error'})`,
    );
  }
}

/** Read and decode `path` without the model (see the file header). */
export function decodeClientInput(path: string): DecodedInput {
  const bytes = readBytes(path);
  const form = formOf(path, bytes);
  switch (form) {
    case 'json': {
      const json = decodeJson(path, bytes);
      if (typeof json !== 'object' || json === null)
        throw new CryptflowError(
          'input',
          `${path}: expected a JSON object mapping client inputs to arrays of numbers, or one (nested) array of numbers`,
        );
      return { path, form, text: new TextDecoder().decode(bytes), json };
    }
    case 'npy':
      return { path, form, array: decodeNpy(bytes, path) };
    case 'image':
      return { path, form, raster: decodeImage(bytes, path) };
  }
}

function fromJson(d: Extract<DecodedInput, { form: 'json' }>, p: HProgram): ClientInput {
  const { path, json } = d;
  if (Array.isArray(json)) {
    const decl = single(p, path, 'a bare JSON array');
    const values = parseInputs(JSON.stringify({ [decl.name]: json }), [decl], path);
    return { form: 'json', values, note: `JSON array → '${decl.name}' ${showShape(decl.shape)}` };
  }
  const server = new Set(p.decls.filter((x) => x.kind === 'input' && x.owner === 'server').map((x) => x.name));
  const weights = Object.keys(json as object).filter((k) => server.has(k));
  if (weights.length > 0) {
    throw new CryptflowError(
      'input',
      `${path}: ${weights.map((k) => `'${k}'`).join(', ')} ${weights.length === 1 ? 'is a server input' : 'are server inputs'}; the client's input file holds only client inputs (the weights come with the model, or --weights for an HLIL program)`,
    );
  }
  const values = parseInputs(d.text, clientDecls(p), path);
  return { form: 'json', values, note: `JSON input file, ${values.size} client input(s)` };
}

function fromNpy(path: string, a: NpyArray, p: HProgram): ClientInput {
  const d = single(p, path, 'an .npy array');
  const same = numel(a.shape) === numel(d.shape) && squeeze(a.shape).join(',') === squeeze(d.shape).join(',');
  if (!same)
    throw new CryptflowError(
      'input',
      `${path}: the array has shape ${showShape(a.shape)} (${numel(a.shape)} values); the model's client input '${d.name}' has shape ${showShape(d.shape)} (${numel(d.shape)} values)`,
    );
  return {
    form: 'npy',
    values: new Map([[d.name, toFloat32(a.values, path, d.name)]]),
    note: `NumPy array ${showShape(a.shape)} of '${a.descr}' → '${d.name}' ${showShape(d.shape)}`,
  };
}

function fromImage(path: string, r: Raster, p: HProgram, o: ClientInputOptions): ClientInput {
  const d = single(p, path, 'an image');
  const { values, note } = o.flatten === true ? flatImageTensor(r, d.shape, o, path) : imageTensor(r, d.shape, o, path);
  return { form: 'image', values: new Map([[d.name, values]]), note: `${note} → '${d.name}'` };
}

/** Fit a decoded file to the client inputs of `p` (see the file header). */
export function fitClientInput(d: DecodedInput, p: HProgram, options: ClientInputOptions): ClientInput {
  if (d.form !== 'image' && options.imageOptionsGiven === true)
    throw new CryptflowError(
      'usage',
      `--mean, --std, --layout and --flatten apply to image inputs; ${d.path} is ${d.form === 'json' ? 'a JSON file' : 'an .npy array'}`,
    );
  switch (d.form) {
    case 'json':
      return fromJson(d, p);
    case 'npy':
      return fromNpy(d.path, d.array, p);
    case 'image':
      return fromImage(d.path, d.raster, p, options);
  }
}

/** Read the client's inputs of `p` from `path`: decode, then fit. */
export function readClientInput(path: string, p: HProgram, options: ClientInputOptions): ClientInput {
  return fitClientInput(decodeClientInput(path), p, options);
}
