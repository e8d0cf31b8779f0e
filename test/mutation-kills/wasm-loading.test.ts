/**
 * The wasm kernel loaders (semantics/kernels/wasm.ts, protocols/kernels/wasm.ts) against builds they must refuse, and the kernel
 * registry (semantics/kernels/index.ts). Complements test/semantics/kernels/loading.test.ts (which
 * checks the messages of a missing build and of an empty module) with:
 *   - the error code of both ('usage': the user's remedy is `npm run build:wasm`);
 *   - a module that exports a memory but no kernels, and one that exports every kernel but no memory
 *     — each alone makes the build stale, and the message says which part is missing;
 *   - `kernels(impl)` returns the implementation asked for (they agree bit for bit, so only `impl`
 *     tells them apart).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

/** What build/kernels.wasm reads as: the real file (null), missing, or the given bytes. */
const build = vi.hoisted(() => ({ bytes: null as Uint8Array | 'missing' | null }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((path: unknown, ...rest: unknown[]) => {
    if (String(path).endsWith('kernels.wasm') && build.bytes === 'missing')
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    if (String(path).endsWith('kernels.wasm') && build.bytes !== null) return Buffer.from(build.bytes);
    return (real.readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof real.readFileSync;
  return { ...real, default: { ...real, readFileSync }, readFileSync };
});

/** The semantics' kernels (semantics/kernels/wasm.ts checks these) and the protocols' (protocols/kernels/wasm.ts). */
const SEMANTICS_KERNELS = [
  'heapBase',
  'add',
  'sub',
  'mul',
  'maskTo',
  'matmul',
  'convDirect',
  'convIm2col',
  'convTranspose',
  'maxPool',
  'sumPool',
];
const PROTOCOL_KERNELS = ['compareMessage', 'sampleBytes', 'permute'];
const KERNELS = [...SEMANTICS_KERNELS, ...PROTOCOL_KERNELS];
const utf8 = (s: string): number[] => [...Buffer.from(s, 'utf8')];
/** Unsigned LEB128, as wasm encodes section sizes. */
const leb = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...leb(n >>> 7)]);
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** A module exporting one memory and nothing else. */
function memoryOnly(): Uint8Array {
  const exp = [1, ...[6, ...utf8('memory')], 0x02, 0];
  return Uint8Array.from([...HEADER, ...section(5, [1, 0x00, 1]), ...section(7, exp)]);
}

/** A module exporting every kernel name as a no-op function, and no memory. */
function kernelsOnly(): Uint8Array {
  const n = KERNELS.length;
  const types = [1, 0x60, 0, 0];
  const funcs = [n, ...new Array<number>(n).fill(0)];
  const exps = [n, ...KERNELS.flatMap((name, i) => [name.length, ...utf8(name), 0x00, i])];
  const code = [n, ...new Array<number>(n).fill(0).flatMap(() => [2, 0, 0x0b])];
  return Uint8Array.from([
    ...HEADER,
    ...section(1, types),
    ...section(3, funcs),
    ...section(7, exps),
    ...section(10, code),
  ]);
}

/**
 * Load a fresh copy of the kernel module over `bytes` and call one kernel; its error, or null. (A fresh
 * module graph has its own CryptflowError class, so errors are recognised by name and code.)
 */
async function freshLoad(
  bytes: Uint8Array | 'missing',
): Promise<{ name: string; code: string; message: string } | null> {
  build.bytes = bytes;
  vi.resetModules();
  const { wasmKernels } = await import('../../semantics/kernels/wasm.js');
  try {
    wasmKernels.add(8, new BigUint64Array(1), new BigUint64Array(1));
  } catch (e) {
    const err = e as Error & { code?: string };
    return { name: err.name, code: err.code ?? '', message: err.message };
  }
  return null;
}

afterEach(() => {
  build.bytes = null;
});

describe('stale wasm builds', () => {
  it('a module with a memory but no kernels names every missing kernel', async () => {
    const e = await freshLoad(memoryOnly());
    expect(e?.name).toBe('CryptflowError');
    expect(e?.code).toBe('usage');
    expect(e?.message).toMatch(
      new RegExp(`is stale \\(missing ${SEMANTICS_KERNELS.join(', ')}\\); run \`npm run build:wasm\``),
    );
  });

  it("the protocols' loader names its own missing kernels", async () => {
    build.bytes = memoryOnly();
    vi.resetModules();
    const { sampleBytes } = await import('../../protocols/kernels/wasm.js');
    let caught: (Error & { code?: string }) | undefined;
    try {
      sampleBytes(new Uint8Array(4), 67, 0, new Uint8Array(4), 0);
    } catch (e) {
      caught = e as Error & { code?: string };
    }
    expect(caught?.name).toBe('CryptflowError');
    expect(caught?.code).toBe('usage');
    expect(caught?.message).toMatch(
      new RegExp(`is stale \\(missing ${PROTOCOL_KERNELS.join(', ')}\\); run \`npm run build:wasm\``),
    );
  });

  it('a module with every kernel but no memory names the memory', async () => {
    const e = await freshLoad(kernelsOnly());
    expect(e?.name).toBe('CryptflowError');
    expect(e?.code).toBe('usage');
    expect(e?.message).toMatch(/is stale \(missing memory\); run `npm run build:wasm`/);
  });

  it('a missing build is a usage error', async () => {
    const e = await freshLoad('missing');
    expect(e?.name).toBe('CryptflowError');
    expect(e?.code).toBe('usage');
    expect(e?.message).toMatch(/wasm kernels not built: .*kernels\.wasm is missing; run `npm run build:wasm`/);
  });
});

describe('the kernel registry', () => {
  it('returns the implementation asked for', async () => {
    vi.resetModules();
    const { kernels, referenceKernels, wasmKernels } = await import('../../semantics/kernels/index.js');
    expect(kernels('reference')).toBe(referenceKernels);
    expect(kernels('wasm')).toBe(wasmKernels);
    expect(kernels('reference').impl).toBe('reference');
    expect(kernels('wasm').impl).toBe('wasm');
  });
});
