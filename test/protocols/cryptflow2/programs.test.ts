/**
 * The cryptflow2 backend on random well-typed LLIL programs (several nodes, ℓ ∈ {8, 16, 32, 64}):
 * outputs bit-equal to the plaintext backend's and metered bytes per link equal to the sum of the
 * nodes' closed forms; and its clear errors (a P2 context, malformed bit messages).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fixedSemAll } from '../../../semantics/fixed.js';
import type { LProgram } from '../../../ir/llil.js';
import { cryptflow2Backend } from '../../../protocols/cryptflow2/index.js';
import { unpackBits, packBits } from '../../../protocols/cryptflow2/bits.js';
import { expandAll, packValues, unpackValues } from '../../../protocols/cryptflow2/vcot.js';
import { tccr } from '../../../protocols/ot/hash.js';
import { plaintextBackend } from '../../../harness/backends/plaintext.js';
import { runProgram } from '../../../harness/runner/program.js';
import { partyContext } from '../../../protocols/common/context.js';
import { keysFromSeed, Prg } from '../../../protocols/common/prg.js';
import { asShare } from '../../../protocols/common/sharing.js';
import { MemoryNetwork } from '../../../harness/network/memory.js';
import { llilProgram } from '../../arbitraries/llil.js';
import { functionalOt, functionalOtCosts } from './functional-ot.js';
import { programLinks, runTwoParty } from './program.js';
import { runs } from './support.js';

const backend = cryptflow2Backend({ kernels: 'reference', openOt: functionalOt, otCost: functionalOtCosts });

/** Inputs small enough (±2^{⌊ℓ/4⌋}) that comparison trees stay inside their domain after a few layers. */
function inputsOf(
  p: LProgram,
  seed: string,
): { client: Map<string, BigUint64Array>; server: Map<string, BigUint64Array> } {
  const prg = new Prg(keysFromSeed(seed)[1].own);
  const client = new Map<string, BigUint64Array>();
  const server = new Map<string, BigUint64Array>();
  for (const d of p.decls) {
    if (d.kind !== 'input') continue;
    const n = d.shape.reduce((a, e) => a * e, 1);
    const vals = prg.ring(p.ell, n).map((v) => BigInt.asUintN(p.ell, BigInt.asIntN(Math.floor(p.ell / 4) + 1, v)));
    (d.owner === 'client' ? client : server).set(d.name, vals);
  }
  return { client, server };
}

/** Every value in [−2^{ℓ−2}, 2^{ℓ−2}), the backend's MaxPool/ArgMax domain. */
function inDomain(ell: number, xs: BigUint64Array): boolean {
  const b = 1n << BigInt(ell - 2);
  return xs.every((v) => BigInt.asIntN(ell, v) >= -b && BigInt.asIntN(ell, v) < b);
}

describe('cryptflow2 on random LLIL programs', () => {
  it('bit-equal to plaintext where every comparison input is in the domain; metered = Σ node costs', async () => {
    await fc.assert(
      fc.asyncProperty(llilProgram({ maxNodes: 4, ells: [8, 16, 32, 64] }), fc.string(), async (p, seed) => {
        const inputs = inputsOf(p, seed);
        const values = fixedSemAll(p, new Map([...inputs.client, ...inputs.server]));
        fc.pre(
          p.nodes.every(
            (n) =>
              (n.op !== 'MaxPool' && n.op !== 'ArgMax') ||
              inDomain(p.ell, values.get(n.x)?.data ?? new BigUint64Array(0)),
          ),
        );
        const want = await runProgram(p, inputs, { backend: plaintextBackend(), seed });
        const got = await runTwoParty(p, new Map([...inputs.client, ...inputs.server]), backend, seed);
        for (const o of p.outputs) expect(got.outputs.get(o.name)).toEqual(want.outputs.get(o.name));
        expect(got.meter.links).toEqual(programLinks(p, backend));
      }),
      { numRuns: runs(8) },
    );
  });
});

