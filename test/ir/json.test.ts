/** JSON form: decode ∘ encode is the identity; decode errors carry paths and never input values. */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeHlil, decodeLlil, encodeHlil, encodeLlil } from '../../ir/json.js';
import { hlilProgram } from '../arbitraries/hlil.js';
import { llilProgram } from '../arbitraries/llil.js';

const viaText = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
const messages = (r: E.Either<readonly { message: string }[], unknown>): string[] =>
  E.isLeft(r) ? r.left.map((e) => e.message) : [];

describe('ir/json', () => {
  it('round-trips random HLIL programs (also through JSON text)', () => {
    fc.assert(
      fc.property(hlilProgram(), (p) => {
        expect(decodeHlil(encodeHlil(p))).toEqual(E.right(p));
        expect(decodeHlil(viaText(encodeHlil(p)))).toEqual(E.right(p));
      }),
    );
  });

  it('round-trips random LLIL programs (also through JSON text)', () => {
    fc.assert(
      fc.property(llilProgram(), (p) => {
        expect(decodeLlil(encodeLlil(p))).toEqual(E.right(p));
        expect(decodeLlil(viaText(encodeLlil(p)))).toEqual(E.right(p));
      }),
    );
  });

  it('writes LLIL constants as signed decimal strings', () => {
    const json = encodeLlil({
      ir: 'llil',
      ell: 8,
      decls: [{ kind: 'const', name: 'c', shape: [2], scale: 1, values: BigUint64Array.from([255n, 3n]) }],
      nodes: [],
      outputs: [{ name: 'c', to: 'client' }],
    });
    expect(json.decls[0]).toMatchObject({ values: ['-1', '3'] });
  });

  it('reports decode errors with a path, redacting the values', () => {
    const secret = 'SECRET-VALUE-123';
    const doc = {
      ir: 'hlil',
      decls: [
        { kind: 'input', name: 'x', shape: [1, 2], owner: 'client' },
        { kind: 'const', name: 'c', shape: [2], values: [1, secret] },
      ],
      nodes: [
        { op: 'MatMul', out: 't0', a: 'x', b: 42 },
        { op: 'Frob', out: secret },
      ],
      outputs: [{ name: 't0', to: 'client' }],
    };
    const ms = messages(decodeHlil(doc));
    expect(ms).toContain('decode: at $.decls[1].values[1]: expected a finite number in float32 range, got a string');
    expect(ms).toContain('decode: at $.nodes[0].b: expected string, got a number');
    expect(ms.some((m) => m.startsWith('decode: at $.nodes[1].op: expected op to be one of Conv,'))).toBe(true);
    expect(ms.join('\n')).not.toContain(secret);
  });

  it('rejects out-of-range ring values by position only', () => {
    const doc = {
      ir: 'llil',
      ell: 8,
      decls: [{ kind: 'const', name: 'c', shape: [1], scale: 0, values: ['1000'] }],
      nodes: [],
      outputs: [{ name: 'c', to: 'client' }],
    };
    expect(messages(decodeLlil(doc))).toEqual([
      'decode: at $.decls[0].values[0]: expected a signed 8-bit integer, got one out of range',
    ]);
  });

  it('runs the checker after decoding', () => {
    const doc = {
      ir: 'hlil',
      decls: [
        { kind: 'input', name: 'x', shape: [1, 784], owner: 'client' },
        { kind: 'input', name: 'W', shape: [785, 10], owner: 'server' },
      ],
      nodes: [{ op: 'MatMul', out: 't3', a: 'x', b: 'W' }],
      outputs: [{ name: 't3', to: 'client' }],
    };
    expect(messages(decodeHlil(doc))).toEqual([
      'node t3 (MatMul): inner dimensions differ: a is [1,784], b is [785,10]',
    ]);
  });
});
