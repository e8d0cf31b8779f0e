/**
 * The ONNX frontend: ModelProto bytes → HLIL (CrypTFlow §4: Athos's path for PyTorch/ONNX models).
 *
 *   1. decode the protobuf (proto.ts, schema.ts); read the default-domain opset (11 to 21);
 *   2. initializers and Constant outputs become model constants; graph inputs that are not
 *      initializers become the client's inputs, with static shapes (graph.ts);
 *   3. nodes, in the file's (topological) order, are lowered one by one (ops/*), inferring every
 *      shape as they go (the HLIL builder); a constant read as data becomes a server-owned input whose
 *      float values go to `weights`;
 *   4. graph outputs are revealed to the client (declared static shapes are checked), and the program
 *      goes through the HLIL checker;
 *   5. beside the lowering, the secrecy flow over the same graph (flow.ts, passes/secrecy/graph.ts):
 *      a shape, index, condition or clear operand computed from a secret is refused, naming the node
 *      and the path, ahead of the importer's own complaint (passes/secrecy/import.ts).
 * What is preserved: the float32 semantics of the supported subset (proofs-notes/frontend-onnx.md).
 * Errors are CryptflowErrors: 'parse' for a malformed file, 'unsupported' naming the operator, node
 * and what is supported, 'shape' for shapes that do not fit. Messages never carry tensor values.
 */
import type { ImportedModel } from '../model.js';
import { malformed, unsupported } from '../model.js';
import { Attributes } from './attributes.js';
import { Importer, type OnnxNode } from './context.js';
import { checkOutputShape, defaultOpset, inputShape, type ShapeOptions } from './graph.js';
import { ONNX_OP_NAMES, ONNX_OPS } from './ops/index.js';
import { decodeModel, nodeLabel, type RawGraph, type RawNode } from './proto.js';
import { decodeTensor } from './tensor.js';
import { onnxFlowGraph } from './flow.js';
import { analyzeGraph } from '../../secrecy/graph.js';
import { screenImport } from '../../secrecy/import.js';

export { MAX_OPSET, MIN_OPSET, type ShapeOptions } from './graph.js';
export { ONNX_OP_NAMES } from './ops/index.js';

export type OnnxImportOptions = ShapeOptions;

export interface OnnxImport extends ImportedModel {
  readonly format: 'onnx';
  /** The default-domain opset the model imports. */
  readonly opset: number;
  /** ONNX graph input name → HLIL client input, in graph order (initializers excluded). */
  readonly inputs: ReadonlyMap<string, string>;
  /** ONNX graph output name → HLIL output, in graph order (program.outputs has the same order). */
  readonly outputs: ReadonlyMap<string, string>;
}

function declareConstants(ctx: Importer, g: RawGraph): void {
  for (const t of g.initializer) {
    const name = t.name ?? '';
    if (name === '') throw malformed('onnx', 'initializer', 'an initializer has no name');
    if (ctx.has(name)) throw malformed('onnx', `initializer '${name}'`, 'is defined twice');
    ctx.constantValue(name, decodeTensor(t, 'initializer', name));
  }
  if (g.sparse_initializer.length > 0)
    throw unsupported(
      'onnx',
      'sparse_initializer',
      'graph',
      'sparse initializers are not supported; store the weights densely',
    );
}

function declareInputs(ctx: Importer, g: RawGraph, opts: ShapeOptions): Map<string, string> {
  const inputs = new Map<string, string>();
  for (const info of g.input) {
    const name = info.name ?? '';
    if (name === '') throw malformed('onnx', 'graph input', 'a graph input has no name');
    if (inputs.has(name)) throw malformed('onnx', `graph input '${name}'`, 'is declared twice');
    if (ctx.has(name)) continue;
    inputs.set(name, ctx.clientInput(name, inputShape(info, opts)));
  }
  return inputs;
}

