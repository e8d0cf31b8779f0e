/**
 * Bad input to the OT layer fails with a clear error, never a hang and never a secret: malformed,
 * truncated or over-long frames from the peer (base-OT points, the extension matrix, the masked
 * messages) are 'protocol' errors naming the step, the peer and the byte counts; bad arguments are
 * 'usage' errors naming the call and the position.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../spec/errors.js';
import { baseOts } from '../../../protocols/ot/base.js';
import { openOtChannel } from '../../../protocols/ot/channel.js';
import { ExtensionReceiver, ExtensionSender } from '../../../protocols/ot/extension.js';
import { receiverPads, recvPacked } from '../../../protocols/ot/iknp.js';
import { partyContext } from '../../../protocols/common/context.js';
import { keysFromSeed } from '../../../protocols/common/prg.js';
import { MemoryNetwork } from '../../../harness/network/memory.js';
import { openSession, twoParties, type Session } from './support.js';

let s: Session;
beforeAll(async () => {
  s = await openSession('bad-channel');
});

const seeds = (n: number): Uint8Array[] => Array.from({ length: n }, (_, j) => new Uint8Array(16).fill(j));

async function protocolError(p: Promise<unknown>): Promise<string> {
  const e: unknown = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CryptflowError);
  expect((e as CryptflowError).code).toBe('protocol');
  return (e as CryptflowError).message;
}

describe('malformed frames from the peer', () => {
  it('base OT: a short sender point, an invalid encoding, the identity', async () => {
    const cases: readonly [Uint8Array, string][] = [
      [new Uint8Array(31), 'base OT: expected 32 bytes of the sender point from P1, got 31'],
      [new Uint8Array(32).fill(0xff), 'base OT: P1 sent an invalid ristretto255 encoding (sender point A)'],
      [new Uint8Array(32), 'base OT: P1 sent the identity point (sender point A)'],
    ];
    for (const [bytes, message] of cases) {
      const p = twoParties('bad-base');
      p.ctx[1].send(0, bytes);
      expect(await protocolError(baseOts(p.ctx[0], 1, 4))).toBe(message);
    }
  });

  it('base OT: receiver points of the wrong length or not on the group', async () => {
    for (const [bad, message] of [
      [(b: Uint8Array) => b.subarray(0, 100), 'base OT: expected 128 bytes of receiver points from P0, got 100'],
      [
        (b: Uint8Array) => b.map((x, i) => (i >= 64 && i < 96 ? 0xff : x)),
        'base OT: P0 sent an invalid ristretto255 encoding (receiver point B_2)',
      ],
    ] as const) {
      const net = new MemoryNetwork();
      net.finished(2);
      const keys = keysFromSeed('bad-base-2');
      const honest = partyContext(1, 64, net.endpoint(1), keys[1]);
      // P0 runs honestly except that its second message is tampered with on the way.
      const inner = partyContext(0, 64, net.endpoint(0), keys[0]);
      let sends = 0;
      const tampering = {
        ...inner,
        send: (to: 0 | 1 | 2, b: Uint8Array) => inner.send(to, ++sends === 2 ? bad(b) : b),
      };
      const [p0, p1] = await Promise.allSettled([baseOts(tampering, 1, 4), baseOts(honest, 0, 4)]);
      expect(p0.status).toBe('fulfilled');
      expect(p1.status === 'rejected' ? (p1.reason as Error).message : '').toBe(message);
    }
  });

  it('extension: a matrix of the wrong size, masked messages of the wrong size', async () => {
    const p = twoParties('bad-ext');
    const S = new ExtensionSender(128, new Uint8Array(128), seeds(128));
    p.ctx[1].send(0, new Uint8Array(16 * 7 - 1));
    expect(await protocolError(S.extend(p.ctx[0], 1, 7))).toBe(
      'OT extension: expected 112 bytes of the 128-column matrix for 7 OTs from P1, got 111',
    );
    const K = new ExtensionSender(256, new Uint8Array(256), seeds(256));
    p.ctx[1].send(0, new Uint8Array(33));
    expect(await protocolError(K.extend(p.ctx[0], 1, 1))).toBe(
      'OT extension: expected 32 bytes of the 256-column matrix for 1 OTs from P1, got 33',
    );
    const R = new ExtensionReceiver(
      128,
      seeds(128).map((k) => [k, k] as const),
    );
    receiverPads(R, p.ctx[0], 1, new Uint8Array(5), 64);
    p.ctx[1].send(0, new Uint8Array(79));
    expect(await protocolError(recvPacked(p.ctx[0], 1, 10, 64))).toBe(
      'OT: expected 80 bytes of masked messages (10 × 64 bits) from P1, got 79',
    );
  });

  it('a channel call against a peer that sends garbage fails on both sides, naming the step', async () => {
    s.ctx[1].send(0, new Uint8Array(3));
    expect(await protocolError(s.ch[0].send2(new BigUint64Array(2), new BigUint64Array(2), 8))).toBe(
      'OT extension: expected 32 bytes of the 128-column matrix for 2 OTs from P1, got 3',
    );
  });
});

describe('bad arguments', () => {
  it('are usage errors naming the call, never a value', async () => {
    const p = twoParties('bad-args');
    await expect(openOtChannel(p.ctx[0], 0)).rejects.toThrow('an OT channel joins P0 and P1, not P0 and P0');
    const [a] = s.ch;
    const usage = async (q: Promise<unknown>, message: string): Promise<void> => {
      await expect(q).rejects.toThrow(message);
      await expect(q).rejects.toMatchObject({ code: 'usage' });
    };
    await usage(
      a.send2(new BigUint64Array(1), new BigUint64Array(1), 0),
      'send2: message width ℓ must be an integer in [1, 64], got 0',
    );
    await usage(a.recv2(new Uint8Array(1), 65), 'recv2: message width ℓ must be an integer in [1, 64], got 65');
    await usage(
      a.send2(new BigUint64Array(2), new BigUint64Array(1), 8),
      'send2: 2 first messages but 1 second messages',
    );
    await usage(
      a.send2(new BigUint64Array(1), BigUint64Array.of(256n), 8),
      'send2 (m1): value at position 0 does not fit in ℓ = 8 bits',
    );
    await usage(a.recvCorrelated(Uint8Array.of(0, 2), 8), 'recvCorrelated: choice at position 1 is not in [0, 2)');
    await usage(a.sendRandom(-1, 8), 'sendRandom: count must be a non-negative integer, got -1');
    await usage(a.sendN(1, new BigUint64Array(1), 8), 'sendN: N must be an integer in [2, 256], got 1');
    await usage(a.recvN(257, new Uint8Array(1), 8), 'recvN: N must be an integer in [2, 256], got 257');
    await usage(a.sendN(4, new BigUint64Array(6), 8), 'sendN: 6 messages is not a whole number of instances of N = 4');
    await usage(a.recvN(4, Uint8Array.of(1, 4), 8), 'recvN: choice at position 1 is not in [0, 4)');
    await usage(
      a.sendCorrelated(BigUint64Array.of(1n << 63n), 63),
      'sendCorrelated: value at position 0 does not fit in ℓ = 63 bits',
    );
  });
});
