/**
 * Mutation kills for protocols/kernels/otmul.ts (the OT-product loops in wasm and their TypeScript
 * references), with exact expected values:
 *   - line 245 ConditionalExpression true / false, EqualityOperator `kind !== 'wasm'`, StringLiteral `""`:
 *     `otMulKernels` answers with the exported wasm functions for 'wasm' and the references otherwise;
 *   - line 31 ArrayDeclaration `[]`: a stale build without the six loops is refused naming them;
 *   - line 39 ArithmeticOperator `bytes * 8`, line 51 ArrayDeclaration `[]` and `words(bytes) - 1`,
 *     line 145 `m * 2`, line 183 `out.length * 2` and `n * 2`, line 212 `n * 2`: each call lays out
 *     exactly its operands' scratch, so linear memory grows to exactly the pages they need;
 *   - line 55 and line 118 MethodExpression (no `.slice()`): results are copies, not views on memory;
 *   - line 79 ArithmeticOperator `8 / (…)`: unpacking zero-fills the whole source region, so bytes missing
 *     from a short input read as zero (as in the reference) whatever the scratch held before;
 *   - line 88 and line 253 EqualityOperator `<=`: the references read no element past the input's end;
 *   - line 263 MethodExpression `src`, line 264 ConditionalExpression false, line 267 ConditionalExpression
 *     true: `maskedWords` returns a fresh copy, keeps every bit for w ≥ 64 and clears every bit for a
 *     width far below 1.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  accumulateTerms,
  bitsAt,
  gatherWords,
  maskedWords,
  otMulKernels,
  packWords,
  packWordsReference,
  unpackWords,
  unpackWordsReference,
  vcotCorrect,
  vcotOutput,
  accumulateTermsReference,
  bitsAtReference,
  vcotCorrectReference,
  vcotOutputReference,
} from '../../protocols/kernels/otmul.js';
import { wasmScratch } from '../../semantics/kernels/wasm.js';
import { expectStaleBuild, memoryOnlyWasm } from './support.js';

/** What build/kernels.wasm reads as: the real file (null) or the given bytes. */
const build = vi.hoisted(() => ({ bytes: null as Uint8Array | null }));

vi.mock('node:fs', async (importOriginal) =>
  (await import('./support.js')).fsServingWasm(await importOriginal<typeof import('node:fs')>(), build),
);

afterEach(() => {
  build.bytes = null;
});

const PAGE = 65536;
const ONES = (1n << 64n) - 1n;

/** The first scratch address after the geometry block. */
const scratchBase = (): number => wasmScratch([0]).ptrs[0] as number;
const memoryBytes = (): number => wasmScratch([]).memory.buffer.byteLength;
/** The byte size of a scratch region of `w` words (16-byte aligned). */
const regionBytes = (w: number): number => Math.ceil((w * 8) / 16) * 16;
/** Linear memory's size after a call laying out regions of these word counts, from the present size. */
const grownTo = (regions: readonly number[]): number => {
  const end = scratchBase() + regions.reduce((s, w) => s + regionBytes(w), 0);
  const have = memoryBytes();
  return end > have ? have + Math.ceil((end - have) / PAGE) * PAGE : have;
};
/** Enough elements that a call with n-word operands grows memory by several pages. */
const beyondMemory = (): number => Math.ceil((memoryBytes() - scratchBase()) / 8) + 4 * PAGE;

describe('otMulKernels picks the implementation', () => {
  it("'wasm' answers with the exported wasm loops, 'reference' with the TypeScript references", () => {
    const wasm = otMulKernels('wasm');
    const ref = otMulKernels('reference');
    expect(wasm.packWords).toBe(packWords);
    expect(wasm.unpackWords).toBe(unpackWords);
    expect(wasm.vcotCorrect).toBe(vcotCorrect);
    expect(wasm.vcotOutput).toBe(vcotOutput);
    expect(wasm.accumulateTerms).toBe(accumulateTerms);
    expect(wasm.bitsAt).toBe(bitsAt);
    expect(ref.packWords).toBe(packWordsReference);
    expect(ref.unpackWords).toBe(unpackWordsReference);
    expect(ref.vcotCorrect).toBe(vcotCorrectReference);
    expect(ref.vcotOutput).toBe(vcotOutputReference);
    expect(ref.accumulateTerms).toBe(accumulateTermsReference);
    expect(ref.bitsAt).toBe(bitsAtReference);
  });
});

