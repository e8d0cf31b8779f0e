/**
 * The secrecy analysis on the command line: `cryptflow secrecy MODEL|PROGRAM [--json] [--policy FILE]`
 * alone, and inside `cryptflow compile` (its report after the range report; a leaking model fails
 * with exit code 1 and the node and path, never a value).
 */
import { describe, expect, it } from 'vitest';
import { run, scratch } from '../e2e/support.js';
import * as M from '../passes/secrecy/models.js';

const { file } = scratch('secrecy');
const LEAK = file('leak.onnx', M.reshapeBySecret());
const DIVISOR = file('divisor.onnx', M.weightAsDivisor());
const EXTRA = file('extra.llil', `${M.LOGREG}output xW -> client\n`);
const POLICY = file('policy.json', JSON.stringify({ outputs: [{ name: 'cls', to: 'client' }] }));
const DECLASSIFY = file(
  'declassify.json',
  JSON.stringify({
    outputs: [{ name: 'cls', to: 'client' }],
    declassify: [{ value: 'xW', to: 'client', reason: 'the client sees its scores' }],
  }),
);

describe('cryptflow secrecy', () => {
  it('accepts a zoo model and prints both levels; --json prints one object', async () => {
    const r = await run('secrecy', 'zoo:securenn-b');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^secrecy of zoo:securenn-b: accepted\ngraph \(onnx, as imported/);
    expect(r.out).toContain('  output class -> client: declared, secret{client,server}, from client image; server');
    const j = await run('secrecy', 'zoo:securenn-b', '--json');
    const o = JSON.parse(j.out) as { accepted: boolean; llil: { outputs: { name: string; status: string }[] } };
    expect(o.accepted).toBe(true);
    expect(o.llil.outputs.map((x) => `${x.name}:${x.status}`)).toEqual(['logits:declared', 'class:declared']);
  });

  it('a leaking ONNX model: the report says REJECTED, the error names the node and the path, exit 1', async () => {
    const r = await run('secrecy', LEAK);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^secrecy of .*leak\.onnx: REJECTED \(1 finding\)/);
    expect(r.err).toMatch(
      /^cryptflow: error: .*leak\.onnx: onnx node 'r' \(Reshape\): secrecy: the target shape .*; path: image \(client input\) → ArgMax 'am' → Cast 'c' → Reshape 'r'/,
    );
    const j = await run('secrecy', DIVISOR, '--json');
    expect(j.code).toBe(1);
    expect(
      (JSON.parse(j.out) as { findings: { kind: string; node: string }[] }).findings.map((f) => `${f.kind}@${f.node}`),
    ).toEqual(['weight-made-public@divide']);
  });

  it('an LLIL program against a policy file: an extra reveal is rejected; a declared declassification allows it', async () => {
    const own = await run('secrecy', EXTRA);
    expect(own.code).toBe(0);
    const r = await run('secrecy', EXTRA, '--policy', POLICY);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^cryptflow: error: .*extra\.llil: secrecy: node 'xW' \(output\): output 'xW' reveals the intermediate 'xW' \(ScaleDown\) to the client.*path: W \(server input\) → MatMul 'xW:acc' → ScaleDown 'xW'$/,
    );
    const ok = await run('secrecy', EXTRA, '--policy', DECLASSIFY);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('  output xW -> client: declassified (the client sees its scores), secret{client,server}');
  });

  it('usage and input errors', async () => {
    expect((await run('secrecy', 'zoo:logreg', '--policy', POLICY)).code).toBe(2);
    const bad = file('bad.json', JSON.stringify({ outputs: [{ name: 'cls', to: 'everyone' }] }));
    const b = await run('secrecy', EXTRA, '--policy', bad);
    expect(b.code).toBe(1);
    expect(b.err).toContain('not a secrecy policy');
    expect(b.err).toContain('at $.outputs[0].to: expected "client" | "server", got a string');
    expect(b.err).not.toContain('everyone');
    expect((await run('help')).out).toContain('  secrecy ');
  });
});

describe('cryptflow compile runs the secrecy analysis', () => {
  it('prints the secrecy report after the range report; --no-secrecy-report leaves it out', async () => {
    const r = await run('compile', 'zoo:logreg');
    expect(r.code).toBe(0);
    expect(r.out).toContain('\n# secrecy of zoo:logreg: accepted\n# graph (onnx');
    expect(r.out).toContain('# findings: none; every revealed value is a declared output of its declared party');
    const quiet = await run('compile', 'zoo:logreg', '--no-secrecy-report');
    expect(quiet.code).toBe(0);
    expect(quiet.out).not.toContain('secrecy');
  });

  it('a leaking model fails with exit 1 naming the node and the path, and no values', async () => {
    const r = await run('compile', LEAK);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain("onnx node 'r' (Reshape): secrecy:");
    expect(r.err).toContain("path: image (client input) → ArgMax 'am' → Cast 'c' → Reshape 'r'");
  });
});
