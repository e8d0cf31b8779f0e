/**
 * The HLIL checker: names, def-before-use, attributes and shapes (ir/shapes.ts), and the rules of
 * hlil.ts: constants hold numel(shape) finite float32 values, a Div divisor is a public constant,
 * Softmax and Sigmoid results feed only outputs, outputs exist and appear once.
 */
import * as E from 'fp-ts/lib/Either.js';
import { bug } from '../spec/errors.js';
import { numel, type Shape } from '../spec/geometry.js';
import { nodeError, type IrError } from './diagnostic.js';
import type { HDecl, HNode, HProgram } from './hlil.js';
import { checkShape, nodeShape } from './shapes.js';
import { operandsOf } from './traverse.js';
import { walk, type Verdict } from './walk.js';

export interface HlilInfo {
  /** Shape of every value, declarations and nodes, by name. */
  readonly shapes: ReadonlyMap<string, Shape>;
  /** Shape of a value of the program (a `bug()` for an unknown name). */
  shapeOf(name: string): Shape;
}

function declVerdict(d: HDecl): Verdict<Shape> {
  const shapeErr = checkShape('shape', d.shape);
  if (shapeErr !== null) return { info: null, errors: [shapeErr] };
  if (d.kind === 'input') return { info: d.shape, errors: [] };
  const errors: string[] = [];
  if (d.values.length !== numel(d.shape))
    errors.push(`holds ${d.values.length} values but shape [${d.shape.join(',')}] has ${numel(d.shape)} elements`);
  const bad = d.values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) errors.push(`value ${bad} is not finite (NaN and ±Inf are not allowed)`);
  return { info: errors.length === 0 ? d.shape : null, errors };
}

export function checkHlil(p: HProgram): E.Either<IrError[], HlilInfo> {
  const consts = new Set(p.decls.filter((d) => d.kind === 'const').map((d) => d.name));
  const producer = new Map(p.nodes.map((n) => [n.out, n.op] as const));
  const nodeVerdict = (n: HNode, shapeOf: (v: string) => Shape): Verdict<Shape> => {
    if (n.op === 'Div' && !consts.has(n.b)) return { info: null, errors: [`divisor ${n.b} must be a public constant`] };
    const r = nodeShape(n, shapeOf);
    return E.isRight(r) ? { info: r.right, errors: [] } : { info: null, errors: [r.left] };
  };
  const { infos, errors } = walk(p, { decl: declVerdict, node: nodeVerdict });
  const late: IrError[] = [];
  for (const n of p.nodes) {
    for (const v of new Set(operandsOf(n))) {
      const op = producer.get(v);
      if (op === 'Softmax' || op === 'Sigmoid')
        late.push(nodeError(n.out, n.op, `operand ${v} is a ${op} result, which may only feed outputs`));
    }
  }
  const all = [...errors, ...late];
  if (all.length > 0) return E.left(all);
  return E.right({
    shapes: infos,
    shapeOf: (name) => infos.get(name) ?? bug(`no value ${name} in the checked HLIL program`),
  });
}
