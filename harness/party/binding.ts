/**
 * What binds a pair's PRG key to its connection (session.ts opens the connections and calls these
 * right after the hellos): on a TLS link the TLS exporter (keys.ts); on a WebSocket link the
 * transcript of both hellos, which keys the link's frame protection (ws-seal.ts) at once and which
 * both sides then sign (ws-auth.ts).
 */
import { bug, CryptflowError } from '../../spec/errors.js';
import type { PartyId } from '../../protocols/common/party.js';
import type { Channel } from '../network/tcp/channel.js';
import type { Connected, Link } from '../network/tcp/connect.js';
import { agreedSecret, EXPORTER_LABEL, type Ephemeral, type Hello } from '../network/tcp/keys.js';
import { decodeAuth, encodeAuth, wsSignedMessage, wsTranscript } from '../network/tcp/ws-auth.js';
import { linkKeys, type SealedLink } from '../network/tcp/ws-seal.js';

/**
 * On a WebSocket link, right after the hellos: the transcript T of both hellos (ws-auth.ts), and the
 * link's frame protection keyed from the key agreement and T (ws-seal.ts), so that every later frame
 * (the auth frames included) is sealed. Null on a TLS link.
 */
export function protectLink(
  me: PartyId,
  peer: PartyId,
  sealed: SealedLink | undefined,
  eph: Ephemeral,
  mine: Uint8Array,
  theirs: Hello & { readonly bytes: Uint8Array },
): Uint8Array | null {
  if (sealed === undefined) return null;
  const transcript = me === 0 ? wsTranscript(peer, mine, theirs.bytes) : wsTranscript(me, theirs.bytes, mine);
  const [pubP0, pubPeer] = me === 0 ? [eph.publicKey, theirs.publicKey] : [theirs.publicKey, eph.publicKey];
  sealed.protect(linkKeys(me, peer, agreedSecret(peer, eph, theirs.publicKey), transcript, pubP0, pubPeer));
  return transcript;
}

/**
 * What binds a pair's key to its connection: the TLS exporter (keys.ts), or on a WebSocket link the
 * transcript both sides signed (ws-auth.ts), after checking the peer's signature.
 */
export async function bindingOf(
  me: PartyId,
  peer: PartyId,
  ch: Channel,
  link: Link,
  connected: Connected,
  transcript: Uint8Array | null,
): Promise<Uint8Array> {
  if (link.exporter !== null) return link.exporter(32, EXPORTER_LABEL, new TextEncoder().encode('v1'));
  const auth = connected.wsAuth;
  if (auth === undefined || transcript === null)
    return bug(`a WebSocket link to P${peer} with no way to authenticate it`);
  const [own, other] = me === 0 ? (['client', 'server'] as const) : (['server', 'client'] as const);
  ch.write('auth', encodeAuth(await auth.sign(wsSignedMessage(own, transcript))));
  const f = await ch.next(['auth'], `the WebSocket authentication of P${peer}`);
  const why = auth.check(peer, decodeAuth(f.payload, peer), wsSignedMessage(other, transcript));
  if (why !== null) throw new CryptflowError('protocol', `P${peer} failed WebSocket authentication: ${why}`);
  return transcript;
}
