/**
 * An SVG chart of where a network's bytes go (harness/cost/tables.ts): for each network, the total on
 * Porthos and on SecureNN as bars stacked by LLIL operator (Relu, MaxPool, ArgMax are comparisons;
 * Conv, MatMul, Mul — BatchNorm's product — are Beaver products), next to the paper's figure as a
 * tick; below, Porthos's bytes node by node in program order, coloured by operator, which shows the
 * early, wide layers dominating. Self-contained SVG 1.1 (no scripts, no external resources).
 */
import type { Table2NetworkDetail, Table2Result } from './tables.js';
import { operatorSplit, TABLE2 } from './tables.js';

const W = 960;
const M = { left: 130, right: 200 }; // right: room for the "13.43 GB (paper 13.53 GB)" labels after the longest bar
const COLORS: Readonly<Record<string, string>> = {
  Relu: '#d62728',
  MaxPool: '#ff7f0e',
  ArgMax: '#8c564b',
  Conv: '#1f77b4',
  ConvTranspose: '#17becf',
  MatMul: '#9467bd',
  Mul: '#2ca02c',
};
const color = (op: string): string => COLORS[op] ?? '#7f7f7f';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const gb = (b: number): string => `${(b / 1e9).toFixed(2)} GB`;

function section(
  out: string[],
  d: Table2NetworkDetail,
  paper: { porthos: number; securenn: number },
  top: number,
): number {
  const split = operatorSplit(d);
  const max = Math.max(
    d.costs.securenn.bytes.total,
    d.costs.porthos.bytes.total,
    paper.porthos * 1e9,
    paper.securenn * 1e9,
  );
  const pw = W - M.left - M.right;
  const x = (b: number): number => M.left + (b / max) * pw;
  out.push(
    `<text x="${M.left}" y="${top}" font-size="15" font-weight="bold">${esc(d.network)}: bytes sent Σ parties, by operator (tick: the paper's figure)</text>`,
  );
  (['porthos', 'securenn'] as const).forEach((backend, i) => {
    const y = top + 14 + i * 34;
    out.push(
      `<text x="${M.left - 8}" y="${y + 17}" text-anchor="end">${backend === 'porthos' ? 'Porthos' : 'SecureNN'}</text>`,
    );
    let acc = 0;
    for (const s of split) {
      const b = s[backend];
      if (b === 0) continue;
      out.push(
        `<rect x="${x(acc).toFixed(1)}" y="${y}" width="${Math.max(0.5, x(acc + b) - x(acc)).toFixed(1)}" height="24" fill="${color(s.op)}"><title>${esc(`${s.op}: ${b.toLocaleString('en-US')} B (${((100 * b) / d.costs[backend].bytes.total).toFixed(1)}%)`)}</title></rect>`,
      );
      acc += b;
    }
    const px = x(paper[backend] * 1e9);
    out.push(
      `<text x="${(Math.max(x(acc), px) + 6).toFixed(1)}" y="${y + 17}">${gb(acc)} (paper ${paper[backend].toFixed(2)} GB)</text>`,
    );
    out.push(
      `<line x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${y - 3}" y2="${y + 27}" stroke="black" stroke-width="2"><title>paper: ${paper[backend]} GB</title></line>`,
    );
  });
  let lx = M.left;
  const ly = top + 94;
  for (const s of split) {
    out.push(
      `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${color(s.op)}"/><text x="${lx + 16}" y="${ly}">${esc(s.op === 'Mul' ? 'Mul (BatchNorm)' : s.op)}</text>`,
    );
    lx += 30 + 8 * (s.op === 'Mul' ? 15 : s.op.length);
  }
  const layers = d.layers.filter((l) => l.bytes.porthos > 0);
  const biggest = Math.max(...layers.map((l) => l.bytes.porthos), 1);
  const [h, base] = [120, top + 240];
  const bw = pw / Math.max(layers.length, 1);
  out.push(
    `<text x="${M.left}" y="${top + 118}">Porthos, node by node in program order (${layers.length} nodes that communicate; tallest ${gb(biggest)})</text>`,
  );
  out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${base}" y2="${base}" stroke="#444"/>`);
  layers.forEach((l, i) => {
    const bh = (l.bytes.porthos / biggest) * h;
    out.push(
      `<rect x="${(M.left + i * bw).toFixed(2)}" y="${(base - bh).toFixed(2)}" width="${Math.max(0.6, bw - 0.4).toFixed(2)}" height="${bh.toFixed(2)}" fill="${color(l.op)}"><title>${esc(`${l.index} ${l.node} (${l.op} [${l.shape.join(',')}]): ${l.bytes.porthos.toLocaleString('en-US')} B`)}</title></rect>`,
    );
  });
  return base + 50;
}

export function table2Svg(t: Table2Result): string {
  const body: string[] = [];
  let y = 60;
  for (const d of t.details)
    y = section(body, d, TABLE2.find((r) => r.network === d.network)?.paperGB ?? { porthos: 0, securenn: 0 }, y);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y}" viewBox="0 0 ${W} ${y}" font-family="sans-serif" font-size="12">`,
    `<title>CrypTFlow Table 2: where the bytes go</title>`,
    `<rect width="${W}" height="${y}" fill="white"/>`,
    `<text x="${W / 2}" y="28" text-anchor="middle" font-size="16">CrypTFlow Table 2: where the bytes go (ℓ = ${t.ell}, s = ${t.scale}; GB = 10^9 B)</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
