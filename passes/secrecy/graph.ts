/**
 * Secrecy flow over an imported model graph, before the frontend folds shapes and constants away
 * (proofs-notes/secrecy.md, "graph level").
 *
 * LLIL is straight-line with literal shapes, so a shape, index, branch or trip count computed from a
 * secret cannot even be written there; it can in the graph a frontend reads (ONNX, TensorFlow). Each
 * frontend describes its graph in this frontend-neutral form: sources (client inputs, the server's
 * model constants), nodes whose operands each play a role, control-flow bodies, declared outputs.
 *
 * Roles: `data` flows into the results; `shape-of` reads only the operand's static shape (Shape,
 * Size: public even on a secret, since shapes are fixed at compile time and known to all parties);
 * `shape`, `index`, `control` and `clear` must be public: a secret there is a finding (kind = role),
 * and a model constant there is declassified as structure (the architecture is public), which the
 * report lists. A model constant that meets a secret in a node's data, or reaches an output, is a
 * secret weight; one that is both a weight and declassified is a finding ('weight-made-public').
 *
 * Control: an If's results join its branches' results and its condition; a Loop's carried values are
 * iterated to a fixpoint (labels form a finite lattice), its trip count, its condition and the body's
 * condition result must be public. Other operators with bodies join everything (conservative).
 */
import type { Owner } from '../../ir/common.js';
import { tracePath, type Origin } from './paths.js';
import {
  isSecret,
  joinAll,
  MODEL,
  possessive,
  PUBLIC,
  sameLabel,
  secret,
  type Finding,
  type FindingKind,
  type Label,
  type PathStep,
} from './labels.js';

export type PortRole = 'data' | 'shape-of' | 'shape' | 'index' | 'control' | 'clear';

export interface FlowInput {
  readonly value: string;
  readonly role: PortRole;
  /** What the operand is to the node ('the target shape', 'the indices', 'the condition'). */
  readonly what: string;
}

/** A subgraph: its formal inputs (bound by the node that owns it), its nodes and its results. */
export interface FlowBody {
  readonly name: string;
  readonly formals: readonly string[];
  readonly nodes: readonly FlowNode[];
  readonly results: readonly string[];
}

export type FlowControl =
  /** If: result i is the join of every branch's result i (and of the condition). */
  | { readonly kind: 'branches'; readonly branches: readonly FlowBody[] }
  /**
   * ONNX Loop: inputs [trip count, condition, carried…]; body formals [iteration, condition,
   * carried…], results [condition, carried…, scanned…]; node outputs [carried…, scanned…].
   */
  | { readonly kind: 'loop'; readonly body: FlowBody }
  /** Any other operator with bodies: every formal and result joins every data operand. */
  | { readonly kind: 'bodies'; readonly bodies: readonly FlowBody[] };

export interface FlowNode {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly FlowInput[];
  readonly outputs: readonly string[];
  readonly control?: FlowControl;
  /** The frontend's table does not know the operator: its operands were taken as data. */
  readonly unknown?: boolean;
}

export type SourceKind = 'client input' | 'server input' | 'model constant' | 'public constant';

export interface FlowSource {
  readonly value: string;
  readonly kind: SourceKind;
}

export interface FlowGraph {
  readonly format: string;
  readonly sources: readonly FlowSource[];
  readonly nodes: readonly FlowNode[];
  readonly outputs: readonly { readonly value: string; readonly to: Owner }[];
}

/** Where a declassified model constant is read in the clear. */
export interface StructureUse {
  readonly node: string;
  readonly op: string;
  readonly what: string;
}

export interface GraphSecrecy {
  readonly format: string;
  readonly inputs: readonly { readonly name: string; readonly owner: Owner }[];
  /** Model constants that are secret weights (combined with a secret, or revealed as an output). */
  readonly weights: readonly string[];
  /** Model constants read in the clear as structure (declassified by the public-architecture policy). */
  readonly structure: readonly { readonly name: string; readonly uses: readonly StructureUse[] }[];
  readonly outputs: readonly { readonly name: string; readonly to: Owner; readonly label: Label }[];
  /** Operators the frontend's port table does not know (their operands were taken as data). */
  readonly unknownOps: readonly string[];
  readonly findings: readonly Finding[];
}

