/**
 * The frame protection of WebSocket links (harness/network/tcp/ws-seal.ts): both ends derive matching
 * per-direction keys; sealed frames round-trip and show none of their plaintext; and every tampering —
 * a changed counter, body or tag byte, a record cut short, replayed, reordered, injected from another
 * key, link or direction — is rejected with an error naming the link and the record, never the bytes.
 * The wrapper around a link lets the hello through in the clear, holds what comes before the keys, and
 * delivers nothing after the first bad record.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { platform } from '../../../platform/index.js';
import type { ByteLink, LinkEvents } from '../../../harness/network/tcp/link.js';
import {
  linkKeys,
  Opener,
  SEAL_OVERHEAD,
  sealedLink,
  Sealer,
  type LinkKeys,
} from '../../../harness/network/tcp/ws-seal.js';

const LINK = 'the WebSocket link from P0 to P1';

/** The keys of both ends of the P0–P1 link from one real X25519 agreement. */
function bothEnds(): { readonly p0: LinkKeys; readonly p1: LinkKeys } {
  const a = platform.x25519Pair();
  const b = platform.x25519Pair();
  const t = platform.sha256(a.publicKey, b.publicKey);
  return {
    p0: linkKeys(0, 1, platform.x25519(a.privateKey, b.publicKey), t, a.publicKey, b.publicKey),
    p1: linkKeys(1, 0, platform.x25519(b.privateKey, a.publicKey), t, a.publicKey, b.publicKey),
  };
}

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(hay).includes(Buffer.from(needle));
}

describe('sealed WebSocket frames', () => {
  it('both ends derive each other’s keys; the two directions’ keys differ', () => {
    const { p0, p1 } = bothEnds();
    expect(hexOf(p0.send.enc)).toBe(hexOf(p1.receive.enc));
    expect(hexOf(p0.send.mac)).toBe(hexOf(p1.receive.mac));
    expect(hexOf(p1.send.mac)).toBe(hexOf(p0.receive.mac));
    expect(hexOf(p0.send.enc)).not.toBe(hexOf(p0.receive.enc));
    expect(p0.send.mac.length).toBe(32);
  });

  it('frames round-trip in order, each 24 bytes longer, with no 16-byte window of the plaintext left', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 600 }), { minLength: 1, maxLength: 6 }), (frames) => {
        const { p0, p1 } = bothEnds();
        const s = new Sealer(p0.send);
        const o = new Opener(p1.receive, LINK);
        for (const f of frames) {
          const r = s.seal(f);
          expect(r.length).toBe(f.length + SEAL_OVERHEAD);
          for (let at = 0; at + 16 <= f.length; at += 16) expect(contains(r, f.subarray(at, at + 16))).toBe(false);
          const back = o.open(r);
          expect(back.ok && hexOf(back.frame)).toBe(hexOf(f));
        }
      }),
      { numRuns: 25 },
    );
    // The same frame twice is sealed differently (a fresh counter, hence a fresh keystream).
    const { p0 } = bothEnds();
    const s = new Sealer(p0.send);
    const f = new Uint8Array(64).fill(7);
    expect(hexOf(s.seal(f).subarray(8, 72))).not.toBe(hexOf(s.seal(f).subarray(8, 72)));
  });

  it('a changed byte anywhere, a cut, a replay, a reordering and an injection are each rejected', () => {
    const { p0, p1 } = bothEnds();
    const frames = [0, 1, 2].map((i) => Uint8Array.from({ length: 100 }, (_, j) => (i * 37 + j) & 0xff));
    const s = new Sealer(p0.send);
    const [r0, r1, r2] = frames.map((f) => s.seal(f)) as [Uint8Array, Uint8Array, Uint8Array];
    const fails = (records: readonly Uint8Array[], pattern: RegExp): void => {
      const o = new Opener(p1.receive, LINK);
      const last = records.at(-1) ?? new Uint8Array(0);
      for (const r of records.slice(0, -1)) expect(o.open(r).ok).toBe(true);
      const got = o.open(last);
      expect(got.ok).toBe(false);
      if (!got.ok) {
        expect(got.reason).toMatch(pattern);
        expect(got.reason.startsWith(LINK)).toBe(true);
        expect(got.reason).not.toMatch(/[0-9a-f]{16}/);
      }
    };
    const integrity = /record \d+ failed its integrity check/;
    for (const at of [0, 7, 8, 60, r1.length - 16, r1.length - 1]) {
      const m = r1.slice();
      m[at] = (m[at] as number) ^ 0x01;
      fails([r0, m], integrity);
    }
    fails([r0, r1.subarray(0, r1.length - 1)], integrity);
    fails([r0, r1.subarray(8)], integrity);
    fails([r0, r1.subarray(0, 20)], /record 1 has 20 bytes, fewer than its 24-byte counter and tag \(truncated\)/);
    fails([r0, r1, r1], /record 2 is numbered 1 \(replayed\)/);
    fails([r0, r0], /record 1 is numbered 0 \(replayed\)/);
    fails([r0, r2], /record 1 is numbered 2 \(reordered, or one before it dropped\)/);
    fails([r1], /record 0 is numbered 1/);
    // Injected: sealed under another agreement, under the other direction's key, or random bytes.
    fails([r0, new Sealer(bothEnds().p0.send).seal(frames[1] ?? new Uint8Array(0))], integrity);
    const back = new Sealer(p1.send);
    fails([r0, (back.seal(frames[0] ?? new Uint8Array(0)), back.seal(frames[1] ?? new Uint8Array(0)))], integrity);
    fails([r0, platform.randomBytes(r1.length)], integrity);
    // Nothing was accepted that should not have been: the untouched sequence opens.
    const o = new Opener(p1.receive, LINK);
    expect([r0, r1, r2].map((r) => o.open(r).ok)).toEqual([true, true, true]);
  });
});

