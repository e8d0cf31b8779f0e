/**
 * The protocols under test, as `SecurityCase`s (check.ts): each with two input sets A and B chosen to
 * differ where a leak would show (signs, magnitudes, ties, comparison outcomes), small sizes (a
 * handful of elements), and its simulator from simulators.ts.
 *
 * Inputs. For protocols on shares, the secret operands are shared afresh for the corrupted party:
 * when c is P0 or P1, its share is fixed (drawn from a label, the same for A and B) and the honest
 * party holds value − share, so only the honest input changes between A and B; when c is P2, both
 * shares differ between A and B. PrivateCompare keeps P2's output bit the same on A and B, and the
 * sharing-and-reveal case keeps the revealed value the same — what the functionality tells the
 * corrupted party must not differ, or its view legitimately would.
 *
 * Small primes. PrivateCompare needs p > ℓ + 1 (variant.ts); at ℓ = 8 the smallest such prime is 11,
 * at ℓ = 16 it is 19. `smallVariant` keeps a variant's choices and swaps its prime — a value the
 * protocols already take from the Variant, so production variants are untouched.
 */
import { Ring } from '../../spec/ring.js';
import { Field, isPrime } from '../../spec/field.js';
import { bug } from '../../spec/errors.js';
import type { Shape } from '../../spec/geometry.js';
import type { LNode } from '../../ir/llil.js';
import { referenceKernels } from '../../semantics/kernels/index.js';
import {
  roleOf,
  type HelperContext,
  type HolderContext,
  type PartyContext,
  type PartyId,
} from '../../protocols/common/party.js';
import type { PartyKeys } from '../../protocols/common/prg.js';
import {
  convolutionHelper,
  convolutionHolder,
  convSizes,
  matmulHelper,
  matmulHolder,
  productHelper,
  productHolder,
  type ConvForm,
} from '../../protocols/securenn-family/linear.js';
import { asPublic, asShare, helperView, reveal, shareInput, type RingShare } from '../../protocols/common/sharing.js';
import { addMod } from '../../semantics/kernels/words.js';
import { bitsOf } from '../../protocols/securenn-family/nonlinear/arith.js';
import {
  privateCompareHelper,
  privateCompareHolder,
} from '../../protocols/securenn-family/nonlinear/private-compare.js';
import { shareConvertHelper, shareConvertHolder } from '../../protocols/securenn-family/nonlinear/share-convert.js';
import { computeMsbHelper, computeMsbHolder } from '../../protocols/securenn-family/nonlinear/compute-msb.js';
import { dreluHelper, dreluHolder } from '../../protocols/securenn-family/nonlinear/drelu.js';
import { reluHelper, reluHolder } from '../../protocols/securenn-family/nonlinear/relu.js';
import { selectShareHelper, selectShareHolder } from '../../protocols/securenn-family/nonlinear/select-share.js';
import {
  argmaxHelper,
  argmaxHolder,
  maxPoolHelper,
  maxPoolHolder,
} from '../../protocols/securenn-family/nonlinear/max.js';
import { checkVariant, PORTHOS, SECURENN, type Variant } from '../../protocols/securenn-family/nonlinear/variant.js';
import { porthos } from '../../protocols/porthos/index.js';
import { labelPrg, type Output, type PartySetup, type SecurityCase, type Which } from './check.js';
import {
  SimBuilder,
  simArgmax,
  simBeaver,
  simComputeMsb,
  simDrelu,
  simMaxPool,
  simPrivateCompare,
  simRelu,
  simReveal,
  simSelectShare,
  simShareConvert,
} from './simulators.js';
import { checkCaseRing, segment } from './typed.js';
import { corruptedKnowledge, type CorruptedKnowledge } from './knowledge.js';
import { localContext } from './view.js';
import type { PartyCount } from '../network/parties.js';

/** The smallest prime PrivateCompare accepts at ring width ℓ: the least prime p > ℓ + 1. */
export function smallPrime(ell: number): number {
  let p = ell + 2;
  while (!isPrime(p)) p++;
  return p;
}

/** The variant with its prime replaced by `p` (checked against ℓ like any variant). */
export function smallVariant(v: Variant, ell: number, p: number = smallPrime(ell)): Variant {
  const out: Variant = Object.freeze({ ...v, field: Field(p) });
  checkVariant(out, ell);
  return out;
}

