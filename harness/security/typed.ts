/**
 * Views as typed values: what a simulator produces and what a recorded view decodes to.
 *
 * A message is a list of segments, each a run of elements of one group — Z_{2^ℓ} ('ring'),
 * Z_{2^ℓ−1} ('odd') or Z_p ('field') — on the wire as the codec puts them (ring and odd elements
 * ⌈ℓ/8⌉ bytes little-endian, field elements one byte; protocols/common/codec.ts). A simulated view is
 * the messages each sender would send the corrupted party; its layout (groups and counts, no values)
 * is how the recorded bytes are read back into elements. A recorded view whose messages do not fit
 * the layout — another count, another length, an element outside its group — is reported as a
 * structural difference: the simulator and the protocol disagree on what the party sees.
 *
 * The tests run at small rings (ℓ ≤ 24), so elements are JavaScript numbers; a view flattens to one
 * vector of numbers, sender by sender, message by message, with the modulus of each coordinate.
 */
import { bug, CryptflowError } from '../../spec/errors.js';
import { ringBytes } from '../../spec/cost/types.js';
import type { PartyId } from '../../protocols/common/party.js';
import type { Prg } from '../../protocols/common/prg.js';

export type Group = 'ring' | 'odd' | 'field';

export interface Segment {
  readonly group: Group;
  /** 2^ℓ, 2^ℓ − 1 or p. */
  readonly modulus: number;
  readonly values: readonly number[];
}

export type TypedMessage = readonly Segment[];

/** Per sender, the messages the corrupted party receives, in order. */
export type TypedView = Readonly<Record<PartyId, readonly TypedMessage[]>>;

export interface SegmentShape {
  readonly group: Group;
  readonly modulus: number;
  readonly count: number;
}

export type Layout = Readonly<Record<PartyId, readonly (readonly SegmentShape[])[]>>;

/** The largest ring width the security harness handles (elements must be exact JavaScript numbers). */
export const MAX_SECURITY_ELL = 24;

export function checkSecurityRing(ell: number): void {
  if (!Number.isInteger(ell) || ell < 2 || ell > MAX_SECURITY_ELL) {
    throw new CryptflowError(
      'ring-width',
      `the security tests run at 2 ≤ ℓ ≤ ${MAX_SECURITY_ELL} (exact counting and chi-square tests need small rings), got ℓ = ${ell}`,
    );
  }
}

/**
 * The ring widths a case may be built at: 2 ≤ ℓ ≤ 64. Above MAX_SECURITY_ELL only the structural check
 * (structure.ts) runs a case; the statistical and exact checks call checkSecurityRing.
 */
export function checkCaseRing(ell: number): void {
  if (!Number.isInteger(ell) || ell < 2 || ell > 64)
    throw new CryptflowError('ring-width', `a security case runs at 2 ≤ ℓ ≤ 64, got ℓ = ${ell}`);
}

export function modulusOf(ell: number, group: Group, p?: number): number {
  switch (group) {
    case 'ring':
      return 2 ** ell;
    case 'odd':
      return 2 ** ell - 1;
    case 'field':
      return p ?? bug('a field segment needs its prime');
  }
}

/** Bytes per element on the wire. */
export function widthOf(ell: number, group: Group): number {
  return group === 'field' ? 1 : ringBytes(ell);
}

/** `count` uniform elements of the group, from `rng`. */
export function uniformSegment(rng: Prg, ell: number, group: Group, count: number, p?: number): Segment {
  const m = modulusOf(ell, group, p);
  let values: number[];
  if (group === 'ring') values = [...rng.ring(ell, count)].map(Number);
  else if (group === 'odd') values = [...rng.below(BigInt(m), count)].map(Number);
  else values = [...rng.field(m, count)];
  return { group, modulus: m, values };
}

export function segment(ell: number, group: Group, values: ArrayLike<number | bigint>, p?: number): Segment {
  return { group, modulus: modulusOf(ell, group, p), values: Array.from(values, Number) };
}

export function emptyView(): Record<PartyId, TypedMessage[]> {
  return { 0: [], 1: [], 2: [] };
}

