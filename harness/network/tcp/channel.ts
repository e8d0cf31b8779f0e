/**
 * One authenticated connection to one peer: frames out, frames in, in protocol order, with a stall
 * timeout and a first-failure-wins error.
 *
 * - Frames in: bytes are cut into frames by `FrameReader` (headers checked before allocation); a
 *   malformed stream fails the channel at once, whether or not anybody waits on it. An abort frame
 *   fails it at once too; it carries the peer's step and error class only (abort.ts), never the
 *   peer's message, which may describe that party's local data. Other frames are
 *   queued in arrival order and taken by `next(types)`, which fails when the next frame is not of a
 *   type the protocol expects at that step — out-of-order frames are errors, never skipped.
 * - Stall: while someone waits and nothing is queued, the peer must send a byte at least every
 *   `stallMs`; the timer re-arms on every chunk, and fires through `setImmediate` so data that arrived
 *   while this process was busy computing is read first (no false stall after a long local step).
 * - End: after the peer's bye, its closing the connection is expected; before, it is a failure, and
 *   one inside a frame says the frame was truncated.
 * - Counting: payload bytes are the caller's (the endpoint meters them as the in-memory network
 *   does); here, the frame bytes (headers and control payloads) and the bytes on the wire (the TCP
 *   socket under TLS), so TLS overhead = wire − frames.
 */
import { platform } from '../../../platform/index.js';
import { CryptflowError } from '../../../spec/errors.js';
import type { PartyId, Phase } from '../../../protocols/common/party.js';
import { encodeAbort, peerAborted } from './abort.js';
import { encodeFrame, FrameReader, HEADER_BYTES, type Frame, type FrameHeader, type FrameType } from './frame.js';
import type { ByteLink } from './link.js';

/** A test seam for fault injection: replace the bytes of an outgoing frame, and optionally end the connection after them. */
export type Tamper = (
  header: Omit<FrameHeader, 'length'>,
  encoded: Uint8Array,
) => { readonly bytes: Uint8Array; readonly thenEnd?: boolean };

export interface ChannelOptions {
  readonly me: PartyId;
  readonly peer: PartyId;
  /** The authenticated byte pipe to the peer (TLS over TCP, or a WebSocket: link.ts). */
  readonly link: ByteLink;
  readonly maxFrameBytes: number;
  readonly stallMs: number;
  /** Called once, with the channel's first failure. */
  readonly onFailure: (e: CryptflowError) => void;
  readonly tamper?: Tamper;
}

export interface ChannelCounts {
  /** Frame bytes written (headers and payloads, every type). */
  readonly framesOut: number;
  readonly framesIn: number;
  /** Bytes on the wire (TLS records and handshake; a page: its WebSocket frames), both directions. */
  readonly wireOut: number;
  readonly wireIn: number;
}

interface Waiter {
  readonly types: readonly FrameType[];
  readonly what: string;
  readonly stallMs: number;
  resolve(f: Frame): void;
  reject(e: Error): void;
}

export class Channel {
  readonly peer: PartyId;
  private readonly reader: FrameReader;
  private readonly queue: Frame[] = [];
  private readonly waiters: Waiter[] = [];
  private failure: CryptflowError | null = null;
  private byeReceived = false;
  private remoteAborted = false;
  private ended = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private activity = 0;
  private framesOut = 0;
  private framesIn = 0;

  constructor(private readonly o: ChannelOptions) {
    this.peer = o.peer;
    this.reader = new FrameReader({ from: o.peer, to: o.me, maxFrameBytes: o.maxFrameBytes });
    o.link.listen({
      data: (chunk) => this.onData(chunk),
      end: () => this.onEnd(),
      error: (code) =>
        this.fail(`the connection to P${o.peer} failed (${code}): P${o.peer} exited, failed, or the network went down`),
      broken: (why) => this.fail(why),
    });
  }

  get failed(): CryptflowError | null {
    return this.failure;
  }

  counts(): ChannelCounts {
    return {
      framesOut: this.framesOut,
      framesIn: this.framesIn,
      wireOut: this.o.link.wire().out,
      wireIn: this.o.link.wire().in,
    };
  }

  /** Write one frame. Throws the channel's failure if it has failed. */
  write(type: FrameType, payload: Uint8Array, phase: Phase = 'compute', round = 0): void {
    if (this.failure !== null) throw this.failure;
    if ((type === 'data' || type === 'setup') && payload.length > this.o.maxFrameBytes) {
      throw new CryptflowError(
        'protocol',
        `a ${payload.length}-byte ${type} message to P${this.o.peer} exceeds maxFrameBytes (${this.o.maxFrameBytes}); raise "maxFrameBytes" in parties.json on every party`,
      );
    }
    const header = { type, from: this.o.me, to: this.o.peer, phase, round };
    const encoded = encodeFrame(header, payload);
    const out = this.o.tamper?.(header, encoded) ?? { bytes: encoded };
    this.framesOut += out.bytes.length;
    this.o.link.write(out.bytes);
    if (out.thenEnd === true) this.o.link.end(() => undefined);
  }