const mod = (m: bigint, x: bigint): bigint => ((x % m) + m) % m;

/** n elements of Z_m from a labelled PRG (Z_{2^ℓ} or the odd Z_{2^ℓ−1}). */
function drawMod(label: string, ell: number, m: bigint, n: number): BigUint64Array {
  const prg = labelPrg(label);
  return m === 1n << BigInt(ell) ? prg.ring(ell, n) : prg.below(m, n);
}

/**
 * Shares of `values` modulo m for corrupted party c: c's share (P0 or P1) fixed by `label`, the
 * honest share the difference; for c = P2, P0's share drawn from `label` and the input set.
 */
export function sharesFor(
  c: PartyId,
  which: Which,
  label: string,
  ell: number,
  m: bigint,
  values: readonly bigint[],
): readonly [BigUint64Array, BigUint64Array] {
  const n = values.length;
  const fixed = drawMod(c === 2 ? `${label}|${which}` : `${label}|P${c}`, ell, m, n);
  const rest = BigUint64Array.from(values, (v, i) => mod(m, v - (fixed[i] as bigint)));
  return c === 1 ? [rest, fixed] : [fixed, rest];
}

export interface SharedCaseSpec {
  readonly name: string;
  readonly ell: number;
  /** The group the operands are shared in: Z_{2^ℓ}, or Z_{2^ℓ−1} (ComputeMSB). */
  readonly operands: 'ring' | 'odd';
  /** The secret operands (signed values are reduced) on input sets A and B. */
  readonly A: readonly (readonly bigint[])[];
  readonly B: readonly (readonly bigint[])[];
  /** A holder's part of the protocol on its shares; returns its output as segments. */
  holder(ctx: HolderContext, shares: readonly RingShare[]): Promise<Output>;
  /** The helper's part (it has no shares and outputs nothing); absent for a 2-party protocol. */
  helper?(ctx: HelperContext): Promise<unknown>;
  /**
   * The simulator's blocks for this protocol, given P_c's knowledge: its shares of the operands (the
   * same on A and B; none for P2) and its keys. Its ideal output is fresh shares, which the
   * simulators of P0 and P1 need not fix (proofs-notes/security-tests.md §1), so `output` is null.
   */
  simulate(b: SimBuilder, k: CorruptedKnowledge<readonly RingShare[], null>): void;
  /** P0's and P1's output in the ideal world: fresh shares (default), or fixed by their own input. */
  readonly output?: 'uniform' | 'fixed';
  /** 3 (default): P0, P1 and the helper P2 run it; 2: P0 and P1 alone (a 2-party protocol). */
  readonly parties?: PartyCount;
}

/** A case for a protocol whose inputs are additive shares of secret operands (P2, if any, has none). */
export function sharedCase(spec: SharedCaseSpec): SecurityCase {
  checkCaseRing(spec.ell);
  const ell = spec.ell;
  const m = spec.operands === 'ring' ? 1n << BigInt(ell) : (1n << BigInt(ell)) - 1n;
  if (spec.A.length !== spec.B.length || spec.A.some((a, i) => a.length !== spec.B[i]?.length))
    bug(`${spec.name}: input sets of different shapes`);
  const parties = spec.parties ?? 3;
  return {
    name: spec.name,
    ell,
    parties,
    setup: (c: PartyId, keys: PartyKeys): PartySetup => {
      const sharesOn = (which: Which) =>
        (which === 'A' ? spec.A : spec.B).map((vals, k) =>
          sharesFor(c, which, `${spec.name}|operand ${k}`, ell, m, vals),
        );
      const own = (which: Which): RingShare[] =>
        c === 2 ? [] : sharesOn(which).map((s) => asShare(s[c] ?? bug(`P${c}'s share`)));
      const input = own('A');
      if (input.some((s, k) => s.join() !== own('B')[k]?.join()))
        bug(`${spec.name}: P${c}'s shares differ between the input sets`);
      const knowledge = corruptedKnowledge(c, ell, keys, input as readonly RingShare[], null);
      return {
        knowledge,
        programs: (which) => {
          const shares = sharesOn(which);
          const program = async (ctx: PartyContext): Promise<Output> => {
            const role = roleOf(ctx);
            if (role.role === 'holder')
              return spec.holder(
                role.ctx,
                shares.map((s) => asShare(s[role.j])),
              );
            if (spec.helper === undefined) bug(`${spec.name}: a 2-party case has no helper part, yet P2 runs`);
            await spec.helper(role.ctx);
            return [];
          };
          return parties === 3 ? [program, program, program] : [program, program];
        },
        simulate: (rng) => {
          const b = SimBuilder.of(knowledge, rng);
          spec.simulate(b, knowledge);
          return b.view();
        },
        output: c === 2 ? 'none' : (spec.output ?? 'uniform'),
      };
    },
  };
}

