/**
 * The LLIL checker: everything the HLIL checker checks that applies (names, def-before-use,
 * attributes, shapes, outputs), plus the ring width, declaration scales in [0, ℓ), constants of
 * numel(shape) ring elements, the scale and label rules of ir/scales.ts, and that each node's
 * written `type` equals the inferred one. Output post-processing axes must fit the output's shape.
 */
import * as E from 'fp-ts/lib/Either.js';
import { bug } from '../spec/errors.js';
import { numel, type Shape } from '../spec/geometry.js';
import { nodeError, programError, type IrError } from './diagnostic.js';
import type { LDecl, LNode, LProgram, LType } from './llil.js';
import { llilNodeType, showType, typeEquals } from './scales.js';
import { checkShape } from './shapes.js';
import { walk, type Verdict } from './walk.js';

export interface LlilInfo {
  /** Type of every value, declarations and nodes, by name. */
  readonly types: ReadonlyMap<string, LType>;
  typeOf(name: string): LType;
  shapeOf(name: string): Shape;
}

function declVerdict(d: LDecl, ell: number): Verdict<LType> {
  const errors: string[] = [];
  const shapeErr = checkShape('shape', d.shape);
  if (shapeErr !== null) errors.push(shapeErr);
  if (!Number.isSafeInteger(d.scale) || d.scale < 0 || d.scale >= ell)
    errors.push(`scale ${String(d.scale)} must be an integer in [0, ${ell})`);
  if (d.kind === 'const') {
    if (shapeErr === null && d.values.length !== numel(d.shape))
      errors.push(`holds ${d.values.length} values but shape [${d.shape.join(',')}] has ${numel(d.shape)} elements`);
    const limit = 1n << BigInt(ell);
    const bad = d.values.findIndex((v) => v >= limit);
    if (bad >= 0) errors.push(`value ${bad} is not reduced mod 2^${ell}`);
  }
  if (errors.length > 0) return { info: null, errors };
  return { info: { shape: d.shape, scale: d.scale, label: d.kind === 'input' ? 'secret' : 'public' }, errors: [] };
}

function nodeVerdict(n: LNode, typeOf: (v: string) => LType, ell: number): Verdict<LType> {
  const r = llilNodeType(n, typeOf, ell);
  if (E.isLeft(r)) return { info: null, errors: [r.left] };
  const errors = typeEquals(r.right, n.type)
    ? []
    : [`written type ${showType(n.type)} differs from the inferred ${showType(r.right)}`];
  return { info: r.right, errors };
}

export function checkLlil(p: LProgram): E.Either<IrError[], LlilInfo> {
  if (!Number.isSafeInteger(p.ell) || p.ell < 2 || p.ell > 64)
    return E.left([programError(`ring width ell = ${String(p.ell)} must be an integer in [2, 64]`)]);
  const { infos, errors } = walk(p, {
    decl: (d) => declVerdict(d, p.ell),
    node: (n, typeOf) => nodeVerdict(n, typeOf, p.ell),
  });
  for (const o of p.outputs) {
    const t = infos.get(o.name);
    if (o.post?.op === 'Softmax' && t !== undefined) {
      const r = t.shape.length;
      if (!Number.isSafeInteger(o.post.axis) || o.post.axis < 0 || o.post.axis >= r) {
        errors.push(
          nodeError(
            o.name,
            'output',
            `post Softmax axis ${String(o.post.axis)} is out of range for shape [${t.shape.join(',')}]`,
          ),
        );
      }
    }
  }
  if (errors.length > 0) return E.left(errors);
  const typeOf = (name: string): LType => infos.get(name) ?? bug(`no value ${name} in the checked LLIL program`);
  return E.right({ types: infos, typeOf, shapeOf: (name) => typeOf(name).shape });
}
