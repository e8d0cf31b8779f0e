/** The wasm loader's two failure modes: a missing build and a stale one (exports missing). */
import { describe, expect, it, vi } from 'vitest';

const mode = vi.hoisted(() => ({ current: 'missing' as 'missing' | 'stale' }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((path: unknown, ...rest: unknown[]) => {
    if (String(path).endsWith('kernels.wasm')) {
      if (mode.current === 'missing') throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]); // an empty wasm module
    }
    return (real.readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof real.readFileSync;
  return { ...real, default: { ...real, readFileSync }, readFileSync };
});

async function freshKernels(): Promise<typeof import('../../../semantics/kernels/wasm.js')> {
  vi.resetModules();
  return import('../../../semantics/kernels/wasm.js');
}

describe('wasm kernel loading', () => {
  it('tells the user to build when build/kernels.wasm is missing', async () => {
    mode.current = 'missing';
    const { wasmKernels } = await freshKernels();
    expect(() => wasmKernels.add(8, new BigUint64Array(1), new BigUint64Array(1))).toThrow(
      /wasm kernels not built: .*kernels\.wasm is missing; run `npm run build:wasm`/,
    );
  });

  it('tells the user to rebuild when the module lacks the kernels', async () => {
    mode.current = 'stale';
    const { wasmKernels } = await freshKernels();
    expect(() => wasmKernels.add(8, new BigUint64Array(1), new BigUint64Array(1))).toThrow(
      /is stale \(missing heapBase, add, .*\); run `npm run build:wasm`/,
    );
  });
});
