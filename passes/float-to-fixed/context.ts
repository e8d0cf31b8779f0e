/**
 * The state of one float-to-fixed lowering: where each HLIL value lives in the LLIL program and at
 * which scale, the LLIL declarations and nodes emitted so far, and fresh names.
 *
 * Conventions (Athos, CrypTFlow §2): one global scale s. An HLIL declaration used at scale t becomes
 * an LLIL declaration encoded at t (named as in HLIL when t = s, `name:s<t>` otherwise); a computed
 * HLIL value keeps the scale its lowering gave it and is rescaled on demand (ScaleUp, or an exact
 * ScaleDown). The final node of an HLIL node's lowering takes the HLIL name, so outputs keep names.
 * Each rescaled copy of a value is emitted once and reused.
 *
 * Placement of ScaleDown (CrypTFlow §2 truncates right after every multiplication):
 *   - 'eager' (default, the paper's): every product at 2s is followed at once by ScaleDown(s).
 *   - 'lazy': a value at 2s stays there while it flows through scale-preserving operators (Relu,
 *     MaxPool, AvgPool, GlobalAvgPool, Add/Sub/BiasAdd/Concat — the other operands ScaleUp'ed to align —
 *     Pad, layout operators, and ArgMax, which ends at scale 0); it is truncated just before the next
 *     multiplication, Softmax/Sigmoid, or output. A value is kept pending only when its one user is such
 *     an operator (and it is no output), so the pending values form in-trees, each ending in at most
 *     one ScaleDown and holding at least one product: lazy never emits more ScaleDowns than eager.
 */
import * as E from 'fp-ts/lib/Either.js';
import { bug, CryptflowError } from '../../spec/errors.js';
import { FixedPoint } from '../../spec/fixed.js';
import type { Shape } from '../../spec/geometry.js';
import type { HDecl, HNode, HProgram } from '../../ir/hlil.js';
import type { LDecl, LNode, LPost, LType } from '../../ir/llil.js';
import type { LNodeSpec } from '../../ir/untyped.js';
import { llilNodeType } from '../../ir/scales.js';
import { nodeShape } from '../../ir/shapes.js';
import { operandsOf } from '../../ir/traverse.js';
import { applyTransform, transformSources, type DerivedValue, type WeightTransform } from './transforms.js';

export type Placement = 'eager' | 'lazy';

export interface FixedParams {
  readonly ell: number;
  readonly scale: number;
  /** Where ScaleDowns go (default 'eager'). */
  readonly placement?: Placement;
}

/** Operators that may consume a value at a scale above s (see the header). */
const ACCEPTS_PENDING = new Set<HNode['op']>([
  'Relu',
  'MaxPool',
  'AvgPool',
  'GlobalAvgPool',
  'Add',
  'Sub',
  'BiasAdd',
  'Concat',
  'Pad',
  'Reshape',
  'Flatten',
  'Transpose',
  'Squeeze',
  'ArgMax',
]);

interface Placed {
  readonly name: string;
  readonly post?: LPost;
}

export class Lowering {
  readonly decls: LDecl[] = [];
  readonly nodes: LNode[] = [];
  readonly derived: DerivedValue[] = [];
  private readonly types = new Map<string, LType>();
  private readonly hShapes = new Map<string, Shape>();
  private readonly hDecls = new Map<string, HDecl>();
  private readonly placed = new Map<string, Placed>();
  private readonly declAt = new Map<string, string>();
  private readonly used = new Set<string>();
  private readonly claimed = new Set<string>();
  private readonly rescaled = new Map<string, string>();
  private readonly users = new Map<string, HNode[]>();
  private readonly outputs: ReadonlySet<string>;

  constructor(
    readonly source: HProgram,
    readonly params: FixedParams,
  ) {
    FixedPoint(params);
    for (const d of source.decls) {
      this.hDecls.set(d.name, d);
      this.hShapes.set(d.name, d.shape);
      this.used.add(d.name);
    }
    for (const n of source.nodes) {
      this.used.add(n.out);
      for (const v of new Set(operandsOf(n))) this.users.set(v, [...(this.users.get(v) ?? []), n]);
    }
    this.outputs = new Set(source.outputs.map((o) => o.name));
  }

  get lazy(): boolean {
    return this.params.placement === 'lazy';
  }

  /** Lazy placement only: may HLIL value `h` stay above scale s (its one user accepts that)? */
  keepsPending(h: string): boolean {
    const us = this.users.get(h) ?? [];
    return this.lazy && !this.outputs.has(h) && us.length === 1 && ACCEPTS_PENDING.has((us[0] as HNode).op);
  }

  /** Every HLIL value placed so far (computed values) and every declaration encoded at s, by LLIL name. */
  placements(): Map<string, string> {
    const out = new Map<string, string>();
    for (const d of this.decls) if (this.hDecls.has(d.name)) out.set(d.name, d.name);
    for (const [h, p] of this.placed) out.set(h, p.name);
    return out;
  }

  get s(): number {
    return this.params.scale;
  }

  /** Shape of an HLIL value (declarations, and nodes lowered so far). */
  hShape(name: string): Shape {
    const sh = this.hShapes.get(name);
    if (sh === undefined) throw new CryptflowError('type', `'${name}' is used before it is defined`);
    return sh;
  }

  /** Infer and record the HLIL shape of a node (shape errors are CryptflowErrors naming the node). */
  inferShape(node: HNode): Shape {
    const r = nodeShape(node, (n) => this.hShape(n));
    if (E.isLeft(r)) throw new CryptflowError('shape', `node '${node.out}' (${node.op}): ${r.left}`);
    this.hShapes.set(node.out, r.right);
    return r.right;
  }

