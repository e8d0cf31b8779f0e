/**
 * Secrecy flow over an LLIL program, checked against a declared policy (proofs-notes/secrecy.md,
 * "LLIL level").
 *
 * Every value gets a label: an input is secret{its owner}; a constant is public; a node's result is
 * the join of its operands (recomputed here, never read from the written type); an output is
 * revealed to its recipient. The program is rejected (a finding each) when
 *   - an input's owner is not the declared one, or it is derived from another owner's values
 *     ('ownership'); a public constant is derived from a secret input ('declassify');
 *   - a node written public (computed in the clear by every party) reads a secret that no
 *     declassification to both parties covers ('public-op');
 *   - an output is not a declared output (an intermediate, or an input, revealed) and no
 *     declassification to its recipient allows it ('reveal'), or it goes to another party than
 *     declared ('recipient'); a public output reveals nothing and is allowed;
 *   - a declared output is not revealed ('missing-output').
 * Shapes, axes, pads, shifts, pad values and window counts are literal attributes of LLIL nodes:
 * public by construction, so no operand position of any LLIL operator must be public
 * (`clearOperands`, exhaustive over the operators, keeps that a checked decision per operator).
 */
import { assertNever, CryptflowError } from '../../spec/errors.js';
import type { Shape } from '../../spec/geometry.js';
import type { Owner } from '../../ir/common.js';
import type { LNode, LProgram } from '../../ir/llil.js';
import { operandsOf } from '../../ir/traverse.js';
import { tracePath, type Origin } from './paths.js';
import {
  isSecret,
  joinAll,
  ownersOf,
  possessive,
  PUBLIC,
  secret,
  type Finding,
  type FindingKind,
  type Label,
  type PathStep,
} from './labels.js';
import type { Declassification, SecrecyPolicy } from './policy.js';

/** Where a compiled declaration comes from: the owner who computes it and the source-level values it reads. */
export interface DeclOrigin {
  readonly owner: Owner | 'public';
  readonly sources: readonly string[];
}

export type RevealStatus = 'declared' | 'declassified' | 'public' | 'undeclared';

export interface OutputReveal {
  readonly name: string;
  readonly to: Owner;
  readonly label: Label;
  readonly status: RevealStatus;
  /** The declassification's reason, for status 'declassified'. */
  readonly reason?: string;
  /** The LLIL inputs the output is computed from, by owner. */
  readonly dependsOn: Readonly<Record<Owner, readonly string[]>>;
}

export interface LlilSecrecy {
  readonly ell: number;
  readonly inputs: readonly { readonly name: string; readonly owner: Owner; readonly shape: Shape }[];
  readonly constants: number;
  readonly nodes: number;
  readonly outputs: readonly OutputReveal[];
  readonly declassifications: ReadonlyArray<Declassification & { readonly used: boolean }>;
  readonly findings: readonly Finding[];
  /** The label of every value, by name. */
  readonly labels: ReadonlyMap<string, Label>;
}

export interface LlilSecrecyOptions {
  readonly policy: SecrecyPolicy;
  /** For compiled programs: each declaration's owner and source-level values (passes/secrecy/plan.ts). */
  readonly origins?: ReadonlyMap<string, DeclOrigin>;
}

/**
 * The operand positions of `node` that a backend needs in the clear. None, for every LLIL operator:
 * what would be (shapes, axes, pads, shifts, the pad value, window counts) is a literal attribute.
 */
export function clearOperands(node: LNode): readonly number[] {
  switch (node.op) {
    case 'Conv':
    case 'ConvTranspose':
    case 'MatMul':
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'BiasAdd':
    case 'Relu':
    case 'MaxPool':
    case 'AvgPool':
    case 'GlobalAvgPool':
    case 'ScaleDown':
    case 'ScaleUp':
    case 'Concat':
    case 'Pad':
    case 'Reshape':
    case 'Flatten':
    case 'Transpose':
    case 'Squeeze':
    case 'ArgMax':
      return [];
    default:
      return assertNever(node, 'LLIL operator');
  }
}

class State {
  readonly labels = new Map<string, Label>();
  readonly origins = new Map<string, Origin>();
  readonly reads = new Map<string, readonly string[]>();
  readonly findings: Finding[] = [];
  readonly used = new Set<Declassification>();

  constructor(readonly policy: SecrecyPolicy) {}

