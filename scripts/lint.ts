/**
 * Project lint: keeps the import table of docs/ARCHITECTURE.md true and the randomness rule enforced.
 *
 *   1. Layering: each top-level folder imports only the folders the table allows; inside protocols/ and
 *      harness/, each subfolder imports only the subfolders (and, for protocols/, the outer folders) its
 *      row of the subfolder table allows, and a subfolder missing from the table is itself a violation.
 *   2. Frontends (passes/frontend*) are imported only by harness/, test/, bench/, scripts/ and each other.
 *   3. No import cycles between project files.
 *   4. `Math.random` appears nowhere but test data generators (test/data/**, harness/zoo/synthetic*),
 *      and seedrandom never reaches spec/, semantics/, ideal/ or protocols/.
 *
 * It parses every file with the TypeScript compiler (comments and strings cannot fool it) and prints
 * one line per violation as `file:line: message`; the exit code is the violation count (capped).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** The table of ARCHITECTURE.md: folder → folders it may import (itself always allowed). */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  spec: [],
  platform: ['spec'],
  ir: ['spec'],
  semantics: ['spec', 'ir', 'platform'],
  passes: ['spec', 'ir', 'semantics'],
  ideal: ['spec', 'ir', 'semantics'],
  protocols: ['spec', 'ir', 'semantics', 'ideal', 'platform'],
  harness: ['spec', 'ir', 'semantics', 'passes', 'ideal', 'protocols', 'platform'],
  test: ['spec', 'ir', 'semantics', 'passes', 'ideal', 'protocols', 'harness', 'scripts', 'platform'],
  bench: ['spec', 'ir', 'semantics', 'passes', 'ideal', 'protocols', 'harness'],
  scripts: ['spec', 'ir', 'semantics', 'passes', 'ideal', 'protocols', 'harness', 'platform'],
};

/**
 * The subfolder tables of ARCHITECTURE.md. A file in `protocols/X/…` may import its own subfolder and
 * exactly the entries of its row, which name outer folders (`spec`, …) and sibling subfolders
 * (`protocols/common`, …): the row is the whole allowance. A file in `harness/X/…` may import its own
 * subfolder and the sibling subfolders of its row; outside harness/ the top-level table alone applies.
 * Files directly in protocols/ or harness/ follow the top-level table alone. Both tables are acyclic
 * (`tableCycles` checks it), so code that follows them has no cycle between subfolders.
 */
export const SUBFOLDERS: Readonly<Record<'protocols' | 'harness', Readonly<Record<string, readonly string[]>>>> = {
  protocols: {
    common: ['spec', 'ir', 'semantics', 'platform', 'protocols/kernels'],
    kernels: ['spec', 'semantics'],
    ot: ['spec', 'semantics', 'platform', 'protocols/common'],
    'securenn-family': ['spec', 'ir', 'semantics', 'ideal', 'protocols/common', 'protocols/kernels'],
    porthos: ['spec', 'ir', 'semantics', 'ideal', 'protocols/common', 'protocols/securenn-family'],
    securenn: ['spec', 'ir', 'semantics', 'ideal', 'protocols/common', 'protocols/securenn-family'],
    cryptflow2: ['spec', 'ir', 'semantics', 'ideal', 'protocols/common', 'protocols/ot', 'protocols/kernels'],
    'cryptflow2-he': ['spec', 'ir', 'semantics', 'ideal', 'protocols/common', 'protocols/ot', 'protocols/cryptflow2'],
    malicious3: ['spec', 'ir', 'semantics', 'ideal', 'platform', 'protocols/common', 'protocols/kernels'],
  },
  harness: {
    format: [],
    network: [],
    backends: [],
    zoo: ['harness/format'],
    io: ['harness/format', 'harness/zoo'],
    runner: ['harness/backends', 'harness/network'],
    conformance: ['harness/backends', 'harness/network', 'harness/runner'],
    security: ['harness/backends', 'harness/conformance', 'harness/network', 'harness/runner'],
    cost: ['harness/backends', 'harness/format', 'harness/network', 'harness/runner', 'harness/zoo'],
    party: ['harness/backends', 'harness/cost', 'harness/format', 'harness/io', 'harness/network', 'harness/runner'],
    stats: [],
    study: ['harness/format', 'harness/io', 'harness/runner', 'harness/stats', 'harness/zoo'],
    web: ['harness/backends', 'harness/format', 'harness/io', 'harness/network', 'harness/party', 'harness/runner'],
    cli: [
      'harness/backends',
      'harness/cost',
      'harness/format',
      'harness/io',
      'harness/network',
      'harness/party',
      'harness/runner',
      'harness/security',
      'harness/stats',
      'harness/study',
      'harness/web',
      'harness/zoo',
    ],
  },
};

