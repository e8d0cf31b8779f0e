/**
 * What the page bundle has in place of harness/network/tcp/connect.ts (scripts/build-web.ts swaps it):
 * a page cannot open TCP connections, and its sessions always pass their own `connect` (connector.ts).
 * Reaching this is a bug in the page, named as such.
 */
import { CryptflowError } from '../../spec/errors.js';
import type { Connected } from '../network/tcp/connect.js';

export function connectParties(): Promise<Connected> {
  return Promise.reject(
    new CryptflowError(
      'unsupported',
      'a page connects over WebSockets only (pass `connect`: harness/web/connector.ts)',
    ),
  );
}