const ring = (ctx: HolderContext, v: BigUint64Array): Output => [segment(ctx.ell, 'ring', v)];
const odd = (ctx: HolderContext, v: BigUint64Array): Output => [segment(ctx.ell, 'odd', v)];
const arg = (shares: readonly RingShare[], i: number): RingShare => shares[i] ?? bug(`operand ${i}`);

/** The elementwise product of two 3-vectors (Beaver, linear.ts `productHolder`, `productHelper`). */
export function productCase(ell: number): SecurityCase {
  return sharedCase({
    name: `product (n = 3, ℓ = ${ell})`,
    ell,
    operands: 'ring',
    A: [
      [1n, -2n, 100n],
      [3n, 50n, -7n],
    ],
    B: [
      [-128n, 0n, 77n],
      [5n, -5n, 127n],
    ],
    holder: async (ctx, s) =>
      ring(
        ctx,
        await productHolder(
          ctx,
          referenceKernels,
          { shape: [3], share: arg(s, 0) },
          { shape: [3], share: arg(s, 1) },
          3,
        ),
      ),
    helper: async (ctx) => productHelper(ctx, referenceKernels, [3], [3], 3),
    simulate: (b) => simBeaver(b, { x: 3, y: 3, z: 3 }),
  });
}

/** A 2×2 by 2×2 MatMul (Beaver over the MatMul map). */
export function matmulCase(ell: number): SecurityCase {
  return sharedCase({
    name: `MatMul (2×2 · 2×2, ℓ = ${ell})`,
    ell,
    operands: 'ring',
    A: [
      [1n, 2n, 3n, 4n],
      [-1n, 0n, 9n, 127n],
    ],
    B: [
      [-64n, 64n, 0n, 5n],
      [7n, 7n, -128n, 1n],
    ],
    holder: async (ctx, s) => ring(ctx, await matmulHolder(ctx, referenceKernels, arg(s, 0), arg(s, 1), 2, 2, 2)),
    helper: async (ctx) => matmulHelper(ctx, referenceKernels, 2, 2, 2),
    simulate: (b) => simBeaver(b, { x: 4, y: 4, z: 4 }),
  });
}

const CONV = { kind: 'conv', g: { strides: [1, 1], pads: [1, 1, 0, 0], dilations: [1, 1], groups: 1 } } as const;
const CONV_X: Shape = [1, 1, 3, 3];
const CONV_W: Shape = [2, 1, 2, 2];

/** A 2-D convolution (1×1×3×3 input, two 2×2 filters, padding on top and left) in the given form. */
export function convCase(ell: number, form: ConvForm): SecurityCase {
  const sizes = convSizes(CONV, CONV_X, CONV_W);
  const bilinear =
    form === 'reshaped'
      ? { x: sizes.inputSize, y: sizes.filterSize, z: sizes.outputSize }
      : {
          x: sizes.co * sizes.tapsPerGroup,
          y: sizes.groups * sizes.tapsPerGroup * sizes.positions,
          z: sizes.co * sizes.positions,
        };
  return sharedCase({
    name: `Conv ${form} (1×1×3×3 * 2×1×2×2, pad 1, ℓ = ${ell})`,
    ell,
    operands: 'ring',
    A: [
      [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n],
      [1n, -1n, 2n, 0n, 3n, 3n, -128n, 127n],
    ],
    B: [
      [-9n, 100n, 0n, 0n, 0n, -1n, 64n, 32n, 16n],
      [0n, 0n, 0n, 1n, -5n, 5n, 17n, -17n],
    ],
    holder: async (ctx, s) =>
      ring(
        ctx,
        await convolutionHolder(
          ctx,
          referenceKernels,
          CONV,
          { shape: CONV_X, share: arg(s, 0) },
          { shape: CONV_W, share: arg(s, 1) },
          form,
        ),
      ),
    helper: async (ctx) => convolutionHelper(ctx, referenceKernels, CONV, CONV_X, CONV_W, form),
    simulate: (b) => simBeaver(b, bilinear),
  });
}