  label(v: string, at: string): Label {
    const l = this.labels.get(v);
    if (l === undefined) throw new CryptflowError('type', `${at} reads '${v}', which is not defined before it`);
    return l;
  }

  declassified(value: string, to: Owner | 'both'): Declassification | undefined {
    const d = this.policy.declassify.find((x) => x.value === value && (x.to === to || x.to === 'both'));
    if (d !== undefined) this.used.add(d);
    return d;
  }

  path(v: string, owner: Owner): PathStep[] {
    return tracePath(
      v,
      owner,
      (x) => this.labels.get(x),
      (x) => this.origins.get(x),
    );
  }

  /** The path to `v` from a secret of an owner other than `not` if it has one, else of any owner. */
  leakPath(v: string, l: Label, not?: Owner): PathStep[] {
    const owners = ownersOf(l);
    const owner = owners.find((o) => o !== not) ?? owners[0];
    return owner === undefined ? [] : this.path(v, owner);
  }

  finding(kind: FindingKind, node: string, op: string, message: string, path: readonly PathStep[]): void {
    this.findings.push({ kind, level: 'llil', node, op, path, message });
  }

  /** LLIL inputs `v` is computed from, by owner (a walk over operands). */
  dependsOn(v: string): Record<Owner, string[]> {
    const out: Record<Owner, string[]> = { client: [], server: [] };
    const seen = new Set<string>();
    const stack = [v];
    while (stack.length > 0) {
      const x = stack.pop() as string;
      if (seen.has(x)) continue;
      seen.add(x);
      const o = this.origins.get(x);
      if (o?.kind === 'source' && (o.owner === 'client' || o.owner === 'server')) out[o.owner].push(x);
      stack.push(...(this.reads.get(x) ?? []));
    }
    out.client.sort();
    out.server.sort();
    return out;
  }
}

function declare(s: State, p: LProgram, origins: ReadonlyMap<string, DeclOrigin> | undefined): void {
  const declared = s.policy.inputs;
  for (const d of p.decls) {
    const origin = origins?.get(d.name);
    if (d.kind === 'const') {
      s.labels.set(d.name, PUBLIC);
      s.origins.set(d.name, { kind: 'source', what: 'public constant', owner: 'public' });
      const secretSource = origin?.sources.find((x) => declared.has(x));
      if (origin !== undefined && (origin.owner !== 'public' || secretSource !== undefined)) {
        const whose =
          secretSource !== undefined
            ? `the ${declared.get(secretSource) ?? 'server'}'s input '${secretSource}'`
            : `a value of the ${origin.owner}`;
        s.finding(
          'declassify',
          d.name,
          'const',
          `constant '${d.name}' is computed from ${whose} and compiled into the program in the clear, which reveals it to every party`,
          [
            ...(secretSource === undefined
              ? []
              : [
                  {
                    kind: 'source' as const,
                    value: secretSource,
                    what: `${declared.get(secretSource) ?? 'server'} input`,
                  },
                ]),
            { kind: 'node', value: d.name, node: d.name, op: 'const' },
          ],
        );
      }
      continue;
    }
    s.labels.set(d.name, secret(d.owner));
    s.origins.set(d.name, { kind: 'source', what: `${d.owner} input`, owner: d.owner });
    const src: PathStep = { kind: 'source', value: d.name, what: `${d.owner} input` };
    if (origin === undefined) {
      const want = declared.get(d.name);
      if (want === undefined)
        s.finding('ownership', d.name, 'input', `input '${d.name}' (${d.owner}) is not a declared input`, [src]);
      else if (want !== d.owner)
        s.finding(
          'ownership',
          d.name,
          'input',
          `input '${d.name}' is declared the ${want}'s but the ${d.owner} supplies it`,
          [src],
        );
      continue;
    }
    if (origin.owner !== d.owner)
      s.finding(
        'ownership',
        d.name,
        'input',
        `input '${d.name}' is supplied by the ${d.owner} but computed by the ${origin.owner}`,
        [src],
      );
    for (const x of origin.sources) {
      const owner = declared.get(x);
      if (owner !== undefined && owner !== d.owner) {
        s.finding(
          'ownership',
          d.name,
          'input',
          `input '${d.name}' of the ${d.owner} is computed from the ${owner}'s input '${x}', which the ${d.owner} must not see`,
          [
            { kind: 'source', value: x, what: `${owner} input` },
            { kind: 'node', value: d.name, node: d.name, op: 'input' },
          ],
        );
      }
    }
  }
}

