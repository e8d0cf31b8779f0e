/**
 * The ideal functionalities the malicious backend realises: F_op with abort (security with abort,
 * honest majority; Goldreich's "security with abort", Damgård et al., S&P 2019, §2).
 *
 * F^⊥_op computes F_op of ideal/functionality.ts with exact truncation (the backend truncates exactly),
 * then asks the adversary (who corrupts at most one party) whether to deliver: on 'deliver' the
 * honest parties get F_op's output, on 'abort' they get ⊥ and nothing else. The adversary's choice
 * may not depend on the honest inputs beyond what the corrupted party's view already holds; the
 * tamper tests (test/protocols/malicious3/tamper.test.ts) check the real outcomes against this set:
 * every run either outputs F_op's value or aborts (up to the check's stated failure probability), and
 * an abort names the failed check.
 */
import type { LNode } from '../ir/llil.js';
import type { RingTensor } from '../semantics/kernels/types.js';
import { functionalityOf, type Functionality } from './functionality.js';

/** What the honest parties get from F^⊥. */
export type WithAbort<T> = { readonly kind: 'output'; readonly value: T } | { readonly kind: 'abort' };

/** The adversary's one choice in F^⊥. */
export type AdversaryChoice = 'deliver' | 'abort';

/** F_op of the malicious backend (exact truncation). */
export function malicious3Functionality(node: LNode): Functionality {
  return functionalityOf(node, { truncation: 'exact' });
}

/** F^⊥_op on these inputs and the adversary's choice. */
export function idealWithAbort(
  node: LNode,
  ell: number,
  inputs: readonly RingTensor[],
  choice: AdversaryChoice,
): WithAbort<RingTensor> {
  if (choice === 'abort') return { kind: 'abort' };
  const spec = malicious3Functionality(node).spec(ell, inputs);
  return { kind: 'output', value: spec.kind === 'exact' ? spec.value : spec.exact };
}

/** Is a real outcome one F^⊥ allows: ⊥, or exactly `value`? */
export function allowedWithAbort<T>(outcome: WithAbort<T>, value: T, equal: (a: T, b: T) => boolean): boolean {
  return outcome.kind === 'abort' || equal(outcome.value, value);
}
