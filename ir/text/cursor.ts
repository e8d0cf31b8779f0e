/**
 * A cursor over the tokens of one IR text, with the small grammar pieces both parsers share:
 * names, integers, dimension lists, calls `Op(arg, …) key=value …` and end of line.
 */
import { failAt, type Token } from './lexer.js';

export type RawValue =
  | { readonly kind: 'num' | 'ident'; readonly tok: Token }
  | { readonly kind: 'list'; readonly tok: Token; readonly items: readonly Token[] };

export interface RawAttr {
  readonly key: string;
  readonly tok: Token;
  readonly value: RawValue;
}

export interface RawCall {
  readonly op: string;
  readonly tok: Token;
  readonly args: readonly Token[];
  readonly attrs: readonly RawAttr[];
}

const describe = (t: Token): string =>
  t.kind === 'eof'
    ? 'end of input'
    : t.kind === 'newline'
      ? 'end of line'
      : t.kind === 'number'
        ? 'a number'
        : JSON.stringify(t.text);

export function isInteger(text: string): boolean {
  return /^-?\d+$/.test(text);
}

export class Cursor {
  private i = 0;
  constructor(private readonly toks: readonly Token[]) {}

  peek(ahead = 0): Token {
    return this.toks[Math.min(this.i + ahead, this.toks.length - 1)] as Token;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  fail(expected: string, at: Token = this.peek()): never {
    return failAt(at, expected, describe(at));
  }

  isPunct(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'punct' && t.text === text;
  }

  punct(text: string): Token {
    if (!this.isPunct(text)) this.fail(`'${text}'`);
    return this.next();
  }

  keyword(word: string): Token {
    const t = this.peek();
    if (t.kind !== 'ident' || t.text !== word) this.fail(`'${word}'`);
    return this.next();
  }

  oneOf<T extends string>(words: readonly T[]): T {
    const t = this.peek();
    const hit = words.find((w) => w === t.text);
    if (t.kind !== 'ident' || hit === undefined) this.fail(words.map((w) => `'${w}'`).join(' or '));
    this.next();
    return hit;
  }

  name(): string {
    if (this.peek().kind !== 'ident') this.fail('a name');
    return this.next().text;
  }

  int(what = 'an integer'): number {
    const t = this.peek();
    if (t.kind !== 'number' || !isInteger(t.text) || !Number.isSafeInteger(Number(t.text))) this.fail(what);
    this.next();
    return Number(t.text);
  }

  /** `[` item (`,` item)* `]` or `[]`. */
  list<T>(item: () => T): T[] {
    this.punct('[');
    const out: T[] = [];
    while (!this.isPunct(']')) {
      if (out.length > 0) this.punct(',');
      out.push(item());
    }
    this.next();
    return out;
  }

  dims(): number[] {
    return this.list(() => this.int('a dimension (integer)'));
  }

  /** `Op(arg, …) key=value …` up to the end of the line. */
  call(): RawCall {
    const tok = this.peek();
    const op = this.name();
    this.punct('(');
    const args: Token[] = [];
    while (!this.isPunct(')')) {
      if (args.length > 0) this.punct(',');
      const t = this.peek();
      if (t.kind !== 'ident' && t.kind !== 'number') this.fail('an operand name');
      args.push(this.next());
    }
    this.next();
    const attrs: RawAttr[] = [];
    while (this.peek().kind === 'ident') {
      const keyTok = this.next();
      this.punct('=');
      attrs.push({ key: keyTok.text, tok: keyTok, value: this.value() });
    }
    return { op, tok, args, attrs };
  }

  private value(): RawValue {
    const t = this.peek();
    if (t.kind === 'number' || t.kind === 'ident')
      return { kind: t.kind === 'number' ? 'num' : 'ident', tok: this.next() };
    if (this.isPunct('[')) {
      const items = this.list(() => {
        if (this.peek().kind !== 'number') this.fail('a number');
        return this.next();
      });
      return { kind: 'list', tok: t, items };
    }
    return this.fail('an attribute value (number, list or true/false)');
  }

  /** End of a statement: a line end (then any blank lines) or the end of input. */
  eol(): void {
    const t = this.peek();
    if (t.kind !== 'newline' && t.kind !== 'eof') this.fail('end of line');
    this.skipBlank();
  }

  skipBlank(): void {
    while (this.peek().kind === 'newline') this.next();
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }
}
