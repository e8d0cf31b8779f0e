/**
 * Inline SVG charts of a study report (no scripts, no external resources): overlaid ROC curves, grouped
 * bars per site, and plain bars. Numbers are drawn from the report; nothing is sampled or smoothed.
 */
import type { RocPoint } from '../stats/roc-curve.js';

export const COLORS = {
  plaintext: '#1f77b4',
  secure: '#ff7f0e',
  fixed: '#2ca02c',
  grid: '#ddd',
  axis: '#444',
} as const;

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly RocPoint[];
  readonly dash?: boolean;
}

export function rocSvg(title: string, series: readonly Series[], size = 300): string {
  const m = 40;
  const p = size - 2 * m;
  const x = (f: number): number => m + f * p;
  const y = (t: number): number => m + (1 - t) * p;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" font-family="sans-serif" font-size="11" role="img" aria-label="${esc(title)}">`,
    `<rect width="${size}" height="${size}" fill="white"/>`,
    `<text x="${size / 2}" y="16" text-anchor="middle" font-size="13">${esc(title)}</text>`,
    `<rect x="${m}" y="${m}" width="${p}" height="${p}" fill="none" stroke="${COLORS.axis}"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="${COLORS.grid}" stroke-dasharray="4,3"/>`,
  ];
  for (const t of [0, 0.5, 1]) {
    out.push(
      `<text x="${x(t)}" y="${m + p + 14}" text-anchor="middle">${t}</text>`,
      `<text x="${m - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`,
    );
  }
  out.push(
    `<text x="${m + p / 2}" y="${size - 6}" text-anchor="middle">1 − specificity</text>`,
    `<text x="12" y="${m + p / 2}" text-anchor="middle" transform="rotate(-90 12 ${m + p / 2})">sensitivity</text>`,
  );
  series.forEach((s, i) => {
    const pts = s.points.map((q) => `${x(q.fpr).toFixed(1)},${y(q.tpr).toFixed(1)}`).join(' ');
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="${s.dash === true ? 2 : 3}"${s.dash === true ? ' stroke-dasharray="6,4"' : ''} points="${pts}"/>`,
    );
    out.push(
      `<line x1="${m + p - 110}" x2="${m + p - 90}" y1="${y(0) - 30 + 14 * i}" y2="${y(0) - 30 + 14 * i}" stroke="${s.color}" stroke-width="2"${s.dash === true ? ' stroke-dasharray="6,4"' : ''}/>`,
    );
    out.push(`<text x="${m + p - 86}" y="${y(0) - 26 + 14 * i}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

export interface BarGroup {
  readonly label: string;
  /** One value per series; null draws nothing (undefined statistic). */
  readonly values: readonly (number | null)[];
}

/** Grouped vertical bars; `max` fixes the axis top (default: the largest value). */
export function barsSvg(
  title: string,
  seriesNames: readonly string[],
  colors: readonly string[],
  groups: readonly BarGroup[],
  o: { readonly max?: number; readonly unit?: string; readonly width?: number } = {},
): string {
  const W = o.width ?? Math.max(320, 60 + groups.length * (seriesNames.length * 14 + 16));
  const H = 240;
  const m = { l: 50, r: 10, t: 40, b: 50 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const vals = groups.flatMap((g) => g.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const max = o.max ?? Math.max(1e-12, ...vals) * 1.1;
  const gw = pw / Math.max(1, groups.length);
  const bw = Math.min(24, (gw - 8) / Math.max(1, seriesNames.length));
  const y = (v: number): number => m.t + ph - (Math.min(v, max) / max) * ph;
  const fmt = (v: number): string => (max >= 100 ? v.toFixed(0) : max >= 10 ? v.toFixed(1) : v.toFixed(2));
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11" role="img" aria-label="${esc(title)}">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13">${esc(title)}</text>`,
  ];
  for (const f of [0, 0.5, 1])
    out.push(
      `<line x1="${m.l}" x2="${m.l + pw}" y1="${y(f * max)}" y2="${y(f * max)}" stroke="${COLORS.grid}"/>`,
      `<text x="${m.l - 4}" y="${y(f * max) + 4}" text-anchor="end">${fmt(f * max)}${o.unit ?? ''}</text>`,
    );
  groups.forEach((g, i) => {
    const x0 = m.l + i * gw + (gw - bw * seriesNames.length) / 2;
    g.values.forEach((v, k) => {
      if (v === null || !Number.isFinite(v)) return;
      out.push(
        `<rect x="${(x0 + k * bw).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${(m.t + ph - y(v)).toFixed(1)}" fill="${colors[k] ?? '#888'}"><title>${esc(`${g.label} ${seriesNames[k] ?? ''}: ${fmt(v)}${o.unit ?? ''}`)}</title></rect>`,
      );
    });
    out.push(
      `<text x="${(m.l + i * gw + gw / 2).toFixed(1)}" y="${m.t + ph + 14}" text-anchor="middle">${esc(g.label)}</text>`,
    );
  });
  seriesNames.forEach((n, k) =>
    out.push(
      `<rect x="${m.l + k * 110}" y="${H - 18}" width="10" height="10" fill="${colors[k] ?? '#888'}"/>`,
      `<text x="${m.l + k * 110 + 14}" y="${H - 9}">${esc(n)}</text>`,
    ),
  );
  out.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${m.t + ph}" y2="${m.t + ph}" stroke="${COLORS.axis}"/>`, '</svg>');
  return out.join('\n');
}
