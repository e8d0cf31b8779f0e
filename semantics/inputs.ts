/**
 * Validation of the run-time inputs bound to a program's input declarations (both semantics).
 *
 * Every declared input must be present with exactly numel(shape) entries, and no undeclared name may
 * be bound. Float inputs must be finite; ring inputs must be reduced mod 2^ℓ. Errors name the input
 * and, for a bad entry, its position, never a value (inputs are the parties' secrets).
 */
import { CryptflowError } from '../spec/errors.js';
import { numel, showShape, type Shape } from '../spec/geometry.js';

export interface InputDeclLike {
  readonly kind: 'input' | 'const';
  readonly name: string;
  readonly shape: Shape;
}

/** Checks presence, lengths and undeclared names; `entryOk` checks each entry. */
export function checkInputs<A extends { readonly length: number }>(
  decls: readonly InputDeclLike[],
  inputs: ReadonlyMap<string, A>,
  entryOk: (name: string, data: A, i: number) => CryptflowError | null,
): void {
  const declared = new Set<string>();
  for (const d of decls) {
    if (d.kind !== 'input') continue;
    declared.add(d.name);
    const data = inputs.get(d.name);
    if (data === undefined)
      throw new CryptflowError('input', `missing input '${d.name}' (shape ${showShape(d.shape)})`);
    const want = numel(d.shape);
    if (data.length !== want) {
      throw new CryptflowError(
        'input',
        `input '${d.name}' of shape ${showShape(d.shape)} needs ${want} entries, got ${data.length}`,
      );
    }
    for (let i = 0; i < data.length; i++) {
      const err = entryOk(d.name, data, i);
      if (err !== null) throw err;
    }
  }
  for (const name of inputs.keys()) {
    if (!declared.has(name)) throw new CryptflowError('input', `'${name}' is not a declared input of the program`);
  }
}

export function checkFloatInputs(decls: readonly InputDeclLike[], inputs: ReadonlyMap<string, Float32Array>): void {
  checkInputs(decls, inputs, (name, data, i) =>
    Number.isFinite(data[i])
      ? null
      : new CryptflowError('non-finite', `input '${name}' has a non-finite entry at index ${i}`),
  );
}

export function checkRingInputs(
  decls: readonly InputDeclLike[],
  inputs: ReadonlyMap<string, BigUint64Array>,
  ell: number,
): void {
  const modulus = 1n << BigInt(ell);
  checkInputs(decls, inputs, (name, data, i) =>
    (data[i] as bigint) < modulus
      ? null
      : new CryptflowError('input', `input '${name}' has an entry at index ${i} that is not reduced mod 2^${ell}`),
  );
}