  hDecl(name: string): HDecl | undefined {
    return this.hDecls.get(name);
  }

  type(llilName: string): LType {
    const t = this.types.get(llilName);
    if (t === undefined) throw new CryptflowError('type', `'${llilName}' has no LLIL type yet`);
    return t;
  }

  /** A new LLIL name, distinct from every HLIL name and every LLIL name so far. */
  fresh(hint: string): string {
    let name = hint;
    for (let i = 2; this.used.has(name) || this.claimed.has(name); i++) name = `${hint}:${i}`;
    this.claimed.add(name);
    return name;
  }

  /** The HLIL name itself, for the LLIL value that stands for it (claimed once). */
  claim(h: string): string {
    if (this.claimed.has(h)) return bug(`LLIL name '${h}' claimed twice`);
    this.claimed.add(h);
    return h;
  }

  /** Emit an LLIL node; its type is inferred by the LLIL rules (ir/scales.ts). */
  emit(out: string, spec: LNodeSpec): string {
    const untyped = { ...spec, out } as LNode;
    const r = llilNodeType(untyped, (n) => this.type(n), this.params.ell);
    if (E.isLeft(r)) throw new CryptflowError('type', `lowering '${out}' (${spec.op}): ${r.left}`);
    this.nodes.push({ ...untyped, type: r.right } as LNode);
    this.types.set(out, r.right);
    return out;
  }

  /** Record that HLIL value `h` is the LLIL value `name` (with a post-processing step, for outputs). */
  place(h: string, name: string, post?: LPost): void {
    this.placed.set(h, post === undefined ? { name } : { name, post });
  }

  placement(h: string): Placed | undefined {
    return this.placed.get(h);
  }

  /** A derived declaration (transform of HLIL declarations) at the given scale and shape. */
  derive(hint: string, transform: WeightTransform, shape: Shape, scale: number, exact = false): string {
    const key = `${JSON.stringify(transform)}@${scale}@${shape.join(',')}`;
    const hit = this.declAt.get(key);
    if (hit !== undefined) return hit;
    const name = exact ? this.claim(hint) : this.fresh(hint);
    const owner = this.ownerOf(transform, name);
    this.derived.push({ name, owner, shape, scale, transform });
    if (owner === 'public') {
      const fp = FixedPoint({ ...this.params, scale });
      const values = fp.encodeTensor(
        applyTransform(transform, (n) => this.constValues(n)),
        `constant '${name}'`,
      );
      this.decls.push({ kind: 'const', name, shape, scale, values });
      this.types.set(name, { shape, scale, label: 'public' });
    } else {
      this.decls.push({ kind: 'input', name, shape, scale, owner });
      this.types.set(name, { shape, scale, label: 'secret' });
    }
    this.declAt.set(key, name);
    return name;
  }

  private constValues(name: string): Float32Array {
    const d = this.hDecls.get(name);
    if (d === undefined || d.kind !== 'const') throw new CryptflowError('unsupported', `'${name}' is not a constant`);
    return d.values;
  }

  private ownerOf(t: WeightTransform, name: string): DerivedValue['owner'] {
    const owners = new Set<DerivedValue['owner']>();
    for (const src of transformSources(t)) {
      const d = this.hDecls.get(src);
      if (d === undefined) {
        throw new CryptflowError(
          'unsupported',
          `'${name}' needs '${src}' to be a declaration (an input or a constant), not a computed value`,
        );
      }
      if (d.kind === 'input') owners.add(d.owner);
    }
    if (owners.size > 1)
      throw new CryptflowError(
        'unsupported',
        `'${name}' would combine values of both parties; no single party can compute it`,
      );
    return [...owners][0] ?? 'public';
  }

  /**
   * The LLIL name of HLIL value `h` at `scale` (default: its own scale; s for declarations).
   * Declarations are encoded at the requested scale; computed values are rescaled.
   */
  operand(h: string, scale?: number): string {
    const d = this.hDecls.get(h);
    if (d !== undefined) {
      const t = scale ?? this.s;
      return this.derive(t === this.s ? h : `${h}:s${t}`, { kind: 'encode', source: h }, d.shape, t, t === this.s);
    }
    const p = this.placed.get(h);
    if (p === undefined) throw new CryptflowError('type', `'${h}' is used before it is defined`);
    if (p.post !== undefined) {
      throw new CryptflowError(
        'unsupported',
        `'${h}' (${p.post.op}) may only be a program output: it is computed in the clear after the reveal`,
      );
    }
    const cur = this.type(p.name).scale;
    if (scale === undefined || scale === cur) return p.name;
    const key = `${p.name}@${scale}`;
    const hit = this.rescaled.get(key);
    if (hit !== undefined) return hit;
    const name =
      scale > cur
        ? this.emit(this.fresh(`${h}:s${scale}`), { op: 'ScaleUp', x: p.name, shift: scale - cur })
        : this.emit(this.fresh(`${h}:s${scale}`), { op: 'ScaleDown', x: p.name, shift: cur - scale });
    this.rescaled.set(key, name);
    return name;
  }

  /** The scale of HLIL value `h` as placed (s for a declaration, which is encoded where it is needed). */
  scaleOf(h: string): number {
    const p = this.placed.get(h);
    return p === undefined ? this.s : this.type(p.name).scale;
  }
}
