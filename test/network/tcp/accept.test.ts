/**
 * The client decides which protocol it takes part in: by default only the secure backends
 * (harness/runner/backends.ts); a server running any other stops all three parties, each naming the
 * backend, before the client sends anything but its hello. `--accept` widens the set.
 */
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../spec/errors.js';
import type { Tamper } from '../../../harness/network/tcp/channel.js';
import { acceptedBackends } from '../../../harness/cli/party.js';
import { clientJson, formatSummary } from '../../../harness/party/report.js';
import { BACKEND_INFO, BACKENDS, SECURE_BACKENDS } from '../../../harness/runner/backends.js';
import type { PartyId } from '../../../protocols/common/party.js';
import { deployment, requests, runThree, scratchDir, tinyModel } from './support.js';

const tiny = tinyModel(scratchDir('accept'));

function messageOf(s: { ok: boolean; error?: Error }): string {
  if (s.ok || s.error === undefined) throw new Error('expected this party to fail');
  expect(s.error).toBeInstanceOf(CryptflowError);
  return s.error.message;
}

describe('the client accepts only the backends it names', () => {
  it('the secure backends are the default, and they come from the one registry', () => {
    expect(SECURE_BACKENDS).toEqual(BACKENDS.filter((b) => BACKEND_INFO[b].secure));
    expect(SECURE_BACKENDS).toEqual(['porthos', 'securenn', 'cryptflow2', 'cryptflow2-he', 'malicious']);
    expect(acceptedBackends(undefined)).toEqual(SECURE_BACKENDS);
    expect(acceptedBackends('porthos, plaintext')).toEqual(['porthos', 'plaintext']);
    expect(() => acceptedBackends('porthos,aramis')).toThrow(
      /--accept needs backend names .*known: plaintext, ideal, porthos, securenn.*got 'porthos,aramis'/,
    );
  });

  it('a plaintext server stops every party, each naming the backend; the client sent nothing but its hello', async () => {
    const dep = await deployment('refuse');
    const types: string[] = [];
    const record = (): Tamper => (h, bytes) => {
      types.push(h.type);
      return { bytes };
    };
    const r = await runThree({
      dep,
      model: tiny.model,
      requests: requests(1),
      backend: 'plaintext',
      party: { 0: { tamper: (_: PartyId) => record() } },
    });
    const [p0, p1, p2] = [messageOf(r.client), messageOf(r.server), messageOf(r.helper)];
    expect(p0).toMatch(
      /^P0 \(client\), checking the server's backend against the client's --accept: the server runs the backend 'plaintext' \(NOT SECURE: a trusted party sees the data\), which this client does not accept \(it accepts porthos, securenn, cryptflow2, cryptflow2-he, malicious\); nothing of the input was sent/,
    );
    for (const m of [p1, p2])
      expect(m).toMatch(
        /P0 aborted the run at "checking the server's backend against the client's --accept": the client does not accept this session's backend \(--accept\) \(this session's backend is 'plaintext'\)/,
      );
    expect(new Set(types)).toEqual(new Set(['hello', 'abort']));
  });

  it('with --accept naming it, the same session runs', async () => {
    const dep = await deployment('accept');
    const r = await runThree({
      dep,
      model: tiny.model,
      requests: requests(1),
      backend: 'plaintext',
      accept: ['plaintext'],
    });
    expect(r.client.ok && r.server.ok && r.helper.ok).toBe(true);
    if (!r.client.ok) return;
    expect(r.client.value.program.backend).toBe('plaintext');
    expect(clientJson(r.client.value).secure).toBe(false);
    expect(formatSummary(r.client.value.summary, r.client.value.program)).toContain('(plaintext, NOT SECURE, ℓ = 64');
  });
});
