/**
 * `cryptflow tables [--json] [--out DIR]`: CrypTFlow's Table 2 communication (harness/cost/tables.ts)
 * — ResNet50 and DenseNet121, Porthos vs SecureNN, ours next to the paper's with the difference, and
 * whether the Porthos figures equal COMM-SPEC.md's byte-exact totals — then the 2PC column: the same
 * networks under CrypTFlow2 (two parties, no helper) next to the three-party figures. With --out,
 * also writes to DIR: table2.json (everything, including per-node costs), layers-<network>.csv (per
 * node: op, shape, bytes on the three backends, Porthos's links) and table2.svg (where the bytes go).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CryptflowError } from '../../spec/errors.js';
import { DEFAULT_S } from '../../protocols/malicious3/rss.js';
import { table2Svg } from '../cost/chart.js';
import { layersCsv, table2, type Table2Result } from '../cost/tables.js';
import { getBoolean, getString, type FlagSpec, type ParsedArgs } from './args.js';
import { grouped } from './cost.js';

export const TABLES_FLAGS: Readonly<Record<string, FlagSpec>> = {
  json: { kind: 'boolean', help: 'print the table as one JSON object (rows and notes)' },
  out: { kind: 'string', help: 'also write table2.json, per-layer CSVs and an SVG chart to DIR', alias: 'o' },
};

function write(dir: string, file: string, text: string): string {
  const path = join(dir, file);
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new CryptflowError('input', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`);
  }
  return path;
}

function writeAll(dir: string, t: Table2Result): string[] {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new CryptflowError('input', `cannot create ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`);
  }
  const details = t.details.map((d) => ({ network: d.network, nodes: d.nodes, layers: d.layers }));
  return [
    write(
      dir,
      'table2.json',
      `${JSON.stringify({ ell: t.ell, scale: t.scale, rows: t.rows, twoParty: t.twoParty, notes: t.notes, details })}\n`,
    ),
    ...t.details.map((d) => write(dir, `layers-${d.network.toLowerCase()}.csv`, layersCsv(d))),
    write(dir, 'table2.svg', table2Svg(t)),
  ];
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return line === '' ? lines : [...lines, line];
}

export function formatTable(t: Table2Result): string {
  const head = ['network', 'backend', 'ours (bytes)', 'ours', 'paper', 'difference', 'COMM-SPEC total'];
  const rows = t.rows.map((r) => [
    r.network,
    r.backend === 'porthos' ? 'Porthos' : 'SecureNN',
    grouped(r.bytes.total),
    `${r.oursGB.toFixed(2)} GB`,
    `${r.paperGB.toFixed(2)} GB`,
    `${r.differenceGB >= 0 ? '+' : '−'}${Math.abs(r.differenceGB).toFixed(3)} GB (${r.differencePercent >= 0 ? '+' : '−'}${Math.abs(r.differencePercent).toFixed(1)}%)`,
    r.target === undefined
      ? '-'
      : r.target.met
        ? `${grouped(r.target.total)}: equal to the byte`
        : `${grouped(r.target.total)}: DIFFERS by ${grouped(r.bytes.total - r.target.total)}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((v, i) => (i >= 2 && i <= 5 ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const split = t.rows
    .filter((r) => r.backend === 'porthos')
    .map(
      (r) =>
        `  ${r.network} Porthos sent: P0 ${grouped(r.bytes.sent.P0)}, P1 ${grouped(r.bytes.sent.P1)}, P2 ${grouped(r.bytes.sent.P2 ?? 0)}`,
    );
  return [
    `CrypTFlow Table 2, communication of one inference: bytes sent, Σ over the three parties (GB = 10^9 B),`,
    `ℓ = ${t.ell}, s = ${t.scale}, the paper's HLIL configuration, Porthos with the paper's convolution policy`,
    '',
    line(head),
    ...rows.map(line),
    '',
    ...split,
    '',
    ...twoPartyLines(t),
    '',
    ...maliciousLines(t),
    '',
    ...t.notes.flatMap((n) => wrap(`Note: ${n}`, 100)),
  ].join('\n');
}

/** The 2PC column: each network's bytes on the three-party backends and on CrypTFlow2. */
function twoPartyLines(t: Table2Result): string[] {
  const gbOf = (b: number): string =>
    `${(b / 1e9).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} GB`;
  const head = [
    'network',
    'Porthos (3PC)',
    'SecureNN (3PC)',
    'CrypTFlow2 (2PC)',
    'CrypTFlow2 bytes',
    '2PC / Porthos',
    'CrypTFlow2-HE (2PC)',
    'HE / Porthos',
  ];
  const rows = t.twoParty.map((c) => {
    const he = t.twoPartyHe.find((r) => r.network === c.network);
    const three = (b: 'porthos' | 'securenn'): string =>
      gbOf(t.rows.find((r) => r.network === c.network && r.backend === b)?.bytes.total ?? NaN);
    return [
      c.network,
      three('porthos'),
      three('securenn'),
      gbOf(c.bytes.total),
      grouped(c.bytes.total),
      `${c.vsPorthos.toFixed(1)}×`,
      gbOf(he?.bytes.total ?? NaN),
      he === undefined ? '' : `${he.vsPorthos.toFixed(1)}×`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join('  ');
  return [
    'Two parties (2PC column): the same programs under CrypTFlow2 — P0 and P1 alone, no helper, semi-honest —',
    'bytes sent Σ over both parties from `cryptflow cost --backend cryptflow2` (OT linear layers) and',
    '`--backend cryptflow2-he` (BFV linear layers over Z_p), base-OT and HE key setup excluded:',
    '',
    line(head),
    ...rows.map(line),
  ];
}

/** The malicious column: each network's bytes under the malicious 3PC, and its factor over Porthos per operator. */
function maliciousLines(t: Table2Result): string[] {
  const gbOf = (b: number): string =>
    `${(b / 1e9).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} GB`;
  const ops = [...new Set(t.malicious.flatMap((r) => r.byOperator.filter((o) => o.factor !== null).map((o) => o.op)))];
  const head = [
    'network',
    'Porthos',
    'malicious',
    'malicious bytes',
    '× Porthos',
    ...ops.map((o) => `${o} ×`),
    'exact divisions',
  ];
  const rows = t.malicious.map((c) => [
    c.network,
    gbOf(t.rows.find((r) => r.network === c.network && r.backend === 'porthos')?.bytes.total ?? NaN),
    gbOf(c.bytes.total),
    grouped(c.bytes.total),
    `${c.vsPorthos.toFixed(1)}×`,
    ...ops.map((o) => {
      const f = c.byOperator.find((r) => r.op === o)?.factor;
      return f === undefined || f === null ? '-' : f < 0.1 ? f.toPrecision(2) : f.toFixed(1);
    }),
    gbOf(c.byOperator.filter((o) => o.factor === null).reduce((a, o) => a + o.malicious, 0)),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join('  ');
  return [
    'Malicious security with abort (malicious column): the same programs under `--backend malicious` — SPDZ-wise',
    `replicated 3PC with MACs over Z_2^(ℓ+${DEFAULT_S}), honest majority — bytes sent Σ over the three parties from`,
    '`cryptflow cost --backend malicious`, its factor over Porthos per operator, and the bytes of its exact',
    'truncations and divisions (ScaleDown, AvgPool, GlobalAvgPool: local and free in Porthos):',
    '',
    line(head),
    ...rows.map(line),
  ];
}

export function tablesCommand(args: ParsedArgs): string {
  const t = table2();
  const dir = getString(args, 'out');
  const written = dir === undefined ? [] : writeAll(dir, t);
  const text = getBoolean(args, 'json')
    ? JSON.stringify({
        ell: t.ell,
        scale: t.scale,
        rows: t.rows,
        twoParty: t.twoParty,
        twoPartyHe: t.twoPartyHe,
        malicious: t.malicious,
        notes: t.notes,
      })
    : formatTable(t);
  return written.length === 0 || getBoolean(args, 'json') ? text : `${text}\n\nwrote ${written.join(', ')}`;
}
