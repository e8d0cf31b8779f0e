/**
 * An SVG plot of a scale sweep (passes/float-to-fixed/scale.ts): error against scale, on a log axis —
 * the measured max and mean |fixed − float| and the analysed bound — with scales that may overflow
 * marked in red, refused scales left out, the chosen scale marked by a vertical line, and, when the
 * model has a class output, the top-1 agreement on a linear right-hand axis. Self-contained SVG 1.1
 * text (no scripts, no external resources).
 */
import type { ScaleSweep } from '../../passes/float-to-fixed/scale.js';

const [W, H] = [720, 420];
const M = { left: 70, right: 70, top: 40, bottom: 50 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function fmtExp(e: number): string {
  return `1e${e}`;
}

export function scalePlotSvg(sweep: ScaleSweep, title = 'fixed-point error against scale'): string {
  const ok = sweep.rows.filter((r) => r.status === 'ok');
  const scales = sweep.rows.map((r) => r.scale);
  const [s0, s1] = [Math.min(...scales), Math.max(...scales)];
  const positive = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && v > 0;
  const values = ok.flatMap((r) => [r.maxAbsError, r.meanAbsError, r.errorBound]).filter(positive);
  const lo = Math.floor(Math.log10(Math.min(...values, 1)));
  const hi = Math.ceil(Math.log10(Math.max(...values, 1e-3)));
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (s: number): number => M.left + (s1 === s0 ? pw / 2 : ((s - s0) / (s1 - s0)) * pw);
  const y = (v: number): number => M.top + ((hi - Math.log10(v)) / Math.max(hi - lo, 1)) * ph;
  const yAgree = (a: number): number => M.top + (1 - a) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(title)} (ℓ = ${sweep.ell}, ${sweep.placement}, ${sweep.samples} calibration inputs)</text>`,
    `<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`,
  ];
  for (let e = lo; e <= hi; e++) {
    out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y(10 ** e)}" y2="${y(10 ** e)}" stroke="#ddd"/>`);
    out.push(`<text x="${M.left - 6}" y="${y(10 ** e) + 4}" text-anchor="end">${fmtExp(e)}</text>`);
  }
  for (const s of scales) out.push(`<text x="${x(s)}" y="${M.top + ph + 18}" text-anchor="middle">${s}</text>`);
  out.push(`<text x="${M.left + pw / 2}" y="${H - 12}" text-anchor="middle">scale s</text>`);
  out.push(
    `<text x="18" y="${M.top + ph / 2}" text-anchor="middle" transform="rotate(-90 18 ${M.top + ph / 2})">|fixed − float|</text>`,
  );
  const series: readonly [string, string, (r: (typeof ok)[number]) => number | undefined, string][] = [
    ['max |error|', '#1f77b4', (r) => r.maxAbsError, ''],
    ['mean |error|', '#2ca02c', (r) => r.meanAbsError, ''],
    ['analysed bound', '#7f7f7f', (r) => r.errorBound, ' stroke-dasharray="5,4"'],
  ];
  series.forEach(([name, color, get, dash], i) => {
    const pts = ok
      .filter((r) => positive(get(r)))
      .map((r) => `${x(r.scale).toFixed(1)},${y(get(r) as number).toFixed(1)}`);
    if (pts.length > 0)
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${pts.join(' ')}"/>`);
    out.push(
      `<line x1="${M.left + 10}" x2="${M.left + 30}" y1="${M.top + 14 + 16 * i}" y2="${M.top + 14 + 16 * i}" stroke="${color}" stroke-width="2"${dash}/>`,
    );
    out.push(`<text x="${M.left + 36}" y="${M.top + 18 + 16 * i}">${name}</text>`);
  });
  for (const r of ok) {
    const v = r.maxAbsError;
    if (!positive(v)) continue;
    const color = r.predictedOverflow ? '#d62728' : '#1f77b4';
    out.push(
      `<circle cx="${x(r.scale).toFixed(1)}" cy="${y(v).toFixed(1)}" r="4" fill="${color}"><title>s = ${r.scale}${r.predictedOverflow ? ' (may overflow)' : ''}</title></circle>`,
    );
  }
  const agree = ok.filter((r) => r.top1Agreement !== undefined);
  if (agree.length > 0) {
    const pts = agree.map((r) => `${x(r.scale).toFixed(1)},${yAgree(r.top1Agreement ?? 0).toFixed(1)}`);
    out.push(`<polyline fill="none" stroke="#ff7f0e" stroke-width="2" points="${pts.join(' ')}"/>`);
    for (const a of [0, 0.5, 1])
      out.push(`<text x="${M.left + pw + 6}" y="${yAgree(a) + 4}">${Math.round(a * 100)}%</text>`);
    out.push(
      `<text x="${W - 14}" y="${M.top + ph / 2}" text-anchor="middle" fill="#ff7f0e" transform="rotate(90 ${W - 14} ${M.top + ph / 2})">top-1 agreement</text>`,
    );
  }
  out.push(`<text x="${M.left + 10}" y="${M.top + 66}" fill="#d62728">● may overflow</text>`);
  if (sweep.best !== null) {
    out.push(
      `<line x1="${x(sweep.best)}" x2="${x(sweep.best)}" y1="${M.top}" y2="${M.top + ph}" stroke="#9467bd" stroke-width="2"/>`,
    );
    out.push(`<text x="${x(sweep.best) + 4}" y="${M.top + ph - 6}" fill="#9467bd">best s = ${sweep.best}</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
