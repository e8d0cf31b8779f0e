/**
 * Mutation kills for protocols/malicious3/index.ts (the malicious backend's entry: options, claims,
 * input sharing and reveal, the per-node dispatch). What the first sweep's three suites left open:
 *
 *   - options and claims: the name, the default s = 48 (every ring 8 … 64), rings with ℓ + s ≤ 128
 *     for a larger s, uniform shares, three parties; the default kernels; the comparison domain
 *     ±2^{ℓ−2} of MaxPool and ArgMax only;
 *   - `sharing`: an owner's missing or wrong-length input is an 'input' error naming its shape and
 *     count; input and reveal traffic is metered in the 'io' phase (none in 'compute' or 'setup'); a
 *     public value is revealed to its receiver only; reconstruct refuses a public view;
 *   - the dispatch at ℓ + s > 64 against the plaintext backend: Sub of two secrets (its own branch,
 *     not a BiasAdd), BiasAdd, products by a public factor on either side, a node on public values
 *     only, products of an operand with itself (Mul, MatMul, Conv, ConvTranspose: each position bound
 *     to its own vector), Conv and ConvTranspose with a bias, and (a bug this found, fixed in index.ts)
 *     Conv and ConvTranspose of two public factors with a secret bias;
 *   - the errors of `run`: ScaleDown by ℓ or more is 'unsupported' (by ℓ − 1 it is exact), a missing
 *     operand and an unknown operator are internal errors naming them.
 *
 * Argued equivalent (scripts/mutation/equivalent/protocols__malicious3__index.json): the node-end check
 * when nothing can be pending, guards on narrowed unions, the operand renaming of linear nodes (a sum of
 * partial maps), renamed-away names, and the unreachable bias branch of `distinct`.
 */
import { describe, expect, it } from 'vitest';
import { llilBuilder } from '../../ir/builder.js';
import type { LNode } from '../../ir/llil.js';
import { runParties } from '../../harness/network/run.js';
import { runProgram } from '../../harness/runner/program.js';
import { plaintextBackend } from '../../harness/backends/plaintext.js';
import { zeroLinks } from '../../spec/cost/types.js';
import type { Backend, Held, ShareCodec } from '../../protocols/common/backend.js';
import type { PartyContext } from '../../protocols/common/party.js';
import { malicious3Backend } from '../../protocols/malicious3/index.js';
import { expectCryptflowRejection } from './support.js';

const range = (lo: number, hi: number): number[] => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
const ring = (ell: number, vs: readonly number[]): BigUint64Array =>
  BigUint64Array.from(vs.map((v) => BigInt.asUintN(ell, BigInt(v))));
const secretType = (shape: readonly number[]): LNode['type'] => ({ shape, scale: 0, label: 'secret' });

describe('malicious3 backend: options and claims', () => {
  it('defaults: name, s = 48 (all rings 8 … 64), three parties, uniform shares', () => {
    const b = malicious3Backend();
    expect(b.name).toBe('malicious');
    expect(b.claims).toEqual({ uniformShares: true, rings: range(8, 64), parties: 3 });
    expect(malicious3Backend({ kernels: 'reference' }).claims.rings).toEqual(range(8, 64));
  });

  it('a larger s keeps the rings with ℓ + s ≤ 128', () => {
    expect(malicious3Backend({ s: 72 }).claims.rings).toEqual(range(8, 56));
    expect(malicious3Backend({ s: 120 }).claims.rings).toEqual([8]);
    expect(malicious3Backend({ s: 121 }).claims.rings).toEqual([]);
  });

  it('the comparison domain is ±2^{ℓ−2} for MaxPool and ArgMax, none elsewhere', () => {
    const b = malicious3Backend({ s: 8 });
    const t = secretType([1, 1, 2, 2]);
    const pool: LNode = {
      op: 'MaxPool',
      out: 'y',
      x: 'x',
      type: t,
      kernel: [2, 2],
      strides: [1, 1],
      pads: [0, 0, 0, 0],
    };
    const arg: LNode = { op: 'ArgMax', out: 'y', x: 'x', type: t, axis: 1, keepdims: true };
    const relu: LNode = { op: 'Relu', out: 'y', x: 'x', type: t };
    expect(b.domain?.(pool, 16)).toBe(1n << 14n);
    expect(b.domain?.(arg, 20)).toBe(1n << 18n);
    expect(b.domain?.(relu, 16)).toBeUndefined();
  });
});

