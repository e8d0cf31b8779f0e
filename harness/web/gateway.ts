/**
 * The hospital's gateway, Node side: what it tells its page and what it signs for it.
 *
 * - `pageDeployment`: from the client's parties.json (P0's view: its key, the peers' addresses and
 *   pinned certificates), the page's deployment (connector.ts `PageDeployment`): each peer's wss://
 *   address (its "host" and "wsPort"), the fingerprint and public key of its pinned certificate, the
 *   client's own certificate, the timeouts. A peer without "wsPort" or a pinned certificate is an error
 *   naming the field: the page can only pin (it cannot check a certificate chain).
 * - `clientSigner`: signs, with the client's key, the messages of the page's WebSocket authentication
 *   (ws-auth.ts) and nothing else — a message must be the client label and one 32-byte transcript.
 *
 * The key never reaches the page; the page's bundle and the image never reach the gateway's disk.
 */
import { createPrivateKey, sign, X509Certificate } from 'node:crypto';
import { CryptflowError } from '../../spec/errors.js';
import type { PartyId } from '../../protocols/common/party.js';
import type { TcpConfig } from '../network/tcp/config.js';
import { wsSignedMessage } from '../network/tcp/ws-auth.js';
import type { PageDeployment, PagePeer } from './connector.js';

function publicPoint(x: X509Certificate): string {
  const jwk = x.publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'P-256' || jwk.x === undefined || jwk.y === undefined)
    throw new CryptflowError(
      'input',
      `the certificate ${x.subject} has no P-256 key (cryptflow certs makes P-256 keys)`,
    );
  return `04${Buffer.from(jwk.x, 'base64url').toString('hex')}${Buffer.from(jwk.y, 'base64url').toString('hex')}`;
}

/** The page's deployment from the client's resolved parties.json. */
export function pageDeployment(config: TcpConfig, seed?: string, labels?: readonly string[]): PageDeployment {
  if (config.me !== 0) throw new CryptflowError('usage', 'the gateway serves the client (P0) page');
  const peers: Partial<Record<'1' | '2', PagePeer>> = {};
  const problems: string[] = [];
  const ids: PartyId[] = config.parties === 3 ? [1, 2] : [1];
  for (const id of ids) {
    const at = config.addresses[id];
    const pin = config.pinned[id];
    if (at?.wsPort === undefined)
      problems.push(`at $.parties.P${id}.wsPort: required for the page (P${id} accepts the page's WebSocket there)`);
    if (pin === undefined)
      problems.push(`at $.parties.P${id}.cert: required for the page (the page pins P${id}'s certificate)`);
    if (at?.wsPort === undefined || pin === undefined) continue;
    const host = at.host.includes(':') ? `[${at.host}]` : at.host;
    peers[id === 1 ? '1' : '2'] = {
      url: `wss://${host}:${at.wsPort}/`,
      fingerprint: pin.fingerprint256.replace(/:/g, '').toLowerCase(),
      publicKey: publicPoint(pin),
    };
  }
  if (problems.length > 0)
    throw new CryptflowError('input', `${config.source}: cannot serve the page:\n  ${problems.join('\n  ')}`);
  return {
    parties: config.parties,
    peers,
    clientCert: Buffer.from(new X509Certificate(config.cert).raw).toString('base64'),
    timeouts: config.timeouts,
    maxFrameBytes: config.maxFrameBytes,
    ...(seed === undefined ? {} : { seed }),
    ...(labels === undefined ? {} : { labels }),
  };
}

const CLIENT_MESSAGE_BYTES = wsSignedMessage('client', new Uint8Array(32)).length;

/** Sign a page's WebSocket authentication message with the client's key (only such messages). */
export function clientSigner(config: TcpConfig): (message: Uint8Array) => Uint8Array {
  const key = createPrivateKey(config.key);
  const prefix = wsSignedMessage('client', new Uint8Array(0));
  return (message) => {
    if (message.length !== CLIENT_MESSAGE_BYTES || !prefix.every((b, i) => message[i] === b))
      throw new CryptflowError('input', 'the gateway signs only the client label and one 32-byte transcript');
    return new Uint8Array(sign('sha256', message, { key, dsaEncoding: 'ieee-p1363' }));
  };
}
