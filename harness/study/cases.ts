/**
 * The cases of a validation study: a data directory and a labels table (`--labels-file`, default
 * DIR/labels.csv, as `cryptflow data synth` writes it). Columns: `file` (required, relative to DIR),
 * `case` (default: the file), `site` (default: the file's first directory, or 'all'), `mask` (a .npy
 * of class indices, for segmentation), and every other column a 0/1 label (one per pathology). Without
 * a labels table, every PNG/PGM/.npy under DIR (masks `*.mask.npy` excepted) is a case without labels,
 * in sorted order.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { CryptflowError } from '../../spec/errors.js';
import { readCsv } from '../io/csv.js';

export interface StudyCase {
  readonly id: string;
  readonly site: string;
  /** The path relative to the data directory, and resolved. */
  readonly rel: string;
  readonly path: string;
  /** 0/1 per label column, or null without labels. */
  readonly labels: readonly number[] | null;
  readonly mask: string | null;
}

export interface StudyData {
  readonly dir: string;
  readonly labelNames: readonly string[];
  readonly cases: readonly StudyCase[];
  readonly labelsFile: string | null;
}

const IMAGE = /\.(png|pgm|npy)$/i;

function listImages(dir: string, root: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const full = join(dir, e);
    if (statSync(full).isDirectory()) out.push(...listImages(full, root));
    else if (IMAGE.test(e) && !/\.mask\.npy$/i.test(e)) out.push(relative(root, full));
  }
  return out;
}

const siteOf = (rel: string): string =>
  rel.includes(sep) || rel.includes('/') ? (rel.split(/[\\/]/)[0] as string) : 'all';

export function readStudyData(dir: string, labelsFile?: string): StudyData {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new CryptflowError('input', `--data ${dir}: not a directory`);
  const table = labelsFile ?? (existsSync(join(dir, 'labels.csv')) ? join(dir, 'labels.csv') : undefined);
  if (table === undefined) {
    const cases = listImages(dir, dir).map((rel): StudyCase => ({
      id: rel,
      site: siteOf(rel),
      rel,
      path: resolve(dir, rel),
      labels: null,
      mask: null,
    }));
    if (cases.length === 0) throw new CryptflowError('input', `--data ${dir}: no PNG, PGM or .npy files`);
    return { dir, labelNames: [], cases, labelsFile: null };
  }
  const t = readCsv(table);
  const col = (name: string): number => t.columns.indexOf(name);
  if (col('file') < 0)
    throw new CryptflowError('input', `${table}: no column 'file' (columns: ${t.columns.join(', ')})`);
  const special = new Set(['case', 'site', 'file', 'mask']);
  const labelCols = t.columns.map((c, k) => [c, k] as const).filter(([c]) => !special.has(c));
  const seen = new Set<string>();
  const cases = t.rows.map((r): StudyCase => {
    const cell = (name: string): string | undefined => (col(name) < 0 ? undefined : r.cells[col(name)]);
    const rel = cell('file') as string;
    if (rel === '') throw new CryptflowError('input', `${table} line ${r.line}: empty 'file'`);
    const id = cell('case') ?? rel;
    if (seen.has(id)) throw new CryptflowError('input', `${table} line ${r.line}: case '${id}' appears twice`);
    seen.add(id);
    const labels = labelCols.map(([name, k]) => {
      const v = r.cells[k];
      if (v !== '0' && v !== '1')
        throw new CryptflowError('input', `${table} line ${r.line}, column '${name}': labels must be 0 or 1`);
      return Number(v);
    });
    const mask = cell('mask');
    return {
      id,
      site: cell('site') || siteOf(rel),
      rel,
      path: resolve(dir, rel),
      labels: labelCols.length === 0 ? null : labels,
      mask: mask === undefined || mask === '' ? null : resolve(dir, mask),
    };
  });
  if (cases.length === 0) throw new CryptflowError('input', `${table}: no cases`);
  return { dir, labelNames: labelCols.map(([c]) => c), cases, labelsFile: table };
}