const SCALE_DOWN: LNode = {
  op: 'ScaleDown',
  out: 'y',
  x: 'x',
  shift: 3,
  type: { shape: [3], scale: 0, label: 'secret' },
};

/** Local truncation: the backend's ScaleDown by 2^3 (no messages; the output depends on the own share only). */
export function truncationCase(ell: number): SecurityCase {
  const backend = porthos({ kernels: 'reference' });
  return sharedCase({
    name: `ScaleDown by 2^3, local (n = 3, ℓ = ${ell})`,
    ell,
    operands: 'ring',
    A: [[100n, -100n, 7n]],
    B: [[-128n, 127n, 0n]],
    holder: async (ctx, s) => {
      const held = await backend.run(ctx, SCALE_DOWN, [{ kind: 'secret', shape: [3], share: arg(s, 0) }]);
      return held.kind === 'secret' ? ring(ctx, held.share) : bug('ScaleDown of a secret is secret');
    },
    helper: (ctx) =>
      backend.run(ctx, SCALE_DOWN, [{ kind: 'secret', shape: [3], share: asShare(new BigUint64Array(0)) }]),
    simulate: () => undefined,
    output: 'fixed',
  });
}

/** SelectShare on two elements (the same code in both variants). */
export function selectShareCase(ell: number): SecurityCase {
  return sharedCase({
    name: `SelectShare (n = 2, ℓ = ${ell})`,
    ell,
    operands: 'ring',
    A: [
      [0n, 1n],
      [3n, 4n],
      [100n, -100n],
    ],
    B: [
      [1n, 0n],
      [-5n, 9n],
      [0n, 77n],
    ],
    holder: async (ctx, s) =>
      ring(ctx, await selectShareHolder(ctx, 2, { alpha: arg(s, 0), x: arg(s, 1), y: arg(s, 2) })),
    helper: async (ctx) => selectShareHelper(ctx, 2),
    simulate: (b) => simSelectShare(b, 2),
  });
}

const label = (v: Variant): string => `${v.name} (p = ${v.field.p})`;

export function shareConvertCase(v: Variant, ell: number): SecurityCase {
  return sharedCase({
    name: `${label(v)} ShareConvert (n = 2, ℓ = ${ell})`,
    ell,
    operands: 'ring',
    A: [[3n, -100n]],
    B: [[200n, 17n]],
    holder: async (ctx, s) => odd(ctx, await shareConvertHolder(ctx, v, 2, arg(s, 0))),
    helper: (ctx) => shareConvertHelper(ctx, v, 2),
    simulate: (b) => simShareConvert(b, v, 2),
  });
}

export function computeMsbCase(v: Variant, ell: number): SecurityCase {
  const top = (1n << BigInt(ell)) - 2n;
  return sharedCase({
    name: `${label(v)} ComputeMSB (n = 2, ℓ = ${ell})`,
    ell,
    operands: 'odd',
    A: [[0n, 1n << BigInt(ell - 1)]],
    B: [[top, 3n]],
    holder: async (ctx, s) => ring(ctx, await computeMsbHolder(ctx, v, 2, arg(s, 0))),
    helper: (ctx) => computeMsbHelper(ctx, v, 2),
    simulate: (b) => simComputeMsb(b, v, 2),
  });
}

/** Inputs inside ReLU′'s domain [−2^{ℓ−2}, 2^{ℓ−2}): both signs and both ends. */
function reluInputs(ell: number): { A: bigint[][]; B: bigint[][] } {
  const q = 1n << BigInt(ell - 2);
  return { A: [[5n, -q + 4n]], B: [[-1n, q - 1n]] };
}

