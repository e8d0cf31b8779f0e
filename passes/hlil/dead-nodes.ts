/**
 * Dead-node removal: drop every node whose value reaches no output, every public constant and every
 * server input that no remaining node reads (with its weights). Client inputs stay declared even when
 * unused, so the client's side of a run keeps its interface. floatSem of the outputs is unchanged
 * (the outputs' dependencies are untouched; the semantics has no side effects).
 */
import { operandsOf } from '../../ir/traverse.js';
import { checked, withProgram, type HlilModel, type PassResult } from './model.js';

export interface DeadNodesReport {
  readonly removedNodes: readonly string[];
  readonly removedDecls: readonly string[];
}

export function deadNodes<M extends HlilModel>(m: M): PassResult<M, DeadNodesReport> {
  const p = m.program;
  const live = new Set(p.outputs.map((o) => o.name));
  for (let i = p.nodes.length - 1; i >= 0; i--) {
    const n = p.nodes[i];
    if (n !== undefined && live.has(n.out)) for (const v of operandsOf(n)) live.add(v);
  }
  const keepDecl = (d: (typeof p.decls)[number]): boolean =>
    live.has(d.name) || (d.kind === 'input' && d.owner === 'client');
  const removedNodes = p.nodes.filter((n) => !live.has(n.out)).map((n) => n.out);
  const removedDecls = p.decls.filter((d) => !keepDecl(d)).map((d) => d.name);
  if (removedNodes.length === 0 && removedDecls.length === 0)
    return { model: m, report: { removedNodes, removedDecls } };
  const program = { ...p, decls: p.decls.filter(keepDecl), nodes: p.nodes.filter((n) => live.has(n.out)) };
  const dropped = new Set(removedDecls);
  const weights = new Map([...m.weights].filter(([k]) => !dropped.has(k)));
  checked('dead-nodes', program);
  return { model: withProgram(m, program, weights), report: { removedNodes, removedDecls } };
}
