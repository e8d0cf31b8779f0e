/**
 * The extension step shared by IKNP (Ishai–Kilian–Nissim–Petrank, CRYPTO 2003, §3, λ = 128 columns,
 * the repetition code) and KKRT (Kolesnikov–Kumaresan–Rosulek–Trieu, CCS 2016, §4, 256 columns, the
 * Walsh–Hadamard code): from w base OTs in which the extension sender S chose s ∈ {0,1}^w, one
 * w × m bit matrix crosses from the receiver R to S, after which
 *   R holds rows t_i, S holds rows q_i = t_i ⊕ (C(r_i) ∧ s)
 * for R's codewords C(r_i). Steps (columns j < w, m' = m rounded up to 32 rows):
 *   1. R expands its two seeds per column: t^j = G(k_j^0), d^j = t^j ⊕ G(k_j^1) (m' bits each).
 *   2. R transposes to rows t_i, d_i and sends u_i = d_i ⊕ C(r_i) for i < m (w/8 bytes per row).
 *   3. S expands its seed per column, g^j = G(k_j^{s_j}) = t^j ⊕ s_j·(t^j ⊕ G(k_j^1)), transposes, and
 *      sets q_i = g_i ⊕ (u_i ∧ s).
 * Rows i ≥ m (the transpose's padding) are never sent and never used. Each extension advances every
 * column stream by m' bits and the instance counter (the hash tweaks) by m, identically on both sides.
 */
import { CryptflowError, bug } from '../../spec/errors.js';
import type { PartyContext } from '../common/party.js';
import { paddedRows, transpose, wordView } from './bits.js';
import { ColumnStreams } from './hash.js';

/** Labels of the extension's messages. */
export const EXTENSION_MESSAGES = { matrix: 'OT extension matrix', masked: 'OT masked messages' } as const;

/** The extension sender's state for one direction: s and the streams of the seeds it chose. */
export class ExtensionSender {
  private readonly streams: ColumnStreams;
  /** s as w/32 words. */
  readonly s: Uint32Array;
  private counter = 0;

  constructor(
    readonly width: number,
    choices: Uint8Array,
    seeds: readonly Uint8Array[],
  ) {
    if (choices.length !== width || seeds.length !== width)
      bug(`extension sender of width ${width} from ${choices.length} choices`);
    this.streams = new ColumnStreams(seeds);
    this.s = new Uint32Array(width / 32);
    choices.forEach((b, j) => {
      if (b === 1) this.s[j >>> 5] = (this.s[j >>> 5] as number) | (1 << (j & 31));
    });
  }

  /** Receive R's matrix for m instances; returns the rows q_i (m' rows) and the first instance index. */
  async extend(
    ctx: PartyContext,
    peer: 0 | 1,
    m: number,
  ): Promise<{ readonly q: Uint32Array; readonly first: number }> {
    const rw = this.width / 32;
    const mp = paddedRows(m);
    const u = await ctx.recv(peer, EXTENSION_MESSAGES.matrix);
    const want = (m * this.width) / 8;
    if (u.length !== want)
      throw new CryptflowError(
        'protocol',
        `OT extension: expected ${want} bytes of the ${this.width}-column matrix for ${m} OTs from P${peer}, got ${u.length}`,
      );
    const q = transpose(this.streams.draw(mp), this.width, mp);
    const uw = wordView(u);
    const s = this.s;
    for (let i = 0; i < m; i++) {
      for (let c = 0; c < rw; c++)
        q[i * rw + c] = (q[i * rw + c] as number) ^ ((uw[i * rw + c] as number) & (s[c] as number));
    }
    const first = this.counter;
    this.counter += m;
    return { q, first };
  }
}

/** The extension receiver's state for one direction: the streams of both seeds of every column. */
export class ExtensionReceiver {
  private readonly streams0: ColumnStreams;
  private readonly streams1: ColumnStreams;
  private counter = 0;

  constructor(
    readonly width: number,
    pairs: readonly (readonly [Uint8Array, Uint8Array])[],
  ) {
    if (pairs.length !== width) bug(`extension receiver of width ${width} from ${pairs.length} seed pairs`);
    this.streams0 = new ColumnStreams(pairs.map((p) => p[0]));
    this.streams1 = new ColumnStreams(pairs.map((p) => p[1]));
  }

  /**
   * Send the matrix for m instances whose codewords are `codes` (m rows of w/32 words); returns the
   * rows t_i (m' rows) and the first instance index.
   */
  extend(
    ctx: PartyContext,
    peer: 0 | 1,
    m: number,
    codes: Uint32Array,
  ): { readonly t: Uint32Array; readonly first: number } {
    const rw = this.width / 32;
    if (codes.length !== m * rw) bug(`${codes.length} code words for ${m} rows of width ${this.width}`);
    const mp = paddedRows(m);
    const g0 = this.streams0.draw(mp);
    const d = this.streams1.draw(mp);
    for (let k = 0; k < d.length; k++) d[k] = (d[k] as number) ^ (g0[k] as number);
    const t = transpose(g0, this.width, mp);
    const u = transpose(d, this.width, mp).subarray(0, m * rw);
    for (let k = 0; k < u.length; k++) u[k] = (u[k] as number) ^ (codes[k] as number);
    ctx.send(peer, new Uint8Array(u.buffer, u.byteOffset, u.byteLength));
    const first = this.counter;
    this.counter += m;
    return { t, first };
  }
}
