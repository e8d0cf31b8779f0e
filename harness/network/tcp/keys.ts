/**
 * Pairwise PRG keys from a key agreement over the authenticated channel, never from a file.
 *
 * Each party sends every peer, inside the mutually authenticated TLS connection, a hello frame with a
 * fresh X25519 public key (RFC 7748). The pair's 16-byte AES-CTR key is
 *
 *   HKDF-SHA256(ikm = X25519(a, B), salt = TLS exporter (RFC 8446 §7.5, label below),
 *               info = "cryptflow prg key P<i>-P<j>" ‖ pub_i ‖ pub_j)    for i < j,
 *
 * so it is bound to both public keys and to this TLS connection (a hello relayed into another
 * connection derives a different key). A party's own key is 16 bytes of `crypto.randomBytes`.
 *
 * Replay mode (`--seed`, tests only): every key comes from `keysFromSeed`, as the in-memory runs do,
 * so a run over TCP reproduces an in-memory run exactly. The hello carries which mode a party is in and
 * a tag of the seed, so parties that disagree on it stop at once instead of computing garbage.
 */
import { platform } from '../../../platform/index.js';
import { CryptflowError } from '../../../spec/errors.js';
import type { PartyId } from '../../../protocols/common/party.js';
import { keysFromSeed, type PartyKeys } from '../../../protocols/common/prg.js';

export const EXPORTER_LABEL = 'EXPORTER-cryptflow-prg-keys';
export const HELLO_VERSION = 1;
const HELLO_BYTES = 2 + 32 + 32;

export type KeyMode = { readonly kind: 'agreed' } | { readonly kind: 'seeded'; readonly seed: string };

export interface Hello {
  readonly mode: 'agreed' | 'seeded';
  /** SHA-256 tag of the seed in replay mode; zeros otherwise. */
  readonly seedTag: Uint8Array;
  readonly publicKey: Uint8Array;
}

export interface Ephemeral {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

export function ephemeral(): Ephemeral {
  return platform.x25519Pair();
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function seedTag(mode: KeyMode): Uint8Array {
  return mode.kind === 'seeded' ? platform.sha256(utf8(`cryptflow-seed-tag\u0000${mode.seed}`)) : new Uint8Array(32);
}

export function encodeHello(mode: KeyMode, e: Ephemeral): Uint8Array {
  const out = new Uint8Array(HELLO_BYTES);
  out[0] = HELLO_VERSION;
  out[1] = mode.kind === 'seeded' ? 1 : 0;
  out.set(e.publicKey, 2);
  out.set(seedTag(mode), 34);
  return out;
}

export function decodeHello(b: Uint8Array, from: PartyId): Hello {
  const bad = (why: string): never => {
    throw new CryptflowError('protocol', `P${from} sent a malformed hello (${why})`);
  };
  if (b.length !== HELLO_BYTES) bad(`${b.length} bytes, expected ${HELLO_BYTES}`);
  if (b[0] !== HELLO_VERSION) bad(`version ${b[0] ?? '?'}, this party speaks ${HELLO_VERSION}`);
  if (b[1] !== 0 && b[1] !== 1) bad('unknown key mode');
  return { mode: b[1] === 1 ? 'seeded' : 'agreed', publicKey: b.slice(2, 34), seedTag: b.slice(34) };
}

/** Check that the peer is in the same key mode (and replays the same seed). */
export function checkModes(mode: KeyMode, peer: Hello, from: PartyId): void {
  if (peer.mode !== mode.kind) {
    const [mine, theirs] = [mode.kind, peer.mode].map((m) =>
      m === 'seeded' ? 'replayable keys from --seed' : 'keys from the key agreement',
    );
    throw new CryptflowError(
      'protocol',
      `P${from} uses ${theirs ?? ''} but this party uses ${mine ?? ''}; start every party the same way`,
    );
  }
  if (mode.kind === 'seeded' && !sameBytes(seedTag(mode), peer.seedTag)) {
    throw new CryptflowError('protocol', `P${from} replays a different --seed than this party`);
  }
}

/** The X25519 secret shared with `peer` (its public key checked: 32 bytes, not of low order). */
export function agreedSecret(peer: PartyId, mine: Ephemeral, theirs: Uint8Array): Uint8Array {
  let secret: Uint8Array;
  try {
    if (theirs.length !== 32) throw new RangeError('not 32 bytes');
    secret = platform.x25519(mine.privateKey, theirs);
  } catch {
    throw new CryptflowError('protocol', `P${peer} sent an invalid X25519 public key`);
  }
  if (secret.every((b) => b === 0)) throw new CryptflowError('protocol', `P${peer} sent a low-order X25519 public key`);
  return secret;
}

/** The 16-byte key this party shares with `peer`. */
export function pairKey(
  me: PartyId,
  peer: PartyId,
  mine: Ephemeral,
  theirs: Uint8Array,
  exporter: Uint8Array,
): Uint8Array {
  const secret = agreedSecret(peer, mine, theirs);
  const [lo, hi] = me < peer ? [me, peer] : [peer, me];
  const [pubLo, pubHi] = me < peer ? [mine.publicKey, theirs] : [theirs, mine.publicKey];
  const label = utf8(`cryptflow prg key P${lo}-P${hi}`);
  const info = new Uint8Array(label.length + 64);
  info.set(label);
  info.set(pubLo, label.length);
  info.set(pubHi, label.length + 32);
  return platform.hkdfSha256(secret, exporter, info, 16);
}

/** Assemble this party's PRG keys from the per-peer keys (or the seed in replay mode). */
export function partyKeys(me: PartyId, mode: KeyMode, shared: ReadonlyMap<PartyId, Uint8Array>): PartyKeys {
  if (mode.kind === 'seeded') return keysFromSeed(mode.seed)[me];
  const out: Partial<Record<PartyId, Uint8Array>> = {};
  for (const [peer, key] of shared) out[peer] = key;
  return { own: platform.randomBytes(16), shared: out };
}