const ell = 16;
/** A fresh backend (s = 8) and its share codec, built inside each test (a throw at load would hide a kill). */
function m3(): { backend: Backend; codec: ShareCodec } {
  const backend = malicious3Backend({ s: 8 });
  const codec = backend.sharing;
  if (codec === undefined) throw new Error('the malicious backend has a share codec');
  return { backend, codec };
}
type Prog<T> = (ctx: PartyContext) => Promise<T>;
const three = <T>(p: Prog<T>, seed: string) => runParties([p, p, p], { ell, seed });

describe('malicious3 backend: sharing', () => {
  it('input and reveal: values, receivers, and every byte in the io phase', async () => {
    const { codec } = m3();
    const pub: Held = { kind: 'public', shape: [2], data: ring(ell, [1, 2]) };
    const { outputs, meter } = await three(async (ctx) => {
      const x = await codec.share(ctx, 0, [3], ctx.id === 0 ? ring(ell, [5, -7, 300]) : undefined);
      const p = await codec.reveal(ctx, pub, 1);
      const v = await codec.reveal(ctx, x, 2);
      return { x, p, v };
    }, 'io');
    expect(outputs.map((o) => o.p)).toEqual([null, ring(ell, [1, 2]), null]);
    expect(outputs.map((o) => o.v)).toEqual([null, null, ring(ell, [5, -7, 300])]);
    expect(
      codec.reconstruct(
        ell,
        outputs.map((o) => o.x),
      ).value,
    ).toEqual(ring(ell, [5, -7, 300]));
    expect(meter.links).toEqual(zeroLinks());
    expect(meter.setup).toBeUndefined();
    for (const l of Object.values(meter.io)) expect(l).toBeGreaterThan(0);
  });

  it('an owner without its input, or with the wrong number of entries, is an input error', async () => {
    const { codec } = m3();
    await expectCryptflowRejection(
      () => three(async (ctx) => codec.share(ctx, 1, [2, 2], ctx.id === 1 ? ring(ell, [1, 2, 3]) : undefined), 'len'),
      'input',
      'P1 shares an input of shape [2, 2] but holds 3 entries',
    );
    await expectCryptflowRejection(
      () => three(async (ctx) => codec.share(ctx, 0, [2], undefined), 'none'),
      'input',
      'P0 shares an input of shape [2] but holds 0 entries',
    );
  });

  it('reconstruct refuses a public view', () => {
    const { codec } = m3();
    const pub: Held = { kind: 'public', shape: [1], data: ring(ell, [1]) };
    expect(() => codec.reconstruct(ell, [pub, pub, pub])).toThrow(
      'internal error (please report): reconstruct a public value',
    );
  });
});

