/**
 * The malicious-secure three-party backend `malicious` (honest majority, security with abort):
 * SPDZ-wise replicated sharing over Z_{2^{ℓ+s}} (Damgård, Escudero, Frederiksen, Keller, Scholl,
 * Volgushev, S&P 2019, §3; MP-SPDZ's sy-rep-ring is the same protocol family). Values are replicated
 * sharings with MACs under a secret global key α (rss.ts); a party's `Held` packs its share (held.ts).
 *
 * Per LLIL node (costs in spec/cost/malicious3.ts):
 * - every operand public: computed in the clear by every party, 0 bytes;
 * - layout nodes and Add/Sub/BiasAdd/ScaleUp/Pad: local on every component and MAC component;
 * - Mul, MatMul, Conv, ConvTranspose with a public operand: local; secret × secret: one replicated
 *   product of the whole bilinear map plus its MAC (session.ts `mult`): a dot product costs one
 *   multiplication, 2 elements of ⌈(ℓ+s)/8⌉ bytes per output on each of three links;
 * - ScaleDown: exact truncation by bit decomposition (bits.ts); AvgPool/GlobalAvgPool: window sums,
 *   then exact division by the public counts (division.ts; one power of two: the truncation);
 * - Relu: exact on all of Z_{2^ℓ}; MaxPool, ArgMax: trees of comparisons of differences (inputs within
 *   ±2^{ℓ−2}, the declared domain).
 * Every opened value passes the batched MAC check before it is used (session.ts `openChecked`), every
 * product's operands before they are multiplied (`mult`), every node's results at its end, and every
 * output before it is revealed (`revealTo`); a failed check throws "abort: … failed" and releases nothing.
 * Its inputs and outputs go through `sharing` (input with MACs, checked reveal), in the 'io' phase.
 */
import { assertNever, bug, CryptflowError } from '../../spec/errors.js';
import { numel, type Shape } from '../../spec/geometry.js';
import type { Cost } from '../../spec/cost/types.js';
import type { LNode } from '../../ir/llil.js';
import { kernels as ringKernels } from '../../semantics/kernels/index.js';
import type { Backend, BackendClaims, Held, OperandType, ShareCodec } from '../common/backend.js';
import { globalPoolGeometry } from '../../semantics/tensor.js';
import { apply, argmaxRows, poolWindows, withoutBias } from '../common/local-ops.js';
import type { PartyContext } from '../common/party.js';
import { malicious3NodeCost, poolDivisors } from './cost.js';
import { divide } from './division.js';
import { pack, unpack } from './held.js';
import { linearMap, bilinearMap } from './limbs.js';
import { relu, truncate } from './bits.js';
import { argmaxTree, columns, maxTree } from './trees.js';
import { auth, DEFAULT_S, m3Params, type Auth } from './rss.js';
import { add, gatherZ, type Z128 } from './ring.js';
import { liftSigned, lowRing } from './convert.js';
import { Session } from './session.js';
import type { Corruption } from './wire.js';

export interface Malicious3Options {
  /** Statistical security s (default `DEFAULT_S` = 48, a check misses with probability ≤ 2^{−40}): the ring is Z_{2^{ℓ+s}}, ℓ + s ≤ 128. */
  readonly s?: number;
  /** A research/demo deviation of one party (wire.ts). */
  readonly corruption?: Corruption;
  readonly kernels?: 'reference' | 'wasm';
}

const RINGS: readonly number[] = Array.from({ length: 57 }, (_, i) => i + 8);

