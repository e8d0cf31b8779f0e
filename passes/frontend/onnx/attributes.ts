/**
 * Typed access to one node's attributes. Each getter checks the attribute's declared type (an INTS
 * attribute read as a FLOAT is a 'parse' error: the file is not a valid ONNX model) and returns the
 * ONNX default when the attribute is absent. `only(...)` refuses attributes the lowering does not
 * know, so that an attribute we would silently ignore is an 'unsupported' error instead.
 */
import { malformed, unsupported } from '../model.js';
import { int64, utf8, type RawAttribute, type RawTensor } from './proto.js';
import { AttributeType, attributeTypeName } from './schema.js';

/** The attribute type a reader of an old file infers when `type` is not written (IR version 1). */
function inferType(a: RawAttribute): number {
  if (a.f !== undefined) return AttributeType.FLOAT;
  if (a.i !== undefined) return AttributeType.INT;
  if (a.s !== undefined) return AttributeType.STRING;
  if (a.t !== undefined) return AttributeType.TENSOR;
  if (a.g !== undefined) return AttributeType.GRAPH;
  if (a.floats.length > 0) return AttributeType.FLOATS;
  if (a.ints.length > 0) return AttributeType.INTS;
  if (a.strings.length > 0) return AttributeType.STRINGS;
  if (a.tensors.length > 0) return AttributeType.TENSORS;
  if (a.graphs.length > 0) return AttributeType.GRAPHS;
  return AttributeType.UNDEFINED;
}

export class Attributes {
  private readonly byName = new Map<string, RawAttribute>();

  constructor(
    attributes: readonly RawAttribute[],
    private readonly op: string,
    private readonly node: string,
  ) {
    for (const a of attributes) {
      const name = a.name ?? '';
      if (name === '') throw malformed('onnx', this.where('(unnamed)'), 'an attribute has no name');
      if (this.byName.has(name)) throw malformed('onnx', this.where(name), 'appears twice');
      if (a.ref_attr_name !== undefined && a.ref_attr_name !== '') {
        throw malformed(
          'onnx',
          this.where(name),
          'refers to a function attribute (ref_attr_name), which only function bodies may do',
        );
      }
      this.byName.set(name, a);
    }
  }

  private where(name: string): string {
    return `node '${this.node}' (${this.op}) attribute '${name}'`;
  }

  private get(name: string, type: number): RawAttribute | undefined {
    const a = this.byName.get(name);
    if (a === undefined) return undefined;
    const actual = a.type ?? inferType(a);
    if (actual !== type)
      throw malformed('onnx', this.where(name), `is ${attributeTypeName(actual)}, expected ${attributeTypeName(type)}`);
    return a;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  int(name: string, fallback: number): number {
    const a = this.get(name, AttributeType.INT);
    return a === undefined ? fallback : int64(a.i, this.where(name), 0);
  }

  ints(name: string, fallback: readonly number[] | null): number[] | null {
    const a = this.get(name, AttributeType.INTS);
    if (a === undefined) return fallback === null ? null : [...fallback];
    return a.ints.map((v, i) => int64(v, `${this.where(name)}[${i}]`));
  }

  float(name: string, fallback: number): number {
    const a = this.get(name, AttributeType.FLOAT);
    return a === undefined ? fallback : Math.fround(a.f ?? 0);
  }

  floats(name: string): number[] | null {
    const a = this.get(name, AttributeType.FLOATS);
    return a === undefined ? null : a.floats.map(Math.fround);
  }

  string(name: string, fallback: string): string {
    const a = this.get(name, AttributeType.STRING);
    return a === undefined ? fallback : utf8(a.s);
  }

  tensor(name: string): RawTensor | undefined {
    const a = this.get(name, AttributeType.TENSOR);
    if (a === undefined) return undefined;
    if (a.t === undefined) throw malformed('onnx', this.where(name), 'is a TENSOR attribute without a tensor');
    return a.t;
  }

  /** Refuse any attribute not in `known` (with the list of those that are supported). */
  only(known: readonly string[]): void {
    for (const name of this.byName.keys()) {
      if (!known.includes(name)) {
        const list = known.length === 0 ? 'none' : known.join(', ');
        throw unsupported(
          'onnx',
          this.op,
          this.node,
          `attribute '${name}' is not supported (supported attributes: ${list})`,
        );
      }
    }
  }
}
