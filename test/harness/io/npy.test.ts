/**
 * `.npy` decoding (harness/io/npy.ts): files from an encoder written here (format 1.0 and 2.0 headers
 * padded as numpy pads them) in every dtype that is read, any C-order shape including 0-d; and the
 * dtypes, orders and broken files that are refused, with the file and the field named.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../spec/errors.js';
import { decodeNpy, encodeNpy } from '../../../harness/io/npy.js';

const RUNS = process.env['CRYPTFLOW_SLOW'] === '1' ? 400 : 40;

type Writer = (v: DataView, o: number, x: number) => void;
const DTYPES: Record<string, { size: number; write: Writer; value: fc.Arbitrary<number> }> = {
  '<f4': {
    size: 4,
    write: (v, o, x) => v.setFloat32(o, x, true),
    value: fc.float({ noNaN: true, noDefaultInfinity: true }).map(Math.fround),
  },
  '<f8': {
    size: 8,
    write: (v, o, x) => v.setFloat64(o, x, true),
    value: fc.double({ noNaN: true, noDefaultInfinity: true }),
  },
  '|i1': { size: 1, write: (v, o, x) => v.setInt8(o, x), value: fc.integer({ min: -128, max: 127 }) },
  '<i2': { size: 2, write: (v, o, x) => v.setInt16(o, x, true), value: fc.integer({ min: -32768, max: 32767 }) },
  '<i4': { size: 4, write: (v, o, x) => v.setInt32(o, x, true), value: fc.integer() },
  '<i8': {
    size: 8,
    write: (v, o, x) => v.setBigInt64(o, BigInt(x), true),
    value: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  },
  '|u1': { size: 1, write: (v, o, x) => v.setUint8(o, x), value: fc.integer({ min: 0, max: 255 }) },
  '<u2': { size: 2, write: (v, o, x) => v.setUint16(o, x, true), value: fc.integer({ min: 0, max: 65535 }) },
  '<u4': { size: 4, write: (v, o, x) => v.setUint32(o, x, true), value: fc.integer({ min: 0, max: 2 ** 32 - 1 }) },
  '<u8': {
    size: 8,
    write: (v, o, x) => v.setBigUint64(o, BigInt(x), true),
    value: fc.integer({ min: 0, max: 2 ** 45 }),
  },
  '|b1': { size: 1, write: (v, o, x) => v.setUint8(o, x), value: fc.integer({ min: 0, max: 1 }) },
};

/** An .npy file as numpy writes it: header padded with spaces to a multiple of 64, ending in '\n'. */
function npy(
  descr: string,
  shape: readonly number[],
  data: Uint8Array,
  o: { version?: 1 | 2; fortran?: boolean; header?: string } = {},
): Uint8Array {
  const version = o.version ?? 1;
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header =
    o.header ??
    `{'descr': '${descr}', 'fortran_order': ${o.fortran === true ? 'True' : 'False'}, 'shape': (${dims}), }`;
  const prefix = 6 + 2 + (version === 1 ? 2 : 4);
  header += ' '.repeat((64 - ((prefix + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(prefix + header.length + data.length);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), version, 0]);
  const v = new DataView(out.buffer);
  if (version === 1) v.setUint16(8, header.length, true);
  else v.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), prefix);
  out.set(data, prefix + header.length);
  return out;
}

function encodeValues(descr: string, values: readonly number[]): Uint8Array {
  const t = DTYPES[descr];
  if (t === undefined) throw new Error(descr);
  const out = new Uint8Array(values.length * t.size);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => t.write(v, i * t.size, x));
  return out;
}

function errorOf(f: () => unknown): CryptflowError {
  try {
    f();
  } catch (e) {
    if (e instanceof CryptflowError) return e;
    throw e;
  }
  throw new Error('expected a CryptflowError');
}

const array = fc
  .record({
    descr: fc.constantFrom(...Object.keys(DTYPES)),
    shape: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 4 }),
    version: fc.constantFrom<1 | 2>(1, 2),
  })
  .chain((a) => {
    const n = a.shape.reduce((x, y) => x * y, 1);
    return fc.record({
      a: fc.constant(a),
      values: fc.array((DTYPES[a.descr] ?? DTYPES['<f8'])?.value ?? fc.constant(0), { minLength: n, maxLength: n }),
    });
  });

