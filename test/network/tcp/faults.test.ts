/**
 * Fault injection, in this process over loopback TLS: a party that sends a garbage frame, a truncated
 * frame (then closes, or stays silent), an oversized length, a frame claiming another sender, a frame
 * out of protocol order; a party whose input fails; a party with an unknown certificate, with another
 * party's valid certificate, or that does not trust its peers. Every case ends every party with a
 * clear error (the peer and the step named, no value) within the timeouts, and nothing is left
 * listening or open.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../spec/errors.js';
import type { Tamper } from '../../../harness/network/tcp/channel.js';
import { loadConfig, type TcpConfig } from '../../../harness/network/tcp/config.js';
import { decodeAbort } from '../../../harness/network/tcp/abort.js';
import { encodeFrame, HEADER_BYTES } from '../../../harness/network/tcp/frame.js';
import type { PartyId } from '../../../protocols/common/party.js';
import { runClient } from '../../../harness/party/client.js';
import { secureInference } from '../../../harness/runner/inference.js';
import {
  deployment,
  handlesSettle,
  portsFree,
  requests,
  runThree,
  scratchDir,
  tcpHandles,
  TEST_TIMEOUTS,
  tinyInput,
  tinyModel,
  type ThreeOutcome,
} from './support.js';

const dir = scratchDir('tcp-faults');
const tiny = tinyModel(dir);
/** Data frames P0 sends P1 in one request (both phases). */
const framesPerRequest = (await secureInference(tiny.model, tinyInput(0), { backend: 'porthos', ell: 64, scale: 12 }))
  .meter.messages['P0->P1'];

/** Rewrite the `n`-th data frame P0 sends to P1. */
function onDataFrame(
  n: number,
  f: (frame: Uint8Array) => { bytes: Uint8Array; thenEnd?: boolean },
): (peer: PartyId) => Tamper | undefined {
  return (peer) => {
    if (peer !== 1) return undefined;
    let k = 0;
    return (h, bytes) => (h.type === 'data' && ++k === n ? f(bytes) : { bytes });
  };
}

function errorOf(s: ThreeOutcome[keyof ThreeOutcome]): string {
  if (s.ok) throw new Error('expected this party to fail, it finished');
  expect(s.error).toBeInstanceOf(CryptflowError);
  return s.error.message;
}

/** All three fail, each within `boundMs`; returns their messages. Nothing is left open. */
async function allFail(
  r: ThreeOutcome,
  ports: readonly number[],
  baseline: number,
  boundMs: number,
): Promise<{ P0: string; P1: string; P2: string }> {
  const m = { P0: errorOf(r.client), P1: errorOf(r.server), P2: errorOf(r.helper) };
  for (const s of [r.client, r.server, r.helper]) expect(s.ms).toBeLessThan(boundMs);
  expect(m.P0).toMatch(/^P0 \(client\), /);
  expect(m.P1).toMatch(/^P1 \(server\), /);
  expect(m.P2).toMatch(/^P2 \(helper\), /);
  expect(await handlesSettle(baseline)).toBeLessThanOrEqual(baseline);
  expect(await portsFree(ports)).toBe(true);
  return m;
}

const BOUND = TEST_TIMEOUTS.startMs + 3 * TEST_TIMEOUTS.stallMs + 3000;

/**
 * P0 tampers with what it sends P1. With `patientOthers`, P0 and P2 wait three times longer for a
 * silent peer than P1 does, so that P1 is the one to see a stall (P0 and P2 may wait in turn).
 */
async function tampered(
  name: string,
  tamper: (peer: PartyId) => Tamper | undefined,
  patientOthers = false,
): Promise<{ P0: string; P1: string; P2: string }> {
  const dep = await deployment(name);
  const baseline = tcpHandles();
  const patient = (id: PartyId): TcpConfig => {
    const c = loadConfig(dep.config, id);
    return { ...c, timeouts: { ...c.timeouts, stallMs: 3 * c.timeouts.stallMs } };
  };
  const others = patientOthers ? { 0: { tamper, config: patient(0) }, 2: { config: patient(2) } } : { 0: { tamper } };
  const r = await runThree({ dep, model: tiny.model, requests: requests(2), party: others });
  return allFail(r, [dep.ports[1], dep.ports[2]], baseline, BOUND);
}

