/**
 * The client party in the page (a module worker): the same `runClient` as `cryptflow party --role
 * client`, over the page's WebSockets (connector.ts), on the browser platform (platform/browser.ts,
 * chosen by the bundle). The image is decoded and preprocessed here with the project's PNG/PGM
 * decoder and image preprocessing (harness/io/image-input.ts), before anything connects; what leaves
 * is the protocol's frames only. The client's signatures come from the gateway (POST /sign).
 */
import { CryptflowError } from '../../spec/errors.js';
import { numel } from '../../spec/geometry.js';
import { WASM_URL } from '../../semantics/kernels/wasm.js';
import { preloadArtifact } from '../../platform/browser.js';
import { decodeImage, imageTensor } from '../io/image-input.js';
import type { WebSocketLike } from '../network/tcp/link.js';
import { runClient } from '../party/client.js';
import type { CompiledProgram } from '../party/setup.js';
import { rowArgmax } from '../runner/argmax.js';
import { LINKS, type LinkName } from '../../spec/cost/types.js';
import { pageConnector, type PageDeployment } from './connector.js';
import type { ProgramInfo, RunRequest, WorkerMessage } from './messages.js';

interface WorkerScope {
  postMessage(m: WorkerMessage): void;
  addEventListener(type: 'message', f: (ev: { readonly data: RunRequest }) => void): void;
}
const scope = globalThis as unknown as WorkerScope;
const post = (m: WorkerMessage): void => scope.postMessage(m);

/** What the page calls the image in its own messages (never sent: steps name no file). */
const WHERE = 'the selected image';

async function signViaGateway(message: Uint8Array): Promise<Uint8Array> {
  const res = await fetch('/sign', {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: message,
  });
  if (!res.ok)
    throw new CryptflowError('protocol', `the gateway refused to sign the key agreement (HTTP ${res.status})`);
  const sig = new Uint8Array(await res.arrayBuffer());
  if (sig.length !== 64) throw new CryptflowError('protocol', 'the gateway returned a malformed signature');
  return sig;
}

function programInfo(p: CompiledProgram, preprocessing: string): ProgramInfo {
  const lp = p.plan.program;
  const ops = new Map<string, number>();
  for (const n of lp.nodes) ops.set(n.op, (ops.get(n.op) ?? 0) + 1);
  const input = p.hlil.decls.find((d) => d.kind === 'input' && d.owner === 'client');
  const out = lp.outputs[0];
  const outType = out === undefined ? undefined : lp.nodes.find((n) => n.out === out.name)?.type;
  return {
    model: p.model,
    backend: p.backend,
    parties: p.backend === 'cryptflow2' ? 2 : 3,
    nodes: lp.nodes.length,
    ops: [...ops],
    inputShape: input?.kind === 'input' ? [...input.shape] : [],
    outputShape: outType === undefined ? [] : [...outType.shape],
    ell: p.ell,
    scale: p.scale,
    preprocessing,
  };
}

async function run(image: Uint8Array): Promise<void> {
  post({ type: 'status', text: 'loading the kernels and the deployment' });
  await preloadArtifact(WASM_URL);
  const res = await fetch('/deployment.json');
  if (!res.ok) throw new CryptflowError('usage', `the gateway has no deployment (HTTP ${res.status})`);
  const dep = (await res.json()) as PageDeployment;
  // Decoded before connecting: a file that is not an image fails here, and nothing has left.
  const raster = decodeImage(image, WHERE);
  let preprocessing = '';
  let program: CompiledProgram | null = null;
  post({ type: 'status', text: 'connecting to the server and the helper (wss://)' });
  const outcome = await runClient({
    config: { me: 0, parties: dep.parties, timeouts: dep.timeouts, maxFrameBytes: dep.maxFrameBytes },
    keys: dep.seed === undefined ? { kind: 'agreed' } : { kind: 'seeded', seed: dep.seed },
    connect: pageConnector(dep, (url) => new WebSocket(url) as unknown as WebSocketLike, signViaGateway),
    requests: [
      {
        label: WHERE,
        read: (hlil) => {
          const decls = hlil.decls.filter((d) => d.kind === 'input' && d.owner === 'client');
          const d = decls[0];
          if (decls.length !== 1 || d === undefined || d.kind !== 'input')
            throw new CryptflowError('input', `the model has ${decls.length} client inputs; the page fills one image`);
          const t = imageTensor(raster, d.shape, { layout: program?.layout ?? 'nchw' }, WHERE);
          preprocessing = t.note;
          return new Map([[d.name, t.values]]);
        },
      },
    ],
    onProgram: (p) => {
      program = p;
      post({ type: 'status', text: `running ${p.model} under ${p.backend}` });
    },
    onProgress: (p) =>
      post({
        type: 'progress',
        index: p.index,
        total: p.total,
        op: p.node.op,
        name: p.node.out,
        bytes: p.bytes,
        elapsed: p.elapsed,
      }),
  });
  const r = outcome.results[0];
  const out = r?.outputs[0];
  if (r === undefined || out === undefined || program === null)
    throw new CryptflowError('protocol', 'the session ended without a result');
  post({ type: 'program', program: programInfo(program, preprocessing) });
  const cls = numel(out.shape) === out.secure.length ? (rowArgmax(out.shape, out.secure)?.[0] ?? null) : null;
  const linkBytes = (l: LinkName): number => r.meter.links[l] + r.meter.io[l];
  const sum = (ls: readonly LinkName[]): number => ls.reduce((acc, l) => acc + linkBytes(l), 0);
  post({
    type: 'result',
    result: {
      output: Array.from(out.secure),
      outputShape: [...out.shape],
      classIndex: cls,
      label: cls === null ? null : (dep.labels?.[cls] ?? null),
      sentPayload: sum(LINKS.filter((l) => l.startsWith('P0->'))),
      receivedPayload: sum(LINKS.filter((l) => l.endsWith('->P0'))),
      sentWire: outcome.summary.total.wire,
      totalPayload: LINKS.reduce((acc, l) => acc + r.meter.links[l], 0),
      links: Object.fromEntries(LINKS.map((l) => [l, r.meter.links[l]])),
      ioLinks: Object.fromEntries(LINKS.map((l) => [l, r.meter.io[l]])),
      seconds: r.seconds,
    },
  });
}

scope.addEventListener('message', (ev) => {
  if (ev.data.type !== 'run') return;
  run(new Uint8Array(ev.data.image)).catch((e: unknown) =>
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
});
