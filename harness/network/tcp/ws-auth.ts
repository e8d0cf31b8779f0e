/**
 * Authentication on a WebSocket link (the page's client P0 ↔ the server P1 or the helper P2), where
 * TLS cannot do it: a page presents no client certificate, and it can neither read the server's
 * certificate nor export keying material from its TLS connection. So each side proves, inside the
 * link, that it holds the private key of its pinned certificate (the same certificates as
 * parties.json), by signing the transcript of the key agreement:
 *
 *   T = SHA-256("cryptflow websocket auth v1" ‖ 0 ‖ "P0-P<j>" ‖ 0 ‖ hello_P0 ‖ hello_Pj)
 *   P_j sends  auth = cert_j (DER) ‖ ECDSA-P256-SHA256(key_j, "cryptflow ws server" ‖ 0 ‖ T)
 *   P0  sends  auth = cert_0 (DER) ‖ ECDSA-P256-SHA256(key_0, "cryptflow ws client" ‖ 0 ‖ T)
 *
 * The hellos carry both X25519 public keys, so a relay cannot substitute its own; T then replaces the
 * TLS exporter as the HKDF salt of the pair's PRG key (keys.ts). In a browser deployment the client's
 * key stays on the hospital's gateway, which signs T for the page (harness/web/gateway.ts); the page
 * checks P_j's certificate against the fingerprint the gateway pinned and the signature with its
 * public key. The server checks P0's certificate exactly as a TCP listener does (connect.ts
 * `checkPeer`: name, validity, authority or pin).
 *
 * The frames after the hellos (these auth frames included) are sealed under keys from the same
 * agreement and T (ws-seal.ts), so their confidentiality and integrity do not rest on the browser's
 * TLS validation of wss:// (docs/deployment.md says what that TLS still provides).
 */
import { CryptflowError } from '../../../spec/errors.js';
import type { PartyId } from '../../../protocols/common/party.js';
import { platform } from '../../../platform/index.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The transcript both sides sign (P0's hello first). */
export function wsTranscript(peer: PartyId, helloP0: Uint8Array, helloPeer: Uint8Array): Uint8Array {
  return platform.sha256(utf8(`cryptflow websocket auth v1\u0000P0-P${peer}\u0000`), helloP0, helloPeer);
}

/** The message a side signs: its role label and the transcript. */
export function wsSignedMessage(side: 'client' | 'server', transcript: Uint8Array): Uint8Array {
  const label = utf8(`cryptflow ws ${side}\u0000`);
  const out = new Uint8Array(label.length + transcript.length);
  out.set(label);
  out.set(transcript, label.length);
  return out;
}

export interface WsAuth {
  /** The signer's certificate (DER). */
  readonly cert: Uint8Array;
  /** A 64-byte r‖s P-256 signature. */
  readonly signature: Uint8Array;
}

export function encodeAuth(a: WsAuth): Uint8Array {
  if (a.signature.length !== 64) throw new CryptflowError('protocol', 'a WebSocket auth signature is 64 bytes');
  const out = new Uint8Array(2 + a.cert.length + 64);
  out[0] = a.cert.length >>> 8;
  out[1] = a.cert.length & 0xff;
  out.set(a.cert, 2);
  out.set(a.signature, 2 + a.cert.length);
  return out;
}

export function decodeAuth(b: Uint8Array, from: PartyId): WsAuth {
  const n = b.length < 2 ? -1 : ((b[0] as number) << 8) | (b[1] as number);
  if (n < 1 || b.length !== 2 + n + 64)
    throw new CryptflowError('protocol', `P${from} sent a malformed WebSocket auth frame (${b.length} bytes)`);
  return { cert: b.slice(2, 2 + n), signature: b.slice(2 + n) };
}

/** How one side of a WebSocket link signs and checks (Node: certificates; the page: pins). */
export interface WsAuthenticator {
  /** Sign `message` with this party's certificate key (the page asks its gateway). */
  sign(message: Uint8Array): Promise<WsAuth>;
  /** Null when `auth` proves `peer` signed `message`, else why not. */
  check(peer: PartyId, auth: WsAuth, message: Uint8Array): string | null;
}