export function malicious3Backend(options: Malicious3Options = {}): Backend {
  const s = options.s ?? DEFAULT_S;
  const k64 = ringKernels(options.kernels ?? 'wasm');
  const sessions = new WeakMap<PartyContext, Session>();
  const claims: BackendClaims = { uniformShares: true, rings: RINGS.filter((l) => l + s <= 128), parties: 3 };

  const session = (ctx: PartyContext): Session => {
    let st = sessions.get(ctx);
    if (st === undefined) {
      st = new Session(ctx, m3Params(ctx.ell, s), options.corruption);
      sessions.set(ctx, st);
    }
    return st;
  };

  /** A node applied to 64-bit vectors (each limb's image). */
  const on64 = (node: LNode, ts: readonly { shape: Shape; data: BigUint64Array }[]): BigUint64Array =>
    apply(64, k64, distinct(node), ts).data;

  const authOf = (st: Session, h: Held): Auth =>
    h.kind === 'secret' ? unpack(h) : st.ofPublic(liftSigned(st.params.k, st.m, h.data));

  /** A Z-linear map of one operand applied to every component. */
  const mapAuth = (st: Session, x: Auth, outLen: number, f: (v: BigUint64Array) => BigUint64Array): Auth =>
    auth.map(x, (v) => linearMap(st.m, v, outLen, f));

  const sharing: ShareCodec = {
    share: (ctx, owner, shape, value) => {
      const st = session(ctx);
      const n = numel(shape);
      if (ctx.id === owner && (value === undefined || value.length !== n))
        throw new CryptflowError(
          'input',
          `P${owner} shares an input of shape [${shape.join(', ')}] but holds ${value?.length ?? 0} entries`,
        );
      return ctx.inPhase('io', async () => {
        const lifted = ctx.id === owner && value !== undefined ? liftSigned(ctx.ell, st.m, value) : undefined;
        const x = await st.input(owner, n, lifted);
        await st.verify();
        return pack(shape, x);
      });
    },
    reveal: (ctx, x, to) =>
      ctx.inPhase('io', async () => {
        const st = session(ctx);
        if (x.kind === 'public') return ctx.id === to ? x.data : null;
        const v = await st.revealTo(unpack(x), to);
        return v === null ? null : lowRing(ctx.ell, v);
      }),
    reconstruct: (ell, views) => {
      const firsts = views.map((h) => (h.kind === 'secret' ? unpack(h).x.a : bug('reconstruct a public value')));
      const m = ell + s;
      const [a, b, c] = firsts as [Z128, Z128, Z128];
      return {
        value: lowRing(ell, add(m, add(m, a, b), c)),
        shares: [lowRing(ell, a), lowRing(ell, b)],
        problems: [],
      };
    },
  };

  /** A node, then the check of what it left pending (so each node's cost is its own). */
  async function run(ctx: PartyContext, node: LNode, operands: readonly Held[]): Promise<Held> {
    const out = await runNode(ctx, node, operands);
    if (operands.some((h) => h.kind === 'secret')) await session(ctx).verify();
    return out;
  }

  async function runNode(ctx: PartyContext, node: LNode, operands: readonly Held[]): Promise<Held> {
    if (operands.every((h) => h.kind === 'public')) {
      const t = apply(
        ctx.ell,
        k64,
        node,
        operands.map((h) => (h.kind === 'public' ? { shape: h.shape, data: h.data } : bug('public'))),
      );
      return { kind: 'public', shape: t.shape, data: t.data };
    }
    const st = session(ctx);
    const m = st.m;
    const outShape = node.type.shape;
    const nOut = numel(outShape);
    const at = (i: number): Held => operands[i] ?? bug(`node '${node.out}' lacks operand ${i}`);
    const zeros64 = (shape: Shape): { shape: Shape; data: BigUint64Array } => ({
      shape,
      data: new BigUint64Array(numel(shape)),
    });
    /** Broadcast operand i to the output shape through `bnode` (an Add/BiasAdd with zeros elsewhere). */
    const broadcast = (i: number, bnode: LNode): Auth => {
      const shapes = operands.map((h) => h.shape);
      return mapAuth(st, authOf(st, at(i)), nOut, (v) =>
        on64(
          bnode,
          shapes.map((sh, j) => (j === i ? { shape: sh, data: v } : zeros64(sh))),
        ),
      );
    };
    switch (node.op) {
      case 'Add':
      case 'Sub': {
        const asAdd: LNode = { ...node, op: 'Add' };
        const [a, b] = [broadcast(0, asAdd), broadcast(1, asAdd)];
        return pack(outShape, node.op === 'Add' ? auth.add(m, a, b) : auth.sub(m, a, b));
      }
      case 'BiasAdd':
        return pack(outShape, auth.add(m, broadcast(0, node), broadcast(1, node)));
      case 'Reshape':
      case 'Flatten':
      case 'Transpose':
      case 'Squeeze':
      case 'Concat': {
        // Σ_i of the layout map with operand i alone (the others zero): linear in each operand
        let acc: Auth | null = null;
        for (let i = 0; i < operands.length; i++) {
          const part = broadcast(i, node);
          acc = acc === null ? part : auth.add(m, acc, part);
        }
        return pack(outShape, acc ?? bug('a node without operands'));
      }
      case 'Pad': {
        const x = at(0);
        const padded = mapAuth(st, authOf(st, x), nOut, (v) =>
          on64({ ...node, value: 0n }, [{ shape: x.shape, data: v }]),
        );
        const fillIn = apply(ctx.ell, k64, node, [zeros64(x.shape)]).data;
        return pack(outShape, auth.addPublic(m, st.id, st.alpha, padded, liftSigned(ctx.ell, m, fillIn)));
      }
      case 'ScaleUp':
        return pack(outShape, auth.mulConst(m, authOf(st, at(0)), 1n << BigInt(node.shift)));
      case 'Mul':
      case 'MatMul':
      case 'Conv':
      case 'ConvTranspose': {
        const [x, w] = [at(0), at(1)];
        const bare = node.op === 'Conv' || node.op === 'ConvTranspose' ? withoutBias(node) : node;
        const f = (u: BigUint64Array, v: BigUint64Array): BigUint64Array =>
          on64(bare, [
            { shape: x.shape, data: u },
            { shape: w.shape, data: v },
          ]);
        const bil = (u: Z128, v: Z128): Z128 => bilinearMap(m, u, v, nOut, f);
        let y: Auth;
        if (x.kind === 'secret' && w.kind === 'secret') {
          y = (await st.mult([{ x: unpack(x), y: unpack(w), bilinear: bil }]))[0] as Auth;
        } else if (x.kind === 'secret') {
          const c = liftSigned(ctx.ell, m, w.kind === 'public' ? w.data : bug('public'));
          y = auth.map(unpack(x), (v) => bil(v, c));
        } else if (w.kind === 'secret') {
          const c = liftSigned(ctx.ell, m, x.data);
          y = auth.map(unpack(w), (v) => bil(c, v));
        } else {
          // both factors public, a secret Conv bias: the product in the clear, then the bias below
          const t = apply(ctx.ell, k64, distinct(bare), [x, w]);
          y = authOf(st, { kind: 'public', shape: outShape, data: t.data });
        }
        if ((node.op === 'Conv' || node.op === 'ConvTranspose') && node.b !== undefined) {
          const bias = at(2);
          const biasNode: LNode = { op: 'BiasAdd', out: node.out, x: 'y', b: 'b', type: node.type };
          const b = mapAuth(st, authOf(st, bias), nOut, (v) =>
            on64(biasNode, [zeros64(outShape), { shape: bias.shape, data: v }]),
          );
          y = auth.add(m, y, b);
        }
        return pack(outShape, y);
      }
      case 'ScaleDown':
        if (node.shift === 0) return pack(outShape, authOf(st, at(0)));
        if (node.shift >= ctx.ell)
          throw new CryptflowError('unsupported', `malicious: ScaleDown by ${node.shift} ≥ ℓ at '${node.out}'`);
        return pack(outShape, await truncate(st, authOf(st, at(0)), node.shift));
      case 'AvgPool':
      case 'GlobalAvgPool': {
        const x = at(0);
        const g = node.op === 'AvgPool' ? node : globalPoolGeometry(x.shape);
        const sums = mapAuth(st, authOf(st, x), nOut, (v) => k64.sumPool(64, { shape: x.shape, data: v }, g).data);
        return pack(outShape, await divide(st, sums, poolDivisors(node, x.shape)));
      }
      case 'Relu':
        return pack(outShape, await relu(st, authOf(st, at(0))));
      case 'MaxPool': {
        const x = at(0);
        const { windows, r, k } = poolWindows(x.shape, node.kernel, node.strides, node.pads);
        const cells = auth.map(authOf(st, x), (v) => gatherZ(v, windows));
        return pack(outShape, await maxTree(st, columns(cells, r, k), r));
      }
      case 'ArgMax': {
        const x = at(0);
        const { idx, r, c } = argmaxRows(x.shape, node.axis);
        const cells = auth.map(authOf(st, x), (v) => gatherZ(v, idx));
        return pack(outShape, await argmaxTree(st, columns(cells, r, c), r));
      }
      default:
        return assertNever(node);
    }
  }

  function cost(node: LNode, ops: readonly OperandType[], ell: number): Cost {
    return malicious3NodeCost(node, ops, ell, s);
  }

  const domain = (node: LNode, ell: number): bigint | undefined =>
    node.op === 'MaxPool' || node.op === 'ArgMax' ? 1n << BigInt(ell - 2) : undefined;

  return { name: 'malicious', claims, sharing, run, cost, domain };
}

/**
 * The node with its operands renamed apart ('#0', '#1', …): `apply` binds operands by name, and a node
 * such as Sub(x, x) or Mul(x, x) must see each position's own vector here (a limb of one operand,
 * zeros or another limb in the other).
 */
function distinct(node: LNode): LNode {
  switch (node.op) {
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'MatMul':
      return { ...node, a: '#0', b: '#1' };
    case 'BiasAdd':
      return { ...node, x: '#0', b: '#1' };
    case 'Concat':
      return { ...node, xs: node.xs.map((_, i) => `#${i}`) };
    case 'Conv':
    case 'ConvTranspose':
      return node.b === undefined ? { ...node, x: '#0', w: '#1' } : { ...node, x: '#0', w: '#1', b: '#2' };
    default:
      return node;
  }
}
