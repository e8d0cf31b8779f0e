/**
 * Surviving mutants argued equivalent (issue 20: "every surviving mutant either killed or listed as
 * equivalent with a one-line reason"), in scripts/mutation/equivalent/FILE.json — one list per source
 * file, named like the report's parts (protocols/common/codec.ts → protocols__common__codec.json). `npm run mutation` matches each survivor of the merged report
 * against this list and prints how many are listed and how many are unexplained; `-- --survivors`
 * prints the unexplained ones in this list's format, ready to be killed by a test or argued here.
 *
 * An entry matches a mutant by file, Stryker mutator, replacement text and the trimmed source line the
 * mutant starts on — not by line number, so entries survive edits elsewhere in the file (`line` is a
 * hint for the reader). test/mutation-kills/equivalent.test.ts checks every entry still names a line of
 * its file and gives a reason. An entry is a claim, not a proof: the reason must say why no test can
 * tell the mutant from the original (same values, same bytes, same errors), not why one was not written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Equivalent {
  readonly file: string;
  readonly line: number;
  /** The mutant's start column: when given, the entry matches only there (two mutants with the same
   * mutator and replacement on one line are told apart); older entries match anywhere on the line. */
  readonly column?: number;
  readonly mutator: string;
  readonly replacement: string;
  readonly code: string;
  readonly reason: string;
}

/** Where the lists live: one JSON array per source file, named like the report's parts (a__b.json). */
export const EQUIVALENT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'equivalent');

/** Every list file's name and entries, in name order. */
export function equivalentLists(dir: string = EQUIVALENT_DIR): { name: string; entries: Equivalent[] }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((name) => ({ name, entries: JSON.parse(readFileSync(join(dir, name), 'utf8')) as Equivalent[] }));
}

/** The argued list, all files together. */
export const EQUIVALENT: readonly Equivalent[] = equivalentLists().flatMap((l) => l.entries);

/** The key a mutant and an entry share. */
export const equivalenceKey = (file: string, mutator: string, replacement: string, code: string): string =>
  [file, mutator, replacement, code.trim()].join('\u0000');

/** Look up a mutant: an entry with its column first, then an entry for the whole line. */
export function equivalentIndex(
  entries: readonly Equivalent[] = EQUIVALENT,
): (file: string, mutator: string, replacement: string, code: string, column: number) => Equivalent | undefined {
  const byKey = new Map(
    entries.map((e) => [
      `${equivalenceKey(e.file, e.mutator, e.replacement, e.code)}\u0000${e.column === undefined ? '*' : e.column}`,
      e,
    ]),
  );
  return (file, mutator, replacement, code, column) => {
    const key = equivalenceKey(file, mutator, replacement, code);
    return byKey.get(`${key}\u0000${column}`) ?? byKey.get(`${key}\u0000*`);
  };
}
