/**
 * `cryptflow validate MODEL --data DIR --backend B [--labels-file F] [--sites] [--out DIR] [--workers N]
 *  [--resume] [--seed S] [--scale S --bitlen L] [--mean M --std S --layout nchw|nhwc] [--quiet] [--json]`
 *
 * A multi-site validation study as one command (harness/study/): every image of DIR under the secure
 * backend and in plaintext (float32 and fixed point), a progress bar with ETA on standard error,
 * one JSON line per finished image in OUT/results*.jsonl (so `--resume` continues an interrupted run
 * and loses nothing), then OUT/report.json, OUT/report.html and OUT/scores.csv. With --workers N the
 * cases are shared by N worker processes (each `validate --shard K/N`), the parent showing progress.
 * --backend takes any name of the backend registry (harness/runner/backends.ts). The parties run in
 * worker threads or on one thread as `run` picks (mode.ts: threads for a large model on several cores).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CryptflowError } from '../../spec/errors.js';
import { BACKEND_INFO, BACKENDS } from '../runner/inference.js';
import { readStudyData } from '../study/cases.js';
import { claimRun, modelIdentity, readAllResults, runCases, writeReport, type Shard } from '../study/validate.js';
import { argvOf } from './processes.js';
import { getBoolean, getChoice, getInteger, getString, type FlagSpec, type ParsedArgs } from './args.js';
import { loadAndOptimize, placementFlag } from './compile.js';
import { chooseMode } from './mode.js';

export const VALIDATE_FLAGS: Readonly<Record<string, FlagSpec>> = {
  data: { kind: 'string', help: 'the data directory (PNG/PGM/.npy images, labels.csv as `data synth` writes it)' },
  backend: {
    kind: 'string',
    help: `${BACKENDS.map((b) => `'${b}'${BACKEND_INFO[b].secure ? '' : ' (NOT SECURE)'}`).join(', ')}; default 'porthos'`,
  },
  'labels-file': {
    kind: 'string',
    help: 'the labels table (CSV: file, case, site, mask, one 0/1 column per pathology); default DIR/labels.csv',
  },
  sites: { kind: 'boolean', help: 'break every statistic down per site' },
  out: { kind: 'string', help: 'the output directory (default validate-out)', alias: 'o' },
  workers: { kind: 'integer', help: 'worker processes sharing the cases (default 1: this process)', min: 1, max: 64 },
  resume: { kind: 'boolean', help: 'continue the run whose results are in OUT, skipping finished cases' },
  seed: {
    kind: 'string',
    help: 'derive each case’s PRG keys from SEED/CASE (a replayable run; default fresh random keys)',
  },
  scale: { kind: 'integer', help: 'fixed-point scale s (default 12)', min: 0, max: 63 },
  bitlen: { kind: 'integer', help: 'ring bit length ℓ (default 64)', min: 8, max: 64 },
  mean: { kind: 'string', help: 'images: mean subtracted after scaling to [0, 1] (as for run)' },
  std: { kind: 'string', help: 'images: standard deviation divided by after the mean (as for run)' },
  layout: { kind: 'string', help: "images: 'nchw' or 'nhwc' (as for run)" },
  shard: { kind: 'string', help: 'internal: run only cases K mod N (a worker of --workers), as K/N' },
  quiet: { kind: 'boolean', help: 'no progress on standard error' },
  json: { kind: 'boolean', help: 'print report.json instead of the summary' },
};

function numbers(args: ParsedArgs, name: string): number[] | undefined {
  const v = getString(args, name);
  if (v === undefined) return undefined;
  const xs = v.split(',').map((s) => Number(s.trim()));
  if (xs.some((x) => !Number.isFinite(x)))
    throw new CryptflowError('usage', `option --${name} needs numbers separated by commas, got '${v}'`);
  return xs;
}

function shardOf(args: ParsedArgs): Shard | undefined {
  const v = getString(args, 'shard');
  if (v === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(v);
  const [index, count] = m === null ? [NaN, NaN] : [Number(m[1]), Number(m[2])];
  if (!(count >= 1 && index >= 0 && index < count))
    throw new CryptflowError('usage', `option --shard needs K/N with 0 ≤ K < N, got '${v}'`);
  return { index, count };
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const t = Math.round(s);
  return t >= 3600
    ? `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`
    : t >= 60
      ? `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`
      : `${t}s`;
}

/** One progress line: a bar, counts, the wall seconds per image so far (NaN: not known yet) and the ETA. */
export function progressLine(done: number, total: number, rate: number, note = ''): string {
  const w = 24;
  const f = total === 0 ? 1 : done / total;
  return `validate [${'#'.repeat(Math.round(f * w)).padEnd(w, '.')}] ${done}/${total} (${(100 * f).toFixed(0)}%) ${Number.isFinite(rate) ? `${rate.toFixed(2)} s/image` : ''} ETA ${duration(rate * (total - done))}${note === '' ? '' : `  ${note}`}`;
}