type PublicRole = 'shape' | 'index' | 'control' | 'clear';

function isPublicRole(r: PortRole): r is PublicRole {
  return r === 'shape' || r === 'index' || r === 'control' || r === 'clear';
}

const WHY: Readonly<Record<PublicRole, string>> = {
  shape: 'shapes are fixed at compile time and known to every party, so this would reveal it',
  index: 'reading or writing memory at secret positions would reveal them',
  control: 'the branch taken or the number of iterations would reveal it',
  clear: 'the backends need this operand in the clear',
};

const SOURCE_LABEL: Readonly<Record<SourceKind, Label>> = {
  'client input': secret('client'),
  'server input': secret('server'),
  'model constant': MODEL,
  'public constant': PUBLIC,
};

const SOURCE_OWNER: Readonly<Record<SourceKind, Owner | 'model' | 'public'>> = {
  'client input': 'client',
  'server input': 'server',
  'model constant': 'model',
  'public constant': 'public',
};

class Flow {
  readonly labels = new Map<string, Label>();
  readonly origins = new Map<string, Origin>();
  /** For model-labelled values: the model constants they are computed from. */
  readonly modelSources = new Map<string, ReadonlySet<string>>();
  readonly structure = new Map<string, StructureUse[]>();
  readonly weightUse = new Map<string, StructureUse>();
  readonly findings: Finding[] = [];
  readonly unknown = new Set<string>();
  recording = true;

  label(v: string): Label {
    return this.labels.get(v) ?? PUBLIC;
  }

  private models(v: string): ReadonlySet<string> {
    return this.label(v).kind === 'model' ? (this.modelSources.get(v) ?? new Set()) : new Set();
  }

  define(v: string, l: Label, origin: Origin, models: ReadonlySet<string> = new Set()): void {
    this.labels.set(v, l);
    this.origins.set(v, origin);
    if (l.kind === 'model') this.modelSources.set(v, models);
    else this.modelSources.delete(v);
  }

  /** The model constants behind data operands `vs`, unioned. */
  modelsOf(vs: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const v of vs) for (const m of this.models(v)) out.add(m);
    return out;
  }

  /** Values `vs` meet a secret (or are revealed): their model constants are weights. */
  becomeWeights(vs: readonly string[], use: StructureUse): void {
    if (!this.recording) return;
    for (const m of this.modelsOf(vs)) if (!this.weightUse.has(m)) this.weightUse.set(m, use);
  }

  path(v: string, owner: Owner): PathStep[] {
    return tracePath(
      v,
      owner,
      (x) => this.labels.get(x),
      (x) => this.origins.get(x),
    );
  }

  /** A public-only operand: a finding if secret, a structure use if it holds model constants. */
  publicOperand(node: FlowNode, input: FlowInput, role: PublicRole): void {
    if (!this.recording) return;
    const l = this.label(input.value);
    if (l.kind === 'model') {
      for (const m of this.models(input.value)) {
        const uses = this.structure.get(m) ?? [];
        uses.push({ node: node.name, op: node.op, what: input.what });
        this.structure.set(m, uses);
      }
      return;
    }
    if (!isSecret(l)) return;
    const owner = l.owners[0] as Owner;
    const message = `${input.what} (input '${input.value}') is computed from ${possessive(l.owners)} secret data; ${WHY[role]}`;
    this.finding(
      role,
      node,
      message,
      [...this.path(input.value, owner), ...this.nodeStep(node, input.value)],
      input.what,
    );
  }

  private nodeStep(node: FlowNode, value: string): PathStep[] {
    const o = this.origins.get(value);
    return o?.kind === 'node' && o.node === node.name
      ? []
      : [{ kind: 'node', value: node.outputs[0] ?? node.name, node: node.name, op: node.op }];
  }

  finding(
    kind: FindingKind,
    node: { readonly name: string; readonly op: string },
    message: string,
    path: readonly PathStep[],
    port?: string,
  ): void {
    this.findings.push({
      kind,
      level: 'graph',
      node: node.name,
      op: node.op,
      ...(port === undefined ? {} : { port }),
      path,
      message,
    });
  }
}

