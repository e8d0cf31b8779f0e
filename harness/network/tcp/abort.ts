/**
 * What an abort frame says: the step where the sender stopped and the class of its error, nothing
 * else. The sender's own message stays on its machine — it may name the client's files or describe
 * its data ("'image'[0] is outside the range …") — and the receiver builds its message from the step
 * (public: request, node, operator of the public program) and a fixed description of the class.
 *
 * Payload: UTF-8 JSON `{"step": "...", "class": "..."}`; a class is a word (`[a-z-]+`). A payload that
 * is not of that form is reported as such, never printed.
 */
import { CryptflowError } from '../../../spec/errors.js';

/** Descriptions of the classes this code sends; others are shown by name. */
const CLASSES: Readonly<Record<string, string>> = {
  input: 'its input failed its checks (the details stay on that machine)',
  'backend-refused': "the client does not accept this session's backend (--accept)",
  protocol: 'a protocol failure (a peer gone or stalled, or a malformed or out-of-order frame)',
  usage: 'a usage error on that party',
  security: 'a security check failed on that party',
  shape: 'a shape error on that party',
  type: 'a type error on that party',
  unsupported: 'something unsupported on that party',
  internal: 'an internal error on that party',
};

const MAX_STEP = 200;

/** An error whose class, in an abort frame, is more specific than its code. */
export interface Classified {
  readonly abortClass: string;
}

/** The class an error is reported under in abort frames. */
export function abortClassOf(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'abortClass' in e && typeof (e as Classified).abortClass === 'string')
    return (e as Classified).abortClass;
  return e instanceof CryptflowError ? e.code : 'internal';
}

export function encodeAbort(step: string, cls: string): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({ step: step.slice(0, MAX_STEP), class: /^[a-z-]{1,40}$/.test(cls) ? cls : 'internal' }),
  );
}

export interface AbortInfo {
  readonly step: string;
  readonly class: string;
}

/** Decode an abort payload; null when it is not a step and a class. */
export function decodeAbort(bytes: Uint8Array): AbortInfo | null {
  let j: unknown;
  try {
    j = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j)) return null;
  const o = j as Record<string, unknown>;
  const keys = Object.keys(o).sort().join(',');
  if (keys !== 'class,step' || typeof o['step'] !== 'string' || typeof o['class'] !== 'string') return null;
  if (!/^[a-z-]{1,40}$/.test(o['class']) || o['step'].length > MAX_STEP || /[^\x20-\x7e\u00a0-\uffff]/.test(o['step']))
    return null;
  return { step: o['step'], class: o['class'] };
}

/** A peer aborted the run: the receiver's words for it, and the class the peer sent. */
export class PeerAborted extends CryptflowError {
  constructor(
    message: string,
    readonly peerClass: string | null,
  ) {
    super('protocol', message);
  }
}

/** The receiver's error for a peer's abort frame. */
export function peerAborted(peer: number, bytes: Uint8Array): PeerAborted {
  const a = decodeAbort(bytes);
  if (a === null)
    return new PeerAborted(`P${peer} aborted the run (its abort frame was not a step and an error class)`, null);
  return new PeerAborted(
    `P${peer} aborted the run at "${a.step}": ${CLASSES[a.class] ?? `a '${a.class}' error on that party`}`,
    a.class,
  );
}
