/** The `cryptflow` CLI through its `main` entry: outputs, exit codes and error messages. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, scratch } from './support.js';
import { parseInputs } from '../../harness/io/inputs.js';

const { dir, file } = scratch('cli');

const PROGRAM = 'examples/logreg.hlil';
const INPUTS = 'examples/logreg.inputs.json';

describe('cryptflow CLI', () => {
  it('prints help with every command, and per-command help', async () => {
    const r = await run('help');
    expect(r.code).toBe(0);
    for (const c of ['eval', 'check', 'print', 'compile']) expect(r.out).toContain(`  ${c} `);
    const e = await run('eval', '--help');
    expect(e.out).toContain('--input');
    expect((await run()).code).toBe(0);
  });

  it('evaluates HLIL under float32 semantics', async () => {
    const r = await run('eval', PROGRAM, '--input', INPUTS, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { semantics: string; outputs: { name: string; float: number[] }[] };
    expect(report.semantics).toBe('float32');
    const p = report.outputs.find((o) => o.name === 'p');
    expect(p?.float.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('evaluates the fixed-point compilation next to the float result, within the encoding error', async () => {
    const r = await run(
      'eval',
      PROGRAM,
      '--input',
      INPUTS,
      '--fixed',
      '--scale',
      '12',
      '--kernels',
      'reference',
      '--json',
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as {
      ell: number;
      scale: number;
      outputs: { name: string; float: number[]; fixed: number[]; maxAbsDiff: number }[];
    };
    expect([report.ell, report.scale]).toEqual([64, 12]);
    const cls = report.outputs.find((o) => o.name === 'cls');
    expect(cls?.fixed).toEqual(cls?.float);
    const p = report.outputs.find((o) => o.name === 'p');
    expect(p?.maxAbsDiff).toBeGreaterThan(0);
    expect(p?.maxAbsDiff).toBeLessThan(2 ** -8);
    const text = await run('eval', PROGRAM, '--input', INPUTS, '--fixed');
    expect(text.out).toContain('max |fixed − float32|');
  });

  it('compiles to LLIL, prints JSON, and the outputs check and evaluate again', async () => {
    const llil = join(dir, 'logreg.llil');
    expect((await run('compile', PROGRAM, '--scale', '10', '--bitlen', '32', '--out', llil)).code).toBe(0);
    expect(readFileSync(llil, 'utf8')).toMatch(/^llil ell=32/);
    const check = await run('check', llil);
    expect(check.out).toContain('well-typed LLIL over Z_2^32');
    const json = join(dir, 'logreg.llil.json');
    expect((await run('print', llil, '--json', '--out', json)).code).toBe(0);
    const again = await run('eval', json, '--input', INPUTS, '--json');
    expect(again.code).toBe(0);
    expect((JSON.parse(again.out) as { semantics: string }).semantics).toBe('fixed');
    expect((await run('eval', json, '--input', INPUTS, '--scale', '3')).err).toMatch(
      /declares its own ring and scales/,
    );
  });

  it('reports an ill-typed program with the node and shapes, exit code 1', async () => {
    const bad = file(
      'bad.hlil',
      'hlil\ninput x : f32[1,4] @client\ninput W : f32[5,2] @server\ny = MatMul(x, W)\noutput y -> client\n',
    );
    const r = await run('check', bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/node y \(MatMul\)/);
    expect(r.err).toContain('[1,4]');
  });

  it('reports syntax errors with line and column', async () => {
    const bad = file('syntax.hlil', 'hlil\ninput x : f32[1,4] @client\ny = Relu(x\noutput y -> client\n');
    const r = await run('check', bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/syntax\.hlil:3:\d+: expected/);
  });

  it('refuses bad usage with exit code 2', async () => {
    expect((await run('eval', PROGRAM, '--bogus')).err).toMatch(/unknown option --bogus/);
    expect((await run('eval', PROGRAM, '--bogus')).code).toBe(2);
    expect((await run('eval', PROGRAM)).err).toMatch(/needs --input/);
    expect((await run('frobnicate')).code).toBe(2);
    expect((await run('eval', PROGRAM, '--input', INPUTS, '--scale', 'x')).err).toMatch(/needs an integer/);
    expect((await run('eval', PROGRAM, '--input', INPUTS, '--bitlen', '65')).err).toMatch(/must be in \[2, 64\]/);
    expect((await run('check')).err).toMatch(/expected 1 argument/);
  });

  it('reports missing files and bad inputs without echoing values', async () => {
    expect((await run('check', join(dir, 'nope.hlil'))).err).toMatch(/cannot read program .*ENOENT/);
    const missing = file(
      'missing.json',
      JSON.stringify({ x: [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]] }),
    );
    const r = await run('eval', PROGRAM, '--input', missing);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/missing input 'W' of shape \[16,3\]/);
    const secret = 123.456789;
    const wrong = file('wrong.json', JSON.stringify({ x: [secret, secret], W: [], b: [] }));
    const w = await run('eval', PROGRAM, '--input', wrong);
    expect(w.err).toMatch(/'x' has shape \[2\] \(2 values\); the program declares \[1,16\]/);
    expect(w.err).not.toContain(String(secret));
  });
});

describe('input files', () => {
  const decls = [{ name: 'x', shape: [2, 2] }];
  it('accepts flat and nested arrays', () => {
    expect(Array.from(parseInputs('{"x":[1,2,3,4]}', decls).get('x') ?? [])).toEqual([1, 2, 3, 4]);
    expect(Array.from(parseInputs('{"x":[[1,2],[3,4]]}', decls).get('x') ?? [])).toEqual([1, 2, 3, 4]);
  });
  it.each([
    ['not json', /not valid JSON/],
    ['[1,2]', /expected a JSON object/],
    ['{"x":[[1,2],[3]]}', /not ragged/],
    ['{"x":[1,2,3,4],"y":[1]}', /unknown input\(s\) 'y'/],
    ['{"x":[1,2,3,"4"]}', /must be an array of numbers/],
    ['{"x":[1,2,3,1e300]}', /entry 3 is not a finite float32/],
  ])('rejects %s', (text, message) => {
    expect(() => parseInputs(text, decls, 'f.json')).toThrow(message);
  });
});
