/** Running malicious3 sessions on the in-memory network in tests, and reconstructing their sharings. */
import { runParties } from '../../../harness/network/run.js';
import type { PartyContext } from '../../../protocols/common/party.js';
import { m3Params, type Auth, type M3Params } from '../../../protocols/malicious3/rss.js';
import { add, toBigints, type Z128 } from '../../../protocols/malicious3/ring.js';
import { Session } from '../../../protocols/malicious3/session.js';
import type { Corruption } from '../../../protocols/malicious3/wire.js';

export interface Held3 {
  readonly value: Auth;
  readonly alpha: Auth['x'];
}

/** Run `prog` on three sessions (k, s) and return each party's result. */
export async function run3<T>(
  k: number,
  s: number,
  seed: string,
  prog: (st: Session) => Promise<T>,
  corruption?: Corruption,
): Promise<{ outputs: [T, T, T]; meter: Awaited<ReturnType<typeof runParties>>['meter'] }> {
  const params: M3Params = m3Params(k, s);
  const p = (ctx: PartyContext): Promise<T> => prog(new Session(ctx, params, corruption));
  const r = await runParties([p, p, p], { ell: k, seed });
  return { outputs: r.outputs as [T, T, T], meter: r.meter };
}

/** x = Σ_p (party p's first component). */
export function reconstruct(m: number, parts: readonly Auth[]): bigint[] {
  const [a, b, c] = parts.map((p) => p.x.a) as [Z128, Z128, Z128];
  return toBigints(add(m, add(m, a, b), c));
}

export function reconstructMac(m: number, parts: readonly Auth[]): bigint[] {
  const [a, b, c] = parts.map((p) => p.mac.a) as [Z128, Z128, Z128];
  return toBigints(add(m, add(m, a, b), c));
}