/** `protocols/X` or `harness/X` for a file in such a subfolder, else null. */
function unitOf(rel: string): string | null {
  const parts = rel.split(sep);
  const top = parts[0];
  if ((top === 'protocols' || top === 'harness') && parts.length > 2) return `${top}/${parts[1] ?? ''}`;
  return null;
}

function subfolderRow(unit: string): readonly string[] | undefined {
  const [top, name] = unit.split('/');
  return top === 'protocols' || top === 'harness' ? SUBFOLDERS[top][name ?? ''] : undefined;
}

/** Why `rel` (in unit `unit`) may not import `targetRel`, or null when the subfolder table allows it. */
function subfolderViolation(rel: string, targetRel: string): string | null {
  const unit = unitOf(rel);
  if (unit === null) return null;
  const row = subfolderRow(unit);
  if (row === undefined) return null;
  const top = topOf(rel);
  const targetTop = topOf(targetRel);
  if (!(targetTop in LAYERS)) return null;
  const targetUnit = unitOf(targetRel);
  if (targetUnit === unit) return null;
  if (targetTop === top) {
    if (targetUnit === null || row.includes(targetUnit)) return null;
    return `${unit}/ may not import ${targetUnit}/; see the subfolder table in docs/ARCHITECTURE.md`;
  }
  if (top === 'protocols' && !row.includes(targetTop))
    return `${unit}/ may not import ${targetTop}/; see the subfolder table in docs/ARCHITECTURE.md`;
  return null;
}

/** Cycles among the rows of the subfolder tables (each one a violation of the table itself). */
export function tableCycles(): string[][] {
  const graph = new Map<string, string[]>();
  for (const [top, rows] of Object.entries(SUBFOLDERS)) {
    for (const [name, row] of Object.entries(rows))
      graph.set(
        `${top}/${name}`,
        row.filter((r) => r.includes('/')),
      );
  }
  return findCycles(graph);
}

const FRONTEND_IMPORTERS = new Set(['harness', 'test', 'bench', 'scripts']);
const NO_SEEDRANDOM = new Set(['spec', 'semantics', 'ideal', 'protocols']);
const SKIP_DIRS = new Set(['node_modules', 'build', 'coverage', 'dist', '.git']);

