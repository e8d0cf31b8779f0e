/**
 * Conformance cases: one LLIL node with concrete operand values, each operand secret (shared by its
 * owner, the client P0 or the server P1) or public (held in the clear by every party).
 *
 * A case is cut out of a small random program (the caller's program arbitrary, e.g. test/arbitraries'
 * `llilOpProgram`): the first node of the requested operator, its operands' values computed by the
 * exact semantics from random input values, and its operands' labels from the program (inputs are
 * secret and owned by their declared party, constants public, intermediate values as the node types
 * say — a secret intermediate is shared by P0). Values are drawn from the suite's PRG in one of two
 * modes: `small` (|x̃| < 2^{s+3}, s the input's scale: realistic fixed-point values, rare wraps) or
 * `uniform` (all of Z_{2^ℓ}: large wrap probabilities, every bit exercised). `publicOnly` turns every
 * operand (and the node's label) public — the backend must then compute in the clear.
 */
import { bug } from '../../spec/errors.js';
import { numel } from '../../spec/geometry.js';
import { Ring } from '../../spec/ring.js';
import type { LNode, LOp, LProgram } from '../../ir/llil.js';
import { operandsOf } from '../../ir/traverse.js';
import { fixedSemAll } from '../../semantics/fixed.js';
import type { RingTensor } from '../../semantics/kernels/types.js';
import type { Randomness } from '../../ideal/functionality.js';
import type { OperandType } from '../../protocols/common/backend.js';

export interface CaseOperand {
  readonly name: string;
  readonly value: RingTensor;
  readonly secret: boolean;
  /** Who shares it when secret: P0 (client) or P1 (server). */
  readonly owner: 0 | 1;
}

export interface Case {
  readonly ell: number;
  readonly node: LNode;
  /** The node's distinct operands, in order of first use. */
  readonly operands: readonly CaseOperand[];
  /** What the case is, for reports (never values). */
  readonly label: string;
  /** The backend's domain for this node: secret operands satisfy −bound ≤ signed(x) < bound. */
  readonly bound?: bigint;
}

export type ValueMode = 'small' | 'uniform';

export interface CaseOptions {
  readonly mode: ValueMode;
  readonly publicOnly: boolean;
  /** The backend's domain (`Backend.domain`): secret operand values are folded into [−bound, bound). */
  readonly bound?: (node: LNode, ell: number) => bigint | undefined;
}

/** Fold x into [−bound, bound) by reducing signed(x) + bound modulo 2·bound (identity inside). */
export function intoDomain(ell: number, x: bigint, bound: bigint | undefined): bigint {
  if (bound === undefined) return x;
  const ring = Ring(ell);
  const m = 2n * bound;
  const r = (((ring.signed(x) + bound) % m) + m) % m;
  return ring.reduce(r - bound);
}

function randomValues(ell: number, n: number, scale: number, mode: ValueMode, rng: Randomness): BigUint64Array {
  const raw = rng.ring(ell, n);
  if (mode === 'uniform') return raw;
  const ring = Ring(ell);
  const m = BigInt(Math.min(ell - 2, scale + 3));
  return raw.map((r) => ring.reduce((r & ((1n << (m + 1n)) - 1n)) - (1n << m)));
}

/** The case of the first `op` node of `program`, or null when it has none. */
export function caseFromProgram(program: LProgram, op: LOp, rng: Randomness, options: CaseOptions): Case | null {
  const index = program.nodes.findIndex((n) => n.op === op);
  const found = program.nodes[index];
  if (found === undefined) return null;
  const ell = program.ell;
  const inputs = new Map<string, BigUint64Array>();
  for (const d of program.decls) {
    if (d.kind === 'input') inputs.set(d.name, randomValues(ell, numel(d.shape), d.scale, options.mode, rng));
  }
  const env = fixedSemAll({ ...program, nodes: program.nodes.slice(0, index) }, inputs);
  const decl = new Map(program.decls.map((d) => [d.name, d]));
  const types = new Map(program.nodes.map((n) => [n.out, n.type]));
  const bound = options.publicOnly ? undefined : options.bound?.(found, ell);
  const operands: CaseOperand[] = [];
  for (const name of new Set(operandsOf(found))) {
    const value = env.get(name);
    if (value === undefined) bug(`conformance: operand '${name}' of '${found.out}' has no value`);
    const d = decl.get(name);
    const secret = !options.publicOnly && (d !== undefined ? d.kind === 'input' : types.get(name)?.label === 'secret');
    const owner = d?.kind === 'input' && d.owner === 'server' ? 1 : 0;
    const folded =
      secret && bound !== undefined
        ? { shape: value.shape, data: value.data.map((v) => intoDomain(ell, v, bound)) }
        : value;
    operands.push({ name, value: folded, secret, owner });
  }
  const node: LNode = options.publicOnly ? { ...found, type: { ...found.type, label: 'public' } } : found;
  const what = options.publicOnly ? 'all operands public' : `${options.mode} values`;
  const label = `${op} ${found.out}: [${operands.map((o) => `${o.name}${o.secret ? `:P${o.owner}` : ':public'}`).join(', ')}] → [${found.type.shape.join(', ')}], ${what}`;
  return bound === undefined ? { ell, node, operands, label } : { ell, node, operands, label, bound };
}

/** The operand values in the node's operand order (repeats included), as the functionality takes them. */
export function caseInputs(c: Case): RingTensor[] {
  return operandsOf(c.node).map((n) => operandOf(c, n).value);
}

/** The operand types in the node's operand order, as `Backend.cost` takes them. */
export function caseOperandTypes(c: Case): OperandType[] {
  return operandsOf(c.node).map((n) => {
    const o = operandOf(c, n);
    return { shape: o.value.shape, secret: o.secret, serverOnly: o.secret && o.owner === 1 };
  });
}

export function operandOf(c: Case, name: string): CaseOperand {
  const o = c.operands.find((x) => x.name === name);
  if (o === undefined) bug(`conformance: case has no operand '${name}'`);
  return o;
}

export function hasSecret(c: Case): boolean {
  return c.operands.some((o) => o.secret);
}

/** The same case with every element of each secret operand set to that operand's fill value. */
export function withSecretFills(c: Case, fill: (name: string) => bigint): Case {
  return {
    ...c,
    operands: c.operands.map((o) =>
      o.secret
        ? {
            ...o,
            value: {
              shape: o.value.shape,
              data: new BigUint64Array(o.value.data.length).fill(intoDomain(c.ell, fill(o.name), c.bound)),
            },
          }
        : o,
    ),
  };
}
