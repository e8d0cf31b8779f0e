/**
 * The LLIL secrecy analysis (passes/secrecy/llil.ts) on hand-written programs that leak — an
 * intermediate revealed, an output sent to the wrong party, a node computed in the clear on a secret,
 * an input owned by the wrong party, a public constant computed from a weight — each rejected with
 * the right kind, node and path; declared declassifications allow exactly what they name. On random
 * well-typed programs: accepted against their own declaration, labels agree with the checker's, and
 * planting a reveal of any secret intermediate is rejected at that node with a path from an input.
 */
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptflowError } from '../../../spec/errors.js';
import { checkLlil } from '../../../ir/check.js';
import type { LNode, LProgram } from '../../../ir/llil.js';
import { showFinding, showLabel } from '../../../passes/secrecy/labels.js';
import { analyzeLlil, clearOperands, type LlilSecrecy } from '../../../passes/secrecy/llil.js';
import { policyOfLlil, type SecrecyPolicy } from '../../../passes/secrecy/policy.js';
import { llilProgram } from '../../arbitraries/llil.js';
import { DECLARED, llil, LOGREG } from './models.js';

const RUNS = process.env['CRYPTFLOW_SLOW'] === '1' ? 2000 : 100;

const analyze = (p: LProgram, policy: SecrecyPolicy = DECLARED): LlilSecrecy => analyzeLlil(p, { policy });
const kinds = (r: LlilSecrecy): string[] => r.findings.map((f) => `${f.kind}@${f.node}`);

describe('LLIL secrecy: hand-written programs', () => {
  it('accepts logistic regression against its declaration; every value labelled', () => {
    const r = analyze(llil(LOGREG));
    expect(r.findings).toEqual([]);
    const label = (v: string): string => showLabel(r.labels.get(v) ?? { kind: 'public' });
    expect([label('x'), label('W'), label('b'), label('xW:acc'), label('xWb'), label('cls')]).toEqual([
      'secret{client}',
      'secret{server}',
      'public',
      'secret{client,server}',
      'secret{client,server}',
      'secret{client,server}',
    ]);
    expect(r.outputs).toEqual([
      {
        name: 'cls',
        to: 'client',
        label: { kind: 'secret', owners: ['client', 'server'] },
        status: 'declared',
        dependsOn: { client: ['x'], server: ['W'] },
      },
    ]);
  });

  it('rejects an intermediate revealed (a planted extra output), naming it and the path of the other party’s secret', () => {
    const r = analyze(llil(`${LOGREG}output xW -> client\n`));
    expect(kinds(r)).toEqual(['reveal@xW']);
    expect(showFinding(r.findings[0] as never)).toBe(
      "output 'xW' reveals the intermediate 'xW' (ScaleDown) to the client, but it is not a declared output and no declassification allows it; it carries the client's and the server's secret data; path: W (server input) → MatMul 'xW:acc' → ScaleDown 'xW'",
    );
    expect(r.outputs[1]?.status).toBe('undeclared');
  });

  it('rejects an input revealed to the other party, and an output sent to the wrong party', () => {
    const leakW = analyze(llil(`${LOGREG}output W -> client\n`));
    expect(kinds(leakW)).toEqual(['reveal@W']);
    expect(leakW.findings[0]?.message).toContain("reveals the server input 'W' to the client");
    const wrong = analyze(llil(LOGREG.replace('output cls -> client', 'output cls -> server')));
    expect(kinds(wrong)).toEqual(['recipient@cls', 'missing-output@cls']);
    expect(wrong.findings[0]?.path.map((s) => s.value)).toEqual(['x', 'xW:acc', 'xW', 'xWb', 'cls']);
  });

  it('rejects a program that does not reveal a declared output', () => {
    const r = analyze(llil(LOGREG), { ...DECLARED, outputs: [...DECLARED.outputs, { name: 'xWb', to: 'client' }] });
    expect(kinds(r)).toEqual(['missing-output@xWb']);
  });

  it('a declared declassification allows exactly the reveal it names, and is reported as used', () => {
    const p = llil(`${LOGREG}output xW -> client\n`);
    const allowed = analyze(p, {
      ...DECLARED,
      declassify: [{ value: 'xW', to: 'client', reason: 'the client may see its scores' }],
    });
    expect(allowed.findings).toEqual([]);
    expect(allowed.outputs[1]).toMatchObject({
      name: 'xW',
      status: 'declassified',
      reason: 'the client may see its scores',
    });
    expect(allowed.declassifications).toEqual([
      { value: 'xW', to: 'client', reason: 'the client may see its scores', used: true },
    ]);
    const otherParty = analyze(p, { ...DECLARED, declassify: [{ value: 'xW', to: 'server', reason: 'r' }] });
    expect(kinds(otherParty)).toEqual(['reveal@xW']);
    expect(otherParty.declassifications[0]?.used).toBe(false);
  });

  it('a public value revealed without a declaration reveals nothing and is allowed', () => {
    const p = llil(
      LOGREG.replace(
        'output cls -> client',
        'bb : public fix[3]@12 = Add(b, b)\noutput cls -> client\noutput bb -> server',
      ),
    );
    const r = analyze(p);
    expect(r.findings).toEqual([]);
    expect(r.outputs[1]?.status).toBe('public');
  });

  it('rejects a node written public that reads a secret (computed in the clear), unless the operand is declassified to both', () => {
    const p = llil(LOGREG);
    const nodes = p.nodes.map((n): LNode => (n.out === 'xWb' ? { ...n, type: { ...n.type, label: 'public' } } : n));
    const leaky: LProgram = { ...p, nodes };
    const r = analyze(leaky);
    expect(kinds(r)).toEqual(['public-op@xWb']);
    expect(showFinding(r.findings[0] as never)).toMatch(
      /written public.*reads 'xW'.*path: x \(client input\) → MatMul 'xW:acc' → ScaleDown 'xW' → Add 'xWb'$/,
    );
    const declassified = analyze(leaky, {
      ...DECLARED,
      declassify: [{ value: 'xW', to: 'both', reason: 'public scores' }],
    });
    expect(declassified.findings).toEqual([]);
    expect(showLabel(declassified.labels.get('xWb') ?? { kind: 'public' })).toBe('public');
  });

  it('rejects inputs owned by another party than declared, and undeclared inputs', () => {
    const swapped = analyze(llil(LOGREG), {
      ...DECLARED,
      inputs: new Map([
        ['x', 'client'],
        ['W', 'client'],
      ]),
    });
    expect(kinds(swapped)).toEqual(['ownership@W']);
    expect(swapped.findings[0]?.message).toBe("input 'W' is declared the client's but the server supplies it");
    const undeclared = analyze(llil(LOGREG), { ...DECLARED, inputs: new Map([['x', 'client']]) });
    expect(kinds(undeclared)).toEqual(['ownership@W']);
  });

  it('with the compiler’s origins: a constant computed from a weight, or an input computed from the other party’s values', () => {
    const p = llil(LOGREG);
    const fromWeight = analyzeLlil(p, {
      policy: DECLARED,
      origins: new Map([['b', { owner: 'public', sources: ['W'] }]]),
    });
    expect(kinds(fromWeight)).toEqual(['declassify@b']);
    expect(showFinding(fromWeight.findings[0] as never)).toBe(
      "constant 'b' is computed from the server's input 'W' and compiled into the program in the clear, which reveals it to every party; path: W (server input) → const 'b'",
    );
    const mixed = analyzeLlil(p, {
      policy: DECLARED,
      origins: new Map([['W', { owner: 'server', sources: ['W', 'x'] }]]),
    });
    expect(kinds(mixed)).toEqual(['ownership@W']);
    expect(mixed.findings[0]?.message).toContain("computed from the client's input 'x'");
  });

  it('a node reading an undefined value is a type error, not a finding', () => {
    const p = llil(LOGREG);
    const broken: LProgram = { ...p, nodes: p.nodes.map((n) => (n.op === 'Add' ? { ...n, a: 'nope' } : n)) };
    expect(() => analyze(broken)).toThrow(CryptflowError);
    expect(() => analyze(broken)).toThrow("node 'xWb' (Add) reads 'nope', which is not defined before it");
  });
});