export function layoutOf(view: TypedView): Layout {
  const shape = (msgs: readonly TypedMessage[]): SegmentShape[][] =>
    msgs.map((m) => m.map((s) => ({ group: s.group, modulus: s.modulus, count: s.values.length })));
  return { 0: shape(view[0]), 1: shape(view[1]), 2: shape(view[2]) };
}

export function sameLayout(a: Layout, b: Layout): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const SENDERS: readonly PartyId[] = [0, 1, 2];

/** The moduli of the flattened coordinates. */
export function moduliOf(layout: Layout): number[] {
  const out: number[] = [];
  for (const from of SENDERS)
    for (const msg of layout[from]) for (const s of msg) for (let i = 0; i < s.count; i++) out.push(s.modulus);
  return out;
}

/** A short description of where coordinate `k` sits (for reports). */
export function describeCoordinate(layout: Layout, k: number): string {
  let at = 0;
  for (const from of SENDERS) {
    for (const [mi, msg] of layout[from].entries()) {
      for (const [si, s] of msg.entries()) {
        if (k < at + s.count)
          return `P${from}'s message ${mi + 1}, segment ${si + 1} (${s.group === 'field' ? `Z_${s.modulus}` : s.group === 'odd' ? 'Z_{2^ℓ−1}' : 'Z_{2^ℓ}'}), element ${k - at + 1}`;
        at += s.count;
      }
    }
  }
  return `coordinate ${k}`;
}

export function flatten(view: TypedView): Int32Array {
  const out: number[] = [];
  for (const from of SENDERS) for (const msg of view[from]) for (const s of msg) out.push(...s.values);
  return Int32Array.from(out);
}

/** Encode a typed message as the codec would put it on the wire. */
export function encodeMessage(ell: number, msg: TypedMessage): Uint8Array {
  const bytes: number[] = [];
  for (const s of msg) {
    const w = widthOf(ell, s.group);
    for (const v of s.values) for (let b = 0; b < w; b++) bytes.push(Math.floor(v / 2 ** (8 * b)) & 0xff);
  }
  return Uint8Array.from(bytes);
}

export type Decoded = { readonly ok: true; readonly values: Int32Array } | { readonly ok: false; readonly why: string };

/** Read a recorded view back into coordinates with the layout, or say where it does not fit. */
export function decodeView(
  ell: number,
  layout: Layout,
  received: Readonly<Record<PartyId, readonly Uint8Array[]>>,
): Decoded {
  const out: number[] = [];
  for (const from of SENDERS) {
    const want = layout[from];
    const got = received[from];
    if (got.length !== want.length)
      return { ok: false, why: `P${from} sent ${got.length} messages, the simulator ${want.length}` };
    for (const [mi, msg] of want.entries()) {
      const bytes = got[mi] ?? bug('message');
      const size = msg.reduce((s, seg) => s + seg.count * widthOf(ell, seg.group), 0);
      if (bytes.length !== size)
        return { ok: false, why: `P${from}'s message ${mi + 1} has ${bytes.length} bytes, the simulator's ${size}` };
      let at = 0;
      for (const seg of msg) {
        const w = widthOf(ell, seg.group);
        for (let i = 0; i < seg.count; i++) {
          let v = 0;
          for (let b = w - 1; b >= 0; b--) v = v * 256 + (bytes[at + b] as number);
          at += w;
          if (v >= seg.modulus)
            return { ok: false, why: `P${from}'s message ${mi + 1} holds an element outside Z_${seg.modulus}` };
          out.push(v);
        }
      }
    }
  }
  return { ok: true, values: Int32Array.from(out) };
}

/** Flatten an output (a list of segments) to coordinates and moduli. */
export function flattenSegments(segs: readonly Segment[]): { values: Int32Array; moduli: number[] } {
  const values: number[] = [];
  const moduli: number[] = [];
  for (const s of segs) {
    values.push(...s.values);
    for (let i = 0; i < s.values.length; i++) moduli.push(s.modulus);
  }
  return { values: Int32Array.from(values), moduli };
}