export function dreluCase(v: Variant, ell: number): SecurityCase {
  return sharedCase({
    name: `${label(v)} ReLU′ (n = 2, ℓ = ${ell})`,
    ell,
    operands: 'ring',
    ...reluInputs(ell),
    holder: async (ctx, s) => ring(ctx, await dreluHolder(ctx, v, 2, arg(s, 0))),
    helper: (ctx) => dreluHelper(ctx, v, 2),
    simulate: (b) => simDrelu(b, v, 2),
  });
}

export function reluCase(v: Variant, ell: number): SecurityCase {
  return sharedCase({
    name: `${label(v)} ReLU (n = 2, ℓ = ${ell})`,
    ell,
    operands: 'ring',
    ...reluInputs(ell),
    holder: async (ctx, s) => ring(ctx, await reluHolder(ctx, v, 2, arg(s, 0))),
    helper: (ctx) => reluHelper(ctx, v, 2),
    simulate: (b) => simRelu(b, v, 2),
  });
}

/** Inputs inside MaxPool's domain [−2^{ℓ−3}, 2^{ℓ−3}): distinct values, ties, both ends. */
function maxInputs(ell: number, n: number): { A: bigint[][]; B: bigint[][] } {
  const e = 1n << BigInt(ell - 3);
  const a = [1n, 5n, -3n, e - 1n, e - 1n, -e, 2n, 0n, -1n];
  const b = [-e, -e + 1n, 0n, 7n, 7n, 7n, e - 1n, -e, 3n];
  return { A: [a.slice(0, n)], B: [b.slice(0, n)] };
}

/** MaxPool over two windows of three cells (the maximum; SecureNN also its index). */
export function maxPoolCase(v: Variant, ell: number): SecurityCase {
  const windows = Int32Array.from([0, 1, 2, 3, 4, 5]);
  return sharedCase({
    name: `${label(v)} MaxPool (2 windows of 3, ℓ = ${ell})`,
    ell,
    operands: 'ring',
    ...maxInputs(ell, 6),
    holder: async (ctx, s) => {
      const { max, index } = await maxPoolHolder(ctx, v, arg(s, 0), windows, 2, 3);
      return [segment(ell, 'ring', max), ...(index === null ? [] : [segment(ell, 'ring', index)])];
    },
    helper: (ctx) => maxPoolHelper(ctx, v, windows, 2, 3),
    simulate: (b) => simMaxPool(b, v, 2, 3),
  });
}

/** ArgMax over one row of three (index and maximum). */
export function argmaxCase(v: Variant, ell: number): SecurityCase {
  return sharedCase({
    name: `${label(v)} ArgMax (1 row of 3, ℓ = ${ell})`,
    ell,
    operands: 'ring',
    ...maxInputs(ell, 3),
    holder: async (ctx, s) => {
      const { max, index } = await argmaxHolder(ctx, v, arg(s, 0), 1, 3);
      return [segment(ell, 'ring', index ?? bug('ArgMax tracks the index')), segment(ell, 'ring', max)];
    },
    helper: (ctx) => argmaxHelper(ctx, v, 1, 3),
    simulate: (b) => simArgmax(b, v, 1, 3),
  });
}

interface Comparison {
  readonly x: bigint;
  readonly r: bigint;
  readonly beta: number;
}

export interface PrivateCompareOptions {
  /**
   * With P2 corrupted, P0's bit shares on input set A are all 1 (P2 deals these shares itself inside
   * ShareConvert and ComputeMSB, so it may know them); without the z mask, P0's message then has
   * zeros at positions that depend on r (leaks.ts).
   */
  readonly p0OnesInA?: boolean;
}

/**
 * PrivateCompare on three elements. Inputs: Z_p shares of x's bits (P0, P1), the public r and the bit
 * β (both). A and B give P2 the same β′ = β ⊕ (x > r) = (0, 1, 1), with r = 2^ℓ − 1 and β = 1 (the
 * special case) in A and r = 0 in B. When P0 or P1 is corrupted, its r and β stay A's and only x
 * changes (and with it the honest party's bit shares).
 */
