/**
 * The BFV parameter set of the `cryptflow2-he` backend and its use of Microsoft SEAL 4.1 through
 * node-seal 6.0.3 (SEAL compiled to WebAssembly; 7.x needs Wasm GC/exception handling that Node 20
 * lacks). SCI_HE (Rathee et al., CCS 2020, §6) runs its linear layers in BFV over a prime plaintext
 * modulus; the parameters here follow the HE security standard's 128-bit table:
 *
 *   N = 8192, q = SEAL's BFVDefault(8192, tc128) = 43 + 43 + 44 + 44 + 44 bits (218; the last is the
 *   special prime, so fresh ciphertexts live at 4 primes, 174 bits), t = p = 2^41 − 65535 (field.ts).
 *
 * Wire forms (SEAL's own serialisation, compression 'none' so every size is fixed by the parameters;
 * zstd would make sizes depend on the data and the meter could not equal a closed form):
 *   public key         seeded (KeyGenerator.createPublicKeySerializable), HE_SIZES.publicKey bytes;
 *   query ciphertext   symmetric and seeded (Encryptor.encryptSymmetricSerializable): half the size;
 *   response           switched down to RESPONSE_PRIMES primes before it is saved.
 * The sizes are pinned in HE_SIZES (measured once; test/protocols/cryptflow2-he/seal.test.ts
 * re-measures them), and spec/cost/cryptflow2-he.ts counts ciphertexts times these sizes.
 *
 * Plaintexts in coefficient form are written and read through SEAL's plaintext serialisation, whose
 * layout (SEAL 4.1, compression none) is: a 16-byte header (magic 0xA15E, header size 16, version
 * 4.1, compression 0, two reserved bytes, total size u64), parms_id (4 × u64, zero for a plaintext
 * not in NTT form), coeff_count u64, scale f64, then the coefficient array as its own serialised
 * object (16-byte header, count u64, count × u64). node-seal has no coefficient setter.
 *
 * Every SEAL object a layer makes is `.delete()`d before the layer returns (the wasm heap is 4 GiB
 * at most and finalisers run only when the JS collector happens to).
 */
import SEAL from 'node-seal';
import type { SEALLibrary } from 'node-seal/implementation/seal.js';
import type { Context } from 'node-seal/implementation/context.js';
import { bug, CryptflowError } from '../../spec/errors.js';
import { HE_BYTES, HE_POLY_DEGREE } from '../../spec/cost/cryptflow2-he.js';
import { P41 } from './field.js';

export type { SEALLibrary, Context };

export const POLY_DEGREE = HE_POLY_DEGREE;
/** Primes of a fresh ciphertext (BFVDefault(8192) has 5; the last is the special prime). */
export const DATA_PRIMES = 4;
/** Primes the server's response is switched down to before it is sent. */
export const RESPONSE_PRIMES = 2;

/** Serialised sizes in bytes at these parameters (compression none), pinned in spec/cost/cryptflow2-he.ts. */
export const HE_SIZES = HE_BYTES;

let library: Promise<SEALLibrary> | undefined;

/** The SEAL library, loaded once per process (a wasm module; it holds no key or protocol state). */
export function sealLibrary(): Promise<SEALLibrary> {
  library ??= (SEAL as unknown as () => Promise<SEALLibrary>)();
  return library;
}

let shared: Promise<Context> | undefined;

/**
 * The BFV context every session of this process uses (built once: SEAL's context precomputes NTT
 * tables and checks security, about a second in wasm). It holds parameters only — no key, no state
 * of a run — so parties in one process may share it; it is never deleted.
 */
export function sessionContext(): Promise<Context> {
  shared ??= sealLibrary().then(bfvContext);
  return shared;
}

/** A fresh BFV context of the parameter set (the caller deletes it). */
export function bfvContext(seal: SEALLibrary): Context {
  const parms = seal.EncryptionParameters(seal.SchemeType.bfv);
  const coeff = seal.CoeffModulus.BFVDefault(POLY_DEGREE, seal.SecurityLevel.tc128);
  const plain = seal.Modulus(P41);
  try {
    parms.setPolyModulusDegree(POLY_DEGREE);
    parms.setCoeffModulus(coeff);
    parms.setPlainModulus(plain);
    const context = seal.Context(parms, true, seal.SecurityLevel.tc128);
    if (!context.parametersSet()) bug('SEAL rejected the BFV parameter set');
    return context;
  } finally {
    coeff.delete();
    plain.delete();
    parms.delete();
  }
}

const MAGIC = 0xa15e;
const HEADER = 16;

function header(view: DataView, at: number, size: number): void {
  view.setUint16(at, MAGIC, true);
  view.setUint8(at + 2, HEADER);
  view.setUint8(at + 3, 4);
  view.setUint8(at + 4, 1);
  view.setUint8(at + 5, 0);
  view.setUint16(at + 6, 0, true);
  view.setBigUint64(at + 8, BigInt(size), true);
}

/** SEAL's serialised form of the plaintext polynomial Σ coeffs[i]·X^i (coefficients in [0, p)). */
export function plainBytes(coeffs: BigUint64Array): Uint8Array {
  if (coeffs.length < 1 || coeffs.length > POLY_DEGREE) bug(`plaintext of ${coeffs.length} coefficients`);
  const inner = HEADER + 8 + 8 * coeffs.length;
  const total = HEADER + 32 + 8 + 8 + inner;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  header(view, 0, total);
  let at = HEADER + 32;
  view.setBigUint64(at, BigInt(coeffs.length), true);
  view.setFloat64(at + 8, 1, true);
  at += 16;
  header(view, at, inner);
  view.setBigUint64(at + HEADER, BigInt(coeffs.length), true);
  new BigUint64Array(out.buffer, at + HEADER + 8, coeffs.length).set(coeffs);
  return out;
}

/**
 * A reusable serialised plaintext of N coefficients (the header written once): `coeffs` is a view on
 * the coefficient array inside `bytes`, so a loop sets coefficients and loads `bytes` without a copy.
 */
export interface PlainBuffer {
  readonly bytes: Uint8Array;
  readonly coeffs: BigUint64Array;
}

export function plainBuffer(): PlainBuffer {
  const bytes = plainBytes(new BigUint64Array(POLY_DEGREE));
  return { bytes, coeffs: new BigUint64Array(bytes.buffer, bytes.length - 8 * POLY_DEGREE, POLY_DEGREE) };
}

/** The N coefficients of a serialised plaintext (missing high coefficients are 0). */
export function plainCoeffs(bytes: Uint8Array): BigUint64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (): never => {
    throw new CryptflowError('decode', 'a decrypted plaintext is not in the expected SEAL layout');
  };
  if (bytes.length < HEADER + 48 + HEADER + 8 || view.getUint16(0, true) !== MAGIC || view.getUint8(5) !== 0) fail();
  const count = Number(view.getBigUint64(HEADER + 32, true));
  const at = HEADER + 48 + HEADER + 8;
  if (count > POLY_DEGREE || bytes.length !== at + 8 * count) fail();
  const out = new BigUint64Array(POLY_DEGREE);
  out.set(new BigUint64Array(bytes.slice(at, at + 8 * count).buffer));
  return out;
}
