/**
 * `cryptflow party` on the command line: what each role needs and refuses (usage errors naming the
 * flag and the role), a bad configuration reported before anything connects, and the fault-injection
 * variable the process tests use.
 */
import { describe, expect, it } from 'vitest';
import { faultHooks } from '../../../harness/cli/party.js';
import { run } from '../../e2e/support.js';
import { deployment } from './support.js';

describe('cryptflow party', () => {
  it('says what each role needs', async () => {
    const dep = await deployment('cli');
    const cases: [string[], string][] = [
      [['party', '--config', dep.config], 'party needs --role client|server|helper'],
      [
        ['party', '--role', 'vendor', '--config', dep.config],
        "option --role must be one of client, server, helper, got 'vendor'",
      ],
      [['party', '--role', 'server'], 'party needs --config parties.json'],
      [['party', '--role', 'server', '--config', dep.config], 'the server needs --model MODEL'],
      [
        ['party', '--role', 'client', '--config', dep.config],
        'the client needs --input FILE (more input files may follow, one request each)',
      ],
      [
        ['party', '--role', 'helper', '--config', dep.config, '--model', 'm.onnx', '--input', 'x.png'],
        '--model is for the server (--role server), not the helper; --input is for the client (--role client), not the helper',
      ],
      [
        [
          'party',
          '--role',
          'server',
          '--config',
          dep.config,
          '--model',
          'examples/default/lesion-cnn.onnx',
          'extra.png',
        ],
        'only the client takes input files; the server got 1 extra argument(s)',
      ],
      [
        [
          'party',
          '--role',
          'server',
          '--config',
          dep.config,
          '--model',
          'examples/default/lesion-cnn.onnx',
          '--backend',
          'securenn',
          '--conv-policy',
          'im2col',
        ],
        '--conv-policy applies to the porthos backend (securenn always uses im2col)',
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      expect([r.code, r.err]).toEqual([2, `cryptflow: error: ${message}`]);
    }
  });

  it('reports a bad configuration before connecting', async () => {
    const dep = await deployment('cli-bad');
    const r = await run('party', '--role', 'helper', '--config', `${dep.dir}/missing.json`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot read the parties configuration .*missing\.json \(ENOENT\)/);
  });

  it('the client reads and decodes every input file before it connects', async () => {
    const dep = await deployment('cli-inputs');
    const t0 = performance.now();
    // Nobody listens: had the client connected first, it would wait for the session's start timeout.
    const r = await run(
      'party',
      '--role',
      'client',
      '--config',
      dep.config,
      '--input',
      'examples/default/sample-clear.pgm',
      `${dep.dir}/scan-2.png`,
    );
    expect([r.code, r.err]).toEqual([1, expect.stringMatching(/cannot read input file .*scan-2\.png: ENOENT/)]);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('parses the fault-injection variable', () => {
    const signals: string[] = [];
    const hooks = faultHooks('stall@2:5', (s) => signals.push(s));
    hooks?.onNode?.(1, 5);
    hooks?.onNode?.(2, 4);
    hooks?.onNode?.(2, 5);
    expect(signals).toEqual(['SIGSTOP']);
    expect(faultHooks(undefined)).toBeUndefined();
    expect(() => faultHooks('boom')).toThrow(
      "CRYPTFLOW_FAULT must be crash@REQUEST:NODE or stall@REQUEST:NODE, got 'boom'",
    );
  });
});
