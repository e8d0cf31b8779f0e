/**
 * protocols/ot/extension.ts: the constructor and argument guards of the extension sender and
 * receiver, and the size of the sender's s. Pins the survivors
 *   line 35 ConditionalExpression (whole condition → false; choices.length !== width → false;
 *     seeds.length !== width → false) and LogicalOperator (|| → &&): a sender with the wrong number
 *     of choices, of seeds, or of both is refused;
 *   line 36 StringLiteral: the sender's refusal names the width and the number of choices;
 *   line 38 ArithmeticOperator (width * 32): s holds width/32 words with bit j set for choice j;
 *   line 82 ConditionalExpression and StringLiteral: a receiver with the wrong number of seed pairs
 *     is refused, naming the width and the count;
 *   line 98 ConditionalExpression and StringLiteral: codewords of the wrong length are refused,
 *     naming the counts, before anything is sent.
 */
import { describe, expect, it } from 'vitest';
import { ExtensionReceiver, ExtensionSender } from '../../protocols/ot/extension.js';
import { totalBytes } from '../../harness/network/meter.js';
import { twoParties } from '../protocols/ot/support.js';
import { expectDefect } from './defect-support.js';

const seeds = (n: number): Uint8Array[] => Array.from({ length: n }, (_, j) => new Uint8Array(16).fill(j));
const pairs = (n: number): (readonly [Uint8Array, Uint8Array])[] =>
  seeds(n).map((k, j) => [k, new Uint8Array(16).fill(255 - j)] as const);

describe('ExtensionSender constructor', () => {
  it('refuses too few choices with the right number of seeds, naming width and count', async () => {
    await expectDefect(
      () => new ExtensionSender(128, new Uint8Array(127), seeds(128)),
      'extension sender of width 128 from 127 choices',
    );
  });

  it('refuses too many choices with the right number of seeds', async () => {
    await expectDefect(
      () => new ExtensionSender(128, new Uint8Array(160), seeds(128)),
      'extension sender of width 128 from 160 choices',
    );
  });

  it('refuses the right number of choices with too few seeds', async () => {
    await expectDefect(
      () => new ExtensionSender(128, new Uint8Array(128), seeds(96)),
      'extension sender of width 128 from 128 choices',
    );
  });

  it('refuses both counts wrong', async () => {
    await expectDefect(
      () => new ExtensionSender(256, new Uint8Array(128), seeds(128)),
      'extension sender of width 256 from 128 choices',
    );
  });

  it('packs the choices into s as width/32 words, bit j of word j>>5 for choice j', () => {
    const choices = new Uint8Array(128);
    for (const j of [0, 5, 31, 32, 70, 127]) choices[j] = 1;
    const S = new ExtensionSender(128, choices, seeds(128));
    expect(Array.from(S.s)).toEqual([0x80000021, 0x00000001, 0x00000040, 0x80000000]);
    const K = new ExtensionSender(256, new Uint8Array(256).fill(1), seeds(256));
    expect(Array.from(K.s)).toEqual(new Array<number>(8).fill(0xffffffff));
  });
});

describe('ExtensionReceiver guards', () => {
  it('refuses the wrong number of seed pairs, naming width and count', async () => {
    await expectDefect(
      () => new ExtensionReceiver(128, pairs(127)),
      'extension receiver of width 128 from 127 seed pairs',
    );
    await expectDefect(
      () => new ExtensionReceiver(256, pairs(257)),
      'extension receiver of width 256 from 257 seed pairs',
    );
  });

  it('refuses codewords of the wrong length before sending anything', async () => {
    const p = twoParties('ext-guards');
    const R = new ExtensionReceiver(128, pairs(128));
    await expectDefect(() => R.extend(p.ctx[0], 1, 3, new Uint32Array(11)), '11 code words for 3 rows of width 128');
    const K = new ExtensionReceiver(256, pairs(256));
    await expectDefect(() => K.extend(p.ctx[0], 1, 2, new Uint32Array(17)), '17 code words for 2 rows of width 256');
    expect(totalBytes(p.net.meter.reading().links)).toBe(0);
  });
});