describe('scratch layout: memory grows to exactly the pages the operands need', () => {
  it('packWords: n source words and ⌈bytes/8⌉ + 1 destination words, on a page edge', () => {
    // w = 64: the regions end at base + 16·n + 16; choose n so that this is 16 bytes past the present end
    const n = (memoryBytes() - scratchBase()) / 16;
    expect(Number.isInteger(n)).toBe(true);
    const values = BigUint64Array.from({ length: n }, (_, i) => BigInt(i) * 0x0123456789abcdefn);
    const want = grownTo([n, n + 1]);
    expect(want).toBe(memoryBytes() + PAGE);
    const packed = packWords(values, 64);
    expect(memoryBytes()).toBe(want);
    expect(packed).toEqual(new Uint8Array(values.buffer));
  });

  it('packWords of many narrow values', () => {
    const n = beyondMemory();
    const values = BigUint64Array.from({ length: n }, (_, i) => BigInt(i & 7));
    const bytes = Math.ceil((n * 3) / 8);
    const want = grownTo([n, Math.ceil(bytes / 8) + 1]);
    const packed = packWords(values, 3);
    expect(memoryBytes()).toBe(want);
    expect(packed.length).toBe(bytes);
    expect(packed.subarray(0, 3)).toEqual(packWordsReference(values.subarray(0, 8), 3));
  });

  it('vcotOutput: n, n, ⌈m/2⌉ and ⌈m/8⌉ words', () => {
    const m = beyondMemory();
    const g = BigUint64Array.from({ length: m }, (_, i) => BigInt(i));
    const v = new BigUint64Array(m).fill(100n);
    const lens = new Int32Array(m).fill(1);
    const choices = Uint8Array.from({ length: m }, (_, i) => i & 1);
    const want = grownTo([m, m, Math.ceil(m / 2), Math.ceil(m / 8)]);
    const out = vcotOutput(g, v, lens, choices, 64);
    expect(memoryBytes()).toBe(want);
    expect(out.subarray(0, 4)).toEqual(BigUint64Array.of(0n, 101n, 2n, 103n));
  });

  it('accumulateTerms: acc, ⌈|out|/2⌉, ⌈n/2⌉ and n words', () => {
    const n = beyondMemory();
    const acc = BigUint64Array.of(1n, 2n);
    const out = Int32Array.from({ length: n }, (_, i) => i & 1);
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const got = new BigUint64Array(n).fill(1n);
    const want = grownTo([2, Math.ceil(n / 2), Math.ceil(n / 2), n]);
    accumulateTerms(acc, out, order, got, 1, false);
    expect(memoryBytes()).toBe(want);
    expect(acc).toEqual(BigUint64Array.of(1n + 2n * BigInt(Math.ceil(n / 2)), 2n + 2n * BigInt(Math.floor(n / 2))));
  });

  it('bitsAt: |src|, ⌈n/2⌉ and ⌈n/8⌉ words', () => {
    const n = beyondMemory();
    const src = BigUint64Array.of(0n, 1n << 5n);
    const idx = Int32Array.from({ length: n }, (_, i) => i & 1);
    const want = grownTo([2, Math.ceil(n / 2), Math.ceil(n / 8)]);
    const bits = bitsAt(src, idx, 5);
    expect(memoryBytes()).toBe(want);
    expect(bits.subarray(0, 4)).toEqual(Uint8Array.of(0, 1, 0, 1));
    expect(bits.length).toBe(n);
  });
});

