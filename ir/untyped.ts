/**
 * Node forms without the fields a builder or a rule computes: LLIL nodes before their `type` is
 * inferred, and node specifications without their `out` name.
 */
import type { HNode } from './hlil.js';
import type { LNode } from './llil.js';

/** `Omit` applied to each member of a union (so the discriminant `op` still narrows). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An LLIL node whose `type` is not (yet) written. Every `LNode` is one. */
export type LNodeUntyped = DistributiveOmit<LNode, 'type'>;

/** What a builder needs to add an HLIL node: everything but its output name. */
export type HNodeSpec = DistributiveOmit<HNode, 'out'>;

/** What a builder needs to add an LLIL node: everything but its output name and type. */
export type LNodeSpec = DistributiveOmit<LNode, 'out' | 'type'>;