/** A node's operands: public-only ones checked, data ones joined (their model constants become weights next to a secret). */
function plainNode(f: Flow, node: FlowNode): { readonly label: Label; readonly data: readonly string[] } {
  if (node.unknown === true && f.recording) f.unknown.add(node.op);
  const data: string[] = [];
  for (const input of node.inputs) {
    if (input.value === '') continue;
    if (input.role === 'data') data.push(input.value);
    else if (isPublicRole(input.role)) f.publicOperand(node, input, input.role);
  }
  const label = joinAll(data.map((v) => f.label(v)));
  if (isSecret(label)) f.becomeWeights(data, { node: node.name, op: node.op, what: 'data' });
  return { label, data };
}

function runNodes(f: Flow, nodes: readonly FlowNode[]): void {
  for (const node of nodes) runNode(f, node);
}

function runNode(f: Flow, node: FlowNode): void {
  const c = node.control;
  if (c === undefined) {
    const { label, data } = plainNode(f, node);
    const models = label.kind === 'model' ? f.modelsOf(data) : new Set<string>();
    for (const out of node.outputs)
      if (out !== '') f.define(out, label, { kind: 'node', node: node.name, op: node.op, preds: data }, models);
    return;
  }
  if (c.kind === 'branches') return runBranches(f, node, c.branches);
  if (c.kind === 'loop') return runLoop(f, node, c.body);
  const { label, data } = plainNode(f, node);
  for (const b of c.bodies)
    for (const v of b.formals)
      f.define(v, label, { kind: 'node', node: node.name, op: node.op, preds: data }, f.modelsOf(data));
  for (const b of c.bodies) runNodes(f, b.nodes);
  const results = c.bodies.flatMap((b) => b.results);
  const all = joinAll([label, ...results.map((r) => f.label(r))]);
  if (isSecret(all)) f.becomeWeights([...data, ...results], { node: node.name, op: node.op, what: 'data' });
  for (const out of node.outputs)
    if (out !== '')
      f.define(
        out,
        all,
        { kind: 'node', node: node.name, op: node.op, preds: [...data, ...results] },
        f.modelsOf([...data, ...results]),
      );
}

function runBranches(f: Flow, node: FlowNode, branches: readonly FlowBody[]): void {
  const { data } = plainNode(f, node);
  const control = node.inputs.filter((i) => i.role === 'control' && i.value !== '').map((i) => i.value);
  const cond = joinAll(control.map((v) => f.label(v)));
  for (const b of branches) runNodes(f, b.nodes);
  node.outputs.forEach((out, i) => {
    if (out === '') return;
    const results = branches.map((b) => b.results[i]).filter((r): r is string => r !== undefined && r !== '');
    const l = joinAll([cond, ...results.map((r) => f.label(r))]);
    if (isSecret(l)) f.becomeWeights(results, { node: node.name, op: node.op, what: `result ${i}` });
    f.define(
      out,
      l,
      { kind: 'node', node: node.name, op: node.op, preds: [...results, ...control, ...data] },
      f.modelsOf(results),
    );
  });
}