interface Violation {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (SKIP_DIRS.has(entry)) continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else if (/\.(ts|js|mjs)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function topOf(rel: string): string {
  return rel.split(sep)[0] ?? '';
}

function isTestData(rel: string): boolean {
  return rel.startsWith(`test${sep}data${sep}`) || /^harness[/\\]zoo[/\\]synthetic/.test(rel);
}

function resolveImport(fromFile: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(fromFile), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {
      continue;
    }
  }
  return base.replace(/\.js$/, '.ts');
}

export function lint(root: string): Violation[] {
  const violations: Violation[] = [];
  const graph = new Map<string, string[]>();
  const files = Object.keys(LAYERS).flatMap((top) => {
    try {
      return listFiles(join(root, top));
    } catch {
      return [];
    }
  });
  const unlisted = new Set<string>();
  for (const file of files) {
    const rel = relative(root, file);
    const top = topOf(rel);
    const unit = unitOf(rel);
    if (unit !== null && !unlisted.has(unit) && subfolderRow(unit) === undefined) {
      unlisted.add(unit);
      violations.push({
        file: rel,
        line: 1,
        message: `${unit}/ is not in the subfolder table of docs/ARCHITECTURE.md (add its row to scripts/lint.ts SUBFOLDERS)`,
      });
    }
    const allowed = LAYERS[top] ?? [];
    const text = readFileSync(file, 'utf8');
    const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const lineOf = (node: ts.Node): number => src.getLineAndCharacterOfPosition(node.getStart(src)).line + 1;
    const edges: string[] = [];
    const checkSpecifier = (spec: string, node: ts.Node): void => {
      if (spec === 'seedrandom' && NO_SEEDRANDOM.has(top)) {
        violations.push({
          file: rel,
          line: lineOf(node),
          message: `seedrandom may not be imported in ${top}/ (protocol randomness is AES-CTR only)`,
        });
      }
      const target = resolveImport(file, spec);
      if (target === null) return;
      const targetRel = relative(root, target);
      const targetTop = topOf(targetRel);
      if (targetTop !== top && targetTop in LAYERS && !allowed.includes(targetTop)) {
        violations.push({
          file: rel,
          line: lineOf(node),
          message: `${top}/ may not import ${targetTop}/ (${spec}); see the layer table in docs/ARCHITECTURE.md`,
        });
      }
      const sub = subfolderViolation(rel, targetRel);
      if (sub !== null) violations.push({ file: rel, line: lineOf(node), message: `${sub} (${spec})` });
      if (/^passes[/\\]frontend/.test(targetRel) && !FRONTEND_IMPORTERS.has(top) && !/^passes[/\\]frontend/.test(rel)) {
        violations.push({
          file: rel,
          line: lineOf(node),
          message: `only harness/ and test/ may import the frontends (${spec})`,
        });
      }
      edges.push(target);
    };
    const visit = (node: ts.Node): void => {
      if (
        (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
        node.moduleSpecifier &&
        ts.isStringLiteral(node.moduleSpecifier)
      ) {
        checkSpecifier(node.moduleSpecifier.text, node);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const arg = node.arguments[0];
        if (arg && ts.isStringLiteral(arg)) checkSpecifier(arg.text, node);
      } else if (
        ts.isPropertyAccessExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'Math' &&
        node.name.text === 'random' &&
        !isTestData(rel)
      ) {
        violations.push({
          file: rel,
          line: lineOf(node),
          message: 'Math.random is banned outside test data (use the AES-CTR PRG, or fast-check in tests)',
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(src);
    graph.set(file, edges);
  }
  for (const cycle of tableCycles()) {
    violations.push({
      file: 'scripts/lint.ts',
      line: 1,
      message: `the subfolder table has a cycle: ${cycle.join(' → ')}`,
    });
  }
  for (const cycle of findCycles(graph)) {
    const names = cycle.map((f) => relative(root, f));
    violations.push({
      file: names[0] ?? '?',
      line: 1,
      message: `import cycle: ${names.join(' → ')} → ${names[0] ?? '?'}`,
    });
  }
  return violations;
}

/** Cycles of the import graph: one representative per strongly connected component (Tarjan). */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const strong = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      const selfLoop = (graph.get(v) ?? []).includes(v);
      if (comp.length > 1 || selfLoop) cycles.push(comp.reverse());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) strong(v);
  return cycles;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const violations = lint(ROOT);
  for (const v of violations) console.error(`${v.file}:${v.line}: ${v.message}`);
  if (violations.length > 0) {
    console.error(`lint: ${violations.length} violation(s)`);
    process.exitCode = Math.min(violations.length, 100);
  } else {
    console.log('lint: import layers, frontend boundary, cycles and randomness rules hold');
  }
}