describe('a malformed stream from a peer aborts the run on every party', () => {
  it('a garbage frame at a random point of the run', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 * framesPerRequest }),
        fc.uint8Array({ minLength: HEADER_BYTES, maxLength: 64 }),
        async (n, junk) => {
          const bytes = junk.slice();
          bytes[0] = 0x00;
          const m = await tampered(
            'garbage',
            onDataFrame(n, () => ({ bytes })),
          );
          expect(m.P1).toMatch(/request [12], .*P0 sent a malformed frame: not a cryptflow frame \(bad magic\)$/);
          expect(m.P0).toContain('P1 aborted the run');
          expect(m.P2).toMatch(/P[01] aborted the run|closed the connection|the connection to P[01] failed/);
        },
      ),
      { numRuns: 3 },
    );
  });

  it('a truncated frame, then the connection closes', async () => {
    const m = await tampered(
      'trunc-end',
      onDataFrame(3, (f) => ({ bytes: f.subarray(0, HEADER_BYTES + 3), thenEnd: true })),
    );
    expect(m.P1).toMatch(
      /request 1, node \d+\/\d+ .*the connection from P0 ended inside a frame \(truncated: a data frame of \d+ bytes was cut off after 3\)/,
    );
  });

  it('a truncated header, then the connection closes', async () => {
    const m = await tampered(
      'trunc-header',
      onDataFrame(2, (f) => ({ bytes: f.subarray(0, 9), thenEnd: true })),
    );
    expect(m.P1).toContain('ended inside a frame (truncated: a frame header was cut off after 9 of 16 bytes)');
  });

  it('a truncated frame on a connection that stays open: the stall timeout', async () => {
    const m = await tampered(
      'trunc-stall',
      onDataFrame(2, (f) => ({ bytes: f.subarray(0, f.length - 1) })),
      true,
    );
    expect(m.P1).toMatch(
      /request 1, .*P0 sent nothing for 2\.0 s while this party waited for a protocol message from P0: P0 stalled or the network is down/,
    );
  });

  it('an oversized length, refused before anything is allocated', async () => {
    const m = await tampered(
      'oversized',
      onDataFrame(1, (f) => {
        const b = f.slice(0, HEADER_BYTES);
        new DataView(b.buffer).setUint32(12, 0xffff_fff0);
        return { bytes: b };
      }),
    );
    expect(m.P1).toContain(
      `P0 sent a malformed frame: a data frame of ${0xffff_fff0} bytes exceeds the limit of ${256 << 20} bytes`,
    );
  });

  it('a frame that claims another sender', async () => {
    const m = await tampered(
      'sender',
      onDataFrame(4, (f) => {
        const b = f.slice();
        b[4] = 2;
        return { bytes: b };
      }),
    );
    expect(m.P1).toContain(
      'P0 sent a malformed frame: a data frame claims to come from P2 on the connection authenticated as P0',
    );
  });

  it('a well-formed frame out of protocol order', async () => {
    const hello = encodeFrame({ type: 'hello', from: 0, to: 1, phase: 'compute', round: 0 }, new Uint8Array(66));
    const m = await tampered(
      'order',
      onDataFrame(2, () => ({ bytes: hello })),
    );
    expect(m.P1).toContain(
      'P0 sent a hello frame where this party expected a protocol message from P0 (data): out of protocol order',
    );
  });
});

describe('a party that fails stops the others', () => {
  it('a bad client input stops every party before request 1, and nothing of it leaves the client', async () => {
    const dep = await deployment('input');
    const baseline = tcpHandles();
    const path = '/hospital/ward-7/patient-4411/scan-2.json';
    const message = `${path}: 'x'[0] is outside the range representable at scale 12 in Z_2^64`;
    const bad = [
      ...requests(1),
      {
        label: path,
        read: (): never => {
          throw new CryptflowError('input', message);
        },
      },
    ];
    // Every byte P0 writes to each peer, before TLS.
    const sent: { peer: PartyId; type: string; bytes: Uint8Array }[] = [];
    const record =
      (peer: PartyId): Tamper =>
      (h, bytes) => {
        sent.push({ peer, type: h.type, bytes });
        return { bytes };
      };
    const r = await runThree({ dep, model: tiny.model, requests: bad, party: { 0: { tamper: record } } });
    const m = await allFail(r, [dep.ports[1], dep.ports[2]], baseline, BOUND);
    expect(m.P0).toBe(`P0 (client), checking the client's inputs against the program: ${message}`);
    for (const other of [m.P1, m.P2]) {
      expect(other).toContain(
        `P0 aborted the run at "checking the client's inputs against the program": its input failed its checks (the details stay on that machine)`,
      );
      for (const leak of ['hospital', 'patient-4411', 'scan-2', 'outside the range', "'x'[0]", 'Z_2^64'])
        expect(other).not.toContain(leak);
    }
    // The second file failed before the first request started: P0 sent hellos and its abort, nothing else.
    expect(new Set(sent.map((f) => f.type))).toEqual(new Set(['hello', 'abort']));
    const wire = Buffer.concat(sent.map((f) => f.bytes)).toString('latin1');
    for (const leak of ['hospital', 'patient', 'scan-2', 'outside', 'Z_2']) expect(wire).not.toContain(leak);
    for (const f of sent.filter((x) => x.type === 'abort')) {
      expect(decodeAbort(f.bytes.subarray(HEADER_BYTES))).toEqual({
        step: "checking the client's inputs against the program",
        class: 'input',
      });
    }
  });

  it('a failure at a node names the node on every party', async () => {
    const dep = await deployment('node');
    const baseline = tcpHandles();
    const hooks = {
      onNode: (req: number, i: number): void => {
        if (req === 2 && i === 3) throw new CryptflowError('input', 'injected failure');
      },
    };
    const r = await runThree({ dep, model: tiny.model, requests: requests(2), party: { 2: { hooks } } });
    const m = await allFail(r, [dep.ports[1], dep.ports[2]], baseline, BOUND);
    expect(m.P2).toMatch(/^P2 \(helper\), request 2, node 4\/\d+ '.+' \(\w+\): injected failure$/);
    expect(m.P0).toContain('P2 aborted the run');
  });
});

