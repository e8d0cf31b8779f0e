/**
 * Frame protection on a WebSocket link (the page's client P0 ↔ P1 or P2), under keys from the pinned,
 * signed key agreement of ws-auth.ts rather than the browser's TLS: a workstation that trusts a rogue
 * certificate authority lets whoever holds it read and alter the TLS plaintext, which would otherwise
 * be the client's protocol messages to both peers. Encrypt-then-MAC with AES-128-CTR and
 * HMAC-SHA-256 (both in platform/, with the same bytes in Node and in a page):
 *
 *   keys, per direction s→r:  k_enc ‖ k_mac = HKDF-SHA256(ikm = X25519(a, B), salt = T,
 *                                info = "cryptflow ws frames P<s>->P<r>" ‖ pub_P0 ‖ pub_Pj, 48)
 *   record n (n = 0, 1, … per direction, the first after the hello):
 *     counter = n as 8 bytes big-endian
 *     body    = frame XOR AES-128-CTR(k_enc, iv = counter ‖ 0^8)
 *     tag     = HMAC-SHA256(k_mac, counter ‖ body), first 16 bytes
 *     record  = counter ‖ body ‖ tag        (one WebSocket message)
 *
 * T is the transcript hash of both hellos (ws-auth.ts), so the keys are bound to both ephemeral keys;
 * the hellos themselves (public keys only) are the one plaintext message each way. Each IV's low 64
 * bits count the record's AES blocks, so no two records share keystream. The receiver checks the tag
 * (in constant time) before anything else, then that the counter is the next one expected: a modified,
 * cut or injected record fails the tag, a replayed or reordered one the counter, and a record of
 * another link or direction fails the tag (other keys). A record dropped in the middle shows as the
 * next one's counter; one dropped at the end as the connection closing before the bye (channel.ts).
 * Errors name the link and the record number, never its contents.
 *
 * Costs: 24 bytes per frame after the hello (counter and tag), counted in the wire bytes and so in the
 * summary's TLS column (walk.ts: wire − frames); the frames and their payloads are unchanged.
 */
import { platform } from '../../../platform/index.js';
import { bug } from '../../../spec/errors.js';
import type { PartyId } from '../../../protocols/common/party.js';
import type { ByteLink, LinkEvents } from './link.js';

export const SEAL_COUNTER_BYTES = 8;
export const SEAL_TAG_BYTES = 16;
/** What protection adds to each frame after the hello. */
export const SEAL_OVERHEAD = SEAL_COUNTER_BYTES + SEAL_TAG_BYTES;

/** The keys of one direction of one link. */
export interface DirectionKeys {
  readonly enc: Uint8Array;
  readonly mac: Uint8Array;
}

export interface LinkKeys {
  readonly send: DirectionKeys;
  readonly receive: DirectionKeys;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/**
 * Both directions' keys of the link between P0 and `peer` (`me` is one of them), from the X25519
 * secret, the transcript T and both public keys (P0's first).
 */
export function linkKeys(
  me: PartyId,
  peer: PartyId,
  secret: Uint8Array,
  transcript: Uint8Array,
  pubP0: Uint8Array,
  pubPeer: Uint8Array,
): LinkKeys {
  const direction = (from: PartyId, to: PartyId): DirectionKeys => {
    const label = utf8(`cryptflow ws frames P${from}->P${to}`);
    const info = new Uint8Array(label.length + pubP0.length + pubPeer.length);
    info.set(label);
    info.set(pubP0, label.length);
    info.set(pubPeer, label.length + pubP0.length);
    const k = platform.hkdfSha256(secret, transcript, info, 48);
    return { enc: k.slice(0, 16), mac: k.slice(16) };
  };
  return { send: direction(me, peer), receive: direction(peer, me) };
}

function counterBytes(n: number): Uint8Array {
  const c = new Uint8Array(SEAL_COUNTER_BYTES);
  const v = new DataView(c.buffer);
  v.setUint32(0, Math.floor(n / 2 ** 32));
  v.setUint32(4, n >>> 0);
  return c;
}

function crypt(key: DirectionKeys, counter: Uint8Array, input: Uint8Array, out: Uint8Array): void {
  const iv = new Uint8Array(16);
  iv.set(counter);
  const stream = platform.aes128Ctr(key.enc, iv).next(input.length);
  for (let i = 0; i < input.length; i++) out[i] = (input[i] as number) ^ (stream[i] as number);
}

const tagOf = (key: DirectionKeys, counter: Uint8Array, body: Uint8Array): Uint8Array =>
  platform.hmacSha256(key.mac, counter, body).subarray(0, SEAL_TAG_BYTES);

/** Seals the frames of one direction, numbering them from 0. */
export class Sealer {
  private n = 0;

  constructor(private readonly key: DirectionKeys) {}

