/**
 * A small, strict command-line parser: declared flags only, typed values, and an error that names the
 * flag and what it expected. `--flag value` and `--flag=value` are both accepted, and a flag may
 * declare a one-letter alias (`-o FILE` for `--out FILE`). Ranges are written `lo..hi`.
 */
import { CryptflowError } from '../../spec/errors.js';

export type FlagKind = 'boolean' | 'string' | 'integer';

export interface FlagSpec {
  readonly kind: FlagKind;
  readonly help: string;
  readonly min?: number;
  readonly max?: number;
  /** A one-letter alias, written `-a`. */
  readonly alias?: string;
  /** A string flag that may be given more than once (`getStrings` returns every value, in order). */
  readonly repeat?: boolean;
}

export type FlagValue = boolean | string | number;

export interface ParsedArgs {
  readonly positional: readonly string[];
  readonly flags: ReadonlyMap<string, FlagValue>;
  /** Every value of each `repeat` flag, in order (its first value is also in `flags`). */
  readonly lists?: ReadonlyMap<string, readonly string[]>;
}

function usage(message: string): CryptflowError {
  return new CryptflowError('usage', message);
}

export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, FlagSpec>>): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, FlagValue>();
  const lists = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const raw0 = argv[i] as string;
    if (raw0 === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    const aliased = /^-[A-Za-z]$/.test(raw0)
      ? Object.entries(spec).find(([, f]) => f.alias === raw0.slice(1))?.[0]
      : undefined;
    if (/^-[A-Za-z]$/.test(raw0) && aliased === undefined) throw usage(`unknown option ${raw0}`);
    const arg = aliased === undefined ? raw0 : `--${aliased}`;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const s = spec[name];
    if (s === undefined) {
      const known = Object.keys(spec)
        .map((k) => `--${k}`)
        .join(', ');
      throw usage(`unknown option --${name}${known ? ` (known: ${known})` : ''}`);
    }
    if (flags.has(name) && s.repeat !== true) throw usage(`option --${name} given twice`);
    if (s.kind === 'boolean') {
      if (eq >= 0) throw usage(`option --${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    let raw: string | undefined;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else {
      raw = argv[i + 1];
      i++;
    }
    if (raw === undefined || (eq < 0 && raw.startsWith('--'))) throw usage(`option --${name} needs a value`);
    if (s.kind === 'string') {
      if (!flags.has(name)) flags.set(name, raw);
      if (s.repeat === true) lists.set(name, [...(lists.get(name) ?? []), raw]);
      continue;
    }
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n))
      throw usage(`option --${name} needs an integer, got '${raw}'`);
    if ((s.min !== undefined && n < s.min) || (s.max !== undefined && n > s.max)) {
      throw usage(`option --${name} must be in [${s.min ?? '-∞'}, ${s.max ?? '∞'}], got ${n}`);
    }
    flags.set(name, n);
  }
  return { positional, flags, lists };
}

export function flagHelp(spec: Readonly<Record<string, FlagSpec>>): string {
  return Object.entries(spec)
    .map(([name, s]) => {
      const value = s.kind === 'boolean' ? '' : s.kind === 'integer' ? ' N' : ' VALUE';
      const alias = s.alias === undefined ? '' : `, -${s.alias}`;
      return `  --${(name + value + alias).padEnd(22)} ${s.help}`;
    })
    .join('\n');
}

export function getString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** Every value of a `repeat` string flag, in order (empty when not given). */
export function getStrings(args: ParsedArgs, name: string): readonly string[] {
  return args.lists?.get(name) ?? [];
}

export function getInteger(args: ParsedArgs, name: string): number | undefined {
  const v = args.flags.get(name);
  return typeof v === 'number' ? v : undefined;
}

export function getBoolean(args: ParsedArgs, name: string): boolean {
  return args.flags.get(name) === true;
}

/** A `lo..hi` range of numbers (integers when `integers`), e.g. `-1..1` or `8..24`. */
export function getRange(
  args: ParsedArgs,
  name: string,
  integers = false,
): { readonly lo: number; readonly hi: number } | undefined {
  const v = getString(args, name);
  if (v === undefined) return undefined;
  const m = /^\s*(-?[0-9.eE+-]+)\s*\.\.\s*(-?[0-9.eE+-]+)\s*$/.exec(v);
  const [lo, hi] = m === null ? [NaN, NaN] : [Number(m[1]), Number(m[2])];
  if (
    !Number.isFinite(lo) ||
    !Number.isFinite(hi) ||
    lo > hi ||
    (integers && !(Number.isInteger(lo) && Number.isInteger(hi)))
  ) {
    throw usage(`option --${name} needs a range lo..hi with lo ≤ hi${integers ? ' (integers)' : ''}, got '${v}'`);
  }
  return { lo, hi };
}

/** One of a fixed set of words. */
export function getChoice<T extends string>(args: ParsedArgs, name: string, choices: readonly T[]): T | undefined {
  const v = getString(args, name);
  if (v === undefined) return undefined;
  const hit = choices.find((c) => c === v);
  if (hit === undefined) throw usage(`option --${name} must be one of ${choices.join(', ')}, got '${v}'`);
  return hit;
}
