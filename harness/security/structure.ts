/**
 * The structural check at production parameters (ℓ = 64, Porthos p = 127, SecureNN p = 67).
 *
 * The statistical and exact checks need small rings (typed.ts: ℓ ≤ 24, elements as numbers). At ℓ = 64
 * the distributions cannot be compared this way, but the shape of the view can, and it is what the
 * small-ring results transfer along: the same code runs, with ⌈ℓ/8⌉ = 8-byte ring elements. For a
 * case built at ℓ = 64 and corrupted party c, over a few runs on input sets A and B with c's keys
 * fixed, `checkStructure` requires
 *   - per sender, as many messages as the simulator's view has, each exactly as long as its layout
 *     (Σ count × width: 8 bytes per Z_{2^64} or Z_{2^64−1} element, one per Z_p element);
 *   - every element inside its group: Z_{2^64−1} elements below 2^64 − 1, Z_p elements below p (the
 *     production prime);
 *   - c's PRG draws identical in every run (its randomness is its keys').
 * Only the simulator's layout is used, not its values (it draws ring elements as numbers, which at
 * ℓ = 64 are rounded; the layout is exact).
 */
import type { PartyId } from '../../protocols/common/party.js';
import { keysFromSeed } from '../../protocols/common/prg.js';
import { keysAmong } from '../network/parties.js';
import { labelPrg, type SecurityCase, type Which } from './check.js';
import { layoutOf, widthOf, type Layout } from './typed.js';
import { observe, viewKeys } from './view.js';

export interface StructuralVerdict {
  readonly case: string;
  readonly party: PartyId;
  readonly ok: boolean;
  /** Messages and bytes P_c received per run. */
  readonly messages: number;
  readonly bytes: number;
  readonly detail: string;
}

const SENDERS: readonly PartyId[] = [0, 1, 2];

/** Why the received messages do not fit the layout at ring width ℓ, or null. */
export function structuralMismatch(
  ell: number,
  layout: Layout,
  received: Readonly<Record<PartyId, readonly Uint8Array[]>>,
): string | null {
  for (const from of SENDERS) {
    const want = layout[from];
    const got = received[from];
    if (got.length !== want.length) return `P${from} sent ${got.length} messages, the simulator ${want.length}`;
    for (const [mi, msg] of want.entries()) {
      const bytes = got[mi] as Uint8Array;
      const size = msg.reduce((s, seg) => s + seg.count * widthOf(ell, seg.group), 0);
      if (bytes.length !== size)
        return `P${from}'s message ${mi + 1} has ${bytes.length} bytes, the simulator's ${size}`;
      let at = 0;
      for (const seg of msg) {
        const w = widthOf(ell, seg.group);
        const bound =
          seg.group === 'ring'
            ? 1n << BigInt(ell)
            : seg.group === 'odd'
              ? (1n << BigInt(ell)) - 1n
              : BigInt(seg.modulus);
        for (let i = 0; i < seg.count; i++) {
          let v = 0n;
          for (let b = w - 1; b >= 0; b--) v = (v << 8n) | BigInt(bytes[at + b] as number);
          at += w;
          if (v >= bound) return `P${from}'s message ${mi + 1} holds an element outside its group (${seg.group})`;
        }
      }
    }
  }
  return null;
}

export async function checkStructure(
  kase: SecurityCase,
  c: PartyId,
  runs = 4,
  seed = 'structure',
): Promise<StructuralVerdict> {
  const label = `${seed}|${kase.name}|P${c}`;
  const parties = kase.parties ?? 3;
  const setup = kase.setup(c, keysAmong(parties, c, keysFromSeed(`${label}|fixed`)[c]));
  const layout = layoutOf(setup.simulate(labelPrg(`${label}|sim`)));
  const messages = SENDERS.reduce<number>((s, j) => s + layout[j].length, 0);
  const bytes = SENDERS.reduce<number>(
    (s, j) =>
      s + layout[j].reduce((t, msg) => t + msg.reduce((u, seg) => u + seg.count * widthOf(kase.ell, seg.group), 0), 0),
    0,
  );
  const base = { case: kase.name, party: c, messages, bytes };
  let randomness: string | null = null;
  for (let i = 0; i < runs; i++) {
    const which: Which = i % 2 === 0 ? 'A' : 'B';
    const keys = viewKeys(c, `${label}|fixed`, `${label}|honest|${i}`, parties);
    const { view } = await observe(setup.programs(which), { ell: kase.ell, corrupted: c, keys });
    const why = structuralMismatch(kase.ell, layout, view.received);
    if (why !== null) return { ...base, ok: false, detail: `run ${i + 1} (input set ${which}): ${why}` };
    const digest = JSON.stringify(view.randomness);
    if (randomness !== null && digest !== randomness)
      return { ...base, ok: false, detail: `P${c}'s PRG draws differed between runs with the same keys` };
    randomness = digest;
  }
  return {
    ...base,
    ok: true,
    detail: `${runs} runs: ${messages} messages, ${bytes} bytes each, every element in its group`,
  };
}
