/**
 * The HE session of the `cryptflow2-he` backend (SCI_HE, Rathee et al., CCS 2020, §6: the client
 * holds the BFV keys, the server computes on the client's ciphertexts): opened once per party context,
 * on the first HE layer, in the 'setup' phase (like the OT layer's base OTs).
 *
 *   1. P0 (client) makes a secret key and a seeded public key and sends the public key (HE_SIZES
 *      .publicKey bytes, phase 'setup'). The secret key never leaves P0.
 *   2. P1 (server) loads it and acknowledges with one byte (so the setup ends before the first layer's
 *      query, and the layers' rounds count from there: 2 setup rounds, HE_SETUP in spec/cost); it uses
 *      the key only to add a fresh encryption of zero to each response (re-randomisation;
 *      proofs-notes/cryptflow2-he.md says what that does and does not give).
 * SEAL draws the key, the encryption randomness and the error terms from its own PRNG (Blake2xb seeded
 * from the operating system), not from the project's AES-CTR PRGs: the protocol's masks (linear.ts)
 * are from ctx.own; SEAL's randomness never reaches a share. The session's keys, encryptor, decryptor
 * and evaluator live as long as the party context; the BFV context is the process's (seal.ts).
 */
import { CryptflowError } from '../../spec/errors.js';
import type { PartyContext } from '../common/party.js';
import type { Decryptor } from 'node-seal/implementation/decryptor.js';
import type { Encryptor } from 'node-seal/implementation/encryptor.js';
import type { Evaluator } from 'node-seal/implementation/evaluator.js';
import { HE_SIZES, sealLibrary, sessionContext, type Context, type SEALLibrary } from './seal.js';

export interface HeClient {
  readonly role: 'client';
  readonly seal: SEALLibrary;
  readonly context: Context;
  readonly encryptor: Encryptor;
  readonly decryptor: Decryptor;
}

export interface HeServer {
  readonly role: 'server';
  readonly seal: SEALLibrary;
  readonly context: Context;
  readonly evaluator: Evaluator;
  /** Public-key encryptor (fresh encryptions of zero). */
  readonly encryptor: Encryptor;
}

export type HeSession = HeClient | HeServer;

export async function openHe(ctx: PartyContext): Promise<HeSession> {
  const seal = await sealLibrary();
  const context = await sessionContext();
  const none = seal.ComprModeType.none;
  if (ctx.id === 0) {
    const keygen = seal.KeyGenerator(context);
    const secretKey = keygen.secretKey();
    const publicKey = keygen.createPublicKey();
    const seeded = keygen.createPublicKeySerializable();
    const bytes = seeded.saveArray(none);
    seeded.delete();
    const encryptor = seal.Encryptor(context, publicKey, secretKey);
    const decryptor = seal.Decryptor(context, secretKey);
    publicKey.delete();
    secretKey.delete();
    keygen.delete();
    await ctx.inPhase('setup', async () => {
      ctx.send(1, bytes);
      const ack = await ctx.recv(1, 'HE key acknowledgement');
      if (ack.length !== 1 || ack[0] !== 1)
        throw new CryptflowError('decode', 'HE key acknowledgement from P1: expected the single byte 1');
    });
    return { role: 'client', seal, context, encryptor, decryptor };
  }
  const bytes = await ctx.inPhase('setup', () => ctx.recv(0, 'HE public key'));
  if (bytes.length !== HE_SIZES.publicKey)
    throw new CryptflowError(
      'decode',
      `HE public key from P0: expected ${HE_SIZES.publicKey} bytes, got ${bytes.length}`,
    );
  const publicKey = seal.PublicKey();
  try {
    publicKey.loadArray(context, bytes);
  } catch {
    publicKey.delete();
    throw new CryptflowError('decode', 'HE public key from P0 is not a valid SEAL public key for these parameters');
  }
  const encryptor = seal.Encryptor(context, publicKey);
  publicKey.delete();
  await ctx.inPhase('setup', () => {
    ctx.send(0, Uint8Array.of(1));
    return Promise.resolve();
  });
  return { role: 'server', seal, context, evaluator: seal.Evaluator(context), encryptor };
}