function runLoop(f: Flow, node: FlowNode, body: FlowBody): void {
  plainNode(f, node);
  const carriedInit = node.inputs.slice(2).map((i) => i.value);
  const [iter, condIn, ...carriedIn] = body.formals;
  const [condOut, ...rest] = body.results;
  const carriedOut = rest.slice(0, carriedInit.length);
  const scanned = rest.slice(carriedInit.length);
  const at = (op: string, preds: readonly string[]): Origin => ({ kind: 'node', node: node.name, op, preds });
  if (iter !== undefined) f.define(iter, PUBLIC, at(node.op, []));
  const condInit = node.inputs[1]?.value ?? '';
  const bind = (): boolean => {
    let changed = false;
    const set = (v: string | undefined, l: Label, preds: readonly string[]): void => {
      if (v === undefined || v === '') return;
      if (!f.labels.has(v) || !sameLabel(f.label(v), l)) changed = true;
      f.define(v, l, at(node.op, preds), f.modelsOf(preds));
    };
    const condPreds = [condInit, condOut ?? ''].filter((v) => v !== '');
    set(condIn, joinAll(condPreds.map((v) => f.label(v))), condPreds);
    carriedIn.forEach((v, j) => {
      const preds = [carriedInit[j] ?? '', carriedOut[j] ?? ''].filter(
        (x) => x !== '' && (x !== carriedOut[j] || f.labels.has(x)),
      );
      set(v, joinAll(preds.map((x) => f.label(x))), preds);
    });
    return changed;
  };
  const recording = f.recording;
  f.recording = false;
  bind();
  for (let round = 0; round < 16; round++) {
    runNodes(f, body.nodes);
    if (!bind()) break;
  }
  f.recording = recording;
  runNodes(f, body.nodes);
  if (condOut !== undefined && condOut !== '') {
    f.publicOperand(
      { ...node, outputs: [node.name] },
      { value: condOut, role: 'control', what: 'the condition the body computes' },
      'control',
    );
  }
  node.outputs.forEach((out, i) => {
    if (out === '') return;
    const src =
      i < carriedIn.length ? [carriedIn[i] ?? '', carriedOut[i] ?? ''] : [scanned[i - carriedIn.length] ?? ''];
    const preds = src.filter((v) => v !== '');
    const l = joinAll(preds.map((v) => f.label(v)));
    if (isSecret(l)) f.becomeWeights(preds, { node: node.name, op: node.op, what: `result ${i}` });
    f.define(out, l, at(node.op, preds), f.modelsOf(preds));
  });
}

/** Label every value of `g`, check every public-only operand, and collect the declassified structure. */
export function analyzeGraph(g: FlowGraph): GraphSecrecy {
  const f = new Flow();
  for (const s of g.sources)
    f.define(
      s.value,
      SOURCE_LABEL[s.kind],
      { kind: 'source', what: s.kind, owner: SOURCE_OWNER[s.kind] },
      new Set([s.value]),
    );
  runNodes(f, g.nodes);
  const outputs = g.outputs.map((o) => {
    const label = f.label(o.value);
    f.becomeWeights([o.value], { node: o.value, op: 'output', what: `revealed to the ${o.to}` });
    return { name: o.value, to: o.to, label: label.kind === 'model' ? secret('server') : label };
  });
  for (const [m, uses] of f.structure) {
    const weight = f.weightUse.get(m);
    const first = uses[0];
    if (weight === undefined || first === undefined) continue;
    const read =
      weight.op === 'output' ? `revealed as output '${weight.node}'` : `read as data by ${weight.op} '${weight.node}'`;
    f.finding(
      'weight-made-public',
      { name: first.node, op: first.op },
      `model constant '${m}' is a secret weight (${read}) and is also read in the clear as ${first.what}, which would reveal the weight`,
      [
        { kind: 'source', value: m, what: 'model constant' },
        { kind: 'node', value: m, node: first.node, op: first.op },
      ],
      first.what,
    );
  }
  const sources = new Set(g.sources.map((s) => s.value));
  return {
    format: g.format,
    inputs: g.sources
      .filter((s) => s.kind === 'client input' || s.kind === 'server input')
      .map((s) => ({ name: s.value, owner: s.kind === 'client input' ? 'client' : 'server' })),
    weights: [...f.weightUse.keys()].filter((m) => sources.has(m)),
    structure: [...f.structure].filter(([m]) => !f.weightUse.has(m)).map(([name, uses]) => ({ name, uses })),
    outputs,
    unknownOps: [...f.unknown].sort(),
    findings: f.findings,
  };
}