describe('malicious3 backend: dispatch at ℓ + s = 80 equals the plaintext backend', () => {
  it('Sub, BiasAdd, products with a public factor, a public node, self-products, Conv and ConvTranspose with a bias', async () => {
    const b = llilBuilder(32);
    const x = b.input('x', [2, 2], 0, 'client');
    const y = b.input('y', [2, 2], 0, 'server');
    const c = b.input('c', [1, 1, 1, 1], 0, 'client');
    const img = b.input('img', [1, 1, 3, 3], 0, 'client');
    const w = b.input('w', [2, 1, 2, 2], 0, 'server');
    const wt = b.input('wt', [1, 2, 2, 2], 0, 'server');
    const bias = b.input('bias', [2], 0, 'server');
    const bb = b.input('bb', [2], 0, 'server');
    const k = b.const('k', [2, 2], 0, ring(32, [2, -3, 5, 7]));
    const outs = [
      b.sub(x, y),
      b.biasAdd(x, bb),
      b.mul(x, k),
      b.matmul(k, x),
      b.add(k, k),
      b.mul(x, x),
      b.matmul(x, x),
      b.conv(c, c),
      b.convTranspose(c, c),
      b.conv(img, w, { b: bias }),
      b.convTranspose(img, wt, { b: bias }),
    ];
    for (const o of outs) b.output(o, 'client');
    const p = b.build();
    const inputs = {
      client: new Map([
        ['x', ring(32, [3, -5, 70000, -2])],
        ['c', ring(32, [-9])],
        ['img', ring(32, [1, -2, 3, 4, -5, 6, 7, 8, -9])],
      ]),
      server: new Map([
        ['y', ring(32, [100000, 4, -6, 1])],
        ['w', ring(32, [1, 2, -3, 4, 5, -6, 7, 8])],
        ['wt', ring(32, [2, -1, 3, 1, -4, 5, 1, 2])],
        ['bias', ring(32, [1000, -77])],
        ['bb', ring(32, [-123456, 9])],
      ]),
    };
    const want = await runProgram(p, inputs, { backend: plaintextBackend(), seed: 'd' });
    const got = await runProgram(p, inputs, { backend: malicious3Backend(), seed: 'd' });
    for (const o of outs) expect([...(got.outputs.get(o) ?? [])], o).toEqual([...(want.outputs.get(o) ?? [])]);
  });
  it('BUG FIX: Conv and ConvTranspose of public factors with a secret bias (was "internal error: secret")', async () => {
    const b = llilBuilder(16);
    const x = b.const('x', [1, 1, 2, 2], 0, ring(16, [1, -2, 3, 4]));
    const w = b.const('w', [1, 1, 1, 1], 0, ring(16, [3]));
    const bias = b.input('bias', [1], 0, 'server');
    const outs = [b.conv(x, w, { b: bias }), b.convTranspose(x, w, { b: bias })];
    for (const o of outs) b.output(o, 'client');
    const p = b.build();
    const inputs = { client: new Map<string, BigUint64Array>(), server: new Map([['bias', ring(16, [-5])]]) };
    const want = await runProgram(p, inputs, { backend: plaintextBackend(), seed: 'pp' });
    const got = await runProgram(p, inputs, { backend: malicious3Backend({ s: 8 }), seed: 'pp' });
    for (const o of outs) expect([...(got.outputs.get(o) ?? [])], o).toEqual([...(want.outputs.get(o) ?? [])]);
    expect(got.meter.links).toEqual(zeroLinks());
  });
});

describe('malicious3 backend: errors of run', () => {
  /** P0 shares `values` through a fresh backend `b`, then every party runs `f`. */
  const withInput = <T>(
    values: readonly number[],
    f: (ctx: PartyContext, x: Held, b: Backend, codec: ShareCodec) => Promise<T>,
    seed: string,
  ) => {
    const { backend, codec } = m3();
    return three(async (ctx) => {
      const x = await codec.share(ctx, 0, [values.length], ctx.id === 0 ? ring(ell, values) : undefined);
      return f(ctx, x, backend, codec);
    }, seed);
  };
  const scaleDown = (shift: number): LNode => ({ op: 'ScaleDown', out: 'z', x: 'x', shift, type: secretType([2]) });

  it('ScaleDown by ℓ − 1 is exact; by ℓ or more it is unsupported', async () => {
    const { outputs } = await withInput(
      [-32768, 32767],
      async (ctx, x, b, codec) => codec.reveal(ctx, await b.run(ctx, scaleDown(ell - 1), [x]), 0),
      'sd',
    );
    expect(outputs[0]).toEqual(ring(ell, [-1, 0]));
    for (const shift of [ell, ell + 3])
      await expectCryptflowRejection(
        () => withInput([1, 2], (ctx, x, b) => b.run(ctx, scaleDown(shift), [x]), `sd${shift}`),
        'unsupported',
        `malicious: ScaleDown by ${shift} ≥ ℓ at 'z'`,
      );
  });

  it('a missing operand and an unknown operator are internal errors that name them', async () => {
    const mul: LNode = { op: 'Mul', out: 'z', a: 'x', b: 'w', type: secretType([2]) };
    await expect(withInput([1, 2], (ctx, x, b) => b.run(ctx, mul, [x]), 'missing')).rejects.toThrow(
      "internal error (please report): node 'z' lacks operand 1",
    );
    const bogus = { op: 'Bogus', out: 'z', x: 'x', type: secretType([2]) } as unknown as LNode;
    await expect(withInput([1, 2], (ctx, x, b) => b.run(ctx, bogus, [x]), 'bogus')).rejects.toThrow(
      'internal error (please report): unhandled value: {"op":"Bogus"',
    );
  });
});