function runNode(s: State, node: LNode): void {
  const at = `node '${node.out}' (${node.op})`;
  const operands = operandsOf(node);
  const labels = operands.map((v) => s.label(v, at));
  for (const i of clearOperands(node)) {
    const v = operands[i] as string;
    const l = labels[i] as Label;
    if (isSecret(l))
      s.finding(
        'public-op',
        node.out,
        node.op,
        `operand '${v}' must be public but carries ${possessive(l.owners)} secret data`,
        s.leakPath(v, l),
      );
  }
  let label = joinAll(labels);
  if (node.type.label === 'public' && isSecret(label)) {
    let covered = true;
    operands.forEach((v, i) => {
      const l = labels[i] as Label;
      if (!isSecret(l) || s.declassified(v, 'both') !== undefined) return;
      covered = false;
      s.finding(
        'public-op',
        node.out,
        node.op,
        `node '${node.out}' (${node.op}) is written public, so every party would compute it in the clear, but it reads '${v}', which carries ${possessive(l.owners)} secret data, and no declassification of '${v}' to both parties is declared`,
        [...s.leakPath(v, l), { kind: 'node', value: node.out, node: node.out, op: node.op }],
      );
    });
    if (covered) label = PUBLIC;
  }
  s.labels.set(node.out, label);
  s.origins.set(node.out, { kind: 'node', node: node.out, op: node.op, preds: operands });
  s.reads.set(node.out, operands);
}

function what(s: State, v: string): string {
  const o = s.origins.get(v);
  if (o === undefined) return `'${v}'`;
  return o.kind === 'source' ? `the ${o.what} '${v}'` : `the intermediate '${v}' (${o.op})`;
}

function reveal(s: State, p: LProgram): OutputReveal[] {
  const satisfied = new Set<string>();
  const out = p.outputs.map((o): OutputReveal => {
    const label = s.label(o.name, `output '${o.name}'`);
    const base = { name: o.name, to: o.to, label, dependsOn: s.dependsOn(o.name) };
    const declared = s.policy.outputs.filter((d) => d.name === o.name);
    if (declared.some((d) => d.to === o.to)) {
      satisfied.add(`${o.name}\u0000${o.to}`);
      return { ...base, status: 'declared' };
    }
    const d = s.declassified(o.name, o.to);
    if (d !== undefined) return { ...base, status: 'declassified', reason: d.reason };
    if (!isSecret(label)) return { ...base, status: 'public' };
    const path = s.leakPath(o.name, label, o.to);
    const carriesWhat = `it carries ${possessive(label.owners)} secret data`;
    const first = declared[0];
    if (first !== undefined) {
      s.finding(
        'recipient',
        o.name,
        'output',
        `output '${o.name}' is revealed to the ${o.to}, but it is declared for the ${first.to}; ${carriesWhat}`,
        path,
      );
    } else {
      s.finding(
        'reveal',
        o.name,
        'output',
        `output '${o.name}' reveals ${what(s, o.name)} to the ${o.to}, but it is not a declared output and no declassification allows it; ${carriesWhat}`,
        path,
      );
    }
    return { ...base, status: 'undeclared' };
  });
  for (const d of s.policy.outputs) {
    if (!satisfied.has(`${d.name}\u0000${d.to}`))
      s.finding(
        'missing-output',
        d.name,
        'output',
        `declared output '${d.name}' (to the ${d.to}) is not revealed by the program`,
        [],
      );
  }
  return out;
}

/** Label every value of `p` and check it against `options.policy` (see the file header). */
export function analyzeLlil(p: LProgram, options: LlilSecrecyOptions): LlilSecrecy {
  const s = new State(options.policy);
  declare(s, p, options.origins);
  for (const node of p.nodes) runNode(s, node);
  const outputs = reveal(s, p);
  return {
    ell: p.ell,
    inputs: p.decls.flatMap((d) => (d.kind === 'input' ? [{ name: d.name, owner: d.owner, shape: d.shape }] : [])),
    constants: p.decls.filter((d) => d.kind === 'const').length,
    nodes: p.nodes.length,
    outputs,
    declassifications: options.policy.declassify.map((d) => ({ ...d, used: s.used.has(d) })),
    findings: s.findings,
    labels: s.labels,
  };
}
