/**
 * The OT channel between two parties (types.ts's OtChannel): base OTs once per session (base.ts,
 * Chou–Orlandi, metered under the 'setup' phase), then every call one batched extension — IKNP
 * (iknp.ts) for 1-out-of-2 OT, KKRT (kkrt.ts) for 1-out-of-N OT — in whichever direction the call
 * names. Per direction the extension sender was base-OT receiver of λ = 128 OTs (IKNP's columns); the
 * 2λ = 256 seeds of KKRT's Walsh–Hadamard columns come from IKNP random OTs of 128-bit strings in the
 * opposite direction (the KKRT sender is their receiver, with random choices), as CrypTFlow2/SCI
 * does. Setup: three messages each way, three rounds, both directions at once.
 *
 * Calls on one channel run one at a time in call order (a call made before the previous one
 * finished waits for it), and the peer makes the matching calls in the same order. A call with no
 * instances sends nothing; a large call runs in chunks of CHUNK instances (below). A call that fails
 * on a malformed frame leaves the session unusable (the two sides' stream positions differ): the run
 * aborts, as every protocol failure does.
 */
import { CryptflowError, bug } from '../../spec/errors.js';
import type { PartyContext } from '../common/party.js';
import { BASE_OT_MESSAGES, baseOts } from './base.js';
import { checkChoices, checkEll, checkMasked, halves, packBits } from './bits.js';
import { EXTENSION_MESSAGES, ExtensionReceiver, ExtensionSender } from './extension.js';
import {
  LAMBDA,
  addSub,
  maskChosen,
  receiverHashes,
  receiverPads,
  recvPacked,
  senderHashes,
  senderPads,
  unmaskChosen,
  unmaskCorrelated,
} from './iknp.js';
import { KKRT_WIDTH, kkrtReceiverPads, kkrtUnmask, sendKkrt } from './kkrt.js';
import type { OtChannel } from './types.js';

/** Base OTs per direction: λ, IKNP's columns. */
export const BASE_OTS_PER_DIRECTION = LAMBDA;

/**
 * The `what` label of every message the layer receives, either party from the other (for a backend's
 * view allowance, harness/runner/views.ts): the base-OT points are uniform group elements, the
 * extension matrix and the masked messages are masked; none is an opening.
 */
export const OT_MESSAGES: readonly string[] = [
  ...Object.values(BASE_OT_MESSAGES),
  ...Object.values(EXTENSION_MESSAGES),
];

/** The largest N of 1-out-of-N OT (the code has 256 codewords). */
export const MAX_N = 256;

function words(values: Uint32Array): BigUint64Array {
  return new BigUint64Array(values.buffer, values.byteOffset, values.length / 2);
}

