/** The project lint catches what it claims to: layering, frontend boundary, cycles, Math.random. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint, tableCycles } from '../scripts/lint.js';

const root = mkdtempSync(join(tmpdir(), 'cryptflow-lint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 't-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('scripts/lint', () => {
  it('accepts imports that follow the layer table', () => {
    const dir = tree({
      'spec/a.ts': 'export const a = 1;\n',
      'ir/b.ts': "import { a } from '../spec/a.js';\nexport const b = a;\n",
      'harness/c.ts':
        "import { b } from '../ir/b.js';\nimport { f } from '../passes/frontend/onnx.js';\nexport const c = b + f;\n",
      'passes/frontend/onnx.ts': "import { g } from './model.js';\nexport const f = g;\n",
      'passes/frontend/model.ts': 'export const g = 2;\n',
      'test/data/gen.ts': 'export const r = Math.random();\n',
    });
    expect(lint(dir)).toEqual([]);
  });

  it('rejects an upward import, naming file, line and the rule', () => {
    const dir = tree({
      'spec/a.ts': "\nimport { b } from '../ir/b.js';\nexport const a = b;\n",
      'ir/b.ts': 'export const b = 1;\n',
    });
    const v = lint(dir);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ file: 'spec/a.ts', line: 2 });
    expect(v[0]?.message).toMatch(/spec\/ may not import ir\//);
  });

  it('rejects protocols importing harness, and passes importing a frontend', () => {
    const dir = tree({
      'protocols/p.ts': "import { h } from '../harness/h.js';\nexport const p = h;\n",
      'harness/h.ts': 'export const h = 1;\n',
      'passes/opt.ts': "import { f } from './frontend/tf.js';\nexport const o = f;\n",
      'passes/frontend/tf.ts': 'export const f = 1;\n',
    });
    const messages = lint(dir).map((v) => v.message);
    expect(messages.some((m) => /protocols\/ may not import harness\//.test(m))).toBe(true);
    expect(messages.some((m) => /only harness\/ and test\/ may import the frontends/.test(m))).toBe(true);
  });

  it('finds import cycles', () => {
    const dir = tree({
      'ir/x.ts': "import { y } from './y.js';\nexport const x = () => y;\n",
      'ir/y.ts': "import { x } from './x.js';\nexport const y = () => x;\n",
    });
    const v = lint(dir);
    expect(v.map((e) => e.message).join('\n')).toMatch(/import cycle: ir\/(x|y)\.ts → ir\/(x|y)\.ts/);
  });

  it('bans Math.random outside test data but not in comments or strings, and seedrandom in protocols', () => {
    const dir = tree({
      'semantics/s.ts':
        "// Math.random is banned\nconst msg = 'Math.random';\nexport const r = Math.random() + msg.length;\n",
      'protocols/q.ts': "import seedrandom from 'seedrandom';\nexport const q = seedrandom;\n",
    });
    const v = lint(dir);
    expect(v.filter((e) => /Math\.random is banned/.test(e.message))).toEqual([
      expect.objectContaining({ file: 'semantics/s.ts', line: 3 }),
    ]);
    expect(v.some((e) => /seedrandom may not be imported in protocols\//.test(e.message))).toBe(true);
  });

  it('holds subfolders of protocols/ and harness/ to the subfolder table', () => {
    const dir = tree({
      'protocols/common/party.ts': 'export const p = 1;\n',
      'protocols/ot/iknp.ts':
        "import { p } from '../common/party.js';\nimport { l } from '../../ir/llil.js';\nexport const o = p + l;\n",
      'protocols/cryptflow2/relu.ts': "import { o } from '../ot/iknp.js';\nexport const r = o;\n",
      'protocols/common/bad.ts': "import { o } from '../ot/iknp.js';\nexport const b = o;\n",
      'protocols/elsewhere/x.ts': 'export const x = 1;\n',
      'ir/llil.ts': 'export const l = 1;\n',
      'harness/party/report.ts': "import { c } from '../cli/compile.js';\nexport const r = c;\n",
      'harness/cli/compile.ts': "import { s } from '../../spec/s.js';\nexport const c = s;\n",
      'spec/s.ts': 'export const s = 1;\n',
    });
    const messages = lint(dir).map((v) => `${v.file}: ${v.message}`);
    expect(messages).toHaveLength(4);
    expect(messages.some((m) => /^protocols\/ot\/iknp\.ts: protocols\/ot\/ may not import ir\//.test(m))).toBe(true);
    expect(
      messages.some((m) => /^protocols\/common\/bad\.ts: protocols\/common\/ may not import protocols\/ot\//.test(m)),
    ).toBe(true);
    expect(
      messages.some((m) =>
        /^protocols\/elsewhere\/x\.ts: protocols\/elsewhere\/ is not in the subfolder table/.test(m),
      ),
    ).toBe(true);
    expect(
      messages.some((m) => /^harness\/party\/report\.ts: harness\/party\/ may not import harness\/cli\//.test(m)),
    ).toBe(true);
  });

  it('keeps the subfolder table itself acyclic', () => {
    expect(tableCycles()).toEqual([]);
  });
});
