/**
 * Load an HLIL or LLIL program from its text syntax or its JSON form, and type-check it. Which IR a
 * file holds is read from the file itself (the text header `hlil` / `llil ell=…`, or the JSON `ir`
 * field), never from its extension. Every failure is a CryptflowError that names the file and the
 * line, node or JSON path.
 */
import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { CryptflowError } from '../../spec/errors.js';
import { checkHlil, checkLlil, type HlilInfo, type LlilInfo } from '../../ir/check.js';
import type { HProgram } from '../../ir/hlil.js';
import type { LProgram } from '../../ir/llil.js';
import { decodeHlil, decodeLlil, encodeHlil, encodeLlil } from '../../ir/json.js';
import { parseHlil, parseLlil } from '../../ir/text.js';

export type LoadedProgram =
  | { readonly ir: 'hlil'; readonly program: HProgram; readonly info: HlilInfo }
  | { readonly ir: 'llil'; readonly program: LProgram; readonly info: LlilInfo };

function firstWord(text: string): string {
  for (const line of text.split('\n')) {
    const code = line.replace(/#.*$/, '').trim();
    if (code !== '') return code.split(/\s+/)[0] ?? '';
  }
  return '';
}

function checked(p: HProgram | LProgram, where: string): LoadedProgram {
  const fail = (errors: readonly { message: string }[]): never => {
    throw new CryptflowError(
      'type',
      `${where}: the program is not well-typed:\n  ${errors.map((e) => e.message).join('\n  ')}`,
    );
  };
  if (p.ir === 'hlil') {
    const r = checkHlil(p);
    return E.isLeft(r) ? fail(r.left) : { ir: 'hlil', program: p, info: r.right };
  }
  const r = checkLlil(p);
  return E.isLeft(r) ? fail(r.left) : { ir: 'llil', program: p, info: r.right };
}

/** Parse and check program text (text syntax or JSON); `where` names the source in errors. */
export function parseProgram(text: string, where: string): LoadedProgram {
  if (text.trimStart().startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CryptflowError('decode', `${where}: not valid JSON`);
    }
    const ir = typeof json === 'object' && json !== null && 'ir' in json ? json.ir : undefined;
    const r = ir === 'hlil' ? decodeHlil(json) : ir === 'llil' ? decodeLlil(json) : null;
    if (r === null) throw new CryptflowError('decode', `${where}: at $.ir: expected "hlil" or "llil"`);
    if (E.isLeft(r)) throw new CryptflowError('decode', `${where}:\n  ${r.left.map((e) => e.message).join('\n  ')}`);
    return checked(r.right, where);
  }
  const head = firstWord(text);
  const parsed = head === 'hlil' ? parseHlil(text) : head === 'llil' ? parseLlil(text) : null;
  if (parsed === null) {
    throw new CryptflowError(
      'parse',
      `${where}: not an IR program (expected a first line 'hlil' or 'llil ell=N', or a JSON object)`,
    );
  }
  if (E.isLeft(parsed)) throw new CryptflowError('parse', `${where}:${parsed.left.message}`);
  return checked(parsed.right, where);
}

export function loadProgram(path: string): LoadedProgram {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CryptflowError(
      'input',
      `cannot read program ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`,
    );
  }
  return parseProgram(text, path);
}

/** The JSON form of a program, as one line of text. */
export function programJson(p: HProgram | LProgram): string {
  return JSON.stringify(p.ir === 'hlil' ? encodeHlil(p) : encodeLlil(p));
}
