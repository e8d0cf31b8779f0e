/**
 * The helper P2 dealing fresh additive sharings of values it knows (bit shares of a masked value over
 * Z_p, a wrap bit or a comparison bit over Z_{2^ℓ} or Z_{2^ℓ−1}) to P0 and P1 — one message per link
 * for all elements and all parts of a step.
 *
 * Two modes (COMM-SPEC.md, variant.ts):
 *   - 'both' (SecureNN): P2 draws P0's share from its own PRG, sets P1's to value − P0's share, and
 *     sends each party its share.
 *   - 'one' (Porthos): with h = ⌊n/2⌋, for elements [0, h) P0's share is drawn from the PRG P0 and
 *     P2 share (both draw it) and P2 sends P1 value − that; for [h, n) P1's share comes from the P1–P2
 *     PRG and P2 sends P0's. Each party receives one message (possibly empty, so that the round
 *     structure does not depend on n).
 * Either way each party's share alone is uniform, and the two sum to the value.
 *
 * A message is the concatenation, part by part, of the receiver's shares for the elements it is sent:
 * Z_p values one byte each, ring values ⌈ℓ/8⌉ bytes each (codec.ts).
 *
 * Memory (proofs-notes/performance.md §9): field parts are drawn in blocks of DEAL_BLOCK elements by
 * both ends of a PRG, written straight into the message or the receiver's output, and a part of ℓ bits
 * per element may be given as its elements (`BitsOf`), decomposed one block at a time.
 */
import { bug, CryptflowError } from '../../../spec/errors.js';
import { decodeRing, encodeRing, firstByteAtLeast, ringBytes } from '../../common/codec.js';
import type { HelperContext, HolderContext, PartyId } from '../../common/party.js';
import { handOver } from '../../common/handover.js';
import type { Prg } from '../../common/prg.js';
import { subMod, wordsOf } from '../../../semantics/kernels/words.js';
import { bitsOf } from './arith.js';
import { OddRing, type Field } from '../../../spec/field.js';
import { Ring } from '../../../spec/ring.js';

/** `per` values of the field Z_p per element. */
export interface FieldPart {
  readonly kind: 'field';
  readonly field: Field;
  readonly per: number;
}

/** One value per element of Z_{2^ℓ} (`odd` false) or Z_{2^ℓ−1} (`odd` true). */
export interface RingPart {
  readonly kind: 'ring';
  readonly odd: boolean;
}

export type Part = FieldPart | RingPart;
export type PartValues = Uint8Array | BigUint64Array;

/**
 * The values of a field part with `per` = ℓ given as the ℓ-bit elements whose bits they are (entry
 * e·ℓ + k is bit k of element e, as `bitsOf`): the dealer decomposes one block at a time instead of
 * holding all n·ℓ bits.
 */
export interface BitsOf {
  readonly bitsOf: BigUint64Array;
}

/** What the dealer deals for one part: its values, or (field parts) the elements whose bits they are. */
export type DealValues = PartValues | BitsOf;

/** The number of values `v` stands for. */
function valueCount(ell: number, v: DealValues): number {
  return 'bitsOf' in v ? v.bitsOf.length * ell : v.length;
}

/**
 * Values `from` … `from + count` of `v` as an array and the index of the first in it: the array itself,
 * or the bits of just those elements (`from` and `count` are whole elements there, as the blocks are).
 */
function valuesAt(ell: number, v: DealValues, from: number, count: number): [PartValues, number] {
  if (!('bitsOf' in v)) return [v, from];
  if (from % ell !== 0 || count % ell !== 0) return bug('a block of bits that is not whole elements');
  return [bitsOf(ell, v.bitsOf.subarray(from / ell, (from + count) / ell)), 0];
}
export type DealMode = 'one' | 'both';

function perElement(part: Part): number {
  return part.kind === 'field' ? part.per : 1;
}

/** The ring a ring part lives in: Z_{2^ℓ}, or Z_{2^ℓ − 1} for an odd part. */
function ringOf(ell: number, part: RingPart): Ring | OddRing {
  return part.odd ? OddRing(ell) : Ring(ell);
}

/**
 * Draws `count` values of a part from `prg` and hands them to `use` with the index of the first: a field
 * part in blocks of DEAL_BLOCK elements (`per`·DEAL_BLOCK values; the dealer and the receiver draw the
 * same blocks, so they draw the same values, and one block is the unstreamed draw), a ring part at once.
 */
function drawBlocks(
  prg: Prg,
  ell: number,
  part: Part,
  count: number,
  use: (share: PartValues, first: number) => void,
): void {
  if (part.kind !== 'field') {
    use(part.odd ? prg.below(OddRing(ell).modulus, count) : prg.ring(ell, count), 0);
    return;
  }
  const block = DEAL_BLOCK * part.per;
  for (let i = 0; i < count; i += block) use(prg.field(part.field.p, Math.min(block, count - i)), i);
}

