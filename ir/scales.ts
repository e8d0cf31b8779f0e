/**
 * LLIL type rules: the scale and label of every node's result (CrypTFlow §4, Fig. 3b).
 *
 * Scales: Add, Sub, BiasAdd and Concat need operands at equal scales and keep it; Mul, MatMul, Conv
 * and ConvTranspose add their operands' scales (a bias must already be at that sum); ScaleDown(x, k)
 * needs k ≤ scale(x) and yields scale(x) − k; ScaleUp(x, k) yields scale(x) + k; ArgMax yields
 * indices at scale 0; every other operator keeps the scale of x. Every scale must lie in [0, ℓ).
 * Labels: a result is secret exactly when one of its operands is.
 */
import * as E from 'fp-ts/lib/Either.js';
import { assertNever } from '../spec/errors.js';
import type { LType } from './llil.js';
import { nodeShape } from './shapes.js';
import { operandsOf } from './traverse.js';
import type { LNodeUntyped } from './untyped.js';
import { show } from './shapes/attrs.js';

export type TypeOf = (name: string) => LType;

export function showType(t: LType): string {
  return `${t.label} fix${show(t.shape)}@${t.scale}`;
}

function equalScales(names: readonly string[], typeOf: TypeOf): E.Either<string, number> {
  const scales = names.map((n) => typeOf(n).scale);
  const s0 = scales[0] ?? 0;
  const bad = scales.findIndex((s) => s !== s0);
  if (bad < 0) return E.right(s0);
  return E.left(
    `operands must be at equal scales: ${names.map((n, i) => `${n} at scale ${String(scales[i])}`).join(', ')}`,
  );
}

function checkShift(shift: number, ell: number): string | null {
  return Number.isSafeInteger(shift) && shift >= 0 && shift <= ell
    ? null
    : `shift must be an integer in [0, ${ell}], got ${String(shift)}`;
}

/** The scale of `node.out`, or why the operands' scales do not fit the operator. */
export function nodeScale(node: LNodeUntyped, typeOf: TypeOf, ell: number): E.Either<string, number> {
  const sc = (n: string): number => typeOf(n).scale;
  switch (node.op) {
    case 'Conv':
    case 'ConvTranspose': {
      const s = sc(node.x) + sc(node.w);
      if (node.b !== undefined && sc(node.b) !== s) {
        return E.left(
          `bias ${node.b} is at scale ${sc(node.b)} but the product is at scale ${s} = ${sc(node.x)} + ${sc(node.w)}`,
        );
      }
      return E.right(s);
    }
    case 'MatMul':
    case 'Mul':
      return E.right(sc(node.a) + sc(node.b));
    case 'Add':
    case 'Sub':
      return equalScales([node.a, node.b], typeOf);
    case 'BiasAdd':
      return equalScales([node.x, node.b], typeOf);
    case 'Concat':
      return equalScales(node.xs, typeOf);
    case 'ScaleDown': {
      const err = checkShift(node.shift, ell);
      if (err !== null) return E.left(err);
      if (node.shift > sc(node.x)) return E.left(`shift ${node.shift} exceeds the scale ${sc(node.x)} of ${node.x}`);
      return E.right(sc(node.x) - node.shift);
    }
    case 'ScaleUp': {
      const err = checkShift(node.shift, ell);
      return err === null ? E.right(sc(node.x) + node.shift) : E.left(err);
    }
    case 'ArgMax':
      return E.right(0);
    case 'Pad':
      if (node.value < 0n || node.value >= 1n << BigInt(ell))
        return E.left(`pad value is not a ring element of Z_2^${ell}`);
      return E.right(sc(node.x));
    case 'Relu':
    case 'MaxPool':
    case 'AvgPool':
    case 'GlobalAvgPool':
    case 'Reshape':
    case 'Flatten':
    case 'Transpose':
    case 'Squeeze':
      return E.right(sc(node.x));
    default:
      return assertNever(node, 'LLIL operator');
  }
}

/** The full type (shape, scale, label) of `node.out`; `typeOf` must know every operand. */
export function llilNodeType(node: LNodeUntyped, typeOf: TypeOf, ell: number): E.Either<string, LType> {
  const shape = nodeShape(node, (n) => typeOf(n).shape);
  if (E.isLeft(shape)) return shape;
  const scale = nodeScale(node, typeOf, ell);
  if (E.isLeft(scale)) return scale;
  if (scale.right >= ell) return E.left(`result scale ${scale.right} is not below the ring width ℓ = ${ell}`);
  const label = operandsOf(node).some((n) => typeOf(n).label === 'secret') ? 'secret' : 'public';
  return E.right({ shape: shape.right, scale: scale.right, label });
}

export function typeEquals(a: LType, b: LType): boolean {
  return (
    a.scale === b.scale &&
    a.label === b.label &&
    a.shape.length === b.shape.length &&
    a.shape.every((d, i) => d === b.shape[i])
  );
}