async function runWorkers(
  n: number,
  args: ParsedArgs,
  model: string,
  out: string,
  total: number,
  err: ((s: string) => void) | null,
): Promise<void> {
  const bin = fileURLToPath(new URL('../../bin/cryptflow.js', import.meta.url));
  const pass = argvOf(
    args,
    Object.keys(VALIDATE_FLAGS).filter((f) => !['workers', 'shard', 'quiet', 'json', 'out'].includes(f)),
  );
  const before = readAllResults(out, 'repair').length;
  const t0 = performance.now();
  const children = Array.from({ length: n }, (_, k) => {
    const child = spawn(
      process.execPath,
      [bin, 'validate', model, ...pass, '--out', out, '--resume', '--quiet', '--shard', `${k}/${n}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let tail = '';
    child.stderr.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-2000)));
    return new Promise<void>((res, rej) =>
      child.on('close', (code) =>
        code === 0
          ? res()
          : rej(
              new CryptflowError(
                'input',
                `validate worker ${k}/${n} failed (exit ${code ?? 'signal'}): ${tail.trim().split('\n').slice(-1)[0] ?? ''}`,
              ),
            ),
      ),
    );
  });
  const timer =
    err === null
      ? undefined
      : setInterval(() => {
          const done = readAllResults(out, 'ignore').length;
          const fresh = done - before;
          err(progressLine(done, total, fresh > 0 ? (performance.now() - t0) / 1000 / fresh : NaN, `${n} workers`));
        }, 2000);
  try {
    await Promise.all(children);
  } finally {
    if (timer !== undefined) clearInterval(timer);
  }
}

export async function validateCommand(
  args: ParsedArgs,
  err: ((s: string) => void) | null,
): Promise<{ readonly text: string; readonly json: string }> {
  const modelPath = args.positional[0] as string;
  const dataDir = getString(args, 'data');
  if (dataDir === undefined) throw new CryptflowError('usage', 'validate needs --data DIR');
  const backend = getChoice(args, 'backend', BACKENDS) ?? 'porthos';
  const out = getString(args, 'out') ?? 'validate-out';
  const labelsFile = getString(args, 'labels-file');
  const data = readStudyData(dataDir, labelsFile);
  const shard = shardOf(args);
  const workers = getInteger(args, 'workers') ?? 1;
  const resume = getBoolean(args, 'resume');
  const bySite = getBoolean(args, 'sites');
  const ell = getInteger(args, 'bitlen') ?? 64;
  const scale = getInteger(args, 'scale') ?? 12;
  if (shard === undefined)
    claimRun(out, { model: modelPath, modelSha256: modelIdentity(modelPath), backend, ell, scale });
  if (workers > 1 && shard === undefined) {
    const existing = readAllResults(out, resume ? 'repair' : 'strict').length;
    if (existing > 0 && !resume)
      throw new CryptflowError(
        'usage',
        `${out} already holds results of ${existing} case(s): add --resume to continue that run, or choose another --out`,
      );
    await runWorkers(workers, args, modelPath, out, data.cases.length, err);
  } else {
    const { model, hlil } = loadAndOptimize(modelPath, args);
    // As `run` picks: the three parties in worker threads for a large model on several cores.
    const mode = chooseMode({
      backend,
      processes: false,
      threads: false,
      oneThread: false,
      checkViews: false,
      modelBytes: hlil.liveness.totalBytes,
    });
    if (model.missingWeights.length > 0)
      throw new CryptflowError(
        'usage',
        `validate needs every weight of the model (missing ${model.missingWeights.join(', ')})`,
      );
    const layout =
      getChoice(args, 'layout', ['nchw', 'nhwc'] as const) ??
      (model.format === 'tf-graphdef' || model.format === 'tfjs' ? 'nhwc' : 'nchw');
    const mean = numbers(args, 'mean');
    const std = numbers(args, 'std');
    const seed = getString(args, 'seed');
    const t0 = performance.now();
    let last = 0;
    await runCases(model, data, out, {
      inference: {
        backend,
        ell,
        scale,
        placement: placementFlag(args),
        ...(mode.mode === 'threads' ? { threads: true } : {}),
      },
      ...(seed === undefined ? {} : { seed }),
      input: { layout, ...(mean === undefined ? {} : { mean }), ...(std === undefined ? {} : { std }) },
      labelNames: data.labelNames,
      resume,
      ...(shard === undefined ? {} : { shard }),
      ...(err === null
        ? {}
        : {
            onCase: (p) => {
              const t = performance.now();
              if (p.done < p.total && t - last < 1000) return;
              last = t;
              err(progressLine(p.skipped + p.done, p.skipped + p.total, (t - t0) / 1000 / p.done, p.record.file));
            },
          }),
    });
    if (shard !== undefined) return { text: '', json: '' };
  }
  const files = writeReport(data, out, { model: modelPath, backend, bySite });
  const r = files.report;
  const lines = [
    `${r.cases} of ${data.cases.length} images validated (${backend}${BACKEND_INFO[backend].secure ? '' : ', NOT SECURE'})${r.synthetic ? ' — SYNTHETIC data' : ''}; ${r.withinBound} within the error bound`,
    ...r.labels.map(
      (l) =>
        `  ${l.name}: AUROC plaintext ${l.plaintext?.auroc.toFixed(3) ?? '—'}, secure ${l.secure?.auroc.toFixed(3) ?? '—'}; DeLong p ${l.delong?.p.toFixed(3) ?? '—'}; KS D ${l.ks.statistic.toFixed(3)} (p ${l.ks.p.toFixed(3)}); agreement ${(100 * l.agreement).toFixed(1)}%`,
    ),
    ...(r.segmentation === null
      ? []
      : [
          `  Dice secure vs plaintext fixed point per class: ${r.segmentation.secureVsFixed.map((d) => d.toFixed(3)).join(', ')}; vs ground truth: ${r.segmentation.secureVsTruth?.map((d) => d.toFixed(3)).join(', ') ?? '—'}`,
        ]),
    `  per image: ${(r.cost.bytesPerImage / 1e6).toFixed(2)} MB, ${r.cost.rounds} rounds, ${r.cost.secondsPerImage.toFixed(2)} s`,
    `report: ${files.html} (also ${files.json}, ${files.csv})`,
  ];
  return { text: lines.join('\n'), json: JSON.stringify(r) };
}
