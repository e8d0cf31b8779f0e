/**
 * Simulators of the corrupted party's view for the SecureNN-family protocols, written from the
 * simulator sketches of proofs-notes/linear-layers.md and proofs-notes/securenn-family.md (the test
 * plan and the argument that these suffice are in proofs-notes/security-tests.md).
 *
 * A simulator gets what the ideal world gives the corrupted party: its input, its randomness (its
 * keys) and what the functionality tells it — and produces the messages it would receive, as typed
 * values (typed.ts), sender by sender. They are built from one block per sub-protocol, appended in
 * the order the protocol runs them:
 *   - Beaver (any bilinear map f with |X|, |Y|, |Z|): P0 receives E1, F1 from P1; P1 receives E0, F0
 *     from P0 and C1 from P2; all uniform in Z_{2^ℓ} (one-time-padded by A, B, C0 that the receiver
 *     never holds). P2 receives nothing.
 *   - A deal by P2 (deal.ts): the receiving party's shares are uniform in their groups; in Porthos's
 *     'one' mode P0 receives elements [⌊n/2⌋, n) and P1 elements [0, ⌊n/2⌋) (the rest it draws).
 *   - PrivateCompare: P0 and P1 receive nothing. P2, given β′ (its output, or — inside ShareConvert
 *     and ComputeMSB — a uniform bit, because β′ = β ⊕ (…) with β the parties' common random bit),
 *     receives d^0 uniform in Z_p^ℓ and d^1 = d − d^0, where d holds ℓ uniform elements of Z_p^*,
 *     one of them replaced by 0 at a uniform position when β′ = 1.
 *   - ShareConvert: P2 receives ã_0, ã_1 uniform in Z_{2^ℓ} (masked by the parties' common r_0, r_1),
 *     then PrivateCompare with a uniform bit; P0/P1 receive the deal of x's bits (Z_p) and δ
 *     (Z_{2^ℓ−1}), then η′'s shares (Z_{2^ℓ−1}, dealt to both in both variants).
 *   - ComputeMSB: P2: PrivateCompare with a uniform bit, nothing in the product. P0/P1: the deal of
 *     (SecureNN: x's share in Z_{2^ℓ−1},) x's bits and LSB; the peer's opening c_{1−j} uniform in
 *     Z_{2^ℓ−1}; β′'s shares; a Beaver product of width n.
 *   - ReLU′ = ShareConvert then ComputeMSB; SelectShare = Beaver of width n; ReLU = ReLU′ then
 *     SelectShare; MaxPool and ArgMax = k − 1 steps of ReLU′ and a Beaver product of width R (Porthos
 *     MaxPool) or 2R (with the index).
 *   - Reveal to party t: t = P0/P1 receives the peer's share, output − its own; t = P2 receives a
 *     uniform share and output − that.
 *
 * For P0 and P1 with a share as output, the blocks above do not use the output: every message they
 * receive is uniform and independent of it given their randomness, and their output share is a
 * function of their view. The ideal-world simulator that also matches the output (the notes' "solve
 * for u") is this one conditioned on the output; it exists exactly when the output share, over all
 * randomness, is distributed as the functionality's fresh share — which check.ts tests separately
 * (the 'output' claim). security-tests.md spells the argument out.
 */
import type { PartyId } from '../../protocols/common/party.js';
import type { Prg } from '../../protocols/common/prg.js';
import type { DealMode, Part } from '../../protocols/securenn-family/nonlinear/deal.js';
import type { Variant } from '../../protocols/securenn-family/nonlinear/variant.js';
import type { CorruptedKnowledge } from './knowledge.js';
import {
  emptyView,
  segment,
  uniformSegment,
  type Group,
  type Segment,
  type TypedMessage,
  type TypedView,
} from './typed.js';

/** Collects the simulated messages of one view. */
export class SimBuilder {
  private readonly messages: Record<PartyId, TypedMessage[]> = emptyView();

  constructor(
    readonly party: PartyId,
    readonly ell: number,
    readonly rng: Prg,
  ) {}

  /** A builder for the simulator of the party whose knowledge this is. */
  static of(k: CorruptedKnowledge<unknown, unknown>, rng: Prg): SimBuilder {
    return new SimBuilder(k.party, k.ell, rng);
  }

  receive(from: PartyId, ...segments: Segment[]): void {
    this.messages[from].push(segments);
  }

  uniform(group: Group, count: number, p?: number): Segment {
    return uniformSegment(this.rng, this.ell, group, count, p);
  }

  view(): TypedView {
    return this.messages;
  }
}

