/**
 * Secure inference, end to end: the job `cryptflow run` does (CrypTFlow Fig. 1).
 *
 *   1. Compile the (already HLIL-optimised) model at one global scale (passes/float-to-fixed), and
 *      analyse it for the client's actual input range: a per-output bound on |fixed − float32|.
 *   2. Each owner encodes its own inputs and nothing else: the client its input (→ P0), the server
 *      its weights (→ P1) — two separate `encodeInputs` calls, each seeing one party's values.
 *   3. Run the parties (three, or two for a 2-party backend) over the metered in-memory network
 *      (harness/runner/program.ts); the outputs are revealed to their owner (the client) and decoded
 *      there.
 *   4. For comparison, in the clear: the float32 model (semantics/float.ts) and the plaintext fixed
 *      point (semantics/fixed.ts, exact ScaleDown), per output with the largest differences, whether
 *      the compile-time bound holds, and the arg-max class where the output has one.
 *
 * Steps 1–2 (`prepareInference`) and 4 (`compareOutputs`) also stand alone, for runs whose parties are
 * separate processes (`cryptflow run --processes`, harness/party/).
 *
 * Communication is the 'compute' phase only (input sharing and the reveal excluded, COMM-SPEC.md);
 * rounds likewise: each party's round counter when it finishes its last node.
 */
import { CryptflowError } from '../../spec/errors.js';
import { numel, type Shape } from '../../spec/geometry.js';
import { totalBytes, type LinkBytes } from '../../spec/cost/types.js';
import type { HProgram } from '../../ir/hlil.js';
import type { Owner } from '../../ir/common.js';
import type { LNode } from '../../ir/llil.js';
import { floatSemAll } from '../../semantics/float.js';
import { fixedSem } from '../../semantics/fixed.js';
import { decodeOutputs } from '../../semantics/decode.js';
import { analyzeProgram, type OverflowRisk, type RangeReport } from '../../passes/float-to-fixed/analysis.js';
import { HE_SAFE_BITS } from '../../spec/cost/cryptflow2-he.js';
import { encodeInputs, floatToFixed, type FixedPlan, type Placement } from '../../passes/float-to-fixed/program.js';
import { analyzePlan } from '../../passes/secrecy/plan.js';
import type { Backend } from '../../protocols/common/backend.js';
import type { ConvPolicy } from '../../protocols/securenn-family/three-party.js';
import { backendOf, THREADED_BACKENDS, type BackendName } from './backends.js';
import type { Corruption } from '../../protocols/malicious3/wire.js';
import { MemoryNetwork } from '../network/memory.js';
import { computeRounds, type MeterReading } from '../network/meter.js';
import { runProgram, type ProgramRun } from './program.js';
import { runProgramThreads } from './threads.js';
import { allowanceOf, ViewRecorder, type PartyView } from './views.js';

export { rowArgmax } from './argmax.js';
import { rowArgmax } from './argmax.js';
export { BACKEND_INFO, BACKENDS, backendOf, partiesOfBackend, SECURE_BACKENDS, type BackendName } from './backends.js';

/** The model as the server holds it: an HLIL program and the values of its server inputs. */
export interface ServerModel {
  readonly program: HProgram;
  readonly weights: ReadonlyMap<string, Float32Array>;
}

export interface InferenceOptions {
  readonly backend: BackendName;
  readonly ell: number;
  readonly scale: number;
  readonly placement?: Placement;
  /** The client input range the analysis assumes (default: the range of `clientInputs`). */
  readonly inputRange?: { readonly lo: number; readonly hi: number };
  readonly convPolicy?: ConvPolicy;
  /** Replayable PRG keys (tests); fresh random keys when absent. */
  readonly seed?: string;
  /** Called on P0 after each LLIL node. */
  readonly onProgress?: (p: Progress) => void;
  /**
   * Record every party's view and check each message and opening against the secrecy analysis of the
   * plan against `declared` (the frontend's program) and the backend's declared messages
   * (harness/runner/views.ts); the run fails with a 'security' error at the first violation.
   */
  readonly checkViews?: { readonly declared: HProgram };
  /**
   * Run the parties in worker threads, one each (harness/runner/threads.ts), instead of interleaved
   * on this one: the same protocol, messages and meter, in parallel where there are cores.
   */
  readonly threads?: boolean;
  /** A research/demo deviation of one party of the malicious backend (protocols/malicious3/wire.ts; one thread). */
  readonly corrupt?: Corruption;
}