/** Elements per block of a field part's PRG draw (as PrivateCompare's STREAM_BLOCK). */
export const DEAL_BLOCK = 32768;

/** Bytes of `count` elements of a part in a message. */
function partBytes(ell: number, part: Part, count: number): number {
  return part.kind === 'field' ? part.per * count : ringBytes(ell) * count;
}

/**
 * Writes (value − share), element-wise in the part's domain, for the elements of `value` from `from`
 * on, into `msg` at byte `at`; returns the byte after them. Field parts go straight into the message,
 * without an intermediate array of their size.
 */
function putComplement(
  ell: number,
  part: Part,
  value: PartValues,
  share: PartValues,
  from: number,
  msg: Uint8Array,
  at: number,
): number {
  if (part.kind === 'field') {
    if (!(value instanceof Uint8Array) || !(share instanceof Uint8Array)) return bug('field part holds ring values');
    // v − s for v, s ∈ [0, p) lies in (−p, p): add p where it is negative (the sign bit, as a mask).
    const p = part.field.p;
    for (let i = 0; i < share.length; i++) {
      const d = (value[from + i] as number) - (share[i] as number);
      msg[at + i] = d + (p & (d >> 31));
    }
    return at + share.length;
  }
  if (!(value instanceof BigUint64Array) || !(share instanceof BigUint64Array))
    return bug('ring part holds field values');
  const enc = encodeRing(ell, subMod(ringOf(ell, part), value.subarray(from, from + share.length), share));
  msg.set(enc, at);
  return at + enc.length;
}

/**
 * (value − share) for the values `first` … of `v` into `msg` at byte `at` (putComplement); returns the
 * byte after them. Bits given as their elements (`BitsOf`) are read straight from the elements' 32-bit
 * words, without the block's bit array: bit k of element e is entry e·ℓ + k, as `bitsOf` lays it out.
 */
function complementInto(
  ell: number,
  part: Part,
  v: DealValues,
  first: number,
  share: PartValues,
  msg: Uint8Array,
  at: number,
): number {
  if (!('bitsOf' in v) || part.kind !== 'field' || !(share instanceof Uint8Array)) {
    const [value, from] = valuesAt(ell, v, first, share.length);
    return putComplement(ell, part, value, share, from, msg, at);
  }
  if (first % ell !== 0 || share.length % ell !== 0) return bug('a block of bits that is not whole elements');
  const p = part.field.p;
  const words = wordsOf(v.bitsOf);
  const e0 = first / ell;
  const low = Math.min(ell, 32);
  for (let e = 0; e < share.length / ell; e++) {
    const lo = words[2 * (e0 + e)] as number;
    const hi = words[2 * (e0 + e) + 1] as number;
    const base = e * ell;
    for (let k = 0; k < low; k++) {
      const d = ((lo >>> k) & 1) - (share[base + k] as number);
      msg[at + base + k] = d + (p & (d >> 31));
    }
    for (let k = 32; k < ell; k++) {
      const d = ((hi >>> (k - 32)) & 1) - (share[base + k] as number);
      msg[at + base + k] = d + (p & (d >> 31));
    }
  }
  return at + share.length;
}

/** Writes a part's values into `msg` at byte `at` (field bytes as they are, ring values encoded). */
function putValues(ell: number, v: PartValues, msg: Uint8Array, at: number): number {
  const enc = v instanceof Uint8Array ? v : encodeRing(ell, v);
  msg.set(enc, at);
  return at + enc.length;
}

/**
 * Reads the received part values for `count` elements from `bytes` into `outs` (one per part, each
 * `per`·n entries) at element `at`, checking the length and that every value is in its domain.
 */
function decodeInto(
  ell: number,
  parts: readonly Part[],
  count: number,
  bytes: Uint8Array,
  outs: readonly PartValues[],
  at: number,
  from: PartyId,
  what: string,
): void {
  const total = parts.reduce((sum, part) => sum + partBytes(ell, part, count), 0);
  if (bytes.length !== total)
    throw new CryptflowError('decode', `message from P${from} (${what}): expected ${total} bytes, got ${bytes.length}`);
  let pos = 0;
  parts.forEach((part, i) => {
    const size = partBytes(ell, part, count);
    const chunk = bytes.subarray(pos, pos + size);
    pos += size;
    const out = outs[i] as PartValues;
    if (part.kind === 'ring') {
      setInto(out, decodeRing(ell, chunk, count, from, what, ringOf(ell, part).modulus), at);
      return;
    }
    const bad = firstByteAtLeast(chunk, part.field.p);
    if (bad >= 0) throw new CryptflowError('decode', `message from P${from} (${what}): element ${bad} is out of range`);
    setInto(out, chunk, at * part.per);
  });
}