export function privateCompareCase(v: Variant, ell: number, options: PrivateCompareOptions = {}): SecurityCase {
  checkCaseRing(ell);
  const top = (1n << BigInt(ell)) - 1n;
  const A: readonly Comparison[] = [
    { x: 5n, r: 100n, beta: 0 },
    { x: 7n, r: 7n, beta: 1 },
    { x: 9n, r: top, beta: 1 },
  ];
  const B: readonly Comparison[] = [
    { x: 200n, r: 3n, beta: 1 },
    { x: top, r: 0n, beta: 0 },
    { x: 0n, r: 0n, beta: 1 },
  ];
  const n = A.length;
  const betaPrime = (cs: readonly Comparison[]): number[] => cs.map((e) => e.beta ^ (e.x > e.r ? 1 : 0));
  if (betaPrime(A).join() !== betaPrime(B).join()) bug('PrivateCompare input sets must give P2 the same bit');
  const name = `${label(v)} PrivateCompare (n = 3, ℓ = ${ell})${options.p0OnesInA === true ? ", P0's bit shares all 1 on A" : ''}`;
  /** P0's or P1's input (its bit shares, r and β: the same on A and B) or P2's output β′ (the same too). */
  const privateCompareKnowledge = (
    c: PartyId,
    keys: PartyKeys,
  ): CorruptedKnowledge<
    { bits: Uint8Array; r: readonly bigint[]; beta: readonly number[] } | null,
    Uint8Array | null
  > =>
    c === 2
      ? corruptedKnowledge(c, ell, keys, null, Uint8Array.from(betaPrime(A)))
      : corruptedKnowledge(
          c,
          ell,
          keys,
          {
            bits: labelPrg(`${name}|bits|P${c}`).field(v.field.p, n * ell),
            r: A.map((e) => e.r),
            beta: A.map((e) => e.beta),
          },
          null,
        );
  return {
    name,
    ell,
    setup: (c: PartyId, keys: PartyKeys): PartySetup => ({
      knowledge: privateCompareKnowledge(c, keys),
      programs: (which) => {
        const set = which === 'A' ? A : B;
        const publicPart = c === 2 ? set : A;
        const bits = bitsOf(
          ell,
          BigUint64Array.from(set, (e) => e.x),
        );
        const ones = c === 2 && which === 'A' && options.p0OnesInA === true;
        const fixed = ones
          ? new Uint8Array(n * ell).fill(1)
          : labelPrg(c === 2 ? `${name}|bits|${which}` : `${name}|bits|P${c}`).field(v.field.p, n * ell);
        const rest = bits.map((b, i) => (b - (fixed[i] as number) + v.field.p) % v.field.p);
        const shares = c === 1 ? [rest, fixed] : [fixed, rest];
        const r = BigUint64Array.from(publicPart, (e) => e.r);
        const beta = Uint8Array.from(publicPart, (e) => e.beta);
        const program = async (ctx: PartyContext): Promise<Output> => {
          const role = roleOf(ctx);
          if (role.role === 'helper') return [segment(ell, 'field', await privateCompareHelper(role.ctx, v, n), 2)];
          await privateCompareHolder(role.ctx, v, n, {
            xBits: shares[role.j] ?? bug('bit shares'),
            r: asPublic(r),
            beta,
          });
          return [];
        };
        return [program, program, program];
      },
      simulate: (rng) => {
        const k = privateCompareKnowledge(c, keys);
        const b = SimBuilder.of(k, rng);
        simPrivateCompare(b, v, n, k.output ?? undefined);
        return b.view();
      },
      output: c === 2 ? 'fixed' : 'none',
    }),
  };
}

interface Owned {
  readonly x: readonly bigint[];
  readonly u: readonly bigint[];
  readonly y: readonly bigint[];
  readonly w: readonly bigint[];
}

/**
 * Input sharing and reveal: P0 shares x and u, P1 shares y and w (zero-communication sharing from the
 * P0–P1 PRG), z = x + u + y + w locally, and z is revealed to P0, to P1 and to P2 in turn. A and B
 * have the same z; a corrupted owner keeps its own inputs.
 */