  /**
   * The next frame from the peer, which must be of one of `types`; `what` names it in errors. The peer
   * may stay silent for `stallMs` (default: the channel's) while this waits.
   */
  next(types: readonly FrameType[], what: string, stallMs: number = this.o.stallMs): Promise<Frame> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise<Frame>((resolve, reject) => {
      this.waiters.push({ types, what, stallMs, resolve, reject });
      this.deliver();
    });
  }

  /** Frames that arrived but were never taken. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Fail the channel (first failure wins): every waiter rejects and the owner hears of it (the
   * session then aborts every channel, this one included, which closes the connection).
   */
  fail(message: string | CryptflowError): CryptflowError {
    if (this.failure !== null) return this.failure;
    this.failure = typeof message === 'string' ? new CryptflowError('protocol', message) : message;
    this.clearTimer();
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
    this.o.onFailure(this.failure);
    return this.failure;
  }

  /**
   * Stop: tell the peer where and what class of error (best effort, unless the peer is the one that
   * aborted), then close. `reason` is this party's own message, kept here.
   */
  abort(reason: string, step: string, cls: string, closeMs: number): Promise<void> {
    const link = this.o.link;
    if (!this.remoteAborted && link.writable) {
      const header = { type: 'abort' as const, from: this.o.me, to: this.o.peer, phase: 'compute' as const, round: 0 };
      const encoded = encodeFrame(header, encodeAbort(step, cls));
      const bytes = this.o.tamper?.(header, encoded).bytes ?? encoded;
      this.framesOut += bytes.length;
      link.write(bytes);
    }
    this.failure ??= new CryptflowError('protocol', reason);
    this.clearTimer();
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
    return this.close(closeMs);
  }

  /** Close gracefully (flush, FIN), destroying the socket if it is not closed within `closeMs`. */
  close(closeMs: number): Promise<void> {
    this.clearTimer();
    const link = this.o.link;
    if (link.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        link.destroy();
        resolve();
      }, closeMs);
      link.end(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private onData(chunk: Uint8Array): void {
    if (this.failure !== null) return;
    this.activity++;
    const { frames, error } = this.reader.push(chunk);
    for (const f of frames) {
      this.framesIn += HEADER_BYTES + f.length;
      if (f.type === 'abort') {
        this.remoteAborted = true;
        this.fail(peerAborted(this.peer, f.payload));
        return;
      }
      if (f.type === 'bye') this.byeReceived = true;
      this.queue.push(f);
    }
    if (error !== null) {
      this.fail(`P${this.peer} sent a malformed frame: ${error}`);
      return;
    }
    this.deliver();
    if (this.waiters.length > 0) this.armTimer();
  }

  private onEnd(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.failure !== null) return;
    const cut = this.reader.midFrame();
    if (cut !== null) this.fail(`the connection from P${this.peer} ended inside a frame (truncated: ${cut})`);
    else if (!this.byeReceived)
      this.fail(`P${this.peer} closed the connection unexpectedly (it exited, failed, or the network went down)`);
    else this.deliver();
  }

  private deliver(): void {
    while (this.waiters.length > 0 && this.queue.length > 0) {
      const w = this.waiters.shift() as Waiter;
      const f = this.queue.shift() as Frame;
      if (!w.types.includes(f.type)) {
        this.waiters.unshift(w);
        this.fail(
          `P${this.peer} sent a ${f.type} frame where this party expected ${w.what} (${w.types.join(' or ')}): out of protocol order`,
        );
        return;
      }
      w.resolve(f);
    }
    if (this.waiters.length > 0 && this.ended && this.failure === null) {
      this.fail(
        `P${this.peer} closed the connection while this party waited for ${this.waiters[0]?.what ?? 'a frame'}`,
      );
      return;
    }
    if (this.waiters.length === 0) this.clearTimer();
    else if (this.timer === null) this.armTimer();
  }

  private armTimer(): void {
    this.clearTimer();
    const seen = this.activity;
    const ms = this.waiters[0]?.stallMs ?? this.o.stallMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      // Let I/O that arrived while this process was busy be read before deciding the peer stalled.
      platform.afterIo(() => {
        if (this.failure !== null || this.waiters.length === 0) return;
        if (this.activity !== seen) {
          this.armTimer();
          return;
        }
        const w = this.waiters[0];
        this.fail(
          `P${this.peer} sent nothing for ${(ms / 1000).toFixed(1)} s while this party waited for ${w?.what ?? 'a frame'}: P${this.peer} stalled or the network is down`,
        );
      });
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