describe('results are copies, not views on linear memory', () => {
  it('a packed result survives the next call', () => {
    const first = packWords(BigUint64Array.of(0x11n, 0x22n), 8);
    packWords(BigUint64Array.of(0x77n, 0x88n), 8);
    expect(first).toEqual(Uint8Array.of(0x11, 0x22));
    expect(first.buffer).not.toBe(wasmScratch([]).memory.buffer);
  });

  it('vcotCorrect corrections survive the next call', () => {
    const { x, v } = vcotCorrect(BigUint64Array.of(10n), BigUint64Array.of(3n), BigUint64Array.of(5n), 8);
    vcotCorrect(BigUint64Array.of(200n), BigUint64Array.of(1n), BigUint64Array.of(1n), 8);
    expect(x).toEqual(BigUint64Array.of(10n));
    expect(v).toEqual(BigUint64Array.of(12n));
    expect(v.buffer).not.toBe(wasmScratch([]).memory.buffer);
  });
});

describe('unpacking a short input', () => {
  it('reads missing bytes as zero even after a call left ones in the scratch', () => {
    const ones = new BigUint64Array(4).fill(ONES);
    vcotCorrect(ones, ones, ones, 64);
    const short = Uint8Array.of(0x05);
    expect(unpackWords(short, 2, 64)).toEqual(BigUint64Array.of(5n, 0n));
    expect(unpackWordsReference(short, 2, 64)).toEqual(BigUint64Array.of(5n, 0n));
  });
});

describe('the references read only the elements they need', () => {
  it('unpackWordsReference reads bytes 0 … ⌈n·w/8⌉ − 1', () => {
    const read: string[] = [];
    const bytes = new Proxy(Uint8Array.of(0x21, 0x43, 0x65), {
      get(target, key) {
        if (typeof key === 'string') read.push(key);
        return Reflect.get(target, key) as unknown;
      },
    });
    expect(unpackWordsReference(bytes, 2, 8)).toEqual(BigUint64Array.of(0x21n, 0x43n));
    expect(read).toEqual(['0', '1']);
  });

  it('gatherWords reads idx[0 … length − 1] only', () => {
    const idx: ArrayLike<number> = {
      length: 2,
      0: 1,
      1: 0,
      get 2(): number {
        throw new Error('read past the end of idx');
      },
    };
    expect(gatherWords(BigUint64Array.of(7n, ONES), idx)).toEqual(BigUint64Array.of(ONES, 7n));
  });
});

describe('maskedWords', () => {
  it('returns a fresh copy and leaves its input alone', () => {
    const src = BigUint64Array.of(0x1234n, ONES);
    const low = maskedWords(src, 8);
    expect(low).toEqual(BigUint64Array.of(0x34n, 0xffn));
    expect(src).toEqual(BigUint64Array.of(0x1234n, ONES));
    const all = maskedWords(src, 64);
    expect(all).not.toBe(src);
    expect(all).toEqual(src);
  });

  it('keeps every bit for a width above 64', () => {
    const src = BigUint64Array.of(ONES, 0x8000_0001_0000_0002n);
    expect(maskedWords(src, 96)).toEqual(src);
  });

  it('clears every bit for a width far below 1', () => {
    expect(maskedWords(BigUint64Array.of(ONES, 0x8000_0001_0000_0002n), -40)).toEqual(BigUint64Array.of(0n, 0n));
  });
});

describe('a stale build', () => {
  it('without the six OT-product loops is a usage error naming them', async () => {
    build.bytes = memoryOnlyWasm();
    vi.resetModules();
    const fresh = await import('../../protocols/kernels/otmul.js');
    expectStaleBuild(
      () => fresh.packWords(BigUint64Array.of(1n), 8),
      /is stale \(missing packWords, unpackWords, vcotCorrect, vcotOutput, accumulateTerms, bitsAt\); run `npm run build:wasm`/,
    );
  });
});
