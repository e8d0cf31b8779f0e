/**
 * Framing: frames survive any chunking of the stream; every header field is checked before the
 * payload is allocated (random and garbage headers never throw, and are accepted only when every
 * field is right); each kind of bad header is named; a stream that stops mid-frame says where.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeHeader,
  DEFAULT_MAX_FRAME_BYTES,
  encodeFrame,
  encodeHeader,
  FRAME_TYPES,
  FrameReader,
  HEADER_BYTES,
  type FrameHeader,
  type FrameType,
} from '../../../harness/network/tcp/frame.js';
import { CryptflowError } from '../../../spec/errors.js';
import { abortClassOf, decodeAbort, encodeAbort, peerAborted } from '../../../harness/network/tcp/abort.js';
import type { PartyId } from '../../../protocols/common/party.js';

const expect01 = { from: 0 as PartyId, to: 1 as PartyId, maxFrameBytes: 1 << 20 };

const frameArb = fc
  .record({
    type: fc.constantFrom<FrameType>('data', 'setup', 'stats', 'request', 'hello', 'bye', 'abort'),
    phase: fc.constantFrom<'compute' | 'io' | 'setup'>('compute', 'io', 'setup'),
    round: fc.nat({ max: 0xffff_ffff }),
    payload: fc.uint8Array({ maxLength: 300 }),
  })
  .map((f) => {
    const payload =
      f.type === 'bye'
        ? new Uint8Array(0)
        : f.type === 'request'
          ? f.payload.subarray(0, 4)
          : f.type === 'hello'
            ? f.payload.subarray(0, 66)
            : f.payload;
    return {
      type: f.type,
      from: 0 as PartyId,
      to: 1 as PartyId,
      phase: f.type === 'data' ? f.phase : ('compute' as const),
      round: f.type === 'data' ? f.round : 0,
      payload,
    };
  });

/** Split `bytes` at the given cut points. */
function chunks(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.subarray(prev, c));
    prev = c;
  }
  return out;
}

