/**
 * Shared by the mutation-kill suites: the error contract (spec/errors.ts) as one assertion. A failure
 * must be a `CryptflowError` with the stated machine-readable code and a message carrying the facts
 * that make it useful (the operator, the bound, the offending size); Stryker's string-literal and
 * message-arithmetic mutants survive a bare `toThrow(CryptflowError)`, so these checks pin both.
 */
import { expect } from 'vitest';
import { CryptflowError, type ErrorCode } from '../../spec/errors.js';

/** `caught` must be a CryptflowError with `code` whose message contains every fragment. */
function checkCryptflowError(
  caught: unknown,
  code: ErrorCode,
  fragments: readonly (string | RegExp)[],
): CryptflowError {
  expect(caught, 'expected a CryptflowError to be thrown').toBeInstanceOf(CryptflowError);
  const err = caught as CryptflowError;
  expect(err.code).toBe(code);
  for (const f of fragments) {
    if (typeof f === 'string') expect(err.message).toContain(f);
    else expect(err.message).toMatch(f);
  }
  return err;
}

/** Run `thunk`, which must throw a CryptflowError with `code` whose message contains every fragment. */
export function expectCryptflowError(
  thunk: () => unknown,
  code: ErrorCode,
  ...fragments: readonly (string | RegExp)[]
): CryptflowError {
  try {
    thunk();
  } catch (e) {
    return checkCryptflowError(e, code, fragments);
  }
  return checkCryptflowError(undefined, code, fragments);
}

/** The async twin of `expectCryptflowError`, for failures that surface through a rejected promise. */
export async function expectCryptflowRejection(
  run: () => Promise<unknown>,
  code: ErrorCode,
  ...fragments: readonly (string | RegExp)[]
): Promise<CryptflowError> {
  try {
    await run();
  } catch (e) {
    return checkCryptflowError(e, code, fragments);
  }
  return checkCryptflowError(undefined, code, fragments);
}

/**
 * A module imported once at the top of a test file, its load failure kept rather than thrown: the
 * returned `load()` gives the module or throws that failure inside the test that asks. Pass the import
 * as a literal `() => import('…')` so the mutation sweep's import graph (scripts/mutation/related.ts)
 * still sees it.
 */
export async function caughtImport<M>(importer: () => Promise<M>): Promise<() => Promise<M>> {
  const loaded = await importer().then(
    (module) => ({ module, error: undefined as unknown }),
    (error: unknown) => ({ module: undefined, error }),
  );
  return async () => {
    if (loaded.module === undefined) throw loaded.error;
    return loaded.module;
  };
}

/**
 * The `vi.mock('node:fs')` module of the stale-build suites: the real one, except that `readFileSync` of
 * build/kernels.wasm returns `build.bytes` while that is set. The suite owns `build` (`vi.hoisted`) and
 * loads this function inside its mock factory, so the factory stays one line in each suite.
 */
export function fsServingWasm(
  real: typeof import('node:fs'),
  build: { readonly bytes: Uint8Array | null },
): typeof import('node:fs') & { default: typeof import('node:fs') } {
  const readFileSync = ((path: unknown, ...rest: unknown[]) => {
    if (String(path).endsWith('kernels.wasm') && build.bytes !== null) return Buffer.from(build.bytes);
    return (real.readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof real.readFileSync;
  return { ...real, default: { ...real, readFileSync }, readFileSync };
}

/** A wasm module exporting one memory of one page and nothing else: a build/kernels.wasm that lacks every kernel. */
export function memoryOnlyWasm(): Uint8Array {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const name = [...Buffer.from('memory', 'utf8')];
  const exports = [1, name.length, ...name, 0x02, 0];
  return Uint8Array.from([...header, 5, 3, 1, 0x00, 1, 7, exports.length, ...exports]);
}

/**
 * `thunk` must throw the stale-build usage error whose message matches `missing`. Checked by name and
 * code rather than by class: a module imported again after `vi.resetModules()` has its own copy of
 * spec/errors.ts, so `instanceof CryptflowError` would not hold.
 */
export function expectStaleBuild(thunk: () => unknown, missing: RegExp): void {
  let caught: (Error & { code?: string }) | undefined;
  try {
    thunk();
  } catch (e) {
    caught = e as Error & { code?: string };
  }
  expect(caught?.name).toBe('CryptflowError');
  expect(caught?.code).toBe('usage');
  expect(caught?.message).toMatch(missing);
}