export function sharingCase(ell: number): SecurityCase {
  checkCaseRing(ell);
  const n = 2;
  const L = 1n << BigInt(ell);
  const A: Owned = { x: [1n, 2n], u: [3n, 4n], y: [5n, 6n], w: [7n, 8n] };
  const B: Owned = { x: [100n, -50n], u: [-96n, 56n], y: [-20n, 200n], w: [32n, -186n] };
  const z = A.x.map((_, i) => mod(L, (A.x[i] ?? 0n) + (A.u[i] ?? 0n) + (A.y[i] ?? 0n) + (A.w[i] ?? 0n)));
  const zB = B.x.map((_, i) => mod(L, (B.x[i] ?? 0n) + (B.u[i] ?? 0n) + (B.y[i] ?? 0n) + (B.w[i] ?? 0n)));
  if (z.join() !== zB.join()) bug('the sharing case needs the same revealed value on A and B');
  const vec = (xs: readonly bigint[]): BigUint64Array => BigUint64Array.from(xs, (x) => mod(L, x));
  /** Everyone's steps up to the reveals; returns this party's share of z (empty on P2). */
  const shareAll = (ctx: PartyContext, inputs: Owned) => {
    const X = shareInput(ctx, 0, [n], ctx.id === 0 ? vec(inputs.x) : undefined);
    const U = shareInput(ctx, 0, [n], ctx.id === 0 ? vec(inputs.u) : undefined);
    const Y = shareInput(ctx, 1, [n], ctx.id === 1 ? vec(inputs.y) : undefined);
    const W = shareInput(ctx, 1, [n], ctx.id === 1 ? vec(inputs.w) : undefined);
    if (ctx.id === 2) return helperView([n]);
    return {
      shape: [n],
      share: asShare(addMod(Ring(ell), addMod(Ring(ell), X.share, U.share), addMod(Ring(ell), Y.share, W.share))),
    };
  };
  const inputsOf = (c: PartyId, which: Which, id: PartyId): Owned => (which === 'A' || (id === c && c !== 2) ? A : B);
  const none: readonly bigint[] = [0n, 0n];
  /** P0's x and u or P1's y and w (the other owner's fields zero; P2 owns nothing), and the revealed z. */
  const sharingKnowledge = (c: PartyId, keys: PartyKeys): CorruptedKnowledge<Owned | null, readonly bigint[]> =>
    corruptedKnowledge(
      c,
      ell,
      keys,
      c === 0 ? { ...A, y: none, w: none } : c === 1 ? { ...A, x: none, u: none } : null,
      z,
    );
  return {
    name: `input sharing and reveal to P0, P1, P2 (n = 2, ℓ = ${ell})`,
    ell,
    setup: (c: PartyId, keys: PartyKeys): PartySetup => ({
      knowledge: sharingKnowledge(c, keys),
      programs: (which) => {
        const program = async (ctx: PartyContext): Promise<Output> => {
          const Z = shareAll(ctx, inputsOf(c, which, ctx.id));
          const got = [await reveal(ctx, Z, 0), await reveal(ctx, Z, 1), await reveal(ctx, Z, 2)];
          return [segment(ell, 'ring', got[ctx.id] ?? bug(`P${ctx.id} gets z`))];
        };
        return [program, program, program];
      },
      simulate: (rng) => {
        const k = sharingKnowledge(c, keys);
        const b = SimBuilder.of(k, rng);
        const own = k.input === null ? [] : [...shareAll(localContext(c, ell, k.keys), k.input).share];
        for (const to of [0, 1, 2] as const) simReveal(b, to, k.output, own);
        return b.view();
      },
      output: 'fixed',
    }),
  };
}

/** The cases of one SecureNN-family variant at ring width ℓ (the variant's prime made small). */
export function variantCases(base: Variant, ell: number): SecurityCase[] {
  const v = smallVariant(base, ell);
  return [
    privateCompareCase(v, ell),
    shareConvertCase(v, ell),
    computeMsbCase(v, ell),
    dreluCase(v, ell),
    reluCase(v, ell),
    maxPoolCase(v, ell),
    argmaxCase(v, ell),
  ];
}

/** The cases whose code both variants share (Porthos's conv is reshaped or im2col by policy; SecureNN's im2col). */
export function commonCases(ell: number): SecurityCase[] {
  return [
    sharingCase(ell),
    productCase(ell),
    matmulCase(ell),
    convCase(ell, 'reshaped'),
    convCase(ell, 'im2col'),
    truncationCase(ell),
    selectShareCase(ell),
  ];
}

export const VARIANTS: readonly Variant[] = [PORTHOS, SECURENN];