/** Two ByteLinks joined back to back, in memory (one message per write, as a WebSocket). */
function pipePair(): { readonly a: ByteLink; readonly b: ByteLink; readonly sentByA: Uint8Array[] } {
  const sinks: [LinkEvents | null, LinkEvents | null] = [null, null];
  const sentByA: Uint8Array[] = [];
  const end = (me: 0 | 1): ByteLink => ({
    kind: 'websocket',
    write: (bytes) => {
      if (me === 0) sentByA.push(bytes);
      sinks[1 - me]?.data(bytes.slice());
    },
    end: (f) => f(),
    destroy: () => undefined,
    closed: false,
    writable: true,
    listen: (e) => {
      sinks[me] = e;
    },
    wire: () => ({ out: 0, in: 0 }),
  });
  return { a: end(0), b: end(1), sentByA };
}

function recorder(): { readonly events: string[]; readonly sink: LinkEvents } {
  const events: string[] = [];
  return {
    events,
    sink: {
      data: (c) => events.push(`data ${Buffer.from(c).toString()}`),
      end: () => events.push('end'),
      error: (code) => events.push(`error ${code}`),
      broken: (why) => events.push(`broken ${why}`),
    },
  };
}

describe('a sealed link', () => {
  it('sends the hello in the clear, holds what comes before the keys, then seals and opens in order', () => {
    const { a, b, sentByA } = pipePair();
    const p0 = sealedLink(a, 0, 1);
    const p1 = sealedLink(b, 1, 0);
    const seen = recorder();
    p1.listen(seen.sink);
    const { p0: k0, p1: k1 } = bothEnds();
    const text = (s: string): Uint8Array => new TextEncoder().encode(s);
    p0.write(text('hello'));
    p0.write(text('held until the keys'));
    p0.protect(k0);
    p0.write(text('the client share 1234567890abcdef'));
    expect(seen.events).toEqual(['data hello']);
    expect(sentByA.length).toBe(3);
    expect(contains(sentByA[2] ?? new Uint8Array(0), text('client share'))).toBe(false);
    p1.protect(k1);
    expect(seen.events).toEqual(['data hello', 'data held until the keys', 'data the client share 1234567890abcdef']);
  });

  it('breaks at the first bad record, naming the link, and delivers nothing after it', () => {
    const { a, b } = pipePair();
    const p1 = sealedLink(b, 1, 0);
    const seen = recorder();
    p1.listen(seen.sink);
    const { p0: k0, p1: k1 } = bothEnds();
    p1.protect(k1);
    const s = new Sealer(k0.send);
    a.write(new TextEncoder().encode('hello'));
    const good = s.seal(new TextEncoder().encode('one'));
    const bad = s.seal(new TextEncoder().encode('two'));
    bad[9] = (bad[9] as number) ^ 0x80;
    a.write(good);
    a.write(bad);
    a.write(s.seal(new TextEncoder().encode('three')));
    expect(seen.events).toEqual([
      'data hello',
      'data one',
      `broken ${LINK}: record 1 failed its integrity check (modified, truncated, or not sent by the authenticated peer)`,
    ]);
  });
});
