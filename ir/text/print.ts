/**
 * The IR printers (syntax in the spirit of CrypTFlow Fig. 3):
 *
 *   hlil                                       llil ell=64
 *   input x : f32[1,784] @client               input x : fix[1,784]@12 @client
 *   const c : f32[] = [0.5]                    const c : fix[3]@12 = [1, -2, 3]
 *   t0 = MatMul(x, W)                          t0 : secret fix[1,10]@24 = MatMul(x, W)
 *   t1 = Conv(x, w, b) strides=[1,1] …         t1 : secret fix[1,10]@12 = ScaleDown(t0, 12)
 *   output t1 -> client                        output t1 -> client post=Softmax(axis=1)
 *
 * Float constants print as the shortest decimal that reads back as the same float32; ring constants
 * and pad values print as signed integers. parse(print(p)) deep-equals p (test/ir/text.test.ts).
 */
import { Ring } from '../../spec/ring.js';
import type { HDecl, HProgram } from '../hlil.js';
import type { LDecl, LOutput, LProgram, LType } from '../llil.js';
import { showFloat32 } from './numbers.js';
import { showCall } from './print-node.js';

const dims = (s: readonly number[]): string => `[${s.join(',')}]`;

function hlilDecl(d: HDecl): string {
  if (d.kind === 'input') return `input ${d.name} : f32${dims(d.shape)} @${d.owner}`;
  return `const ${d.name} : f32${dims(d.shape)} = [${Array.from(d.values, showFloat32).join(', ')}]`;
}

export function printHlil(p: HProgram): string {
  const noSigned = (v: bigint): bigint => v;
  const lines = [
    'hlil',
    ...p.decls.map(hlilDecl),
    ...p.nodes.map((n) => `${n.out} = ${showCall(n, noSigned)}`),
    ...p.outputs.map((o) => `output ${o.name} -> ${o.to}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function showLType(t: LType): string {
  return `${t.label} fix${dims(t.shape)}@${t.scale}`;
}

function llilOutput(o: LOutput): string {
  const post =
    o.post === undefined ? '' : o.post.op === 'Softmax' ? ` post=Softmax(axis=${o.post.axis})` : ' post=Sigmoid()';
  return `output ${o.name} -> ${o.to}${post}`;
}

export function printLlil(p: LProgram): string {
  const ring = Ring(p.ell);
  const decl = (d: LDecl): string =>
    d.kind === 'input'
      ? `input ${d.name} : fix${dims(d.shape)}@${d.scale} @${d.owner}`
      : `const ${d.name} : fix${dims(d.shape)}@${d.scale} = [${Array.from(d.values, (v) => String(ring.signed(v))).join(', ')}]`;
  const lines = [
    `llil ell=${p.ell}`,
    ...p.decls.map(decl),
    ...p.nodes.map((n) => `${n.out} : ${showLType(n.type)} = ${showCall(n, ring.signed)}`),
    ...p.outputs.map(llilOutput),
  ];
  return `${lines.join('\n')}\n`;
}
