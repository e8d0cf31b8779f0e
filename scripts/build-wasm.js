/**
 * Build the AssemblyScript kernels into build/kernels.wasm, one module with two entries: the semantics'
 * ring kernels (semantics/kernels/wasm/assembly/*.ts) and the protocols' own kernels
 * (protocols/kernels/assembly/*.ts: PrivateCompare's message, Z_p sampling, permutations), with `-O3 --runtime stub --noAssert --enable simd` (the MatMul and convolution kernels use 128-bit
 * SIMD, which Node ≥ 16 runs by default) and an exported memory. Skips the build when the output is
 * newer than every source and than this script. Prints one line either way; exits non-zero on failure.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDirs = [
  join(root, 'semantics', 'kernels', 'wasm', 'assembly'),
  join(root, 'protocols', 'kernels', 'assembly'),
];
const entries = srcDirs.map((dir) => join(dir, 'index.ts'));
const out = join(root, 'build', 'kernels.wasm');

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -Infinity;
  }
}

const sources = srcDirs.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f)),
);
const newestInput = Math.max(mtime(fileURLToPath(import.meta.url)), ...sources.map(mtime));

if (mtime(out) > newestInput) {
  console.log(`build:wasm: ${relative(root, out)} is up to date`);
} else {
  mkdirSync(dirname(out), { recursive: true });
  const started = performance.now();
  const asc = await import('assemblyscript/asc');
  const { error, stderr } = await asc.main(
    [
      ...entries.map((e) => relative(root, e)),
      '-o',
      relative(root, out),
      '-O3',
      '--runtime',
      'stub',
      '--noAssert',
      '--enable',
      'simd',
    ],
    { stdout: asc.createMemoryStream(), stderr: asc.createMemoryStream(), baseDir: root },
  );
  if (error) {
    console.error(`build:wasm: failed: ${error.message}\n${stderr.toString()}`);
    process.exit(1);
  }
  const ms = Math.round(performance.now() - started);
  console.log(
    `build:wasm: built ${relative(root, out)} (${statSync(out).size} bytes) from ${sources.length} sources in ${ms} ms`,
  );
}