export interface Progress {
  readonly index: number;
  readonly total: number;
  readonly node: LNode;
  /** Compute-phase bytes sent so far, all parties. */
  readonly bytes: number;
  /** Seconds since the parties started. */
  readonly elapsed: number;
}

export interface OutputResult {
  readonly name: string;
  readonly to: Owner;
  readonly shape: Shape;
  /** Softmax or Sigmoid applied by the receiver after decoding. */
  readonly post?: string;
  /** The secure run's decoded output. */
  readonly secure: Float64Array;
  /** The plaintext fixed-point result (exact ScaleDown). */
  readonly fixed: Float64Array;
  /** The float32 model's result. */
  readonly float: Float32Array;
  /** max |secure − float32| (for ArgMax outputs: of the indices). */
  readonly maxAbsDiff: number;
  /** max |secure − plaintext fixed point|. */
  readonly fixedDiff: number;
  /**
   * The compile-time bound: on |fixed − float32| entrywise, or (`argmax-gap`) on how far below the
   * float32 maximum the float32 value at the secure index may be.
   */
  readonly bound: number;
  readonly boundKind: 'value' | 'argmax-gap';
  readonly withinBound: boolean;
  /** The arg-max per row (ArgMax outputs: the values; rank ≤ 2 outputs with ≥ 2 entries per row: computed). */
  readonly argmax?: readonly number[];
  readonly floatArgmax?: readonly number[];
}

export interface InferenceResult {
  readonly backend: BackendName;
  /** The backend's own name (e.g. 'porthos(reshaped)'). */
  readonly protocol: string;
  readonly plan: FixedPlan;
  readonly range: RangeReport;
  readonly outputs: readonly OutputResult[];
  /** Compute-phase bytes per link. */
  readonly links: LinkBytes;
  readonly rounds: number;
  readonly meter: MeterReading;
  readonly perNode: readonly LinkBytes[];
  /** Wall time of the parties' run, and of compilation with the range analysis. */
  readonly seconds: number;
  readonly compileSeconds: number;
  /**
   * cryptflow2-he only: the values that may leave its field's range, from the range analysis at
   * ℓ = HE_SAFE_BITS (values within ±2^39 are inside ±(p − 1)/2; proofs-notes/cryptflow2-he.md).
   */
  readonly fieldOverflow?: readonly OverflowRisk[];
  /** With `checkViews`: every party's recorded view (all of it allowed). */
  readonly views?: readonly PartyView[];
}

