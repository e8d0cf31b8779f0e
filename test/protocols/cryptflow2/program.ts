/**
 * Running a whole LLIL program on a two-party backend in tests, without the (3-party) runner: P0 and
 * P1 enter the client's and server's inputs at no cost — as the runner does (`backend.input`, the
 * clear form, when the backend has it), or with `shared` as general re-randomised sharings
 * (shareInput, no owner known) — run every node in program order through `backend.run`, and return
 * their shares of every output; the test reconstructs them. Constants are public on both parties. P2
 * takes no part.
 */
import { numel } from '../../../spec/geometry.js';
import type { LProgram } from '../../../ir/llil.js';
import { operandsOf } from '../../../ir/traverse.js';
import type { Backend, Held, OperandType } from '../../../protocols/common/backend.js';
import { shareInput } from '../../../protocols/common/sharing.js';
import type { MeterReading } from '../../../harness/network/meter.js';
import { nodeCosts, operandTypes } from '../../../harness/cost/walk.js';
import { sequence, type LinkBytes } from '../../../spec/cost/types.js';
import { run2 } from './support.js';

export interface TwoPartyRun {
  readonly outputs: Map<string, BigUint64Array>;
  readonly meter: MeterReading;
}

export async function runTwoParty(
  p: LProgram,
  inputs: ReadonlyMap<string, BigUint64Array>,
  backend: Backend,
  seed: string,
  shared = false,
): Promise<TwoPartyRun> {
  const ell = p.ell;
  const { p0, p1, meter } = await run2(ell, seed, async (ctx) => {
    const env = new Map<string, Held>();
    for (const d of p.decls) {
      if (d.kind === 'const') {
        env.set(d.name, { kind: 'public', shape: d.shape, data: d.values });
      } else {
        const owner = d.owner === 'client' ? 0 : 1;
        const mine = ctx.id === owner ? inputs.get(d.name) : undefined;
        const clear = shared ? undefined : backend.input?.(ctx, owner, d.shape, mine);
        if (clear !== undefined) env.set(d.name, clear);
        else {
          const s = shareInput(ctx, owner, d.shape, mine);
          env.set(d.name, { kind: 'secret', shape: s.shape, share: s.share });
        }
      }
    }
    for (const node of p.nodes) {
      const ops = operandsOf(node).map((n) => env.get(n) as Held);
      env.set(node.out, await backend.run(ctx, node, ops));
    }
    return new Map(p.outputs.map((o) => [o.name, env.get(o.name) as Held]));
  });
  const outputs = new Map<string, BigUint64Array>();
  for (const [name, a] of p0) {
    const b = p1.get(name) as Held;
    const va = a.kind === 'secret' ? a.share : a.data;
    const vb = b.kind === 'secret' ? b.share : new BigUint64Array(numel(b.shape));
    outputs.set(
      name,
      va.map((v, i) => BigInt.asUintN(ell, v + (vb[i] as bigint))),
    );
  }
  return { outputs, meter };
}

/**
 * The backend's closed-form compute bytes per link for the whole program (the walk `cryptflow cost`
 * does); with `shared`, as if every input were a general sharing (no owner known).
 */
export function programLinks(p: LProgram, backend: Backend, shared = false): LinkBytes {
  if (!shared) return sequence(...nodeCosts(p, backend)).links;
  const types = operandTypes(p);
  const general = (t: OperandType): OperandType => ({ shape: t.shape, secret: t.secret });
  return sequence(
    ...p.nodes.map((n) =>
      backend.cost(
        n,
        operandsOf(n).map((o) => general(types.get(o) as OperandType)),
        p.ell,
      ),
    ),
  ).links;
}