describe('limits', () => {
  it('gives up connecting after the start timeout, naming the addresses, and leaves nothing open', async () => {
    const dep = await deployment('alone', { ...TEST_TIMEOUTS, startMs: 1200 });
    const baseline = tcpHandles();
    const err = await runClient({
      config: loadConfig(dep.config, 0),
      keys: { kind: 'agreed' },
      requests: requests(1),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CryptflowError);
    expect((err as Error).message).toMatch(
      /^P0 \(client\), connecting: (could not connect to P[12] at 127\.0\.0\.1:\d+: \d+ attempt\(s\) in [\d.]+ s, the last failed with ECONNREFUSED|the session did not form within 1\.2 s: still waiting to connect to P1 and P2)/,
    );
    expect(await handlesSettle(baseline)).toBeLessThanOrEqual(baseline);
  });

  it('a message larger than maxFrameBytes stops the sender with a clear error', async () => {
    const dep = await deployment('max');
    const baseline = tcpHandles();
    const config = { ...loadConfig(dep.config, 0), maxFrameBytes: 1040 };
    const r = await runThree({ dep, model: tiny.model, requests: requests(1), party: { 0: { config } } });
    const m = await allFail(r, [dep.ports[1], dep.ports[2]], baseline, BOUND);
    expect(m.P0).toMatch(
      /^P0 \(client\), request 1, node \d+\/\d+ .*: a \d+-byte data message to P[12] exceeds maxFrameBytes \(1040\); raise "maxFrameBytes" in parties\.json on every party$/,
    );
  });
});

describe('authentication: only the three configured parties get in', () => {
  const quick = { ...TEST_TIMEOUTS, startMs: 2500 };

  async function withConfig(
    name: string,
    p0: (real: TcpConfig, rogue: TcpConfig) => TcpConfig,
  ): Promise<{ m: { P0: string; P1: string; P2: string }; logs: string[] }> {
    const dep = await deployment(name, quick);
    const rogue = await deployment(`${name}-rogue`, quick);
    const baseline = tcpHandles();
    const logs: string[] = [];
    const config = p0(loadConfig(dep.config, 0), {
      ...loadConfig(rogue.config, 0),
      addresses: loadConfig(dep.config, 0).addresses,
    });
    const r = await runThree({ dep, model: tiny.model, requests: requests(1), logs, party: { 0: { config } } });
    const m = await allFail(r, [dep.ports[1], dep.ports[2]], baseline, quick.startMs + 3000);
    return { m, logs };
  }

  it('refuses and logs an unknown certificate (another authority)', async () => {
    const { m, logs } = await withConfig('unknown', (real, rogue) => ({ ...real, cert: rogue.cert, key: rogue.key }));
    expect(
      logs.some((l) =>
        /^P1: refused a connection from 127\.0\.0\.1:\d+: unknown certificate claiming P0: not issued by the configured authority$/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(m.P1).toMatch(
      /P1 \(server\), connecting: the session did not form within 2\.5 s: still waiting for P0 to connect; refused \d connection\(s\), the last: unknown certificate claiming P0/,
    );
    expect(m.P2).toContain('still waiting for P0 to connect');
    expect(m.P0).toMatch(
      /P0 \(client\), (key agreement .*: P[12] closed the connection|connecting: P[12] closed the connection during the TLS handshake)/,
    );
  });

  it("refuses another party's valid certificate", async () => {
    const { m, logs } = await withConfig('wrong-party', (real) => {
      const dirOf = real.source.replace(/parties\.json$/, '');
      return { ...real, cert: readFileSync(`${dirOf}p2.pem`, 'utf8'), key: readFileSync(`${dirOf}p2.key`, 'utf8') };
    });
    expect(logs).toContainEqual(
      expect.stringMatching(/^P1: refused a connection from .*: a certificate of P2, where P0 was expected$/),
    );
    expect(logs).toContainEqual(
      expect.stringMatching(/^P2: refused a connection from .*: a certificate of P2, where P0( or P1)? was expected$/),
    );
    expect(m.P1).toContain('still waiting for P0 to connect');
  });

  it('a party that does not trust its peer refuses to talk to it', async () => {
    const { m, logs } = await withConfig('distrust', (real, rogue) => ({ ...real, ca: rogue.ca, pinned: {} }));
    expect(m.P0).toMatch(
      /P0 \(client\), connecting: refused the certificate presented at 127\.0\.0\.1:\d+ for P[12]: unknown certificate claiming P[12]: not issued by the configured authority/,
    );
    expect(logs.some((l) => l.startsWith('P0: refused the certificate presented'))).toBe(true);
    expect(m.P2).toContain('still waiting for P0');
  });
});
