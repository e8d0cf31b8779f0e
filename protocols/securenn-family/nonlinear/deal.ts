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
 */
import { bug, CryptflowError } from '../../../spec/errors.js';
import { decodeRing, encodeRing, ringBytes } from '../../common/codec.js';
import type { HelperContext, HolderContext, PartyId } from '../../common/party.js';
import type { Prg } from '../../common/prg.js';
import { subMod } from '../../../semantics/kernels/words.js';
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
export type DealMode = 'one' | 'both';

function perElement(part: Part): number {
  return part.kind === 'field' ? part.per : 1;
}

/** The ring a ring part lives in: Z_{2^ℓ}, or Z_{2^ℓ − 1} for an odd part. */
function ringOf(ell: number, part: RingPart): Ring | OddRing {
  return part.odd ? OddRing(ell) : Ring(ell);
}

function draw(prg: Prg, ell: number, part: Part, count: number): PartValues {
  if (part.kind === 'field') return prg.field(part.field.p, count);
  return part.odd ? prg.below(OddRing(ell).modulus, count) : prg.ring(ell, count);
}

/** value − share, element-wise in the part's domain. */
function complement(ell: number, part: Part, value: PartValues, share: PartValues, from: number): PartValues {
  if (part.kind === 'field') {
    if (!(value instanceof Uint8Array) || !(share instanceof Uint8Array)) return bug('field part holds ring values');
    const out = new Uint8Array(share.length);
    for (let i = 0; i < share.length; i++)
      out[i] = ((value[from + i] as number) - (share[i] as number) + part.field.p) % part.field.p;
    return out;
  }
  if (!(value instanceof BigUint64Array) || !(share instanceof BigUint64Array))
    return bug('ring part holds field values');
  return subMod(ringOf(ell, part), value.subarray(from, from + share.length), share);
}

function encode(ell: number, parts: readonly PartValues[]): Uint8Array {
  const chunks = parts.map((v) => (v instanceof Uint8Array ? v : encodeRing(ell, v)));
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function decode(
  ell: number,
  parts: readonly Part[],
  count: number,
  bytes: Uint8Array,
  from: PartyId,
  what: string,
): PartValues[] {
  const w = ringBytes(ell);
  const sizes = parts.map((p) => (p.kind === 'field' ? p.per * count : w * count));
  const total = sizes.reduce((s, x) => s + x, 0);
  if (bytes.length !== total)
    throw new CryptflowError('decode', `message from P${from} (${what}): expected ${total} bytes, got ${bytes.length}`);
  let at = 0;
  return parts.map((part, i) => {
    const size = sizes[i] as number;
    const chunk = bytes.subarray(at, at + size);
    at += size;
    if (part.kind === 'ring') return decodeRing(ell, chunk, count, from, what, ringOf(ell, part).modulus);
    for (let k = 0; k < chunk.length; k++) {
      if ((chunk[k] as number) >= part.field.p)
        throw new CryptflowError('decode', `message from P${from} (${what}): element ${k} is out of range`);
    }
    return chunk.slice();
  });
}

function concat(a: PartValues, b: PartValues): PartValues {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const out = new Uint8Array(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  }
  if (a instanceof BigUint64Array && b instanceof BigUint64Array) {
    const out = new BigUint64Array(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  }
  return bug('concatenating shares of different domains');
}

/** P2: deal sharings of `values` (one array per part, `per` entries per element, element-major). */
export function deal(
  ctx: HelperContext,
  mode: DealMode,
  n: number,
  parts: readonly Part[],
  values: readonly PartValues[],
): void {
  // The type says who deals; the check stays for callers that cast.
  if (ctx.id !== 2) bug('only the helper deals shares');
  if (values.length !== parts.length) bug(`${values.length} value arrays for ${parts.length} parts`);
  parts.forEach((part, i) => {
    if ((values[i] as PartValues).length !== perElement(part) * n)
      bug(`part ${i} holds ${(values[i] as PartValues).length} values for ${n} elements`);
  });
  const ell = ctx.ell;
  if (mode === 'both') {
    const s0 = parts.map((part) => draw(ctx.own, ell, part, perElement(part) * n));
    const s1 = parts.map((part, i) => complement(ell, part, values[i] as PartValues, s0[i] as PartValues, 0));
    ctx.send(0, encode(ell, s0));
    ctx.send(1, encode(ell, s1));
    return;
  }
  const h = Math.floor(n / 2);
  const toP1 = parts.map((part, i) =>
    complement(ell, part, values[i] as PartValues, draw(ctx.shared(0), ell, part, perElement(part) * h), 0),
  );
  const toP0 = parts.map((part, i) =>
    complement(
      ell,
      part,
      values[i] as PartValues,
      draw(ctx.shared(1), ell, part, perElement(part) * (n - h)),
      perElement(part) * h,
    ),
  );
  ctx.send(0, encode(ell, toP0));
  ctx.send(1, encode(ell, toP1));
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
  if (mode === 'both') return decode(ell, parts, n, await ctx.recv(2, what), 2, what);
  const h = Math.floor(n / 2);
  const fromPrg = ctx.id === 0 ? h : n - h;
  const drawn = parts.map((part) => draw(ctx.shared(2), ell, part, perElement(part) * fromPrg));
  const got = decode(ell, parts, n - fromPrg, await ctx.recv(2, what), 2, what);
  return parts.map((_, i) =>
    ctx.id === 0
      ? concat(drawn[i] as PartValues, got[i] as PartValues)
      : concat(got[i] as PartValues, drawn[i] as PartValues),
  );
}

export function asField(v: PartValues | undefined): Uint8Array {
  return v instanceof Uint8Array ? v : bug('expected Z_p shares');
}

export function asRing(v: PartValues | undefined): BigUint64Array {
  return v instanceof BigUint64Array ? v : bug('expected ring shares');
}
