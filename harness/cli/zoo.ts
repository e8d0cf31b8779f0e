/**
 * `cryptflow zoo list [--json]` and `cryptflow zoo export NAME -o FILE.onnx [--seed S] [--force]`: the model
 * zoo (harness/zoo/zoo.ts) — what it holds, and any of its models written as an ONNX file (the same
 * bytes `zoo:NAME` compiles; the seed changes the weights' values only). An existing file is
 * overwritten only with --force.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { CryptflowError } from '../../spec/errors.js';
import { ZOO, zooEntry } from '../zoo/zoo.js';
import { getBoolean, getString, type FlagSpec, type ParsedArgs } from './args.js';
import { bytes } from './compile.js';

export const ZOO_FLAGS: Readonly<Record<string, FlagSpec>> = {
  out: { kind: 'string', help: 'export: the ONNX file to write', alias: 'o' },
  seed: { kind: 'string', help: "export: the weights' seed (default: the model's name)" },
  json: { kind: 'boolean', help: 'list: print a JSON array' },
  force: { kind: 'boolean', help: 'export: overwrite FILE if it exists' },
};

export interface ZooListing {
  readonly name: string;
  readonly description: string;
  readonly input: { readonly name: string; readonly shape: readonly number[] };
  readonly outputs: readonly string[];
  readonly source: string;
}

export function zooCommand(args: ParsedArgs): string {
  const [sub, name, ...rest] = args.positional;
  if (sub === 'list') {
    if (name !== undefined) throw new CryptflowError('usage', 'zoo list takes no argument');
    const rows: ZooListing[] = ZOO.map(({ name: n, description, input, outputs, source }) => ({
      name: n,
      description,
      input,
      outputs,
      source,
    }));
    if (getBoolean(args, 'json')) return JSON.stringify(rows);
    const w = Math.max(...rows.map((r) => r.name.length));
    return [
      'model zoo (MODEL arguments take zoo:NAME; weights are seeded stand-ins, shapes are the published ones):',
      ...rows.map(
        (r) =>
          `  ${r.name.padEnd(w)}  ${r.description}; input ${r.input.name} [${r.input.shape.join(',')}] → ${r.outputs.join(', ')}  (${r.source})`,
      ),
    ].join('\n');
  }
  if (sub === 'export') {
    if (name === undefined || rest.length > 0)
      throw new CryptflowError('usage', 'usage: cryptflow zoo export NAME -o FILE.onnx [--seed S]');
    const out = getString(args, 'out');
    if (out === undefined) throw new CryptflowError('usage', 'zoo export needs -o FILE.onnx');
    if (existsSync(out) && !getBoolean(args, 'force'))
      throw new CryptflowError('usage', `refusing to overwrite ${out} (give --force to replace it)`);
    const seed = getString(args, 'seed');
    const net = zooEntry(name).build(...(seed === undefined ? [] : [seed]));
    const data = net.bytes();
    try {
      writeFileSync(out, data);
    } catch (e) {
      throw new CryptflowError('input', `cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`);
    }
    return `wrote ${out}: ${name}, ${net.parameters().toLocaleString('en-US')} parameters, ${bytes(data.length)}`;
  }
  throw new CryptflowError(
    'usage',
    `zoo needs 'list' or 'export NAME -o FILE.onnx'${sub === undefined ? '' : `, got '${sub}'`}`,
  );
}
