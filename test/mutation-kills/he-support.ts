/**
 * What the cryptflow2-he kill tests share: one HE session pair opened over a seeded two-party
 * network, two-party runs, a context that records its receive labels, a message one byte too long,
 * and a view of the SEAL library that counts how often each object it makes is deleted.
 */
import { expect } from 'vitest';
import { runParties } from '../../harness/network/run.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { DATA_PRIMES, RESPONSE_PRIMES } from '../../protocols/cryptflow2-he/seal.js';
import { openHe, type HeClient, type HeServer } from '../../protocols/cryptflow2-he/session.js';

/** Open the client's and the server's HE session on a fresh network (ℓ = 16, seeded). */
export async function openHeSession(seed: string): Promise<{ client: HeClient; server: HeServer }> {
  const { outputs } = await runParties([(ctx) => openHe(ctx), (ctx) => openHe(ctx)], { ell: 16, seed });
  const [client, server] = outputs;
  if (client.role !== 'client' || server.role !== 'server') throw new Error('session roles');
  return { client, server };
}

export type Program<T> = (ctx: PartyContext) => Promise<T>;

/** Run P0 and P1 on a fresh two-party network with a fixed seed. */
export async function run2<A, B>(p0: Program<A>, p1: Program<B>, seed: string): Promise<readonly [A, B]> {
  const { outputs } = await runParties([p0, p1], { ell: 16, seed });
  return outputs;
}

/** `ctx` with every recv's `what` appended to `labels`. */
export function recording(ctx: PartyContext, labels: (string | undefined)[]): PartyContext {
  return {
    ...ctx,
    recv: (from, what) => {
      labels.push(what);
      return ctx.recv(from, what);
    },
  };
}

/** `bytes` with one zero byte appended. */
export function oneMore(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

export interface Deletable {
  delete(): void;
}

/**
 * A view of `lib` whose factories named in `kinds` record what they make and how often each is
 * deleted; `onCipher` may adjust each ciphertext made.
 */
export function tracked<L extends object>(
  lib: L,
  kinds: readonly string[],
  onCipher?: (ct: Deletable) => void,
): { view: L; made: { kind: string; deletes: number }[] } {
  const made: { kind: string; deletes: number }[] = [];
  const view = new Proxy(lib, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string' || !kinds.includes(prop)) return value;
      return (...args: unknown[]) => {
        const o = (value as (...a: unknown[]) => Deletable).apply(target, args);
        const entry = { kind: prop, deletes: 0 };
        made.push(entry);
        const original = o.delete.bind(o);
        o.delete = () => {
          entry.deletes++;
          original();
        };
        if (prop === 'CipherText') onCipher?.(o);
        return o;
      };
    },
  });
  return { view, made };
}

/**
 * A server that answers P0's one query ciphertext with a response whose noise budget is spent: six
 * plaintext products (by `plaintext(k)`, k = 0..5) and the switch down to the response primes leave
 * exactly 0 (checked with the client's key), which it sends as SEAL saves it.
 */
export function spentResponder(
  server: HeServer,
  client: HeClient,
  plaintext: (k: number) => BigUint64Array,
): Program<null> {
  return async (ctx) => {
    const { seal, context, evaluator } = server;
    const query = await ctx.recv(0);
    const ct = seal.CipherText();
    const pt = seal.PlainText();
    const encoder = seal.BatchEncoder(context);
    try {
      ct.loadArray(context, query);
      for (let k = 0; k < 6; k++) {
        encoder.encode(plaintext(k), pt);
        evaluator.multiplyPlain(ct, pt, ct);
      }
      for (let s = RESPONSE_PRIMES; s < DATA_PRIMES; s++) evaluator.cipherModSwitchToNext(ct, ct);
      expect(client.decryptor.invariantNoiseBudget(ct)).toBe(0);
      ctx.send(0, ct.saveArray(seal.ComprModeType.none));
    } finally {
      for (const o of [ct, pt, encoder]) o.delete();
    }
    return null;
  };
}

/** `client` whose encryptor's serialised query ciphertexts come out one byte too long. */
export function longQueries(client: HeClient): HeClient {
  const longer = new Proxy(client.encryptor, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop !== 'encryptSymmetricSerializable' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const ser = (value as (...a: unknown[]) => { saveArray(m: unknown): Uint8Array }).apply(target, args);
        const save = ser.saveArray.bind(ser);
        ser.saveArray = (m: unknown) => oneMore(save(m));
        return ser;
      };
    },
  });
  return { ...client, encryptor: longer };
}