describe('the vector COT expansion', () => {
  it("G(s_i) is the OT layer's TCCR(j, s_i) under counter tweaks (domain word 3), 64-bit halves, lengths 0 … 5", () => {
    const lens = Int32Array.of(3, 0, 1, 2, 5, 4);
    const seeds = new Prg(new Uint8Array(16).fill(9)).ring(64, 2 * lens.length);
    const want: bigint[] = [];
    lens.forEach((len, i) => {
      const blocks = Math.ceil(len / 2);
      const x = new Uint32Array(4 * blocks);
      const tw = new Uint32Array(4 * blocks);
      for (let j = 0; j < blocks; j++) {
        x.set(new Uint32Array(seeds.buffer, 16 * i, 4), 4 * j);
        tw[4 * j] = j;
        tw[4 * j + 2] = 3;
      }
      const h = tccr(x, tw, 1);
      want.push(...new BigUint64Array(h.slice().buffer).subarray(0, len));
    });
    expect([...expandAll(seeds, lens)]).toEqual(want);
  });
});

describe('cryptflow2 errors', () => {
  it("an owner's input enters in the clear; a wrong length or a P2 context is a clear error naming no value", () => {
    const ctx = (id: 0 | 1 | 2) => partyContext(id, 16, new MemoryNetwork().endpoint(id), keysFromSeed('in')[id]);
    const input = backend.input ?? ((): never => expect.fail('cryptflow2 enters inputs in the clear'));
    expect(input(ctx(1), 1, [2], BigUint64Array.of(70000n, 5n))).toEqual({
      kind: 'secret',
      shape: [2],
      share: BigUint64Array.of(70000n % 65536n, 5n),
      owner: 1,
    });
    expect(input(ctx(0), 1, [2])).toEqual({ kind: 'secret', shape: [2], share: new BigUint64Array(2), owner: 1 });
    expect(() => input(ctx(0), 0, [3], BigUint64Array.of(1n))).toThrow(
      /P0 enters an input of shape \[3\] but holds 1 entries/,
    );
    expect(() => input(ctx(2), 0, [1])).toThrow(/two-party backend/);
  });

  it('a P2 context is refused with a clear error (a two-party backend)', async () => {
    const ctx = partyContext(2, 16, new MemoryNetwork().endpoint(2), keysFromSeed('p2')[2]);
    const node = { op: 'Relu', out: 'y', x: 'x', type: { shape: [1], scale: 0, label: 'secret' } } as const;
    await expect(
      backend.run(ctx, node, [{ kind: 'secret', shape: [1], share: asShare(new BigUint64Array(0)) }]),
    ).rejects.toThrow(/two-party backend/);
  });

  it('packed bits: wrong length and nonzero padding are decode errors naming the sender only', () => {
    const bits = Uint8Array.of(1, 0, 1, 1, 0);
    expect([...unpackBits(packBits(bits), 5, 1, 'test')]).toEqual([...bits]);
    expect(() => unpackBits(Uint8Array.of(1, 2), 5, 1, 'test')).toThrow(/P1 \(test\): expected 1 bytes, got 2/);
    expect(() => unpackBits(Uint8Array.of(0xff), 5, 0, 'test')).toThrow(/P0 \(test\): nonzero padding bits/);
  });
});

describe('vector-COT corrections: bit-tight packing', () => {
  it('w-bit values round-trip; wrong length and nonzero padding are decode errors', () => {
    for (const w of [1, 3, 7, 8, 13, 63, 64]) {
      const vals = BigUint64Array.from({ length: 11 }, (_, i) => BigInt.asUintN(w, BigInt(i) * 0x9e3779b97f4a7c15n));
      const packed = packValues(vals, w);
      expect(packed.length).toBe(Math.ceil((11 * w) / 8));
      expect([...unpackValues(packed, 11, w, 1, 't')]).toEqual([...vals]);
    }
    expect(() => unpackValues(new Uint8Array(2), 3, 7, 0, 't')).toThrow(/P0 \(t\): expected 3 bytes, got 2/);
    expect(() => unpackValues(Uint8Array.of(0, 0, 0xff), 3, 7, 1, 't')).toThrow(/P1 \(t\): nonzero padding bits/);
  });
});
