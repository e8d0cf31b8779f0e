/**
 * The page's interface (its main thread): pick an image, start the client party in a worker
 * (worker.ts), show progress per layer, the result, the bytes sent and received, and a plain account
 * of what was computed. The image is read into memory here and handed to the worker; the page shows a
 * local preview; nothing of it is sent anywhere but as the protocol's shares.
 *
 * The project is compiled without the DOM library (its code runs in Node), so the few DOM calls used
 * here are typed locally.
 */
import type { ProgramInfo, ResultInfo, RunRequest, WorkerMessage } from './messages.js';

interface El {
  textContent: string | null;
  hidden: boolean;
  disabled: boolean;
  value: number | string;
  max: number;
  src: string;
  className: string;
  readonly files: readonly { readonly name: string; arrayBuffer(): Promise<ArrayBuffer> }[] | null;
  append(...nodes: El[]): void;
  setAttribute(name: string, value: string): void;
  replaceChildren(...nodes: El[]): void;
  addEventListener(type: string, f: () => void): void;
}
interface Doc {
  getElementById(id: string): El | null;
  createElement(tag: string): El;
}
interface PageWorker {
  postMessage(m: RunRequest, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message', f: (ev: { readonly data: WorkerMessage }) => void): void;
  addEventListener(type: 'error', f: (ev: { readonly message: string }) => void): void;
  terminate(): void;
}
interface PageGlobals {
  readonly document: Doc;
  readonly Worker: new (url: URL, o: { type: 'module' }) => PageWorker;
  readonly URL: { createObjectURL(b: unknown): string };
  readonly Blob: new (parts: ArrayBuffer[]) => unknown;
}
const g = globalThis as unknown as PageGlobals;

function el(id: string): El {
  const e = g.document.getElementById(id);
  if (e === null) throw new Error(`the page lacks #${id}`);
  return e;
}

function item(text: string, tag = 'li'): El {
  const e = g.document.createElement(tag);
  e.textContent = text;
  return e;
}

const kb = (n: number): string =>
  n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(2)} MiB`;

function explain(p: ProgramInfo, r: ResultInfo): El[] {
  const ops = p.ops.map(([op, n]) => `${op} × ${n}`).join(', ');
  const helper = p.parties === 3 ? ' and the helper (P2), who holds neither the image nor the weights,' : '';
  return [
    item(
      `The vendor's model ${p.model} (${p.nodes} steps: ${ops}) was evaluated on your image with the ${p.backend} protocol: this page (P0), the vendor's server (P1)${helper} computed on secret shares.`,
      'p',
    ),
    item(
      `Your image was decoded and preprocessed here (${p.preprocessing}), encoded in fixed point (ring 2^${p.ell}, scale 2^-${p.scale}), and split into random shares. Each share alone is uniformly random: neither the server nor the helper can learn the image, its statistics or its name.`,
      'p',
    ),
    item(
      `Only the final output ${JSON.stringify(r.outputShape)} was revealed, and only to this page. The server learned nothing about it; this page learned nothing about the weights beyond that output.`,
      'p',
    ),
  ];
}

function showResult(p: ProgramInfo | null, r: ResultInfo): void {
  el('result').hidden = false;
  // The whole result, for scripts driving the page (the browser test reads it).
  el('result').setAttribute('data-result', JSON.stringify(r));
  const cls =
    r.classIndex === null
      ? 'no class (not a classifier output)'
      : `class ${r.classIndex}${r.label === null ? '' : ` — ${r.label}`}`;
  el('class').textContent = cls;
  el('scores').textContent = r.output.map((v) => v.toFixed(4)).join('  ');
  el('bytes').replaceChildren(
    item(`sent by this page: ${kb(r.sentPayload)} of protocol messages (${kb(r.sentWire)} on its WebSockets)`),
    item(`received by this page: ${kb(r.receivedPayload)} of protocol messages`),
    item(`the whole computation, every party: ${kb(r.totalPayload)} in ${r.seconds.toFixed(2)} s`),
  );
  if (p !== null) el('explanation').replaceChildren(...explain(p, r));
}

function start(): void {
  const file = el('file');
  const runButton = el('run');
  let program: ProgramInfo | null = null;
  file.addEventListener('change', () => {
    const f = file.files?.[0];
    runButton.disabled = f === undefined;
    if (f !== undefined)
      void f.arrayBuffer().then((b) => {
        el('preview').src = g.URL.createObjectURL(new g.Blob([b]));
        el('preview').hidden = false;
      });
  });
  runButton.addEventListener('click', () => {
    const f = file.files?.[0];
    if (f === undefined) return;
    runButton.disabled = true;
    el('error').hidden = true;
    el('result').hidden = true;
    el('layers').replaceChildren();
    void f.arrayBuffer().then((image) => {
      const worker = new g.Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
      const done = (): void => {
        worker.terminate();
        runButton.disabled = false;
      };
      worker.addEventListener('error', (ev) => {
        el('error').hidden = false;
        el('error').textContent = `the client party stopped: ${ev.message}`;
        done();
      });
      worker.addEventListener('message', (ev) => {
        const m = ev.data;
        if (m.type === 'status') el('status').textContent = m.text;
        else if (m.type === 'progress') {
          el('bar').max = m.total;
          el('bar').value = m.index + 1;
          el('status').textContent =
            `layer ${m.index + 1}/${m.total}: ${m.op} '${m.name}' — ${kb(m.bytes)} sent so far, ${m.elapsed.toFixed(2)} s`;
          el('layers').append(
            item(`${m.index + 1}/${m.total} ${m.op} '${m.name}' (${kb(m.bytes)} sent, ${m.elapsed.toFixed(2)} s)`),
          );
        } else if (m.type === 'program') program = m.program;
        else if (m.type === 'result') {
          el('status').textContent = 'done';
          showResult(program, m.result);
          el('result').className = 'done';
          done();
        } else {
          el('error').hidden = false;
          el('error').textContent = m.message;
          el('status').textContent = 'stopped';
          done();
        }
      });
      worker.postMessage({ type: 'run', image }, [image]);
    });
  });
}

start();
