/**
 * IrError: one finding of the checker, the decoder or the builders, as a value.
 *
 * `node` is the name of the value concerned (a node's `out`, a declaration's or an output's name) and
 * `op` the operator (or 'input' / 'const' / 'output'); both are null for program-level findings.
 * `message` is complete and self-contained, e.g.
 *   node t3 (MatMul): inner dimensions differ: a is [1,784], b is [785,10]
 * It names shapes, scales, attributes and names, never tensor values.
 */
import { CryptflowError } from '../spec/errors.js';

export interface IrError {
  readonly node: string | null;
  readonly op: string | null;
  readonly message: string;
}

export function nodeError(node: string, op: string, detail: string): IrError {
  const what =
    op === 'input' || op === 'const' ? `${op} ${node}` : op === 'output' ? `output ${node}` : `node ${node} (${op})`;
  return { node, op, message: `${what}: ${detail}` };
}

export function programError(detail: string): IrError {
  return { node: null, op: null, message: `program: ${detail}` };
}

/** One error carrying every finding, for APIs that throw (builders' `build`). */
export function toCryptflowError(
  code: 'type' | 'shape' | 'decode' | 'parse',
  errors: readonly IrError[],
): CryptflowError {
  return new CryptflowError(code, errors.map((e) => e.message).join('\n'));
}
