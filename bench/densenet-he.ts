/**
 * DenseNet121-chest under `cryptflow2-he` executed for real (opt-in: BENCH_DENSENET_HE=SIZE or
 * SIZE:LAYERS with `BENCH_GROUPS=cryptflow2-he npm run bench`; both parties in this one thread):
 *
 *   SIZE          the whole network on a SIZE × SIZE image (224 the zoo's, 320 the study's): hours;
 *   SIZE:LAYERS   its prefix — the stem and the first LAYERS dense layers (harness/zoo/densenet.ts,
 *                 densenetChestAt) — then an extrapolation of the whole network at 224 × 224 and
 *                 320 × 320 from the prefix's own per-node times, reported as such.
 *
 * Progress goes to stderr, one line per node that communicates (bytes so far, elapsed). Every executed
 * line states seconds, the metered bytes next to the cost walk's (spec/cost: they must be
 * equal), the largest |secure − plaintext fixed point| and the process's peak resident memory so far.
 *
 * The extrapolation (a model, not a measurement): each node of the whole network is charged by what
 * dominates it, with unit times fitted on the prefix's nodes of the same kind —
 *   OT nodes (Relu, ScaleDown, MaxPool; AvgPool and GlobalAvgPool run ScaleDown's Div_p): seconds per
 *     metered byte of that operator;
 *   HE convolutions: a·(monomial products) + b·(NTT products) + c·(query and response ciphertexts),
 *     non-negative least squares over the prefix's convolutions (protocols/cryptflow2-he/linear.ts's two product
 *     paths); the final MatMul likewise;
 *   HE elementwise products (BatchNorm's Mul): seconds per slot ciphertext;
 *   local nodes (Concat, BiasAdd, ...): charged to the communicating node before them (P0 reports a
 *     node when its own part ends; the peer's last messages may land in the next, local, node).
 */
import { numel, type Shape } from '../spec/geometry.js';
import { onnxToHlil } from '../passes/frontend/onnx/index.js';
import { optimizeHlil, paperConfig } from '../passes/hlil/pipeline.js';
import { floatToFixed } from '../passes/float-to-fixed/program.js';
import { costBackend } from '../harness/cost/backends.js';
import { costProgram, operandTypes } from '../harness/cost/walk.js';
import { secureInference, type ServerModel } from '../harness/runner/inference.js';
import { densenetChestAt } from '../harness/zoo/densenet.js';
import { shapeOnlyWeights } from '../harness/zoo/synthetic-weights.js';
import type { LNode, LProgram } from '../ir/llil.js';
import { operandsOf } from '../ir/traverse.js';
import { convShape, matmulShape } from '../protocols/cryptflow2-he/layers.js';
import { hePacking, heSlotLayout } from '../spec/cost/cryptflow2-he.js';
import { bug } from '../spec/errors.js';
import type { Measurement } from './harness.js';

const [ELL, SCALE] = [64, 12];
const ALL_LAYERS = 58;
const OT_OPS = new Set(['Relu', 'ScaleDown', 'MaxPool', 'AvgPool', 'GlobalAvgPool', 'ArgMax']);
const gb = (b: number): string => `${(b / 1e9).toFixed(2)} GB`;
const hours = (s: number): string => (s >= 3600 ? `${(s / 3600).toFixed(2)} h` : `${(s / 60).toFixed(1)} min`);

/** What one node costs in the model's units. */
export interface NodeUnits {
  readonly op: string;
  readonly bytes: number;
  readonly mono: number;
  readonly ntt: number;
  readonly ciphertexts: number;
  readonly slots: number;
  readonly elements: number;
}

function model(size: number, layers: number, weights: 'seeded' | 'shape-only'): { m: ServerModel; image: string } {
  const net = densenetChestAt(size, weights === 'seeded' ? 'densenet121-chest' : shapeOnlyWeights(), layers);
  const imported = onnxToHlil(net.bytes());
  return { m: optimizeHlil(imported, paperConfig).model, image: imported.inputs.get('image') ?? 'image' };
}

/** The HE work of a product node: products by path, and its query and response ciphertexts. */
function heUnits(node: LNode, shapes: readonly Shape[]): Pick<NodeUnits, 'mono' | 'ntt' | 'ciphertexts' | 'slots'> {
  const none = { mono: 0, ntt: 0, ciphertexts: 0, slots: 0 };
  const [a, b] = [shapes[0] ?? bug('operand'), shapes[1] ?? bug('operand')];
  if (node.op === 'Mul') return { ...none, slots: heSlotLayout(numel(node.type.shape)).responses };
  const shape =
    node.op === 'Conv'
      ? convShape(node, a, b)
      : node.op === 'MatMul'
        ? matmulShape(a[0] ?? 1, a[1] ?? 1, b[1] ?? 1)
        : null;
  if (shape === null) return none;
  const p = hePacking(shape) ?? bug('a layer without a packing');
  const span = numel(shape.kernel) * p.cc * (p.layouts[0]?.mc ?? 1);
  let [products, ciphertexts] = [0, 0];
  for (const l of p.layouts) {
    products += l.outGroups * l.chunks * shape.batch * shape.groups;
    ciphertexts += l.queries + l.responses;
  }
  return { ...none, ciphertexts, ...(span === 1 ? { mono: products } : { ntt: products }) };
}

