/**
 * Mutation kills for protocols/cryptflow2-he/seal.ts (the BFV parameter set and the hand-written
 * coefficient-form plaintext layout), against the real node-seal library:
 *   - `bfvContext` deletes the encryption parameters, the coefficient modulus and the plain modulus
 *     exactly once each, both when SEAL accepts the parameter set and when it rejects it (a coefficient
 *     modulus too large for 128-bit security at N = 8192), and the rejection is an InvariantViolation
 *     with its message;
 *   - `plainBytes` refuses 0 and N + 1 coefficients with the count in the message, and writes a single
 *     coefficient (the smallest accepted) in a form SEAL loads;
 *   - `plainCoeffs` reads SEAL's own empty plaintext (the shortest valid layout, 88 bytes), and refuses
 *     with code 'decode' and its message every malformed layout: too short with a valid header, wrong
 *     magic, compression set, a length that disagrees with the count, a count above N.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { InvariantViolation } from '../../spec/errors.js';
import { P41 } from '../../protocols/cryptflow2-he/field.js';
import type { Context, SEALLibrary } from '../../protocols/cryptflow2-he/seal.js';
import { caughtImport, expectCryptflowError } from './support.js';
import { timeout } from '../setup/timeouts.js';

/**
 * seal.ts is loaded once at the top with its failure caught, and each test asks `load()` for it: a
 * test file that fails to load reports no test results, which Stryker's vitest runner alone counts as a
 * survivor (the mutation runs' own runner, test/setup/mutation-runner.ts, now turns a failed load into
 * a failed test; this caught load predates it). The load stays outside the tests so that Stryker runs
 * every test against the mutants hit while loading.
 */
const load = await caughtImport(() => import('../../protocols/cryptflow2-he/seal.js'));

const N = 8192;
const LAYOUT = 'a decrypted plaintext is not in the expected SEAL layout';
/** Offset of the coefficient array in SEAL's plaintext layout (outer header, parms_id, count, scale, inner header, count). */
const COEFFS_AT = 16 + 32 + 8 + 8 + 16 + 8;

let seal: SEALLibrary;
let context: Context;

beforeAll(async () => {
  const m = await load();
  seal = await m.sealLibrary();
  context = await m.sessionContext();
}, timeout(60_000));

interface Deletable {
  delete(): void;
}

/**
 * A view of `lib` that counts the deletes of every EncryptionParameters, Modulus and coefficient
 * modulus it makes; with `coeffBits`, the coefficient modulus is built from those prime sizes instead
 * of SEAL's default.
 */
function tracked(lib: SEALLibrary, coeffBits?: readonly number[]) {
  const deletes = new Map<string, number>();
  const count = <T extends Deletable>(kind: string, o: T): T => {
    deletes.set(kind, 0);
    const original = o.delete.bind(o);
    o.delete = () => {
      deletes.set(kind, (deletes.get(kind) ?? 0) + 1);
      original();
    };
    return o;
  };
  const coeffModulus = new Proxy(lib.CoeffModulus, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop !== 'BFVDefault') return value;
      return (...args: Parameters<SEALLibrary['CoeffModulus']['BFVDefault']>) =>
        count(
          'coeff',
          coeffBits === undefined ? target.BFVDefault(...args) : target.Create(args[0], Int32Array.from(coeffBits)),
        );
    },
  });
  const view = new Proxy(lib, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop === 'CoeffModulus') return coeffModulus;
      if (prop !== 'EncryptionParameters' && prop !== 'Modulus') return value;
      return (...args: unknown[]) => count(prop, (value as (...a: unknown[]) => Deletable).apply(target, args));
    },
  });
  return { view, deletes };
}

/** SEAL's own serialisation of the plaintext with these coefficients (loaded from plainBytes). */
async function sealBytes(coeffs: readonly bigint[]): Promise<Uint8Array> {
  const m = await load();
  const pt = seal.PlainText();
  try {
    pt.loadArray(context, m.plainBytes(BigUint64Array.from(coeffs)));
    return pt.saveArray(seal.ComprModeType.none);
  } finally {
    pt.delete();
  }
}

/** A copy of `bytes`, changed by `edit` through a DataView. */
function edited(bytes: Uint8Array, edit: (view: DataView) => void): Uint8Array {
  const out = bytes.slice();
  edit(new DataView(out.buffer));
  return out;
}

