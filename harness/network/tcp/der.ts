/**
 * A minimal DER encoder (ITU-T X.690), enough to write X.509 certificates (RFC 5280): node 20 can
 * sign and parse certificates but has no API to create one, and the party runtime must not depend
 * on a system tool for its throw-away certificates.
 *
 * Every value is a tag-length-value triple; lengths use the definite short form below 128 and the
 * long form above. Only the universal types a certificate needs are here, plus context-specific
 * explicit and implicit tags. Each function returns the complete encoding of one value.
 */
import { bug } from '../../../spec/errors.js';

export type Der = Uint8Array;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The definite-length octets for a content of n bytes. */
export function derLength(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) bug(`DER length ${n}`);
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One value: tag octet, length, content. */
export function tlv(tag: number, content: Uint8Array): Der {
  return concat([Uint8Array.of(tag), derLength(content.length), content]);
}

export const sequence = (...items: readonly Der[]): Der => tlv(0x30, concat(items));
export const set = (...items: readonly Der[]): Der => tlv(0x31, concat(items));

/** A non-negative INTEGER from its big-endian magnitude (minimal octets, a 0x00 before a high bit). */
export function unsignedInteger(magnitude: Uint8Array): Der {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const body = magnitude.length === 0 ? Uint8Array.of(0) : magnitude.subarray(start);
  return tlv(0x02, ((body[0] ?? 0) & 0x80) !== 0 ? concat([Uint8Array.of(0), body]) : body);
}

export function smallInteger(n: number): Der {
  if (!Number.isSafeInteger(n) || n < 0) bug(`DER small integer ${n}`);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return unsignedInteger(Uint8Array.from(bytes));
}

export const boolean = (b: boolean): Der => tlv(0x01, Uint8Array.of(b ? 0xff : 0x00));

/** OBJECT IDENTIFIER from its dotted form, e.g. '2.5.4.3'. */
export function oid(dotted: string): Der {
  const arcs = dotted.split('.').map(Number);
  const [a, b] = arcs;
  if (
    a === undefined ||
    b === undefined ||
    arcs.some((x) => !Number.isSafeInteger(x) || x < 0) ||
    a > 2 ||
    (a < 2 && b >= 40)
  )
    bug(`bad OID ${dotted}`);
  const out: number[] = [];
  for (const arc of [40 * a + b, ...arcs.slice(2)]) {
    const groups: number[] = [];
    let v = arc;
    do {
      groups.unshift(v % 128);
      v = Math.floor(v / 128);
    } while (v > 0);
    groups.forEach((g, i) => out.push(i < groups.length - 1 ? g | 0x80 : g));
  }
  return tlv(0x06, Uint8Array.from(out));
}

export const utf8String = (s: string): Der => tlv(0x0c, new TextEncoder().encode(s));
export const octetString = (b: Uint8Array): Der => tlv(0x04, b);

/** BIT STRING of whole octets (0 unused bits) or of `bits` significant bits. */
export function bitString(b: Uint8Array, unusedBits = 0): Der {
  if (unusedBits < 0 || unusedBits > 7 || (b.length === 0 && unusedBits !== 0))
    bug(`bit string with ${unusedBits} unused bits`);
  return tlv(0x03, concat([Uint8Array.of(unusedBits), b]));
}

const two = (n: number): string => String(n).padStart(2, '0');

/** A time as RFC 5280 §4.1.2.5 requires: UTCTime through 2049, GeneralizedTime from 2050, in seconds, UTC. */
export function time(d: Date): Der {
  const y = d.getUTCFullYear();
  const rest = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(0x17, new TextEncoder().encode(`${two(y % 100)}${rest}`));
  return tlv(0x18, new TextEncoder().encode(`${String(y).padStart(4, '0')}${rest}`));
}

/** [n] EXPLICIT: the tagged value wraps a complete encoding. */
export const explicit = (n: number, inner: Der): Der => tlv(0xa0 | n, inner);

/** [n] IMPLICIT for a primitive value: the tag replaces the universal one. */
export const implicitPrimitive = (n: number, content: Uint8Array): Der => tlv(0x80 | n, content);