class Channel implements OtChannel {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: PartyContext,
    private readonly peer: 0 | 1,
    private readonly iknpSender: ExtensionSender,
    private readonly iknpReceiver: ExtensionReceiver,
    private readonly kkrtSender: ExtensionSender,
    private readonly kkrtReceiver: ExtensionReceiver,
  ) {}

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.queue.then(f);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async send2(m0: BigUint64Array, m1: BigUint64Array, ell: number): Promise<void> {
    checkEll(ell, 'send2');
    if (m0.length !== m1.length)
      throw new CryptflowError('usage', `send2: ${m0.length} first messages but ${m1.length} second messages`);
    checkMasked(m0, ell, 'send2 (m0)');
    checkMasked(m1, ell, 'send2 (m1)');
    return this.serial(async () => {
      const [w0, w1] = [halves(m0), halves(m1)];
      for (const [a, b] of spans(m0.length)) {
        const pads = await senderPads(this.iknpSender, this.ctx, this.peer, b - a, ell);
        this.ctx.send(this.peer, maskChosen(w0.subarray(2 * a, 2 * b), w1.subarray(2 * a, 2 * b), pads, ell));
      }
    });
  }

  async recv2(choices: Uint8Array, ell: number): Promise<BigUint64Array> {
    checkEll(ell, 'recv2');
    checkChoices(choices, 2, 'recv2');
    return this.serial(async () => {
      const out = new Uint32Array(2 * choices.length);
      const pads = [...spans(choices.length)].map(([a, b]) =>
        receiverPads(this.iknpReceiver, this.ctx, this.peer, choices.subarray(a, b), ell),
      );
      for (const [k, [a, b]] of [...spans(choices.length)].entries()) {
        const y = await recvPacked(this.ctx, this.peer, 2 * (b - a), ell);
        out.set(unmaskChosen(y, choices.subarray(a, b), pads[k] ?? bug('a chunk without pads')), 2 * a);
      }
      return words(out);
    });
  }

  async sendCorrelated(delta: BigUint64Array, ell: number): Promise<BigUint64Array> {
    checkEll(ell, 'sendCorrelated');
    checkMasked(delta, ell, 'sendCorrelated');
    return this.serial(async () => {
      const out = new Uint32Array(2 * delta.length);
      const d = halves(delta);
      for (const [a, b] of spans(delta.length)) {
        const [h0, h1] = await senderPads(this.iknpSender, this.ctx, this.peer, b - a, ell);
        this.ctx.send(this.peer, packBits(addSub(h0, d.subarray(2 * a, 2 * b), h1, ell), ell));
        out.set(h0, 2 * a);
      }
      return words(out);
    });
  }

  async recvCorrelated(choices: Uint8Array, ell: number): Promise<BigUint64Array> {
    checkEll(ell, 'recvCorrelated');
    checkChoices(choices, 2, 'recvCorrelated');
    return this.serial(async () => {
      const out = new Uint32Array(2 * choices.length);
      const pads = [...spans(choices.length)].map(([a, b]) =>
        receiverPads(this.iknpReceiver, this.ctx, this.peer, choices.subarray(a, b), ell),
      );
      for (const [k, [a, b]] of [...spans(choices.length)].entries()) {
        const y = await recvPacked(this.ctx, this.peer, b - a, ell);
        out.set(unmaskCorrelated(y, choices.subarray(a, b), pads[k] ?? bug('a chunk without pads'), ell), 2 * a);
      }
      return words(out);
    });
  }

  async sendRandom(count: number, ell: number): Promise<readonly [BigUint64Array, BigUint64Array]> {
    checkEll(ell, 'sendRandom');
    if (!Number.isSafeInteger(count) || count < 0)
      throw new CryptflowError('usage', `sendRandom: count must be a non-negative integer, got ${count}`);
    return this.serial(async () => {
      const r0 = new Uint32Array(2 * count);
      const r1 = new Uint32Array(2 * count);
      for (const [a, b] of spans(count)) {
        const [h0, h1] = await senderPads(this.iknpSender, this.ctx, this.peer, b - a, ell);
        r0.set(h0, 2 * a);
        r1.set(h1, 2 * a);
      }
      return [words(r0), words(r1)] as const;
    });
  }

  async recvRandom(choices: Uint8Array, ell: number): Promise<BigUint64Array> {
    checkEll(ell, 'recvRandom');
    checkChoices(choices, 2, 'recvRandom');
    return this.serial(async () => {
      const out = new Uint32Array(2 * choices.length);
      for (const [a, b] of spans(choices.length))
        out.set(receiverPads(this.iknpReceiver, this.ctx, this.peer, choices.subarray(a, b), ell), 2 * a);
      return Promise.resolve(words(out));
    });
  }

  async sendN(n: number, messages: BigUint64Array, ell: number): Promise<void> {
    checkN(n, 'sendN');
    checkEll(ell, 'sendN');
    if (messages.length % n !== 0)
      throw new CryptflowError(
        'usage',
        `sendN: ${messages.length} messages is not a whole number of instances of N = ${n}`,
      );
    checkMasked(messages, ell, 'sendN');
    return this.serial(async () => {
      const w = halves(messages);
      for (const [a, b] of spans(messages.length / n))
        await sendKkrt(this.kkrtSender, this.ctx, this.peer, n, b - a, w.subarray(2 * n * a, 2 * n * b), ell);
    });
  }

  async recvN(n: number, choices: Uint8Array, ell: number): Promise<BigUint64Array> {
    checkN(n, 'recvN');
    checkEll(ell, 'recvN');
    checkChoices(choices, n, 'recvN');
    return this.serial(async () => {
      const out = new Uint32Array(2 * choices.length);
      const pads = [...spans(choices.length)].map(([a, b]) =>
        kkrtReceiverPads(this.kkrtReceiver, this.ctx, this.peer, choices.subarray(a, b), ell),
      );
      for (const [k, [a, b]] of [...spans(choices.length)].entries()) {
        out.set(
          await kkrtUnmask(this.ctx, this.peer, n, choices.subarray(a, b), pads[k] ?? bug('a chunk without pads'), ell),
          2 * a,
        );
      }
      return words(out);
    });
  }
}