function lowerNode(ctx: Importer, raw: RawNode, index: number): void {
  const label = nodeLabel(raw, index);
  const op = raw.op_type ?? '';
  if (op === '') throw malformed('onnx', `node '${label}'`, 'has no op_type');
  const domain = raw.domain ?? '';
  if (domain !== '' && domain !== 'ai.onnx')
    throw unsupported('onnx', op, label, `operator domain '${domain}' is not supported (only the default ONNX domain)`);
  const lowering = ONNX_OPS[op];
  if (lowering === undefined)
    throw unsupported('onnx', op, label, `operator ${op} is not supported (supported: ${ONNX_OP_NAMES.join(', ')})`);
  for (const v of raw.input) {
    if (v !== '' && !ctx.has(v)) {
      throw malformed(
        'onnx',
        `node '${label}' (${op})`,
        `input '${v}' is not defined by an earlier node, an initializer or a graph input (nodes must be in topological order)`,
      );
    }
  }
  if (raw.output.length === 0 || raw.output[0] === '')
    throw malformed('onnx', `node '${label}' (${op})`, 'has no output');
  for (const v of raw.output) {
    if (v !== '' && ctx.has(v)) throw malformed('onnx', `node '${label}' (${op})`, `output '${v}' is already defined`);
  }
  const n: OnnxNode = {
    index,
    op,
    label,
    inputs: raw.input,
    outputs: raw.output,
    attrs: new Attributes(raw.attribute, op, label),
  };
  lowering(ctx, n);
  raw.output.forEach((v, k) => {
    if (v !== '' && !ctx.has(v))
      throw unsupported(
        'onnx',
        op,
        label,
        `output ${k} ('${v}') is not supported; this node yields ${k} output${k === 1 ? '' : 's'}`,
      );
  });
}

function declareOutputs(ctx: Importer, g: RawGraph): Map<string, string> {
  if (g.output.length === 0) throw malformed('onnx', 'graph', 'declares no outputs');
  const outputs = new Map<string, string>();
  const revealed = new Set<string>();
  for (const info of g.output) {
    const name = info.name ?? '';
    if (name === '' || !ctx.has(name))
      throw malformed('onnx', `graph output '${name}'`, 'is not computed by the graph');
    if (outputs.has(name)) throw malformed('onnx', `graph output '${name}'`, 'is declared twice');
    let v = ctx.outputValue(name);
    checkOutputShape(info, ctx.b.shapeOf(v));
    if (revealed.has(v)) {
      const op = ctx.finalOp(v);
      if (op !== undefined) throw unsupported('onnx', op, name, `a ${op} result may be a graph output only once`);
      v = ctx.b.node({ op: 'Reshape', x: v, shape: ctx.b.shapeOf(v) }, ctx.fresh(name));
    }
    revealed.add(v);
    ctx.b.output(v, 'client');
    outputs.set(name, v);
  }
  return outputs;
}

/**
 * Import an ONNX model. Throws a CryptflowError ('parse', 'unsupported', 'shape', or 'type' should
 * the result fail the HLIL checker); `options` fix symbolic input extents.
 */
export function onnxToHlil(bytes: Uint8Array, options: OnnxImportOptions = {}): OnnxImport {
  const model = decodeModel(bytes);
  if (model.ir_version === undefined)
    throw malformed('onnx', 'ModelProto', 'ir_version is missing (is this an ONNX model?)');
  const g = model.graph;
  if (g === undefined) throw malformed('onnx', 'ModelProto', 'has no graph');
  const opset = defaultOpset(model);
  const { result, secrecy } = screenImport(
    'onnx',
    () => {
      const ctx = new Importer(opset);
      declareConstants(ctx, g);
      const inputs = declareInputs(ctx, g, options);
      g.node.forEach((raw, i) => lowerNode(ctx, raw, i));
      const outputs = declareOutputs(ctx, g);
      return { program: ctx.b.build(), weights: ctx.weights, inputs, outputs };
    },
    () => analyzeGraph(onnxFlowGraph(g)),
  );
  return { format: 'onnx', ...result, opset, secrecy };
}