describe('frames', () => {
  it('come out of the reader as they went in, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (frames, cuts) => {
        const stream = Buffer.concat(frames.map((f) => encodeFrame(f, f.payload)));
        const reader = new FrameReader(expect01);
        const got = chunks(stream, cuts).flatMap((c) => {
          const r = reader.push(c);
          expect(r.error).toBeNull();
          return r.frames;
        });
        expect(
          got.map((f) => ({
            type: f.type,
            from: f.from,
            to: f.to,
            phase: f.phase,
            round: f.round,
            payload: Buffer.from(f.payload).toString('hex'),
          })),
        ).toEqual(
          frames.map((f) => ({
            type: f.type,
            from: f.from,
            to: f.to,
            phase: f.phase,
            round: f.round,
            payload: Buffer.from(f.payload).toString('hex'),
          })),
        );
        expect(reader.midFrame()).toBeNull();
        // Each payload is its own buffer at offset 0 (typed-array views over it are safe).
        got.forEach((f) => expect(f.payload.byteOffset).toBe(0));
      }),
      { numRuns: 60 },
    );
  });

  it('random headers never throw, and pass only when re-encoding gives the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: HEADER_BYTES, maxLength: HEADER_BYTES }), fc.boolean(), (h, magic) => {
        if (magic) h.set([0x43, 0x46, 1]);
        const r = decodeHeader(h, expect01);
        if (r.ok) expect(Buffer.from(encodeHeader(r.header)).equals(Buffer.from(h))).toBe(true);
        else expect(r.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('garbage is refused at the header: no payload is allocated, nothing more is accepted', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: HEADER_BYTES, maxLength: 200 }), (junk) => {
        junk[0] = 0x00;
        const reader = new FrameReader(expect01);
        const r = reader.push(junk);
        expect([r.frames, r.error]).toEqual([[], 'not a cryptflow frame (bad magic)']);
        const valid = encodeFrame({ type: 'bye', from: 0, to: 1, phase: 'compute', round: 0 }, new Uint8Array(0));
        expect(reader.push(valid).frames).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });

  const good: FrameHeader = { type: 'data', from: 0, to: 1, phase: 'io', round: 7, length: 10 };
  const bad = (edit: (h: Uint8Array) => void, max = 1 << 20): string => {
    const h = encodeHeader(good);
    edit(h);
    const r = decodeHeader(h, { ...expect01, maxFrameBytes: max });
    return r.ok ? 'accepted' : r.reason;
  };
  const u32 = (h: Uint8Array, at: number, v: number): void => new DataView(h.buffer).setUint32(at, v);

  it('names each bad header field', () => {
    expect(bad(() => undefined)).toBe('accepted');
    expect(bad((h) => (h[1] = 0x47))).toBe('not a cryptflow frame (bad magic)');
    expect(bad((h) => (h[2] = 2))).toBe('unsupported frame version 2 (this party speaks 1)');
    expect(bad((h) => (h[3] = 0))).toBe('unknown frame type 0');
    expect(bad((h) => (h[3] = FRAME_TYPES.length + 1))).toBe(`unknown frame type ${FRAME_TYPES.length + 1}`);
    expect(bad((h) => (h[4] = 2))).toBe('a data frame claims to come from P2 on the connection authenticated as P0');
    expect(bad((h) => (h[4] = 9))).toBe(
      'a data frame claims to come from party 9 on the connection authenticated as P0',
    );
    expect(bad((h) => (h[5] = 2))).toBe('a data frame is addressed to P2, not to this party (P1)');
    expect(bad((h) => (h[6] = 3))).toBe('a data frame has an invalid phase byte 3');
    expect(bad((h) => (h[7] = 1))).toBe('a data frame has a non-zero reserved byte');
    expect(bad((h) => u32(h, 12, (1 << 20) + 1))).toBe(
      `a data frame of ${(1 << 20) + 1} bytes exceeds the limit of ${1 << 20} bytes`,
    );
    expect(bad((h) => u32(h, 12, 0xffff_ffff), DEFAULT_MAX_FRAME_BYTES)).toBe(
      `a data frame of ${0xffff_ffff} bytes exceeds the limit of ${DEFAULT_MAX_FRAME_BYTES} bytes`,
    );
    const control = (type: number, edit: (h: Uint8Array) => void): string =>
      bad((h) => {
        h[3] = type;
        h[6] = 0;
        u32(h, 8, 0);
        u32(h, 12, 0);
        edit(h);
      });
    const idx = (t: FrameType): number => FRAME_TYPES.indexOf(t) + 1;
    expect(control(idx('bye'), () => undefined)).toBe('accepted');
    expect(control(idx('bye'), (h) => (h[6] = 1))).toBe('a bye frame has an invalid phase byte 1');
    expect(control(idx('request'), (h) => u32(h, 8, 3))).toBe('a request frame carries a round number');
    expect(control(idx('bye'), (h) => u32(h, 12, 1))).toBe('a bye frame of 1 bytes exceeds the limit of 0 bytes');
    expect(control(idx('hello'), (h) => u32(h, 12, 129))).toBe(
      'a hello frame of 129 bytes exceeds the limit of 128 bytes',
    );
    expect(control(idx('abort'), (h) => u32(h, 12, 1025))).toBe(
      'an abort frame of 1025 bytes exceeds the limit of 1024 bytes',
    );
    expect(decodeHeader(new Uint8Array(15), expect01)).toEqual({
      ok: false,
      reason: 'a frame header is 16 bytes, got 15',
    });
  });

  it('says where a stream stopped mid-frame', () => {
    const reader = new FrameReader(expect01);
    const f = encodeFrame({ type: 'data', from: 0, to: 1, phase: 'compute', round: 1 }, new Uint8Array(100));
    reader.push(f.subarray(0, 5));
    expect(reader.midFrame()).toBe('a frame header was cut off after 5 of 16 bytes');
    reader.push(f.subarray(5, 40));
    expect(reader.midFrame()).toBe('a data frame of 100 bytes was cut off after 24');
    expect(reader.push(f.subarray(40)).frames).toHaveLength(1);
    expect(reader.midFrame()).toBeNull();
  });

  it('completes a zero-length frame in the chunk that ends its header', () => {
    const reader = new FrameReader(expect01);
    const f = encodeFrame({ type: 'data', from: 0, to: 1, phase: 'compute', round: 0 }, new Uint8Array(0));
    expect(reader.push(f).frames).toHaveLength(1);
  });

  it('an abort frame carries a step and an error class, nothing else; anything else is never printed', () => {
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(decodeAbort(encodeAbort("request 2, node 3/9 'r1' (Relu)", 'input'))).toEqual({
      step: "request 2, node 3/9 'r1' (Relu)",
      class: 'input',
    });
    expect(decodeAbort(encodeAbort('x', 'Not A Class'))?.class).toBe('internal');
    expect(decodeAbort(encodeAbort('s'.repeat(500), 'protocol'))?.step).toHaveLength(200);
    for (const bad of [
      'bad\u0000\u001b[31mthing',
      '{"step":"s","class":"input","message":"/home/x/scan.png"}',
      '{"step":"a\u001b[31m","class":"input"}',
      '{"step":1,"class":"input"}',
      '[]',
    ]) {
      expect(decodeAbort(enc(bad))).toBeNull();
      expect(peerAborted(2, enc(bad)).message).toBe(
        'P2 aborted the run (its abort frame was not a step and an error class)',
      );
    }
    const e = peerAborted(0, encodeAbort('checking', 'backend-refused'));
    expect([e.message, e.peerClass, e.code]).toEqual([
      'P0 aborted the run at "checking": the client does not accept this session\'s backend (--accept)',
      'backend-refused',
      'protocol',
    ]);
    expect(peerAborted(1, encodeAbort('s', 'novel')).message).toBe(
      `P1 aborted the run at "s": a 'novel' error on that party`,
    );
    expect(abortClassOf(new CryptflowError('shape', 'm'))).toBe('shape');
    expect(abortClassOf(new Error('m'))).toBe('internal');
    expect(abortClassOf(Object.assign(new CryptflowError('protocol', 'm'), { abortClass: 'backend-refused' }))).toBe(
      'backend-refused',
    );
  });
});