/**
 * Instances per extension message. A call of m instances runs ⌈m/CHUNK⌉ extensions: the receiver
 * sends every chunk's matrix first, then the sender answers chunk by chunk, so the rounds are those
 * of one extension and the sender's memory is bounded by a chunk. CHUNK is a multiple of 32 (the
 * transpose's blocks) and of 8, so every full chunk's masked messages are whole bytes and a call's
 * bytes stay ⌈m·bits/8⌉ (spec/cost/ot.ts).
 */
export const CHUNK = 1 << 16;

function* spans(m: number): Generator<readonly [number, number]> {
  for (let a = 0; a < m; a += CHUNK) yield [a, Math.min(m, a + CHUNK)];
}

function checkN(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 2 || n > MAX_N)
    throw new CryptflowError('usage', `${what}: N must be an integer in [2, ${MAX_N}], got ${n}`);
}

/** Seeds of one direction's KKRT columns from 2λ IKNP random OTs of 128-bit strings. */
async function kkrtSeeds(
  ctx: PartyContext,
  peer: 0 | 1,
  iknpSender: ExtensionSender,
  iknpReceiver: ExtensionReceiver,
): Promise<{ readonly sender: ExtensionSender; readonly receiver: ExtensionReceiver }> {
  const seed = (h: Uint32Array, k: number): Uint8Array => new Uint8Array(h.slice(4 * k, 4 * k + 4).buffer);
  // As IKNP receiver with random choices s: the seeds k_j^{s_j} of the KKRT direction in which this party sends.
  const s = ctx.own.bits(KKRT_WIDTH);
  const chosen = receiverHashes(iknpReceiver, ctx, peer, s);
  // As IKNP sender: both seeds of every column of the direction in which the peer sends.
  const both = await senderHashes(iknpSender, ctx, peer, KKRT_WIDTH);
  const pairs = Array.from({ length: KKRT_WIDTH }, (_, j) => [seed(both, 2 * j), seed(both, 2 * j + 1)] as const);
  return {
    sender: new ExtensionSender(
      KKRT_WIDTH,
      s,
      Array.from({ length: KKRT_WIDTH }, (_, j) => seed(chosen, j)),
    ),
    receiver: new ExtensionReceiver(KKRT_WIDTH, pairs),
  };
}

/**
 * Open the OT channel between ctx.id and peer, both parties at once, under the 'setup' phase: λ base
 * OTs per direction (two rounds), then the 2λ seeds of each direction's KKRT columns from IKNP random
 * OTs of the opposite direction (one more round). Each party opens one channel per peer per session.
 */
export async function openOtChannel(ctx: PartyContext, peer: 0 | 1): Promise<OtChannel> {
  if (ctx.id === peer || ctx.id === 2)
    throw new CryptflowError('usage', `an OT channel joins P0 and P1, not P${ctx.id} and P${peer}`);
  const base = await baseOts(ctx, peer, BASE_OTS_PER_DIRECTION);
  const iknpSender = new ExtensionSender(LAMBDA, base.choices, base.chosen);
  const iknpReceiver = new ExtensionReceiver(LAMBDA, base.pairs);
  const kkrt = await ctx.inPhase('setup', () => kkrtSeeds(ctx, peer, iknpSender, iknpReceiver));
  return new Channel(ctx, peer, iknpSender, iknpReceiver, kkrt.sender, kkrt.receiver);
}
