/**
 * JSON form of both IRs (codecs in ir/json/*): encode to a JSON-compatible value, decode from any
 * parsed JSON. Decoding runs the checker, so a decoded program is well-typed; the Left holds either
 * the decode errors (path into the document and what was expected, REDACTED: never a value from the
 * input) or the checker's errors. decode(encode(p)) deep-equals p.
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { checkHlil } from './check-hlil.js';
import { checkLlil } from './check-llil.js';
import type { IrError } from './diagnostic.js';
import type { HProgram } from './hlil.js';
import type { LDecl, LNode, LProgram } from './llil.js';
import { decodeWith } from '../spec/codec.js';
import { HProgramC, LProgramWireC, type HProgramJson, type LProgramJson, type LProgramWire } from './json/programs.js';

export type { HProgramJson, LProgramJson } from './json/programs.js';

const decodeError = (message: string): IrError => ({ node: null, op: null, message: `decode: ${message}` });

export function encodeHlil(p: HProgram): HProgramJson {
  return HProgramC.encode(p);
}

export function decodeHlil(json: unknown): E.Either<IrError[], HProgram> {
  return pipe(
    decodeWith(HProgramC, json),
    E.mapLeft((ms) => ms.map(decodeError)),
    E.chain((p: HProgram) =>
      pipe(
        checkHlil(p),
        E.map(() => p),
      ),
    ),
  );
}

export function encodeLlil(p: LProgram): LProgramJson {
  const signed = (v: bigint): bigint => BigInt.asIntN(p.ell, v);
  const wire: LProgramWire = {
    ir: 'llil',
    ell: p.ell,
    decls: p.decls.map((d) => (d.kind === 'const' ? { ...d, values: Array.from(d.values, signed) } : d)),
    nodes: p.nodes.map((n) => (n.op === 'Pad' ? { ...n, value: signed(n.value) } : n)),
    outputs: p.outputs,
  };
  return LProgramWireC.encode(wire);
}

function fromWire(w: LProgramWire): E.Either<string[], LProgram> {
  const ell = w.ell;
  if (!Number.isSafeInteger(ell) || ell < 2 || ell > 64)
    return E.left(['at $.ell: expected an integer ring width in [2, 64]']);
  const half = 1n << BigInt(ell - 1);
  const inRange = (v: bigint): boolean => v >= -half && v < half;
  const errors: string[] = [];
  const decls = w.decls.map((d, i): LDecl => {
    if (d.kind !== 'const') return d;
    const bad = d.values.findIndex((v) => !inRange(v));
    if (bad >= 0)
      errors.push(`at $.decls[${i}].values[${bad}]: expected a signed ${ell}-bit integer, got one out of range`);
    return { ...d, values: BigUint64Array.from(d.values, (v) => BigInt.asUintN(ell, v)) };
  });
  const nodes = w.nodes.map((n, i): LNode => {
    if (n.op !== 'Pad') return n;
    if (!inRange(n.value))
      errors.push(`at $.nodes[${i}].value: expected a signed ${ell}-bit integer, got one out of range`);
    return { ...n, value: BigInt.asUintN(ell, n.value) };
  });
  return errors.length > 0 ? E.left(errors) : E.right({ ir: 'llil', ell, decls, nodes, outputs: w.outputs });
}

export function decodeLlil(json: unknown): E.Either<IrError[], LProgram> {
  return pipe(
    decodeWith(LProgramWireC, json),
    E.chain(fromWire),
    E.mapLeft((ms) => ms.map(decodeError)),
    E.chain((p) =>
      pipe(
        checkLlil(p),
        E.map(() => p),
      ),
    ),
  );
}
