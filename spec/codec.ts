/**
 * The shared io-ts kit of every codec of an external format (docs/ARCHITECTURE.md, the codec rule):
 * dispatch on a discriminant, float32 and decimal-integer arrays, and a REDACTED error reporter (paths
 * into the document and expected types, never values). The format codecs themselves live beside the
 * types they decode (ir/json/, harness/network/tcp/config.ts, harness/party/, harness/io/,
 * passes/secrecy/policy.ts) and build on these.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';

/** A union decoded by looking at `tag` first, so errors concern the one member the tag selects. */
export function byTag<C extends Record<string, t.Mixed>>(
  name: string,
  tag: string,
  members: C,
): t.Type<t.TypeOf<C[keyof C]>, t.OutputOf<C[keyof C]>, unknown> {
  type A = t.TypeOf<C[keyof C]>;
  type O = t.OutputOf<C[keyof C]>;
  const pick = (u: unknown): t.Mixed | undefined => {
    if (typeof u !== 'object' || u === null) return undefined;
    const key = (u as Record<string, unknown>)[tag];
    return typeof key === 'string' && Object.hasOwn(members, key) ? members[key] : undefined;
  };
  return new t.Type<A, O, unknown>(
    name,
    (u): u is A => pick(u)?.is(u) ?? false,
    (u, c) => {
      const m = pick(u);
      if (m !== undefined) return m.validate(u, c) as t.Validation<A>;
      return t.failure(
        u,
        t.appendContext(c, tag, t.string, undefined),
        `expected ${tag} to be one of ${Object.keys(members).join(', ')}`,
      );
    },
    (a) => (pick(a)?.encode(a) ?? a) as O,
  );
}

/** float32 values as a JSON array of numbers (rounded to float32; must stay finite). */
export const Float32Values = new t.Type<Float32Array, number[], unknown>(
  'Float32Values',
  (u): u is Float32Array => u instanceof Float32Array,
  (u, c) => {
    if (!Array.isArray(u)) return t.failure(u, c, 'expected an array of numbers');
    const out = new Float32Array(u.length);
    for (let i = 0; i < u.length; i++) {
      const v: unknown = u[i];
      const f = typeof v === 'number' ? Math.fround(v) : NaN;
      if (!Number.isFinite(f))
        return t.failure(v, t.appendContext(c, String(i), t.number, v), 'expected a finite number in float32 range');
      out[i] = f;
    }
    return t.success(out);
  },
  (a) => Array.from(a),
);

/** A signed integer written as a decimal string (JSON numbers cannot hold 64-bit values). */
export const DecimalBigInt = new t.Type<bigint, string, unknown>(
  'DecimalInteger',
  (u): u is bigint => typeof u === 'bigint',
  (u, c) =>
    typeof u === 'string' && /^-?\d+$/.test(u)
      ? t.success(BigInt(u))
      : t.failure(u, c, 'expected a decimal integer string'),
  (a) => a.toString(),
);

function kindOf(u: unknown): string {
  if (u === null) return 'null';
  if (Array.isArray(u)) return 'an array';
  return typeof u === 'object' ? 'an object' : `a ${typeof u}`;
}

/** `at $.nodes[3].x: expected string, got a number` — the path and the kind of value only. */
export function reportErrors(errors: t.Errors): string[] {
  return errors.map((e) => {
    let path = '$';
    e.context.forEach((entry, i) => {
      const parent = e.context[i - 1]?.type;
      if (i === 0 || parent instanceof t.IntersectionType || parent instanceof t.UnionType) return;
      path += /^\d+$/.test(entry.key) ? `[${entry.key}]` : `.${entry.key}`;
    });
    const expected = e.message ?? `expected ${e.context[e.context.length - 1]?.type.name ?? 'a value'}`;
    return `at ${path}: ${expected}, got ${e.value === undefined ? 'nothing' : kindOf(e.value)}`;
  });
}

export function decodeWith<A>(codec: t.Decoder<unknown, A>, u: unknown): E.Either<string[], A> {
  return E.mapLeft(reportErrors)(codec.decode(u));
}
