/**
 * Framing of the party-to-party byte stream: every message is a 16-byte header and a payload.
 *
 *   offset  size  field
 *   0       2     magic 'C' 'F'
 *   2       1     version (1)
 *   3       1     type: hello, setup, request, data, stats, bye, abort, auth (WebSocket links only)
 *   4       1     sender (0, 1, 2)
 *   5       1     receiver (0, 1, 2)
 *   6       1     phase of a data frame: 0 compute, 1 io, 2 setup (0 for every other type)
 *   7       1     reserved, 0
 *   8       4     sender's round (big-endian; 0 for every type but data)
 *   12      4     payload length in bytes (big-endian)
 *
 * The header is checked completely before a single payload byte is allocated (`decodeHeader`): magic,
 * version, a known type, the sender being the authenticated peer of the connection and the receiver
 * this party, phase/reserved/round fields as the type requires, and the length within the type's own
 * limit and the configured maximum frame size. `FrameReader` cuts a stream of arbitrary chunks into
 * frames, allocating each payload (a fresh, unshared buffer) only once its header has passed.
 */
import { PHASES, type PartyId, type Phase } from '../../../protocols/common/party.js';

export const HEADER_BYTES = 16;
export const FRAME_VERSION = 1;
const MAGIC0 = 0x43;
const MAGIC1 = 0x46;

export const FRAME_TYPES = ['hello', 'setup', 'request', 'data', 'stats', 'bye', 'abort', 'auth'] as const;
export type FrameType = (typeof FRAME_TYPES)[number];

/** The largest payload per type regardless of the configured maximum (setup and data use that one). */
const TYPE_LIMIT: Readonly<Record<FrameType, number>> = {
  hello: 128,
  setup: Number.POSITIVE_INFINITY,
  request: 16,
  data: Number.POSITIVE_INFINITY,
  stats: 16 << 20,
  bye: 0,
  abort: 1024,
  auth: 4096,
};

/** Default largest frame: 256 MiB (a message of 32 Mi ring elements at ℓ = 64). */
export const DEFAULT_MAX_FRAME_BYTES = 256 << 20;

export interface FrameHeader {
  readonly type: FrameType;
  readonly from: PartyId;
  readonly to: PartyId;
  readonly phase: Phase;
  readonly round: number;
  readonly length: number;
}

export interface Frame extends FrameHeader {
  readonly payload: Uint8Array;
}

export interface HeaderExpectation {
  /** The authenticated peer at the other end of the connection. */
  readonly from: PartyId;
  /** This party. */
  readonly to: PartyId;
  readonly maxFrameBytes: number;
}

export type HeaderCheck =
  { readonly ok: true; readonly header: FrameHeader } | { readonly ok: false; readonly reason: string };

const bad = (reason: string): HeaderCheck => ({ ok: false, reason });
const a = (type: FrameType): string => (type === 'abort' ? `an ${type} frame` : `a ${type} frame`);

/** Validate a 16-byte header against what this connection may carry; nothing is allocated. */
export function decodeHeader(h: Uint8Array, e: HeaderExpectation): HeaderCheck {
  if (h.length !== HEADER_BYTES) return bad(`a frame header is ${HEADER_BYTES} bytes, got ${h.length}`);
  const view = new DataView(h.buffer, h.byteOffset, h.byteLength);
  if (h[0] !== MAGIC0 || h[1] !== MAGIC1) return bad('not a cryptflow frame (bad magic)');
  if (h[2] !== FRAME_VERSION)
    return bad(`unsupported frame version ${h[2] ?? '?'} (this party speaks ${FRAME_VERSION})`);
  const type = FRAME_TYPES[(h[3] as number) - 1];
  if (type === undefined) return bad(`unknown frame type ${h[3] ?? '?'}`);
  const from = h[4] as number;
  const to = h[5] as number;
  if (from !== e.from)
    return bad(
      `${a(type)} claims to come from ${from <= 2 ? `P${from}` : `party ${from}`} on the connection authenticated as P${e.from}`,
    );
  if (to !== e.to)
    return bad(`${a(type)} is addressed to ${to <= 2 ? `P${to}` : `party ${to}`}, not to this party (P${e.to})`);
  const phaseByte = h[6] as number;
  if (phaseByte > (type === 'data' ? PHASES.length - 1 : 0))
    return bad(`${a(type)} has an invalid phase byte ${phaseByte}`);
  if (h[7] !== 0) return bad(`${a(type)} has a non-zero reserved byte`);
  const round = view.getUint32(8);
  if (type !== 'data' && round !== 0) return bad(`${a(type)} carries a round number`);
  const length = view.getUint32(12);
  const limit = Math.min(TYPE_LIMIT[type], e.maxFrameBytes);
  if (length > limit) return bad(`${a(type)} of ${length} bytes exceeds the limit of ${limit} bytes`);
  return {
    ok: true,
    header: { type, from: from as PartyId, to: to as PartyId, phase: PHASES[phaseByte] ?? 'compute', round, length },
  };
}

export function encodeHeader(h: FrameHeader): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES);
  const view = new DataView(out.buffer);
  out.set([MAGIC0, MAGIC1, FRAME_VERSION, FRAME_TYPES.indexOf(h.type) + 1, h.from, h.to, PHASES.indexOf(h.phase), 0]);
  view.setUint32(8, h.round);
  view.setUint32(12, h.length);
  return out;
}

/** Header and payload in one fresh buffer (the caller may reuse `payload` afterwards). */
export function encodeFrame(h: Omit<FrameHeader, 'length'>, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  out.set(encodeHeader({ ...h, length: payload.length }));
  out.set(payload, HEADER_BYTES);
  return out;
}

/**
 * Cuts a byte stream into frames. `push` returns the frames completed by a chunk, or the reason the
 * stream is malformed (after which the reader accepts nothing more).
 */
export class FrameReader {
  private readonly header = new Uint8Array(HEADER_BYTES);
  private headerFill = 0;
  private current: { readonly header: FrameHeader; readonly payload: Uint8Array; fill: number } | null = null;
  private broken: string | null = null;

  constructor(private readonly expect: HeaderExpectation) {}

  push(chunk: Uint8Array): { readonly frames: Frame[]; readonly error: string | null } {
    const frames: Frame[] = [];
    let at = 0;
    while (this.broken === null && at < chunk.length) {
      if (this.current === null) {
        const take = Math.min(HEADER_BYTES - this.headerFill, chunk.length - at);
        this.header.set(chunk.subarray(at, at + take), this.headerFill);
        this.headerFill += take;
        at += take;
        if (this.headerFill < HEADER_BYTES) break;
        this.headerFill = 0;
        const check = decodeHeader(this.header, this.expect);
        if (!check.ok) {
          this.broken = check.reason;
          break;
        }
        this.current = { header: check.header, payload: new Uint8Array(check.header.length), fill: 0 };
      }
      const c = this.current;
      const take = Math.min(c.payload.length - c.fill, chunk.length - at);
      c.payload.set(chunk.subarray(at, at + take), c.fill);
      c.fill += take;
      at += take;
      if (c.fill === c.payload.length) {
        frames.push({ ...c.header, payload: c.payload });
        this.current = null;
      }
    }
    return { frames, error: this.broken };
  }

  /** Where the stream stands if it ended now: null at a frame boundary, else what is missing. */
  midFrame(): string | null {
    if (this.current !== null)
      return `${a(this.current.header.type)} of ${this.current.header.length} bytes was cut off after ${this.current.fill}`;
    if (this.headerFill > 0) return `a frame header was cut off after ${this.headerFill} of ${HEADER_BYTES} bytes`;
    return null;
  }
}
