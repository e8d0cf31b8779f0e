/**
 * Errors of the whole project.
 *
 * Expected failures (a bad model, an unsupported operator, a bad config, a value out of the
 * representable range) are `CryptflowError`s with a machine-readable `code` and a message that says
 * where, never what secret: messages name nodes, positions, shapes and bounds, not tensor values.
 * A broken internal invariant goes through `bug()`, the single place that throws for "cannot happen".
 */

export type ErrorCode =
  | 'ring-width'
  | 'field-modulus'
  | 'fixed-range'
  | 'fixed-params'
  | 'non-finite'
  | 'shape'
  | 'type'
  | 'parse'
  | 'decode'
  | 'unsupported'
  | 'input'
  | 'usage'
  /** A protocol run failed: a peer failed or disappeared, a deadlock, an aborted run. */
  | 'protocol'
  /** A program or a run would reveal more than it declares (passes/secrecy, harness/runner/views.ts). */
  | 'security';

export class CryptflowError extends Error {
  override readonly name = 'CryptflowError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A broken invariant: never an expected failure, always a defect in this code base. */
export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
}

export function bug(message: string): never {
  throw new InvariantViolation(`internal error (please report): ${message}`);
}

/** Exhaustiveness guard for closed unions: adding a case fails to compile where it is not handled. */
export function assertNever(x: never, what = 'value'): never {
  return bug(`unhandled ${what}: ${JSON.stringify(x)}`);
}
