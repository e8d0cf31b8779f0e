/**
 * The shape of a closed-form communication cost: bytes on each of the six directed links among P0
 * (client), P1 (server) and P2 (helper), and logical rounds. Protocol modules export cost functions
 * returning a `Cost` as a function of shapes and ℓ; tests compare them with the metered run exactly.
 *
 * Conventions (COMM-SPEC.md): bytes sent, each direction counted once; a Z_{2^ℓ} or Z_{2^ℓ−1} element
 * is ⌈ℓ/8⌉ bytes, a Z_p element (p < 256) one byte; input sharing and the final reveal cost nothing.
 */

export type LinkName = 'P0->P1' | 'P0->P2' | 'P1->P0' | 'P1->P2' | 'P2->P0' | 'P2->P1';
export const LINKS: readonly LinkName[] = ['P0->P1', 'P0->P2', 'P1->P0', 'P1->P2', 'P2->P0', 'P2->P1'];

export type LinkBytes = Record<LinkName, number>;

export interface Cost {
  readonly links: LinkBytes;
  readonly rounds: number;
}

export function zeroLinks(): LinkBytes {
  return { 'P0->P1': 0, 'P0->P2': 0, 'P1->P0': 0, 'P1->P2': 0, 'P2->P0': 0, 'P2->P1': 0 };
}

export const FREE: Cost = Object.freeze({ links: Object.freeze(zeroLinks()), rounds: 0 });

/** A cost from the non-zero links. */
export function cost(links: Partial<LinkBytes>, rounds: number): Cost {
  return { links: { ...zeroLinks(), ...links }, rounds };
}

/** Bytes per element of Z_{2^ℓ} (and Z_{2^ℓ−1}) on the wire. */
export function ringBytes(ell: number): number {
  return Math.ceil(ell / 8);
}

/** Σ over links. */
export function totalBytes(links: LinkBytes): number {
  return LINKS.reduce((s, l) => s + links[l], 0);
}

/** Run a then b, where b's first message depends on a's result: bytes add, rounds add. */
export function sequence(...cs: readonly Cost[]): Cost {
  const links = zeroLinks();
  let rounds = 0;
  for (const c of cs) {
    for (const l of LINKS) links[l] += c.links[l];
    rounds += c.rounds;
  }
  return { links, rounds };
}

/** k independent copies run side by side in the same rounds: bytes scale, rounds stay. */
export function times(k: number, c: Cost): Cost {
  const links = zeroLinks();
  for (const l of LINKS) links[l] = k * c.links[l];
  return { links, rounds: k === 0 ? 0 : c.rounds };
}
