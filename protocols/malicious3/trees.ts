/**
 * MaxPool and ArgMax of the malicious backend as comparison trees (the SecureNN family's and
 * CrypTFlow2's shape): the windows' cells as columns, each tree level one batch — max(a, b) =
 * b + ReLU(a − b), and for ArgMax the bit [a − b ≥ 0] selecting value and index by one product each,
 * the left (earlier) element kept on ties so the first maximum wins. Exact for inputs in ±2^{k−2}.
 */
import { bug } from '../../spec/errors.js';
import { joinAuth, nonNegative, relu } from './bits.js';
import { fromBigints, gatherZ, slice } from './ring.js';
import { auth, type Auth } from './rss.js';
import type { Session } from './session.js';

/** Column j of an r × k row-major matrix, for every j. */
export function columns(x: Auth, r: number, k: number): Auth[] {
  return Array.from({ length: k }, (_, j) =>
    auth.map(x, (v) => {
      const idx = new Int32Array(r);
      for (let i = 0; i < r; i++) idx[i] = i * k + j;
      return gatherZ(v, idx);
    }),
  );
}

function splitAuth(x: Auth, parts: number, r: number): Auth[] {
  return Array.from({ length: parts }, (_, j) => auth.map(x, (v) => slice(v, j * r, r)));
}

/** max over columns by a tree of max(a, b) = b + ReLU(a − b); all pairs of a level in one batch. */
export async function maxTree(st: Session, cols: Auth[], r: number): Promise<Auth> {
  const m = st.m;
  let level = cols;
  while (level.length > 1) {
    const pairs = Math.floor(level.length / 2);
    const lefts = joinAuth(level.filter((_, j) => j % 2 === 0).slice(0, pairs));
    const rights = joinAuth(level.filter((_, j) => j % 2 === 1).slice(0, pairs));
    const maxes = auth.add(m, rights, await relu(st, auth.sub(m, lefts, rights)));
    const next = splitAuth(maxes, pairs, r);
    if (level.length % 2 === 1) next.push(level[level.length - 1] as Auth);
    level = next;
  }
  return level[0] ?? bug('max of no columns');
}

/** Index of the first maximum over columns: a tree keeping the left element on ties. */
export async function argmaxTree(st: Session, cols: Auth[], r: number): Promise<Auth> {
  const m = st.m;
  let level = cols.map((v, j) => ({ v, i: st.ofPublic(fromBigints(m, new Array<bigint>(r).fill(BigInt(j)))) }));
  while (level.length > 1) {
    const pairs = Math.floor(level.length / 2);
    const L = level.filter((_, j) => j % 2 === 0).slice(0, pairs);
    const R = level.filter((_, j) => j % 2 === 1).slice(0, pairs);
    const dv = auth.sub(m, joinAuth(L.map((e) => e.v)), joinAuth(R.map((e) => e.v)));
    const di = auth.sub(m, joinAuth(L.map((e) => e.i)), joinAuth(R.map((e) => e.i)));
    const ge = await nonNegative(st, dv);
    const [pv, pi] = (await st.mult([
      { x: ge, y: dv },
      { x: ge, y: di },
    ])) as [Auth, Auth];
    const vs = splitAuth(auth.add(m, joinAuth(R.map((e) => e.v)), pv), pairs, r);
    const is = splitAuth(auth.add(m, joinAuth(R.map((e) => e.i)), pi), pairs, r);
    const next = vs.map((v, j) => ({ v, i: is[j] as Auth }));
    if (level.length % 2 === 1) next.push(level[level.length - 1] as (typeof level)[number]);
    level = next;
  }
  return (level[0] ?? bug('argmax of no columns')).i;
}