  seal(frame: Uint8Array): Uint8Array {
    const counter = counterBytes(this.n++);
    const out = new Uint8Array(SEAL_OVERHEAD + frame.length);
    out.set(counter);
    const body = out.subarray(SEAL_COUNTER_BYTES, SEAL_COUNTER_BYTES + frame.length);
    crypt(this.key, counter, frame, body);
    out.set(tagOf(this.key, counter, body), SEAL_COUNTER_BYTES + frame.length);
    return out;
  }
}

export type Opened =
  { readonly ok: true; readonly frame: Uint8Array } | { readonly ok: false; readonly reason: string };

/** Opens the records of one direction, which must come in order from 0. `link` names it in errors. */
export class Opener {
  private n = 0;

  constructor(
    private readonly key: DirectionKeys,
    private readonly link: string,
  ) {}

  open(record: Uint8Array): Opened {
    const no = `record ${this.n}`;
    if (record.length < SEAL_OVERHEAD)
      return {
        ok: false,
        reason: `${this.link}: ${no} has ${record.length} bytes, fewer than its ${SEAL_OVERHEAD}-byte counter and tag (truncated)`,
      };
    const counter = record.subarray(0, SEAL_COUNTER_BYTES);
    const body = record.subarray(SEAL_COUNTER_BYTES, record.length - SEAL_TAG_BYTES);
    const tag = record.subarray(record.length - SEAL_TAG_BYTES);
    const want = tagOf(this.key, counter, body);
    let diff = 0;
    for (let i = 0; i < SEAL_TAG_BYTES; i++) diff |= (want[i] as number) ^ (tag[i] as number);
    if (diff !== 0)
      return {
        ok: false,
        reason: `${this.link}: ${no} failed its integrity check (modified, truncated, or not sent by the authenticated peer)`,
      };
    const v = new DataView(counter.buffer, counter.byteOffset, SEAL_COUNTER_BYTES);
    const got = v.getUint32(0) * 2 ** 32 + v.getUint32(4);
    if (got !== this.n)
      return {
        ok: false,
        reason: `${this.link}: ${no} is numbered ${got} (${got < this.n ? 'replayed' : 'reordered, or one before it dropped'})`,
      };
    this.n++;
    const frame = new Uint8Array(body.length);
    crypt(this.key, counter, body, frame);
    return { ok: true, frame };
  }
}

/** A WebSocket link whose frames after the hello are sealed once `protect` installs the keys. */
export interface SealedLink extends ByteLink {
  protect(keys: LinkKeys): void;
}

/**
 * Wrap a WebSocket link to `peer` (seen from `me`). The first message each way is the plaintext hello;
 * later writes wait for the keys (only an abort can come before them), and later messages from the
 * peer are held until the keys are installed, then opened in order. The first record that does not
 * open breaks the link: nothing after it is delivered.
 */
export function sealedLink(inner: ByteLink, me: PartyId, peer: PartyId): SealedLink {
  const name = `the WebSocket link from P${peer} to P${me}`;
  let sealer: Sealer | null = null;
  let opener: Opener | null = null;
  let plainIn = 1;
  let plainOut = 1;
  const outHeld: Uint8Array[] = [];
  // Events from the peer after its hello, in order, while the keys are not installed yet.
  const inHeld: Array<() => void> = [];
  let broken = false;
  let sink: LinkEvents | null = null;
  const early: Array<(e: LinkEvents) => void> = [];
  const emit = (f: (e: LinkEvents) => void): void => {
    if (sink === null) early.push(f);
    else f(sink);
  };
  const receive = (chunk: Uint8Array): void => {
    if (broken) return;
    if (plainIn > 0) {
      plainIn--;
      emit((e) => e.data(chunk));
      return;
    }
    if (opener === null) {
      inHeld.push(() => receive(chunk));
      return;
    }
    const r = opener.open(chunk);
    if (!r.ok) {
      broken = true;
      emit((e) => e.broken(r.reason));
      return;
    }
    emit((e) => e.data(r.frame));
  };
  const inOrder = (f: (e: LinkEvents) => void) => (): void => {
    if (plainIn === 0 && opener === null) inHeld.push(() => emit(f));
    else emit(f);
  };
  inner.listen({
    data: receive,
    end: inOrder((e) => e.end()),
    error: (code) => inOrder((e) => e.error(code))(),
    broken: (why) => inOrder((e) => e.broken(why))(),
  });
  return {
    kind: inner.kind,
    write: (b) => {
      if (plainOut > 0) {
        plainOut--;
        inner.write(b);
      } else if (sealer === null) outHeld.push(b.slice());
      else inner.write(sealer.seal(b));
    },
    end: (onClosed) => inner.end(onClosed),
    destroy: () => inner.destroy(),
    get closed() {
      return inner.closed;
    },
    get writable() {
      return inner.writable;
    },
    listen: (e) => {
      sink = e;
      for (const f of early.splice(0)) f(e);
    },
    wire: () => inner.wire(),
    protect: (keys) => {
      if (sealer !== null) return bug(`${name} was given keys twice`);
      const s = new Sealer(keys.send);
      sealer = s;
      opener = new Opener(keys.receive, name);
      for (const b of outHeld.splice(0)) inner.write(s.seal(b));
      for (const f of inHeld.splice(0)) f();
    },
  };
}
