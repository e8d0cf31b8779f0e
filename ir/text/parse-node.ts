/**
 * From a parsed call `Op(args) key=value …` to an HLIL node or an untyped LLIL node. Operands are
 * positional (the order of operandsOf); attributes are all required, each exactly once.
 */
import type { CommonSpec } from '../builder/ops.js';
import type { HNodeSpec, LNodeSpec } from '../untyped.js';
import { isInteger, type RawCall, type RawValue } from './cursor.js';
import { failAt, type Token } from './lexer.js';

class Attrs {
  private readonly used = new Set<string>();
  constructor(private readonly call: RawCall) {
    const seen = new Set<string>();
    for (const a of call.attrs) {
      if (seen.has(a.key)) failAt(a.tok, `attribute ${a.key} only once`, `a second ${a.key}`);
      seen.add(a.key);
    }
  }

  private raw(key: string, expected: string): RawValue {
    const a = this.call.attrs.find((x) => x.key === key);
    if (a === undefined) {
      const end = this.call.attrs[this.call.attrs.length - 1]?.tok ?? this.call.tok;
      return failAt(end, `attribute ${key}=${expected} of ${this.call.op}`, 'its absence');
    }
    this.used.add(key);
    return a.value;
  }

  int(key: string): number {
    const v = this.raw(key, 'integer');
    if (v.kind !== 'num' || !isInteger(v.tok.text)) return failAt(v.tok, `an integer for ${key}`, 'another value');
    return Number(v.tok.text);
  }

  ints(key: string): number[] {
    const v = this.raw(key, '[integers]');
    if (v.kind !== 'list') return failAt(v.tok, `a list of integers for ${key}`, 'another value');
    return v.items.map((t) => (isInteger(t.text) ? Number(t.text) : failAt(t, 'an integer', 'another number')));
  }

  bool(key: string): boolean {
    const v = this.raw(key, 'true|false');
    if (v.kind !== 'ident' || (v.tok.text !== 'true' && v.tok.text !== 'false'))
      return failAt(v.tok, `true or false for ${key}`, 'another value');
    return v.tok.text === 'true';
  }

  float(key: string): number {
    const v = this.raw(key, 'number');
    const x = v.kind === 'num' ? Number(v.tok.text) : NaN;
    return Number.isFinite(x) ? x : failAt(v.tok, `a finite number for ${key}`, 'another value');
  }

  bigint(key: string): bigint {
    const v = this.raw(key, 'integer');
    if (v.kind !== 'num' || !isInteger(v.tok.text)) return failAt(v.tok, `an integer for ${key}`, 'another value');
    return BigInt(v.tok.text);
  }

  /** Every attribute was read: anything else is unknown to the operator. */
  done(): void {
    const extra = this.call.attrs.find((a) => !this.used.has(a.key));
    if (extra !== undefined) failAt(extra.tok, `no further attribute of ${this.call.op}`, `attribute ${extra.key}`);
  }
}

function names(
  call: RawCall,
  min: number,
  max: number,
): { list: string[]; at: (i: number) => string; opt: (i: number) => string | undefined } {
  const n = call.args.length;
  if (n < min || n > max) failAt(call.tok, `${min === max ? min : `${min} to ${max}`} operands for ${call.op}`, `${n}`);
  const list = call.args.map((t: Token) => (t.kind === 'ident' ? t.text : failAt(t, 'an operand name', 'a number')));
  return { list, at: (i) => list[i] as string, opt: (i) => list[i] };
}

const optional = <K extends string>(key: K, v: string | undefined): { [P in K]?: string } =>
  v === undefined ? {} : ({ [key]: v } as { [P in K]: string });