/** Copies `v` into `out` at index `at`; both hold the same domain. */
function setInto(out: PartValues, v: PartValues, at: number): void {
  if (out instanceof Uint8Array && v instanceof Uint8Array) out.set(v, at);
  else if (out instanceof BigUint64Array && v instanceof BigUint64Array) out.set(v, at);
  else bug('copying shares of different domains');
}

/** An array for n elements of a part. */
function allocate(part: Part, n: number): PartValues {
  return part.kind === 'field' ? new Uint8Array(part.per * n) : new BigUint64Array(n);
}

/** P2: deal sharings of `values` (one array per part, `per` entries per element, element-major). */
export function deal(
  ctx: HelperContext,
  mode: DealMode,
  n: number,
  parts: readonly Part[],
  values: readonly DealValues[],
): void {
  // The type says who deals; the check stays for callers that cast.
  if (ctx.id !== 2) bug('only the helper deals shares');
  if (values.length !== parts.length) bug(`${values.length} value arrays for ${parts.length} parts`);
  const ell = ctx.ell;
  parts.forEach((part, i) => {
    const v = values[i] as DealValues;
    if ('bitsOf' in v && (part.kind !== 'field' || part.per !== ell)) bug(`part ${i} is not ℓ bits per element`);
    if (valueCount(ell, v) !== perElement(part) * n)
      bug(`part ${i} holds ${valueCount(ell, v)} values for ${n} elements`);
  });
  const size = (count: number): number => parts.reduce((sum, part) => sum + partBytes(ell, part, count), 0);
  if (mode === 'both') {
    const to0 = new Uint8Array(size(n));
    const to1 = new Uint8Array(size(n));
    let at = 0;
    parts.forEach((part, i) => {
      let end = at;
      drawBlocks(ctx.own, ell, part, perElement(part) * n, (share, first) => {
        const put = valueOffset(ell, part, first);
        complementInto(ell, part, values[i] as DealValues, first, share, to1, at + put);
        end = putValues(ell, share, to0, at + put);
      });
      at = end;
    });
    ctx.send(0, handOver(to0));
    ctx.send(1, handOver(to1));
    return;
  }
  const h = Math.floor(n / 2);
  const toP1 = new Uint8Array(size(h));
  const toP0 = new Uint8Array(size(n - h));
  // P1's message: elements [0, h), P0's share drawn from the P0–P2 PRG; P0's: [h, n), from P1–P2's.
  const halves = [
    { prg: ctx.shared(0), msg: toP1, from: 0, count: h },
    { prg: ctx.shared(1), msg: toP0, from: h, count: n - h },
  ];
  for (const { prg, msg, from, count } of halves) {
    let at = 0;
    parts.forEach((part, i) => {
      let end = at;
      drawBlocks(prg, ell, part, perElement(part) * count, (share, first) => {
        const value = values[i] as DealValues;
        end = complementInto(
          ell,
          part,
          value,
          perElement(part) * from + first,
          share,
          msg,
          at + valueOffset(ell, part, first),
        );
      });
      at = end;
    });
  }
  ctx.send(0, handOver(toP0));
  ctx.send(1, handOver(toP1));
}

/** The byte offset in a message of a part's value number `first`. */
function valueOffset(ell: number, part: Part, first: number): number {
  return part.kind === 'field' ? first : ringBytes(ell) * first;
}

/** P0 or P1: this party's shares of a deal, one array per part (`per` entries per element). */
export async function receiveDeal(
  ctx: HolderContext,
  mode: DealMode,
  n: number,
  parts: readonly Part[],
  what: string,
): Promise<PartValues[]> {
  // The type says who receives; the check stays for callers that cast.
  if ((ctx.id as PartyId) === 2) bug('the helper receives no deal');
  const ell = ctx.ell;
  const outs = parts.map((part) => allocate(part, n));
  if (mode === 'both') {
    decodeInto(ell, parts, n, await ctx.recv(2, what), outs, 0, 2, what);
    return outs;
  }
  // P0 draws elements [0, h) and receives [h, n); P1 receives [0, h) and draws [h, n).
  const h = Math.floor(n / 2);
  const [drawnFrom, fromPrg] = ctx.id === 0 ? [0, h] : [h, n - h];
  parts.forEach((part, i) => {
    drawBlocks(ctx.shared(2), ell, part, perElement(part) * fromPrg, (share, first) =>
      setInto(outs[i] as PartValues, share, perElement(part) * drawnFrom + first),
    );
  });
  decodeInto(ell, parts, n - fromPrg, await ctx.recv(2, what), outs, ctx.id === 0 ? h : 0, 2, what);
  return outs;
}

export function asField(v: PartValues | undefined): Uint8Array {
  return v instanceof Uint8Array ? v : bug('expected Z_p shares');
}

export function asRing(v: PartValues | undefined): BigUint64Array {
  return v instanceof BigUint64Array ? v : bug('expected ring shares');
}
