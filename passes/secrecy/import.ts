/**
 * The graph-level analysis as a frontend runs it: beside the import, never instead of it.
 *
 * A frontend lowers its graph as before and analyses the same graph (graph.ts). A program the
 * analysis rejects is refused as 'unsupported' (the frontends' contract for what cannot be compiled)
 * with the offending node, what it reads and the path of the secret, even when the importer accepted
 * it (a weight also read in the clear); when the importer refused it too ('unsupported': an operator,
 * a shape computed at run time), its own message follows, so the secrecy reason comes first instead
 * of the generic one. Other importer failures ('parse', 'shape') stand as they are: a malformed file
 * has no meaningful flow. The error is a SecrecyRejection carrying the graph-level report.
 * Messages name nodes and values, never tensor contents.
 */
import { bug, CryptflowError } from '../../spec/errors.js';
import type { GraphSecrecy } from './graph.js';
import { showFinding, type Finding } from './labels.js';
import { SecrecyRejection, secrecyReport } from './report.js';

export interface Screened<T> {
  readonly result: T;
  readonly secrecy: GraphSecrecy;
}

/** `onnx node 'r' (Reshape): secrecy: …; path: …` for the first finding, the others named after it. */
export function graphRejection(format: string, findings: readonly Finding[], importer?: CryptflowError): string {
  const [first, ...more] = findings;
  if (first === undefined) return `${format} model: secrecy: rejected`;
  const lines = [`${format} node '${first.node}' (${first.op}): secrecy: ${showFinding(first)}`];
  if (more.length > 0)
    lines.push(
      `(${more.length} more: ${more
        .slice(0, 6)
        .map((f) => `node '${f.node}' (${f.op}, ${f.kind})`)
        .join(', ')}${more.length > 6 ? ', …' : ''})`,
    );
  if (importer !== undefined) lines.push(`the importer also refuses the model: ${importer.message}`);
  return lines.join('\n');
}

/** Run `lower` (the import) and `analyze` (the flow over the same graph); see the file header. */
export function screenImport<T>(format: string, lower: () => T, analyze: () => GraphSecrecy): Screened<T> {
  let result: { readonly value: T } | null = null;
  let failure: unknown = null;
  try {
    result = { value: lower() };
  } catch (e) {
    failure = e;
  }
  let secrecy: GraphSecrecy | null = null;
  try {
    secrecy = analyze();
  } catch (e) {
    if (failure === null) throw e;
  }
  const refusedAlso = failure instanceof CryptflowError && failure.code === 'unsupported' ? failure : undefined;
  if (secrecy !== null && secrecy.findings.length > 0 && (failure === null || refusedAlso !== undefined)) {
    throw new SecrecyRejection(
      'unsupported',
      graphRejection(format, secrecy.findings, refusedAlso),
      secrecyReport(`${format} model`, secrecy, null),
    );
  }
  if (failure !== null) throw failure;
  if (result === null || secrecy === null) return bug('an import ended with neither a result nor a failure');
  return { result: result.value, secrecy };
}