export interface BilinearSizes {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

/** Beaver's protocol for a bilinear map with these operand and result sizes (beaver.ts). */
export function simBeaver(b: SimBuilder, s: BilinearSizes): void {
  if (b.party === 0) b.receive(1, b.uniform('ring', s.x + s.y));
  if (b.party === 1) {
    b.receive(0, b.uniform('ring', s.x + s.y));
    b.receive(2, b.uniform('ring', s.z));
  }
}

function partGroup(part: Part): Group {
  return part.kind === 'field' ? 'field' : part.odd ? 'odd' : 'ring';
}

/** P2 dealing fresh sharings of n elements, one segment per part (deal.ts). */
export function simDeal(b: SimBuilder, mode: DealMode, n: number, parts: readonly Part[]): void {
  if (b.party === 2) return;
  const h = Math.floor(n / 2);
  const count = mode === 'both' ? n : b.party === 0 ? n - h : h;
  b.receive(
    2,
    ...parts.map((part) =>
      b.uniform(
        partGroup(part),
        count * (part.kind === 'field' ? part.per : 1),
        part.kind === 'field' ? part.field.p : undefined,
      ),
    ),
  );
}

/**
 * PrivateCompare on n elements (private-compare.ts). `betaPrime` is P2's output; absent, it is a
 * uniform bit per element (what P2 sees inside ShareConvert and ComputeMSB).
 */
export function simPrivateCompare(b: SimBuilder, v: Variant, n: number, betaPrime?: ArrayLike<number>): void {
  if (b.party !== 2) return;
  const ell = b.ell;
  const p = v.field.p;
  const bits = betaPrime ?? b.rng.bits(n);
  const d0: number[] = [];
  const d1: number[] = [];
  for (let e = 0; e < n; e++) {
    const d = Array.from(b.rng.field(p - 1, ell), (x) => x + 1);
    if (bits[e] === 1) d[b.rng.field(ell, 1)[0] as number] = 0;
    const r = b.rng.field(p, ell);
    for (let k = 0; k < ell; k++) {
      const x = r[k] as number;
      d0.push(x);
      d1.push(((d[k] as number) - x + p) % p);
    }
  }
  b.receive(0, segment(ell, 'field', d0, p));
  b.receive(1, segment(ell, 'field', d1, p));
}

/** ShareConvert on n elements (share-convert.ts). */
export function simShareConvert(b: SimBuilder, v: Variant, n: number): void {
  if (n === 0) return;
  if (b.party === 2) {
    b.receive(0, b.uniform('ring', n));
    b.receive(1, b.uniform('ring', n));
  }
  simDeal(b, v.helperSendsTo, n, [
    { kind: 'field', field: v.field, per: b.ell },
    { kind: 'ring', odd: true },
  ]);
  simPrivateCompare(b, v, n);
  simDeal(b, 'both', n, [{ kind: 'ring', odd: true }]);
}

/** ComputeMSB on n elements (compute-msb.ts). */
export function simComputeMsb(b: SimBuilder, v: Variant, n: number): void {
  if (n === 0) return;
  const bitsAndLsb: readonly Part[] = [
    { kind: 'field', field: v.field, per: b.ell },
    { kind: 'ring', odd: false },
  ];
  simDeal(b, v.helperSendsTo, n, v.helperSendsTo === 'one' ? bitsAndLsb : [{ kind: 'ring', odd: true }, ...bitsAndLsb]);
  if (b.party !== 2) b.receive(b.party === 0 ? 1 : 0, b.uniform('odd', n));
  simPrivateCompare(b, v, n);
  simDeal(b, v.helperSendsTo, n, [{ kind: 'ring', odd: false }]);
  simBeaver(b, { x: n, y: n, z: n });
}

/** ReLU′ (drelu.ts): ShareConvert then ComputeMSB. */
export function simDrelu(b: SimBuilder, v: Variant, n: number): void {
  simShareConvert(b, v, n);
  simComputeMsb(b, v, n);
}

/** SelectShare (select-share.ts): one Beaver product of width n. */
export function simSelectShare(b: SimBuilder, n: number): void {
  if (n > 0) simBeaver(b, { x: n, y: n, z: n });
}

/** ReLU (relu.ts): ReLU′ then SelectShare. */
export function simRelu(b: SimBuilder, v: Variant, n: number): void {
  simDrelu(b, v, n);
  simSelectShare(b, n);
}

function simMaxSteps(b: SimBuilder, v: Variant, r: number, k: number, width: number): void {
  for (let t = 1; t < k && r > 0; t++) {
    simDrelu(b, v, r);
    simBeaver(b, { x: width, y: width, z: width });
  }
}

/** MaxPool over r windows of k cells (max.ts); the index costs a product of width 2r in SecureNN. */
export function simMaxPool(b: SimBuilder, v: Variant, r: number, k: number): void {
  simMaxSteps(b, v, r, k, v.maxPoolIndex ? 2 * r : r);
}

/** ArgMax over r rows of c elements (max.ts): always with the index. */
export function simArgmax(b: SimBuilder, v: Variant, r: number, c: number): void {
  simMaxSteps(b, v, r, c, 2 * r);
}

/**
 * Reveal of an n-element value to party `to` (sharing.ts): `output` is the revealed value, `own` the
 * corrupted party's own share (what it computed before the reveal; unused for P2).
 */
export function simReveal(b: SimBuilder, to: PartyId, output: readonly bigint[], own: readonly bigint[]): void {
  if (b.party !== to) return;
  const m = 2n ** BigInt(b.ell);
  const minus = (x: readonly bigint[], y: readonly bigint[]): bigint[] =>
    x.map((a, i) => (((a - (y[i] ?? 0n)) % m) + m) % m);
  if (to === 2) {
    const s0 = [...b.rng.ring(b.ell, output.length)];
    b.receive(0, segment(b.ell, 'ring', s0));
    b.receive(1, segment(b.ell, 'ring', minus(output, s0)));
    return;
  }
  b.receive(to === 0 ? 1 : 0, segment(b.ell, 'ring', minus(output, own)));
}
