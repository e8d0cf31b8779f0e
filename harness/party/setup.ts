/**
 * The public program: what the server tells the client and the helper once per session, and the only
 * thing about the model they ever receive — the optimised HLIL program (structure, shapes, public
 * constants; the weights are separate server inputs and never part of it), the fixed-point parameters
 * and the backend. Each party compiles it to the same LLIL program with the same deterministic pass;
 * the server's SHA-256 digest of that LLIL program must match what the receiver compiled, so all three
 * walk one program (a mismatch — e.g. different cryptflow versions — stops the session at once).
 *
 * The client also refuses a program that reveals any output to the server: with semi-honest parties
 * that is the one way a program could hand the client's input to the model owner.
 */
import { platform } from '../../platform/index.js';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { CryptflowError } from '../../spec/errors.js';
import type { HProgram } from '../../ir/hlil.js';
import { decodeHlil, encodeHlil, encodeLlil } from '../../ir/json.js';
import { reportErrors } from '../../ir/json/combinators.js';
import type { LProgram } from '../../ir/llil.js';
import { floatToFixed, type FixedPlan, type Placement } from '../../passes/float-to-fixed/program.js';
import type { ConvPolicy } from '../../protocols/securenn-family/three-party.js';
import { BACKENDS, type BackendName } from '../runner/backends.js';
import type { Session } from './session.js';

export interface PublicProgram {
  /** What the server calls its model (a file name, not a path). */
  readonly model: string;
  readonly backend: BackendName;
  readonly convPolicy?: ConvPolicy;
  readonly ell: number;
  readonly scale: number;
  readonly placement: Placement;
  /** The layout an image input is read in ('nhwc' for TensorFlow models). */
  readonly layout: 'nchw' | 'nhwc';
  readonly hlil: HProgram;
}

export interface CompiledProgram extends PublicProgram {
  readonly plan: FixedPlan;
  readonly digest: string;
}

const SetupC = t.type({
  version: t.literal(1),
  model: t.string,
  backend: t.keyof(Object.fromEntries(BACKENDS.map((b) => [b, null])) as Record<BackendName, null>),
  convPolicy: t.union([t.null, t.keyof({ paper: null, reshaped: null, im2col: null })]),
  ell: t.number,
  scale: t.number,
  placement: t.keyof({ eager: null, lazy: null }),
  layout: t.keyof({ nchw: null, nhwc: null }),
  hlil: t.unknown,
  digest: t.string,
});

export function programDigest(p: LProgram): string {
  const digest = platform.sha256(new TextEncoder().encode(JSON.stringify(encodeLlil(p))));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function compileProgram(pub: PublicProgram): CompiledProgram {
  const plan = floatToFixed(pub.hlil, { ell: pub.ell, scale: pub.scale, placement: pub.placement });
  return { ...pub, plan, digest: programDigest(plan.program) };
}

export function encodeSetup(c: CompiledProgram): Uint8Array {
  const json = {
    version: 1,
    model: c.model,
    backend: c.backend,
    convPolicy: c.convPolicy ?? null,
    ell: c.ell,
    scale: c.scale,
    placement: c.placement,
    layout: c.layout,
    hlil: encodeHlil(c.hlil),
    digest: c.digest,
  };
  return new TextEncoder().encode(JSON.stringify(json));
}

/** The client's and the helper's first step: wait for the server's setup frame, then decode and compile it. */
export async function receiveSetup(session: Session): Promise<CompiledProgram> {
  session.step = 'waiting for the public program from P1';
  const f = await session.channel(1).next(['setup'], 'the public program');
  session.step = 'compiling the public program';
  return decodeSetup(f.payload);
}

/** Decode the server's setup, compile it here, and check the digest (errors name the field, never a value). */
export function decodeSetup(bytes: Uint8Array): CompiledProgram {
  const bad = (why: string): never => {
    throw new CryptflowError('protocol', `P1 sent a malformed public program: ${why}`);
  };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return bad('not UTF-8 JSON');
  }
  const d = SetupC.decode(json);
  if (E.isLeft(d)) return bad(reportErrors(d.left).join('; '));
  const s = d.right;
  if (!Number.isInteger(s.ell) || s.ell < 2 || s.ell > 64) bad('at $.ell: expected an integer ring width in [2, 64]');
  if (!Number.isInteger(s.scale) || s.scale < 0 || s.scale >= s.ell)
    bad('at $.scale: expected an integer scale in [0, ℓ)');
  const h = decodeHlil(s.hlil);
  if (E.isLeft(h)) return bad(h.left.map((e) => e.message).join('; '));
  const compiled = compileProgram({
    model: s.model,
    backend: s.backend,
    ...(s.convPolicy === null ? {} : { convPolicy: s.convPolicy }),
    ell: s.ell,
    scale: s.scale,
    placement: s.placement,
    layout: s.layout,
    hlil: h.right,
  });
  if (compiled.digest !== s.digest) {
    throw new CryptflowError(
      'protocol',
      `the LLIL program compiled here (SHA-256 ${compiled.digest.slice(0, 16)}…) differs from the server's (${s.digest.slice(0, 16)}…): are all parties running the same cryptflow version?`,
    );
  }
  return compiled;
}

/** The client's policy: every output is revealed to the client. */
export function checkClientOutputs(p: LProgram): void {
  const toServer = p.outputs.filter((o) => o.to !== 'client').map((o) => `'${o.name}'`);
  if (toServer.length > 0)
    throw new CryptflowError(
      'protocol',
      `the server's program reveals ${toServer.join(', ')} to the server; the client refuses to run a program that reveals anything to the server`,
    );
}