/** The operators both IRs share (null: not one of them). */
function commonNode(c: RawCall, r: Attrs): CommonSpec | null {
  const one = (): string => names(c, 1, 1).at(0);
  const two = (): [string, string] => {
    const a = names(c, 2, 2);
    return [a.at(0), a.at(1)];
  };
  switch (c.op) {
    case 'Conv':
    case 'ConvTranspose': {
      const a = names(c, 2, 3);
      const base = {
        x: a.at(0),
        w: a.at(1),
        ...optional('b', a.opt(2)),
        strides: r.ints('strides'),
        pads: r.ints('pads'),
        dilations: r.ints('dilations'),
        groups: r.int('groups'),
      };
      return c.op === 'Conv'
        ? { op: 'Conv', ...base }
        : { op: 'ConvTranspose', ...base, outputPadding: r.ints('outputPadding') };
    }
    case 'MatMul':
    case 'Add':
    case 'Sub':
    case 'Mul': {
      const [a, b] = two();
      return { op: c.op, a, b };
    }
    case 'BiasAdd': {
      const [x, b] = two();
      return { op: 'BiasAdd', x, b };
    }
    case 'Relu':
    case 'GlobalAvgPool':
      return { op: c.op, x: one() };
    case 'MaxPool':
      return { op: 'MaxPool', x: one(), kernel: r.ints('kernel'), strides: r.ints('strides'), pads: r.ints('pads') };
    case 'AvgPool':
      return {
        op: 'AvgPool',
        x: one(),
        kernel: r.ints('kernel'),
        strides: r.ints('strides'),
        pads: r.ints('pads'),
        countIncludePad: r.bool('countIncludePad'),
      };
    case 'Concat':
      return { op: 'Concat', xs: names(c, 1, Number.MAX_SAFE_INTEGER).list, axis: r.int('axis') };
    case 'Reshape':
      return { op: 'Reshape', x: one(), shape: r.ints('shape') };
    case 'Flatten':
      return { op: 'Flatten', x: one(), axis: r.int('axis') };
    case 'Transpose':
      return { op: 'Transpose', x: one(), perm: r.ints('perm') };
    case 'Squeeze':
      return { op: 'Squeeze', x: one(), axes: r.ints('axes') };
    case 'ArgMax':
      return { op: 'ArgMax', x: one(), axis: r.int('axis'), keepdims: r.bool('keepdims') };
    default:
      return null;
  }
}

function hlilOnly(c: RawCall, r: Attrs): HNodeSpec | null {
  switch (c.op) {
    case 'Gemm': {
      const a = names(c, 2, 3);
      return {
        op: 'Gemm',
        a: a.at(0),
        b: a.at(1),
        ...optional('c', a.opt(2)),
        transA: r.bool('transA'),
        transB: r.bool('transB'),
      };
    }
    case 'Div': {
      const a = names(c, 2, 2);
      return { op: 'Div', a: a.at(0), b: a.at(1) };
    }
    case 'BatchNorm': {
      const a = names(c, 5, 5);
      return {
        op: 'BatchNorm',
        x: a.at(0),
        scale: a.at(1),
        bias: a.at(2),
        mean: a.at(3),
        var: a.at(4),
        epsilon: r.float('epsilon'),
      };
    }
    case 'Pad':
      return { op: 'Pad', x: names(c, 1, 1).at(0), pads: r.ints('pads'), value: r.float('value') };
    case 'Softmax':
      return { op: 'Softmax', x: names(c, 1, 1).at(0), axis: r.int('axis') };
    case 'Sigmoid':
      return { op: 'Sigmoid', x: names(c, 1, 1).at(0) };
    default:
      return null;
  }
}

function llilOnly(c: RawCall, r: Attrs, ring: (v: bigint, at: Token) => bigint): LNodeSpec | null {
  switch (c.op) {
    case 'ScaleDown':
    case 'ScaleUp': {
      const [x, k] = c.args;
      if (c.args.length !== 2 || x?.kind !== 'ident' || k?.kind !== 'number' || !isInteger(k.text))
        return failAt(c.tok, `${c.op}(name, shift)`, 'other operands');
      return { op: c.op, x: x.text, shift: Number(k.text) };
    }
    case 'Pad': {
      const valueTok = c.attrs.find((a) => a.key === 'value')?.tok ?? c.tok;
      return { op: 'Pad', x: names(c, 1, 1).at(0), pads: r.ints('pads'), value: ring(r.bigint('value'), valueTok) };
    }
    default:
      return null;
  }
}

export function hlilNodeFromCall(c: RawCall): HNodeSpec {
  const r = new Attrs(c);
  const n = commonNode(c, r) ?? hlilOnly(c, r) ?? failAt(c.tok, 'an HLIL operator', JSON.stringify(c.op));
  r.done();
  return n;
}

export function llilNodeFromCall(c: RawCall, ring: (v: bigint, at: Token) => bigint): LNodeSpec {
  const r = new Attrs(c);
  const n = commonNode(c, r) ?? llilOnly(c, r, ring) ?? failAt(c.tok, 'an LLIL operator', JSON.stringify(c.op));
  r.done();
  return n;
}