/** A buffer of `length` bytes whose outer header has the magic and compression none, zero elsewhere. */
function headerOnly(length: number): Uint8Array {
  const out = new Uint8Array(length);
  if (length >= 2) new DataView(out.buffer).setUint16(0, 0xa15e, true);
  if (length >= 4) out.set([16, 4], 2);
  return out;
}

describe('cryptflow2-he seal: bfvContext', () => {
  /** Kills L77 BlockStatement (the finally block emptied: nothing deleted). */
  it('deletes the parameters, the coefficient modulus and the plain modulus once each', async () => {
    const m = await load();
    const { view, deletes } = tracked(seal);
    const ctx = m.bfvContext(view);
    try {
      expect(ctx.parametersSet()).toBe(true);
      expect(ctx.keyContextData.parms.coeffModulus.length).toBe(m.DATA_PRIMES + 1);
    } finally {
      ctx.delete();
    }
    expect(Object.fromEntries(deletes)).toEqual({ EncryptionParameters: 1, Modulus: 1, coeff: 1 });
  });

  /**
   * Kills L75 ConditionalExpression false (a rejected parameter set returned as a context), L75
   * StringLiteral (the message emptied) and L77 BlockStatement on the failure path.
   */
  it('a parameter set SEAL rejects is an internal error, and the objects are still deleted', async () => {
    const m = await load();
    const { view, deletes } = tracked(seal, [60, 60, 60, 60, 60]);
    let caught: unknown;
    try {
      m.bfvContext(view).delete();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvariantViolation);
    expect((caught as Error).message).toBe('internal error (please report): SEAL rejected the BFV parameter set');
    expect(Object.fromEntries(deletes)).toEqual({ EncryptionParameters: 1, Modulus: 1, coeff: 1 });
  });
});

describe('cryptflow2-he seal: plainBytes', () => {
  /**
   * Kills L99 ConditionalExpression false (both), LogicalOperator (&&), the second operand false and
   * L99 StringLiteral (the message emptied): 0 and N + 1 coefficients are internal errors naming the
   * count.
   */
  it('refuses 0 and N + 1 coefficients, naming the count', async () => {
    const m = await load();
    for (const n of [0, N + 1]) {
      let caught: unknown;
      try {
        m.plainBytes(new BigUint64Array(n));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InvariantViolation);
      expect((caught as Error).message).toBe(`internal error (please report): plaintext of ${n} coefficients`);
    }
  });

  /**
   * Kills L107 BooleanLiteral (the scale 1.0 written big-endian) and pins the whole layout: what
   * plainBytes writes is byte for byte what SEAL itself writes for the same plaintext.
   */
  it('writes exactly the bytes SEAL writes for the same plaintext', async () => {
    const m = await load();
    for (const coeffs of [[5n], [0n, 1n, P41 - 1n], Array.from({ length: 300 }, (_, i) => BigInt(i * i) % P41)]) {
      const ours = m.plainBytes(BigUint64Array.from(coeffs));
      expect(new DataView(ours.buffer).getFloat64(56, true)).toBe(1);
      expect([...ours]).toEqual([...(await sealBytes(coeffs))]);
    }
  });

  /**
   * Kills L124 BlockStatement, L126 ObjectLiteral and both L126 ArithmeticOperator mutants (which the
   * suites run here do not reach): the reusable buffer's coefficient view is the array inside its bytes.
   */
  it('plainBuffer: coefficients set through the view are what the bytes decode to', async () => {
    const m = await load();
    const buf = m.plainBuffer();
    expect(buf.bytes.length).toBe(COEFFS_AT + 8 * N);
    expect(buf.coeffs.length).toBe(N);
    expect(buf.coeffs.buffer).toBe(buf.bytes.buffer);
    buf.coeffs[0] = 9n;
    buf.coeffs[N - 1] = P41 - 1n;
    const back = m.plainCoeffs(buf.bytes);
    expect(back[0]).toBe(9n);
    expect(back[N - 1]).toBe(P41 - 1n);
    expect(back.subarray(1, N - 1).every((v) => v === 0n)).toBe(true);
    const pt = seal.PlainText();
    try {
      pt.loadArray(context, buf.bytes);
      expect(pt.coeffCount).toBe(N);
    } finally {
      pt.delete();
    }
  });

  /** Kills L99 EqualityOperator (`coeffs.length <= 1`: a single coefficient refused). */
  it('writes one coefficient in a form SEAL loads, and N coefficients', async () => {
    const m = await load();
    const one = m.plainBytes(BigUint64Array.from([P41 - 2n]));
    expect(one.length).toBe(COEFFS_AT + 8);
    const pt = seal.PlainText();
    try {
      pt.loadArray(context, one);
      expect(pt.coeffCount).toBe(1);
      expect(pt.toPolynomial()).toBe((P41 - 2n).toString(16).toUpperCase());
    } finally {
      pt.delete();
    }
    const full = m.plainBytes(BigUint64Array.from({ length: N }, (_, i) => BigInt(i)));
    expect(full.length).toBe(COEFFS_AT + 8 * N);
    expect(m.plainCoeffs(full)[N - 1]).toBe(BigInt(N - 1));
  });
});

