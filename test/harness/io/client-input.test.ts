/**
 * The client's input files (harness/io/client-input.ts): decoding needs no model (so a deployment's
 * client checks every file before it connects), fitting checks names and shapes; a bare (nested) JSON
 * array fills a model's one client input and is refused, naming the inputs, when there are several;
 * an image fills only an image-shaped input unless --flatten.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../spec/errors.js';
import type { HProgram } from '../../../ir/hlil.js';
import { parseProgram } from '../../../harness/io/program.js';
import { decodeClientInput, fitClientInput, readClientInput } from '../../../harness/io/client-input.js';
import { scratch } from '../../e2e/support.js';

const { dir, file } = scratch('client-input');

function program(text: string): HProgram {
  const p = parseProgram(text, 'test');
  if (p.ir !== 'hlil') throw new Error('expected HLIL');
  return p.program;
}

const ONE = program(
  'hlil\ninput x : f32[1,2,3] @client\ninput W : f32[1,2,3] @server\ny = Add(x, W)\noutput y -> client\n',
);
const TWO = program(
  'hlil\ninput a : f32[1,3] @client\ninput b : f32[1,3] @client\ny = Add(a, b)\noutput y -> client\n',
);

function errorOf(f: () => unknown): CryptflowError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CryptflowError);
    return e as CryptflowError;
  }
  throw new Error('expected an error');
}

describe('client input files', () => {
  it('a bare nested or flat array fills the one client input', () => {
    const nested = readClientInput(
      file(
        'nested.json',
        JSON.stringify([
          [
            [1, 2, 3],
            [4, 5, 6],
          ],
        ]),
      ),
      ONE,
      { layout: 'nchw' },
    );
    expect(Array.from(nested.values.get('x') ?? [])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(nested.note).toBe("JSON array → 'x' [1,2,3]");
    const flat = readClientInput(file('flat.json', '[1,2,3,4,5,6]'), ONE, { layout: 'nchw' });
    expect(Array.from(flat.values.get('x') ?? [])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(errorOf(() => readClientInput(file('short.json', '[[1,2]]'), ONE, { layout: 'nchw' })).message).toMatch(
      /short\.json: 'x' has shape \[1,2\] \(2 values\); the program declares \[1,2,3\]/,
    );
  });

  it('a bare array is refused for a model with several client inputs, naming them', () => {
    const e = errorOf(() => readClientInput(file('two.json', '[1,2,3]'), TWO, { layout: 'nchw' }));
    expect(e.message).toMatch(
      /two\.json: a bare JSON array fills one input, the model has 2 client inputs \('a', 'b'\); give a JSON file naming each/,
    );
    const named = readClientInput(file('named.json', JSON.stringify({ a: [1, 2, 3], b: [4, 5, 6] })), TWO, {
      layout: 'nchw',
    });
    expect([...named.values.keys()]).toEqual(['a', 'b']);
  });

  it('decoding needs no model and catches unreadable, malformed and non-JSON-object files; fitting checks the model', () => {
    expect(errorOf(() => decodeClientInput(join(dir, 'missing.json'))).message).toMatch(
      /cannot read input file .*missing\.json: ENOENT/,
    );
    expect(errorOf(() => decodeClientInput(file('broken.json', '{"x": [1,'))).message).toMatch(
      /broken\.json: not valid JSON/,
    );
    expect(errorOf(() => decodeClientInput(file('scalar.json', '42'))).message).toMatch(
      /scalar\.json: expected a JSON object .* or one \(nested\) array of numbers/,
    );
    expect(errorOf(() => decodeClientInput(file('odd.bin', 'hello'))).code).toBe('unsupported');
    const d = decodeClientInput(file('wrong.json', JSON.stringify({ z: [1] })));
    expect(errorOf(() => fitClientInput(d, ONE, { layout: 'nchw' })).message).toMatch(
      /wrong\.json: unknown input\(s\) 'z'/,
    );
    expect(
      errorOf(() =>
        fitClientInput(decodeClientInput(file('w.json', JSON.stringify({ W: [1] }))), ONE, { layout: 'nchw' }),
      ).message,
    ).toMatch(/'W' is a server input/);
  });

  it('a deployment decodes every file before connecting: the same file read twice gives the same values', () => {
    const path = join(dir, 'same.json');
    writeFileSync(
      path,
      JSON.stringify([
        [
          [0.5, 0.25, 0],
          [1, 2, 3],
        ],
      ]),
    );
    const d = decodeClientInput(path);
    writeFileSync(path, 'changed after decoding');
    expect(Array.from(fitClientInput(d, ONE, { layout: 'nchw' }).values.get('x') ?? [])).toEqual([
      0.5, 0.25, 0, 1, 2, 3,
    ]);
  });
});
