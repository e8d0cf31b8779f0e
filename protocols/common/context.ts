/**
 * Building a PartyContext from an endpoint and the party's PRG keys (the one place that wires them).
 */
import { bug } from '../../spec/errors.js';
import type { Endpoint, PartyContext, PartyId, Phase } from './party.js';
import { Prg, type PartyKeys } from './prg.js';

export function partyContext(id: PartyId, ell: number, endpoint: Endpoint, keys: PartyKeys): PartyContext {
  const prgs = new Map<PartyId, Prg>();
  for (const [j, key] of Object.entries(keys.shared)) {
    if (key !== undefined) prgs.set(Number(j) as PartyId, new Prg(key));
  }
  const own = new Prg(keys.own);
  let phase: Phase = 'compute';
  return {
    id,
    ell,
    own,
    send: (to, bytes) => {
      if (to === id) bug(`P${id} sends to itself`);
      endpoint.send(to, bytes, phase);
    },
    recv: (from) => {
      if (from === id) bug(`P${id} receives from itself`);
      return endpoint.recv(from);
    },
    shared: (other) => prgs.get(other) ?? bug(`P${id} has no PRG shared with P${other}`),
    inPhase: async (p, f) => {
      const before = phase;
      phase = p;
      try {
        return await f();
      } finally {
        phase = before;
      }
    },
  };
}