describe('.npy decoding', () => {
  it('reads every supported dtype, shape (0-d too) and header version exactly', () => {
    fc.assert(
      fc.property(array, ({ a, values }) => {
        const r = decodeNpy(npy(a.descr, a.shape, encodeValues(a.descr, values), { version: a.version }));
        expect(r.shape).toEqual(a.shape);
        expect(r.descr).toBe(a.descr);
        expect(Array.from(r.values)).toEqual(values.map((x) => (Object.is(x, -0) ? -0 : x)));
      }),
      { numRuns: RUNS },
    );
  });

  it('accepts Fortran order when only one extent is larger than 1 (the same bytes as C order)', () => {
    const r = decodeNpy(npy('<f4', [1, 3], encodeValues('<f4', [1, 2, 3]), { fortran: true }));
    expect(Array.from(r.values)).toEqual([1, 2, 3]);
  });

  it('refuses what it does not read, naming the dtype or order', () => {
    const cases: Array<[Uint8Array, string, RegExp]> = [
      [npy('>f4', [2], new Uint8Array(8)), 'unsupported', /dtype '>f4' is big-endian/],
      [npy('<f2', [2], new Uint8Array(4)), 'unsupported', /dtype '<f2' is not read/],
      [npy('<c8', [1], new Uint8Array(8)), 'unsupported', /dtype '<c8' is not read/],
      [npy('|O', [1], new Uint8Array(8)), 'unsupported', /dtype '\|O' is not a plain numeric type/],
      [npy('<U3', [1], new Uint8Array(12)), 'unsupported', /dtype '<U3' is not read/],
      [npy('<f4', [2, 2], new Uint8Array(16), { fortran: true }), 'unsupported', /Fortran \(column-major\) order/],
      [
        npy('', [], new Uint8Array(0), {
          header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }",
        }),
        'unsupported',
        /structured \(record\) dtypes/,
      ],
    ];
    for (const [bytes, code, message] of cases) {
      const e = errorOf(() => decodeNpy(bytes, 'x.npy'));
      expect([e.code, e.message]).toEqual([code, expect.stringMatching(message)]);
      expect(e.message).toMatch(/^x\.npy: /);
    }
  });

  it('reports broken files as decode errors', () => {
    const good = npy('<f4', [2, 3], encodeValues('<f4', [1, 2, 3, 4, 5, 6]));
    const cases: Array<[Uint8Array, RegExp]> = [
      [Uint8Array.of(1, 2, 3), /not a \.npy file \(bad magic string\)/],
      [good.subarray(0, 9), /header length is missing/],
      [good.subarray(0, 40), /the header needs \d+ bytes/],
      [
        good.subarray(0, good.length - 1),
        /truncated \.npy data: shape \(2, 3\) of '<f4' needs 24 bytes, the file holds 23/,
      ],
      [Uint8Array.from([...good, 0]), /overlong \.npy data/],
      [
        npy('<f4', [], new Uint8Array(4), { header: "{'descr': '<f4', 'shape': (), }" }),
        /no valid 'fortran_order' entry/,
      ],
      [
        npy('<f4', [], new Uint8Array(4), { header: "{'descr': '<f4', 'fortran_order': False, 'shape': (a, 2), }" }),
        /shape \(a, 2\) is not a tuple of sizes/,
      ],
      [npy('<f4', [], new Uint8Array(4), { header: 'not a dict' }), /not a dict literal/],
    ];
    for (const [bytes, message] of cases) {
      const e = errorOf(() => decodeNpy(bytes, 'x.npy'));
      expect([e.code, e.message]).toEqual(['decode', expect.stringMatching(message)]);
    }
  });
});

describe('.npy encoding (run --out)', () => {
  it('round-trips int32 and float64 arrays of any shape through the decoder, header padded to 64', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (shape, ints) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const values = Array.from({ length: n }, (_, i) => (ints ? i - 3 : (i - 3) / 7));
          const bytes = encodeNpy(shape, values, ints ? '<i4' : '<f8');
          const headerEnd = 10 + ((bytes[8] ?? 0) | ((bytes[9] ?? 0) << 8));
          expect(headerEnd % 64).toBe(0);
          expect(bytes[headerEnd - 1]).toBe(0x0a);
          const a = decodeNpy(bytes, 'out.npy');
          expect([a.shape, a.descr, Array.from(a.values)]).toEqual([shape, ints ? '<i4' : '<f8', values]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