function units(program: LProgram): NodeUnits[] {
  const types = operandTypes(program);
  const perNode = costProgram(program, costBackend('cryptflow2-he')).perNode;
  return program.nodes.map((node, i) => {
    const bytes = perNode[i]?.bytes ?? 0;
    // A product that communicates is an HE layer (products of public or server-only operands are local).
    const he =
      bytes > 0 && ['Conv', 'MatMul', 'Mul'].includes(node.op)
        ? heUnits(
            node,
            operandsOf(node).map((o) => types.get(o)?.shape ?? bug(`'${o}' has no type`)),
          )
        : { mono: 0, ntt: 0, ciphertexts: 0, slots: 0 };
    return { op: node.op, bytes, ...he, elements: numel(node.type.shape) };
  });
}

/** Least squares for t ≈ X·θ on the columns `cols` (θ = 0 elsewhere), by the normal equations. */
function solve(
  rows: readonly (readonly [number, number, number])[],
  t: readonly number[],
  cols: readonly number[],
): [number, number, number] | null {
  const M = cols.map((i) => [
    ...cols.map((j) => rows.reduce((s, r) => s + r[i]! * r[j]!, 0)),
    rows.reduce((s, r, k) => s + r[i]! * t[k]!, 0),
  ]);
  for (let c = 0; c < cols.length; c++) {
    const piv = M[c]![c]!;
    if (Math.abs(piv) < 1e-12) return null;
    for (let r = 0; r < cols.length; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / piv;
      for (let k = c; k <= cols.length; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  const theta: [number, number, number] = [0, 0, 0];
  cols.forEach((i, c) => (theta[i] = M[c]![cols.length]! / M[c]![c]!));
  return theta;
}

/** Non-negative least squares for 3 unknowns: the best fit over every subset of columns with θ ≥ 0. */
function fit3(rows: readonly (readonly [number, number, number])[], t: readonly number[]): [number, number, number] {
  let best: { theta: [number, number, number]; residual: number } | null = null;
  for (let mask = 1; mask < 8; mask++) {
    const cols = [0, 1, 2].filter((i) => (mask >> i) & 1 && rows.some((r) => r[i]! > 0));
    if (cols.length === 0) continue;
    const theta = solve(rows, t, cols);
    if (theta === null || theta.some((v) => v < 0)) continue;
    const residual = rows.reduce(
      (s, r, k) => s + (r[0] * theta[0] + r[1] * theta[1] + r[2] * theta[2] - t[k]!) ** 2,
      0,
    );
    if (best === null || residual < best.residual) best = { theta, residual };
  }
  return best?.theta ?? [0, 0, 0];
}

interface Rates {
  readonly perByte: ReadonlyMap<string, number>;
  readonly he: readonly [number, number, number];
  readonly perSlot: number;
}

function fitRates(u: readonly NodeUnits[], seconds: readonly number[]): Rates {
  const sum = (f: (x: NodeUnits, i: number) => number): number => u.reduce((s, x, i) => s + f(x, i), 0);
  const perByte = new Map<string, number>();
  for (const op of OT_OPS) {
    const bytes = sum((x) => (x.op === op ? x.bytes : 0));
    if (bytes > 0) perByte.set(op, sum((x, i) => (x.op === op ? seconds[i]! : 0)) / bytes);
  }
  const div = perByte.get('ScaleDown');
  if (div !== undefined) for (const op of ['AvgPool', 'GlobalAvgPool']) if (!perByte.has(op)) perByte.set(op, div);
  const conv = u.map((x, i) => [x, i] as const).filter(([x]) => x.mono + x.ntt > 0);
  const he = fit3(
    conv.map(([x]) => [x.mono, x.ntt, x.ciphertexts] as const),
    conv.map(([, i]) => seconds[i]!),
  );
  const slots = sum((x) => x.slots);
  return { perByte, he, perSlot: slots > 0 ? sum((x, i) => (x.slots > 0 ? seconds[i]! : 0)) / slots : 0 };
}

function predict(r: Rates, x: NodeUnits): number {
  if (x.mono + x.ntt > 0) return r.he[0] * x.mono + r.he[1] * x.ntt + r.he[2] * x.ciphertexts;
  if (x.slots > 0) return r.perSlot * x.slots;
  if (x.bytes > 0) return (r.perByte.get(x.op) ?? bug(`no rate for ${x.op} in the prefix`)) * x.bytes;
  return 0;
}

/** Each node's seconds from P0's end times, a local node's charged to the communicating node before it. */
function nodeSeconds(u: readonly NodeUnits[], ends: readonly number[]): number[] {
  const seconds = u.map((_, i) => (ends[i] ?? 0) - (i > 0 ? (ends[i - 1] ?? 0) : 0));
  let last = -1;
  u.forEach((x, i) => {
    if (x.bytes > 0) last = i;
    else if (last >= 0) {
      seconds[last] = seconds[last]! + seconds[i]!;
      seconds[i] = 0;
    }
  });
  return seconds;
}

/** The prefix's nodes in the extrapolation's units (so a run's progress log can be refitted). */
export function prefixUnits(size: number, layers: number): NodeUnits[] {
  return units(floatToFixed(model(size, layers, 'shape-only').m.program, { ell: ELL, scale: SCALE }).program);
}

/**
 * The extrapolation lines for the whole network at 224 and 320 from a prefix's nodes (`u`, in LLIL
 * order) and P0's end time of each (`ends`, seconds since the parties started).
 */
export function extrapolate(label: string, u: readonly NodeUnits[], ends: readonly number[]): Measurement[] {
  const rates = fitRates(u, nodeSeconds(u, ends));
  const own = u.reduce((s, x) => s + predict(rates, x), 0);
  return [224, 320].map((full) => {
    const whole = prefixUnits(full, ALL_LAYERS);
    const t = whole.reduce((s, x) => s + predict(rates, x), 0);
    const heT = whole.reduce((s, x) => s + (x.mono + x.ntt + x.slots > 0 ? predict(rates, x) : 0), 0);
    return {
      group: 'cryptflow2-he',
      name: `DenseNet121-chest ${full}×${full} whole network EXTRAPOLATED from the ${label} (not a run)`,
      rate: 1 / t,
      unit: 'inferences/s',
      detail: `about ${hours(t)} (HE layers ${hours(heT)}), ${gb(whole.reduce((s, x) => s + x.bytes, 0))} by the cost walk; per-unit times from the prefix: HE ${rates.he.map((v) => (v * 1e3).toFixed(2)).join(' / ')} ms per monomial product / NTT product / ciphertext, ReLU ${((rates.perByte.get('Relu') ?? 0) * 1e9).toFixed(0)} and ScaleDown ${((rates.perByte.get('ScaleDown') ?? 0) * 1e9).toFixed(0)} s/GB; the model gives the prefix's own ${hours(ends[ends.length - 1] ?? 0)} as ${hours(own)}`,
    };
  });
}

/** Runs BENCH_DENSENET_HE's spec (SIZE or SIZE:LAYERS) and reports what was executed and what is extrapolated. */
export async function densenetHe(spec: string, report: (m: Measurement) => void): Promise<void> {
  const [size, layers] = spec.split(':').map(Number) as [number, number | undefined];
  if (!Number.isInteger(size) || size < 32 || (layers !== undefined && !(layers >= 0 && layers <= ALL_LAYERS)))
    throw new Error(`BENCH_DENSENET_HE=${spec}: expected SIZE or SIZE:LAYERS (0 ≤ LAYERS ≤ ${ALL_LAYERS})`);
  const { m, image: name } = model(size, layers ?? ALL_LAYERS, 'seeded');
  const image = Float32Array.from({ length: 3 * size * size }, (_, i) => 0.5 + 0.5 * Math.sin(0.37 * i));
  const input = new Map([[name, image]]);
  const ends: number[] = [];
  let sent = 0;
  const r = await secureInference(m, input, {
    backend: 'cryptflow2-he',
    ell: ELL,
    scale: SCALE,
    seed: `densenet-he-${spec}`,
    onProgress: (p) => {
      ends[p.index] = p.elapsed;
      if (p.bytes !== sent)
        process.stderr.write(
          `  [${p.index + 1}/${p.total}] ${p.node.op} ${p.node.out} ${gb(p.bytes)} ${p.elapsed.toFixed(1)} s\n`,
        );
      sent = p.bytes;
    },
  });
  const plan = floatToFixed(m.program, { ell: ELL, scale: SCALE });
  const u = units(plan.program);
  const walked = u.reduce((s, x) => s + x.bytes, 0);
  const metered = r.links['P0->P1'] + r.links['P1->P0'];
  const what = layers === undefined ? 'whole network' : `stem + ${layers} dense layers`;
  report({
    group: 'cryptflow2-he',
    name: `DenseNet121-chest ${size}×${size} ${what} executed (ℓ = 64, s = 12)`,
    rate: 1 / r.seconds,
    unit: 'inferences/s',
    detail: `${hours(r.seconds)}, ${gb(metered)} metered (cost walk ${gb(walked)}, ${metered === walked ? 'equal' : 'DIFFERENT'}), max |secure − fixed| = ${Math.max(...r.outputs.map((o) => o.fixedDiff))}, ${r.fieldOverflow?.length ?? 0} field-range risks, peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  });
  if (layers === undefined || layers === ALL_LAYERS) return;
  for (const line of extrapolate(`${size}×${size} prefix (stem + ${layers} dense layers)`, u, ends)) report(line);
}