function inputRange(inputs: ReadonlyMap<string, Float32Array>): { lo: number; hi: number } {
  let [lo, hi] = [Infinity, -Infinity];
  for (const v of inputs.values()) for (const x of v) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
  return Number.isFinite(lo) ? { lo, hi } : { lo: 0, hi: 0 };
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** For an ArgMax over `axis` of x: is x at each secure index within `gap` of the row maximum? */
function argmaxWithinGap(
  x: { shape: Shape; data: Float32Array },
  axis: number,
  indices: Float64Array,
  gap: number,
): boolean {
  const n = x.shape[axis] ?? 1;
  const inner = numel(x.shape.slice(axis + 1));
  return Array.from(indices).every((idx, o) => {
    const [outer, i] = [Math.floor(o / inner), o % inner];
    const at = (k: number): number => x.data[(outer * n + k) * inner + i] as number;
    if (!Number.isInteger(idx) || idx < 0 || idx >= n) return false;
    let max = -Infinity;
    for (let k = 0; k < n; k++) max = Math.max(max, at(k));
    return at(idx) >= max - gap;
  });
}

/** Steps 1 and 2: the plan, its range analysis for this input, and each owner's encoded inputs. */
export interface PreparedInference {
  readonly plan: FixedPlan;
  readonly range: RangeReport;
  /** The client's LLIL inputs (encoded by the client alone). */
  readonly client: Map<string, BigUint64Array>;
  /** The server's LLIL inputs (encoded by the server alone). */
  readonly server: Map<string, BigUint64Array>;
  readonly compileSeconds: number;
}

export function prepareInference(
  model: ServerModel,
  clientInputs: ReadonlyMap<string, Float32Array>,
  o: Pick<InferenceOptions, 'ell' | 'scale' | 'placement' | 'inputRange'>,
): PreparedInference {
  const t0 = performance.now();
  const plan = floatToFixed(model.program, {
    ell: o.ell,
    scale: o.scale,
    ...(o.placement === undefined ? {} : { placement: o.placement }),
  });
  const range = analyzeProgram(plan, model.weights, o.inputRange ?? inputRange(clientInputs));
  // Each owner encodes its own inputs: the client never reads the weights, the server never the input.
  const client = encodeInputs(plan, clientInputs, 'client');
  const server = encodeInputs(plan, model.weights, 'server');
  return { plan, range, client, server, compileSeconds: (performance.now() - t0) / 1000 };
}

/** Step 4: each decoded secure output next to the plaintext fixed point and the float32 model. */
export function compareOutputs(
  model: ServerModel,
  clientInputs: ReadonlyMap<string, Float32Array>,
  prep: PreparedInference,
  secure: ReadonlyMap<string, Float64Array>,
): OutputResult[] {
  const { plan, range, client, server } = prep;
  const fixed = decodeOutputs(
    plan.program,
    fixedSem(plan.program, new Map([...client, ...server]), { kernels: 'wasm' }),
  );
  // Keep the outputs and the operands of ArgMax outputs (their gap check reads the float logits).
  const argmaxOperands = model.program.nodes
    .filter((n) => n.op === 'ArgMax' && model.program.outputs.some((o) => o.name === n.out))
    .map((n) => (n.op === 'ArgMax' ? n.x : ''));
  const floats = floatSemAll(
    model.program,
    new Map([...clientInputs, ...model.weights]),
    new Set([...model.program.outputs.map((o) => o.name), ...argmaxOperands]),
  );
  const producer = new Map(model.program.nodes.map((n) => [n.out, n]));
  return model.program.outputs.map((out, i): OutputResult => {
    const lo = plan.program.outputs[i];
    const r = range.outputs[i];
    const f = floats.get(out.name);
    if (lo === undefined || r === undefined || f === undefined)
      throw new CryptflowError('type', `output '${out.name}' has no compiled counterpart`);
    const s = secure.get(lo.name) ?? new Float64Array();
    const x = fixed.get(lo.name) ?? new Float64Array();
    const node = producer.get(out.name);
    const base = {
      name: out.name,
      to: out.to,
      shape: f.shape,
      ...(lo.post === undefined ? {} : { post: lo.post.op }),
      secure: s,
      fixed: x,
      float: f.data,
      maxAbsDiff: maxAbs(s, f.data),
      fixedDiff: maxAbs(s, x),
    };
    if (node?.op === 'ArgMax') {
      const operand = floats.get(node.x);
      const gap = r.argmaxGap ?? Infinity;
      const withinBound = operand !== undefined && argmaxWithinGap(operand, node.axis, s, gap);
      return {
        ...base,
        bound: gap,
        boundKind: 'argmax-gap',
        withinBound,
        argmax: Array.from(s),
        floatArgmax: Array.from(f.data),
      };
    }
    const argmax = rowArgmax(f.shape, s);
    const floatArgmax = rowArgmax(f.shape, f.data);
    return {
      ...base,
      bound: r.errorBound,
      boundKind: 'value',
      withinBound: base.maxAbsDiff <= r.errorBound,
      ...(argmax === undefined || floatArgmax === undefined ? {} : { argmax, floatArgmax }),
    };
  });
}

/** Run `model` on the client's `clientInputs` under a backend (see the file header). */
export async function secureInference(
  model: ServerModel,
  clientInputs: ReadonlyMap<string, Float32Array>,
  o: InferenceOptions,
): Promise<InferenceResult> {
  const backend = backendOf(o.backend, o.convPolicy, o.corrupt);
  if (o.corrupt !== undefined && o.threads === true)
    throw new CryptflowError('usage', '--corrupt runs the parties in one thread; drop --threads');
  const prep = prepareInference(model, clientInputs, o);
  const { plan, client, server } = prep;

  const t1 = performance.now();
  const onProgress = o.onProgress;
  const progress = (index: number, node: LNode, bytes: number): void =>
    onProgress?.({ index, total: plan.program.nodes.length, node, bytes, elapsed: (performance.now() - t1) / 1000 });
  let run: ProgramRun;
  let rounds: number;
  let recorder: ViewRecorder | undefined;
  if (o.threads === true) {
    if (o.checkViews !== undefined)
      throw new CryptflowError(
        'usage',
        "recording the parties' views (--check-views) needs the parties in one thread; drop --threads",
      );
    if (!THREADED_BACKENDS.includes(o.backend))
      throw new CryptflowError(
        'usage',
        `--threads runs the parties of a protocol backend (${THREADED_BACKENDS.join(', ')}), not ${o.backend}`,
      );
    // The parties' threads take the encoded inputs (moved, not copied); the comparison below encodes
    // them again, which costs a fraction of a second and keeps one copy of the weights in memory.
    const threaded = await runProgramThreads(
      plan.program,
      { client, server },
      {
        transferInputs: true,
        backend: o.backend,
        ...(o.convPolicy === undefined ? {} : { convPolicy: o.convPolicy }),
        ...(o.seed === undefined ? {} : { seed: o.seed }),
        onNode: ({ index, node, bytes }) => progress(index, node, bytes),
      },
    );
    run = threaded;
    rounds = threaded.rounds;
  } else {
    const network = new MemoryNetwork({ parties: backend.claims.parties });
    const roundsAtStart: [number, number, number] = [0, 0, 0];
    const roundsAtEnd: [number, number, number] = [0, 0, 0];
    const done: [number, number, number] = [0, 0, 0];
    const metered: Backend = {
      ...backend,
      run: async (ctx, node, operands) => {
        if (done[ctx.id] === 0) roundsAtStart[ctx.id] = network.meter.roundOf[ctx.id];
        const held = await backend.run(ctx, node, operands);
        done[ctx.id] += 1;
        if (done[ctx.id] === plan.program.nodes.length) roundsAtEnd[ctx.id] = network.meter.roundOf[ctx.id];
        return held;
      },
    };
    recorder =
      o.checkViews === undefined
        ? undefined
        : new ViewRecorder(allowanceOf(analyzePlan(o.checkViews.declared, plan), backend.name), backend.claims.parties);
    run = await runProgram(
      plan.program,
      { client, server },
      {
        backend: metered,
        network,
        ...(recorder === undefined ? {} : { observe: recorder.observer }),
        ...(o.seed === undefined ? {} : { seed: o.seed }),
        ...(onProgress === undefined
          ? {}
          : { onNode: ({ index, node }) => progress(index, node, totalBytes(network.meter.reading().links)) }),
      },
    );
    rounds = computeRounds(roundsAtStart, roundsAtEnd, network.meter.setupStamps);
  }
  const seconds = (performance.now() - t1) / 1000;
  const encoded =
    o.threads === true
      ? {
          ...prep,
          client: encodeInputs(plan, clientInputs, 'client'),
          server: encodeInputs(plan, model.weights, 'server'),
        }
      : prep;
  const outputs = compareOutputs(model, clientInputs, encoded, decodeOutputs(plan.program, run.outputs));
  return {
    backend: o.backend,
    protocol: backend.name,
    plan,
    range: prep.range,
    outputs,
    links: run.meter.links,
    rounds,
    meter: run.meter,
    perNode: run.perNode,
    seconds,
    compileSeconds: prep.compileSeconds,
    ...(o.backend === 'cryptflow2-he'
      ? {
          fieldOverflow: analyzeProgram(
            { ...plan, program: { ...plan.program, ell: HE_SAFE_BITS } },
            model.weights,
            prep.range.inputRange,
          ).overflow,
        }
      : {}),
    ...(recorder === undefined ? {} : { views: recorder.views() }),
  };
}
