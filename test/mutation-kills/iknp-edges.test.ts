/**
 * protocols/ot/iknp.ts: exact edges of the local halves arithmetic and the chosen-OT unmasking.
 * Pins the survivors
 *   line 119 EqualityOperator (i <= r.length in unmaskChosen): words of pad past the r.length
 *     instances stay zero in the output instead of picking up pad;
 *   line 133 EqualityOperator (lo >= 0xffffffff in addSub): a low-half sum of exactly 2^32 − 1 does
 *     not carry into the high half;
 *   line 137 EqualityOperator (cl >= lo in addSub): subtracting a low half equal to the running low
 *     half does not borrow from the high half.
 */
import { describe, expect, it } from 'vitest';
import { addSub, unmaskChosen } from '../../protocols/ot/iknp.js';

const u32 = (...v: number[]): Uint32Array => Uint32Array.from(v);

describe('iknp addSub carries and borrows exactly at the word edge', () => {
  it('a low-half sum of exactly 0xffffffff gives no carry (ℓ = 64)', () => {
    expect(Array.from(addSub(u32(0xffffffff, 7), u32(0, 1), null, 64))).toEqual([0xffffffff, 8]);
  });

  it('a low-half sum of exactly 2^32 carries one into the high half (ℓ = 64)', () => {
    expect(Array.from(addSub(u32(0xffffffff, 7), u32(1, 1), null, 64))).toEqual([0, 9]);
  });

  it('subtracting a low half equal to the sum gives no borrow (ℓ = 64)', () => {
    expect(Array.from(addSub(u32(3, 5), u32(2, 0), u32(5, 1), 64))).toEqual([0, 4]);
  });

  it('subtracting a low half one above the sum borrows one (ℓ = 40)', () => {
    expect(Array.from(addSub(u32(3, 5), u32(2, 0), u32(6, 1), 40))).toEqual([0xffffffff, 3]);
  });

  it('a + b − c wraps mod 2^64 when c exceeds a + b', () => {
    expect(Array.from(addSub(u32(0, 0), u32(0, 0), u32(1, 0), 64))).toEqual([0xffffffff, 0xffffffff]);
  });
});

describe('iknp unmaskChosen', () => {
  it('picks y^{r_i} per instance and XORs the pad', () => {
    const y = u32(0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80);
    const pad = u32(1, 2, 3, 4);
    expect(Array.from(unmaskChosen(y, Uint8Array.from([1, 0]), pad))).toEqual([0x31, 0x42, 0x53, 0x64]);
  });

  it('leaves the output words past the r.length instances zero when pad is longer', () => {
    const y = u32(0x10, 0x20, 0x30, 0x40);
    const pad = u32(1, 2, 3, 4);
    expect(Array.from(unmaskChosen(y, Uint8Array.from([0]), pad))).toEqual([0x11, 0x22, 0, 0]);
  });
});
