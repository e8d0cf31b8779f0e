/**
 * A small CSV reader for tables of scores (`cryptflow stats`): a header row of column names, then one
 * row per case; fields separated by commas, a field may be double-quoted (a quote inside written twice),
 * CRLF or LF line ends, blank lines skipped. Errors name the file, the line and the column, never a
 * value beyond the offending cell's first characters.
 */
import { readFileSync } from 'node:fs';
import { CryptflowError } from '../../spec/errors.js';

export interface CsvTable {
  readonly path: string;
  readonly columns: readonly string[];
  /** Data rows with the file line each came from. */
  readonly rows: readonly { readonly line: number; readonly cells: readonly string[] }[];
}

function splitLine(text: string, path: string, line: number): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new CryptflowError('input', `${path} line ${line}: a quoted field is not closed`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') [cell, i] = [`${cell}"`, i + 2];
          else {
            i++;
            break;
          }
        } else [cell, i] = [cell + (text[i] as string), i + 1];
      }
      if (i < text.length && text[i] !== ',')
        throw new CryptflowError('input', `${path} line ${line}: text after a closing quote`);
    } else {
      const end = text.indexOf(',', i);
      cell = text.slice(i, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
    }
    cells.push(cell.trim());
    if (i >= text.length) return cells;
    i++;
  }
}

export function parseCsv(text: string, path: string): CsvTable {
  const lines = text.split(/\r?\n/);
  const rows: { line: number; cells: string[] }[] = [];
  let columns: string[] | undefined;
  lines.forEach((l, k) => {
    if (l.trim() === '') return;
    const cells = splitLine(l, path, k + 1);
    if (columns === undefined) {
      columns = cells;
      const seen = new Set<string>();
      for (const c of cells) {
        if (seen.has(c)) throw new CryptflowError('input', `${path}: column '${c}' appears twice in the header`);
        seen.add(c);
      }
      return;
    }
    if (cells.length !== columns.length)
      throw new CryptflowError(
        'input',
        `${path} line ${k + 1}: ${cells.length} fields, the header has ${columns.length}`,
      );
    rows.push({ line: k + 1, cells });
  });
  if (columns === undefined)
    throw new CryptflowError('input', `${path}: empty (expected a header row of column names)`);
  return { path, columns, rows };
}

export function readCsv(path: string): CsvTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CryptflowError('input', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`);
  }
  return parseCsv(text, path);
}

/** The numbers of one column; a missing column or a cell that is not a finite number is an error. */
export function numericColumn(t: CsvTable, name: string): Float64Array {
  const k = t.columns.indexOf(name);
  if (k < 0) throw new CryptflowError('input', `${t.path}: no column '${name}' (columns: ${t.columns.join(', ')})`);
  return Float64Array.from(t.rows, (r) => {
    const cell = r.cells[k] as string;
    const v = cell === '' ? NaN : Number(cell);
    if (!Number.isFinite(v))
      throw new CryptflowError(
        'input',
        `${t.path} line ${r.line}, column '${name}': '${cell.slice(0, 20)}' is not a number`,
      );
    return v;
  });
}
