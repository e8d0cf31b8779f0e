/**
 * `npm run build:web`: the client's page as a static folder (build/web/): index.html, page.js (the
 * interface), worker.js (the client party: the same harness/party/client.ts and protocols as Node),
 * and build/kernels.wasm (the wasm kernels, where the bundled code looks for them).
 *
 * The build-time switches: imports of platform/node.ts resolve to platform/browser.ts, of
 * harness/network/tcp/connect.ts (TCP and TLS sockets) to harness/web/no-tcp.ts, and of node-seal
 * (cryptflow2-he's BFV, not offered in the page) to harness/web/no-he.ts. Any other Node
 * built-in that reaches the bundle fails the build, naming the file that imports it.
 */
import { build, type Plugin } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIR = join(root, 'build', 'web');

const SWAPS: ReadonlyArray<readonly [string, string]> = [
  [join(root, 'platform', 'node.ts'), join(root, 'platform', 'browser.ts')],
  [join(root, 'harness', 'network', 'tcp', 'connect.ts'), join(root, 'harness', 'web', 'no-tcp.ts')],
];

const browserSide: Plugin = {
  name: 'cryptflow-browser',
  setup(b) {
    b.onResolve({ filter: /^node-seal$/ }, () => ({ path: join(root, 'harness', 'web', 'no-he.ts') }));
    b.onResolve({ filter: /^node:|^(fs|path|crypto|net|tls|zlib|os|url|worker_threads|child_process)$/ }, (a) => ({
      errors: [
        { text: `the Node module '${a.path}' reached the page bundle (imported by ${a.importer.replace(root, '.')})` },
      ],
    }));
    b.onResolve({ filter: /\.js$/ }, (a) => {
      if (!a.path.startsWith('.')) return undefined;
      const target = resolve(a.resolveDir, a.path).replace(/\.js$/, '.ts');
      const swap = SWAPS.find(([from]) => from === target);
      return swap === undefined ? undefined : { path: swap[1] };
    });
  },
};

export async function buildWeb(outdir: string = WEB_DIR): Promise<void> {
  const wasm = join(root, 'build', 'kernels.wasm');
  if (!existsSync(wasm)) throw new Error(`${wasm} is missing: run \`npm run build:wasm\` first`);
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { page: join(root, 'harness/web/page.ts'), worker: join(root, 'harness/web/worker.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir,
    minify: false,
    sourcemap: true,
    logLevel: 'warning',
    plugins: [browserSide],
  });
  mkdirSync(join(outdir, 'build'), { recursive: true });
  copyFileSync(wasm, join(outdir, 'build', 'kernels.wasm'));
  copyFileSync(join(root, 'harness/web/index.html'), join(outdir, 'index.html'));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWeb().then(
    () =>
      console.log(
        `build:web: wrote ${WEB_DIR.replace(root, '.')} (index.html, page.js, worker.js, build/kernels.wasm)`,
      ),
    (e: unknown) => {
      console.error(`build:web: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
