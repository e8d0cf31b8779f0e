/**
 * What the page bundle has in place of node-seal (scripts/build-web.ts swaps it): the client's page runs
 * the ring backends (Porthos, SecureNN, cryptflow2); `cryptflow2-he` needs SEAL's wasm build, whose
 * browser bundle loads Node's `url` module, so the page refuses it with a clear error instead of
 * carrying SEAL.
 */
import { CryptflowError } from '../../spec/errors.js';

export default function SEAL(): Promise<never> {
  return Promise.reject(
    new CryptflowError('unsupported', 'cryptflow2-he (BFV through node-seal) does not run in the page; use cryptflow2'),
  );
}
