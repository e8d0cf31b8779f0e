/**
 * The IR parsers: text (syntax of ir/text/print.ts, '#' comments, blank lines anywhere) to programs.
 * A syntax error is a `ParseError` value with line, column and what was expected. Parsing checks
 * syntax and literal ranges only (float32 range, ring range); run the checker for types and shapes.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Owner } from '../common.js';
import type { HDecl, HNode, HOutput, HProgram } from '../hlil.js';
import type { Label, LDecl, LNode, LOutput, LPost, LProgram, LType } from '../llil.js';
import { Cursor } from './cursor.js';
import { failAt, ParseFailure, tokenize, type ParseError, type Token } from './lexer.js';
import { hlilNodeFromCall, llilNodeFromCall } from './parse-node.js';

export type { ParseError } from './lexer.js';

function guard<T>(run: () => T): E.Either<ParseError, T> {
  try {
    return E.right(run());
  } catch (e) {
    if (e instanceof ParseFailure) return E.left(e.error);
    throw e;
  }
}

const OWNERS = ['client', 'server'] as const;

/** Is this line a declaration or output statement (keyword followed by a name)? */
function statementKeyword(c: Cursor): string | null {
  const t = c.peek();
  return t.kind === 'ident' && ['input', 'const', 'output'].includes(t.text) && c.peek(1).kind === 'ident'
    ? t.text
    : null;
}

function output(c: Cursor): { name: string; to: Owner } {
  c.keyword('output');
  const name = c.name();
  c.punct('->');
  return { name, to: c.oneOf(OWNERS) };
}

function float32(t: Token): number {
  const x = Math.fround(Number(t.text));
  return t.kind === 'number' && Number.isFinite(x)
    ? x
    : failAt(t, 'a finite float32 constant', t.kind === 'number' ? 'a value out of float32 range' : 'something else');
}

export function parseHlil(src: string): E.Either<ParseError, HProgram> {
  return guard(() => {
    const c = new Cursor(tokenize(src));
    c.skipBlank();
    c.keyword('hlil');
    c.eol();
    const decls: HDecl[] = [],
      nodes: HNode[] = [],
      outputs: HOutput[] = [];
    while (!c.atEnd()) {
      const kw = statementKeyword(c);
      if (kw === 'input' || kw === 'const') {
        c.next();
        const name = c.name();
        c.punct(':');
        c.keyword('f32');
        const shape = c.dims();
        if (kw === 'input') {
          c.punct('@');
          decls.push({ kind: 'input', name, shape, owner: c.oneOf(OWNERS) });
        } else {
          c.punct('=');
          decls.push({ kind: 'const', name, shape, values: Float32Array.from(c.list(() => float32(c.next()))) });
        }
      } else if (kw === 'output') {
        outputs.push(output(c));
      } else {
        const out = c.name();
        c.punct('=');
        nodes.push({ ...hlilNodeFromCall(c.call()), out } as HNode);
      }
      c.eol();
    }
    return { ir: 'hlil', decls, nodes, outputs };
  });
}

function ltype(c: Cursor): LType {
  const label: Label = c.oneOf(['secret', 'public'] as const);
  c.keyword('fix');
  const shape = c.dims();
  c.punct('@');
  return { shape, scale: c.int('a scale (integer)'), label };
}

function post(c: Cursor): LPost {
  const key = c.peek();
  if (c.name() !== 'post') failAt(key, "'post=' or end of line", JSON.stringify(key.text));
  c.punct('=');
  const op = c.oneOf(['Softmax', 'Sigmoid'] as const);
  c.punct('(');
  let p: LPost = { op: 'Sigmoid' };
  if (op === 'Softmax') {
    c.keyword('axis');
    c.punct('=');
    p = { op: 'Softmax', axis: c.int() };
  }
  c.punct(')');
  return p;
}

export function parseLlil(src: string): E.Either<ParseError, LProgram> {
  return guard(() => {
    const c = new Cursor(tokenize(src));
    c.skipBlank();
    c.keyword('llil');
    c.keyword('ell');
    c.punct('=');
    const ellTok = c.peek();
    const ell = c.int('the ring width ℓ');
    if (ell < 2 || ell > 64) failAt(ellTok, 'a ring width ℓ in [2, 64]', String(ell));
    c.eol();
    const half = 1n << BigInt(ell - 1);
    const ring = (v: bigint, at: Token): bigint =>
      v >= -half && v < half
        ? BigInt.asUintN(ell, v)
        : failAt(at, `a signed ${ell}-bit integer`, 'a value out of range');
    const element = (t: Token): bigint =>
      t.kind === 'number' && /^-?\d+$/.test(t.text)
        ? ring(BigInt(t.text), t)
        : failAt(t, 'an integer constant', 'something else');
    const decls: LDecl[] = [],
      nodes: LNode[] = [],
      outputs: LOutput[] = [];
    while (!c.atEnd()) {
      const kw = statementKeyword(c);
      if (kw === 'input' || kw === 'const') {
        c.next();
        const name = c.name();
        c.punct(':');
        c.keyword('fix');
        const shape = c.dims();
        c.punct('@');
        const scale = c.int('a scale (integer)');
        if (kw === 'input') {
          c.punct('@');
          decls.push({ kind: 'input', name, shape, scale, owner: c.oneOf(OWNERS) });
        } else {
          c.punct('=');
          decls.push({
            kind: 'const',
            name,
            shape,
            scale,
            values: BigUint64Array.from(c.list(() => element(c.next()))),
          });
        }
      } else if (kw === 'output') {
        const o = output(c);
        outputs.push(c.peek().kind === 'ident' ? { ...o, post: post(c) } : o);
      } else {
        const out = c.name();
        c.punct(':');
        const type = ltype(c);
        c.punct('=');
        nodes.push({ ...llilNodeFromCall(c.call(), ring), out, type } as LNode);
      }
      c.eol();
    }
    return { ir: 'llil', ell, decls, nodes, outputs };
  });
}
