/**
 * io-ts codecs of whole programs in their JSON form.
 *
 *   HLIL: { ir: 'hlil', decls, nodes, outputs }; a const's values are a JSON array of numbers
 *         (float32; note JSON text writes −0 as 0).
 *   LLIL: { ir: 'llil', ell, decls, nodes, outputs }; a const's values and a Pad value are decimal
 *         strings of the SIGNED value (two's complement view in [−2^{ℓ−1}, 2^{ℓ−1})).
 * `LProgramWire` is the LLIL program with those integers signed; ir/json.ts converts to ring form.
 */
import * as t from 'io-ts';
import { byTag, DecimalBigInt, Float32Values } from '../../spec/codec.js';
import { HNodeC, LNodeC } from './nodes.js';

const s = t.string;
const ints = t.readonlyArray(t.number);
const OwnerC = t.keyof({ client: null, server: null });

export const HProgramC = t.type({
  ir: t.literal('hlil'),
  decls: t.readonlyArray(
    byTag('HDecl', 'kind', {
      input: t.type({ kind: t.literal('input'), name: s, shape: ints, owner: OwnerC }),
      const: t.type({ kind: t.literal('const'), name: s, shape: ints, values: Float32Values }),
    }),
  ),
  nodes: t.readonlyArray(HNodeC),
  outputs: t.readonlyArray(t.type({ name: s, to: OwnerC })),
});

const LPostC = byTag('LPost', 'op', {
  Softmax: t.type({ op: t.literal('Softmax'), axis: t.number }),
  Sigmoid: t.type({ op: t.literal('Sigmoid') }),
});

export const LProgramWireC = t.type({
  ir: t.literal('llil'),
  ell: t.number,
  decls: t.readonlyArray(
    byTag('LDecl', 'kind', {
      input: t.type({ kind: t.literal('input'), name: s, shape: ints, scale: t.number, owner: OwnerC }),
      const: t.type({
        kind: t.literal('const'),
        name: s,
        shape: ints,
        scale: t.number,
        values: t.readonlyArray(DecimalBigInt),
      }),
    }),
  ),
  nodes: t.readonlyArray(LNodeC),
  outputs: t.readonlyArray(t.intersection([t.type({ name: s, to: OwnerC }), t.partial({ post: LPostC })])),
});

export type HProgramJson = t.OutputOf<typeof HProgramC>;
export type LProgramJson = t.OutputOf<typeof LProgramWireC>;
export type LProgramWire = t.TypeOf<typeof LProgramWireC>;
