/**
 * Tokens of the IR text syntax. Names follow NAME_PATTERN ([A-Za-z_][A-Za-z0-9_.:/]*), so a ':'
 * right after a name belongs to it: the syntax puts spaces around the ':' of a declaration.
 * '#' starts a comment running to the end of the line. Line ends are tokens (one statement per line).
 */

export type TokKind = 'ident' | 'number' | 'punct' | 'newline' | 'eof';

export interface Token {
  readonly kind: TokKind;
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

export interface ParseError {
  readonly line: number;
  readonly column: number;
  /** What the parser expected at that position. */
  readonly expected: string;
  /** `line:column: expected …, found …` (never echoes constant values beyond the offending token). */
  readonly message: string;
}

/** Thrown inside the parser only, and turned into a `ParseError` value at its boundary. */
export class ParseFailure extends Error {
  constructor(readonly error: ParseError) {
    super(error.message);
  }
}

export function failAt(tok: { line: number; column: number }, expected: string, found: string): never {
  const message = `${tok.line}:${tok.column}: expected ${expected}, found ${found}`;
  throw new ParseFailure({ line: tok.line, column: tok.column, expected, message });
}

const IDENT = /[A-Za-z_][A-Za-z0-9_.:/]*/y;
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const PUNCT = /->|[()[\],=:@]/y;

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const at = (re: RegExp): string | null => {
    re.lastIndex = i;
    const m = re.exec(src);
    return m === null ? null : m[0];
  };
  while (i < src.length) {
    const ch = src[i] as string;
    const column = i - lineStart + 1;
    if (ch === '\n') {
      out.push({ kind: 'newline', text: '\n', line, column });
      i++;
      line++;
      lineStart = i;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
    } else if (ch === '#') {
      while (i < src.length && src[i] !== '\n') i++;
    } else {
      const kinds: ReadonlyArray<readonly [TokKind, RegExp]> = [
        ['ident', IDENT],
        ['punct', PUNCT],
        ['number', NUMBER],
      ];
      const hit = kinds.map(([k, re]) => [k, at(re)] as const).find(([, t]) => t !== null);
      if (hit === undefined || hit[1] === null)
        failAt({ line, column }, 'a name, a number or one of ( ) [ ] , = : @ ->', JSON.stringify(ch));
      out.push({ kind: hit[0], text: hit[1], line, column });
      i += hit[1].length;
    }
  }
  out.push({ kind: 'eof', text: '', line, column: i - lineStart + 1 });
  return out;
}