describe('LLIL secrecy: random well-typed programs', () => {
  it('are accepted against their own declaration, with the checker’s labels; no operand must be public', () => {
    fc.assert(
      fc.property(llilProgram({ maxNodes: 8 }), (p) => {
        const r = analyzeLlil(p, { policy: policyOfLlil(p) });
        expect(r.findings).toEqual([]);
        const info = checkLlil(p);
        if (E.isLeft(info)) throw new Error('the arbitrary built an ill-typed program');
        for (const [name, t] of info.right.types)
          expect(r.labels.get(name)?.kind === 'secret', name).toBe(t.label === 'secret');
        for (const n of p.nodes) expect(clearOperands(n)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('planting a reveal of any secret intermediate is rejected at that node, with a path from an input to it', () => {
    fc.assert(
      fc.property(
        llilProgram({ maxNodes: 8 }),
        fc.nat(),
        fc.constantFrom('client' as const, 'server' as const),
        (p, k, to) => {
          const declared = policyOfLlil(p);
          const outputs = new Set(p.outputs.map((o) => o.name));
          const secrets = p.nodes.filter((n) => n.type.label === 'secret' && !outputs.has(n.out));
          fc.pre(secrets.length > 0);
          const target = secrets[k % secrets.length] as LNode;
          const r = analyzeLlil({ ...p, outputs: [...p.outputs, { name: target.out, to }] }, { policy: declared });
          expect(kinds(r)).toEqual([`reveal@${target.out}`]);
          const path = r.findings[0]?.path ?? [];
          expect(path[0]?.kind).toBe('source');
          expect(path[path.length - 1]).toMatchObject({ kind: 'node', node: target.out, op: target.op });
        },
      ),
      { numRuns: RUNS },
    );
  });
});