describe('cryptflow2-he seal: plainCoeffs', () => {
  /** Kills L135 EqualityOperator (`<=`: the 88-byte layout of SEAL's empty plaintext refused). */
  it("reads SEAL's empty plaintext (the shortest layout) as N zeros", async () => {
    const m = await load();
    const pt = seal.PlainText();
    let bytes: Uint8Array;
    try {
      bytes = pt.saveArray(seal.ComprModeType.none);
    } finally {
      pt.delete();
    }
    expect(bytes.length).toBe(COEFFS_AT);
    const out = m.plainCoeffs(bytes);
    expect(out.length).toBe(N);
    expect(out.every((v) => v === 0n)).toBe(true);
  });

  /**
   * Kills L133 StringLiteral ('decode' emptied), L135 LogicalOperator (`&&`), the first operand false
   * and ArithmeticOperator `HEADER - 48` (bound −8): a buffer shorter than the layout but with a valid
   * header must be a 'decode' error, not a RangeError from reading past its end.
   */
  it('refuses a buffer shorter than the layout whose header is valid', async () => {
    const m = await load();
    for (const length of [0, 1, 10, 50, 55, 56, COEFFS_AT - 1])
      expectCryptflowError(() => m.plainCoeffs(headerOnly(length)), 'decode', LAYOUT);
  });

  /** Kills L135 ConditionalExpression false on the magic (a layout with another magic read anyway). */
  it('refuses a layout with another magic', async () => {
    const m = await load();
    const good = await sealBytes([1n, 2n, 3n]);
    expect([...m.plainCoeffs(good).subarray(0, 4)]).toEqual([1n, 2n, 3n, 0n]);
    expectCryptflowError(() => m.plainCoeffs(edited(good, (v) => v.setUint16(0, 0xa15f, true))), 'decode', LAYOUT);
  });

  /** Kills L135 ConditionalExpression false on the compression byte (a compressed layout read raw). */
  it('refuses a layout whose compression byte is set', async () => {
    const m = await load();
    const good = await sealBytes([1n, 2n, 3n]);
    for (const mode of [1, 2])
      expectCryptflowError(() => m.plainCoeffs(edited(good, (v) => v.setUint8(5, mode))), 'decode', LAYOUT);
  });

  /**
   * Kills L138 ConditionalExpression false (the whole condition), LogicalOperator (`&&`) and the
   * second operand false: lengths that disagree with the count are refused.
   */
  it('refuses a length that disagrees with the count', async () => {
    const m = await load();
    const good = await sealBytes([1n, 2n, 3n]);
    const longer = new Uint8Array(good.length + 8);
    longer.set(good);
    expectCryptflowError(() => m.plainCoeffs(longer), 'decode', LAYOUT);
    expectCryptflowError(() => m.plainCoeffs(good.slice(0, good.length - 8)), 'decode', LAYOUT);
    expectCryptflowError(() => m.plainCoeffs(edited(good, (v) => v.setBigUint64(48, 2n, true))), 'decode', LAYOUT);
    expectCryptflowError(() => m.plainCoeffs(edited(good, (v) => v.setBigUint64(48, 4n, true))), 'decode', LAYOUT);
  });

  /**
   * Kills L138 ConditionalExpression false on `count > POLY_DEGREE` (and the whole condition): N + 1
   * coefficients with a length to match are a 'decode' error, not a RangeError from the copy.
   */
  it('refuses N + 1 coefficients even when the length matches', async () => {
    const m = await load();
    const over = new Uint8Array(COEFFS_AT + 8 * (N + 1));
    const head = await sealBytes([7n]);
    over.set(head.subarray(0, COEFFS_AT));
    new DataView(over.buffer).setBigUint64(48, BigInt(N + 1), true);
    expectCryptflowError(() => m.plainCoeffs(over), 'decode', LAYOUT);
  });
});
