/**
 * CrypTFlow's Table 2 (harness/cost/tables.ts): the Porthos figures equal COMM-SPEC.md's recomputed
 * totals to the byte — ResNet50 6,868,083,720 B (P0 2,377,134,944; P1 2,377,134,944; P2 2,113,813,832)
 * and DenseNet121 10,536,219,392 B — with the paper's convolution policy, ℓ = 64, s = 12; the SecureNN
 * figures (ours, not the paper's: the note says why); all four equal an independent layer-by-layer
 * recomputation from COMM-SPEC.md (table2-oracle.ts, not the zoo builders); and the commands
 * `cost`, `tables` and `zoo` through the CLI entry: outputs, files, exit codes and messages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LINKS } from '../../spec/cost/types.js';
import { table2, type Table2Result } from '../../harness/cost/tables.js';
import { run, scratch } from './support.js';
import { densenet121Bytes, resnet50Bytes } from './table2-oracle.js';

const { dir } = scratch('tables');

describe('Table 2', () => {
  let t: Table2Result;
  beforeAll(() => {
    t = table2();
  });
  const row = (network: string, backend: string) => {
    const r = t.rows.find((x) => x.network === network && x.backend === backend);
    if (r === undefined) throw new Error(`no row ${network} ${backend}`);
    return r;
  };

  it('ResNet50 on Porthos: 6,868,083,720 bytes, per party as COMM-SPEC.md says', () => {
    const r = row('ResNet50', 'porthos');
    expect(r.bytes.total).toBe(6_868_083_720);
    expect(r.bytes.sent).toEqual({ P0: 2_377_134_944, P1: 2_377_134_944, P2: 2_113_813_832 });
    expect(r.target?.met).toBe(true);
    expect(r.oursGB.toFixed(2)).toBe('6.87');
  });

  it('DenseNet121 on Porthos: 10,536,219,392 bytes', () => {
    const r = row('DenseNet121', 'porthos');
    expect(r.bytes.total).toBe(10_536_219_392);
    expect(r.target?.met).toBe(true);
    expect(r.oursGB.toFixed(2)).toBe('10.54');
  });

  it('SecureNN: ours (MaxPool with its index) and without the index, as the note reports them', () => {
    expect(row('ResNet50', 'securenn').bytes.total).toBe(8_742_294_920);
    expect(row('DenseNet121', 'securenn').bytes.total).toBe(13_428_431_512);
    expect(row('ResNet50', 'securenn').withoutMaxPoolIndex).toBe(8_678_069_640);
    expect(row('DenseNet121', 'securenn').withoutMaxPoolIndex).toBe(13_364_206_232);
    expect(t.notes.join(' ')).toMatch(
      /8\.74 GB \(ResNet50\) and 13\.43 GB \(DenseNet121\).*8\.68 GB \(ResNet50\) and 13\.36 GB \(DenseNet121\)/,
    );
    expect(row('ResNet50', 'securenn').paperGB).toBe(8.54);
    expect(row('DenseNet121', 'securenn').paperGB).toBe(13.53);
  });

  it('an independent oracle: the four totals recomputed layer by layer from COMM-SPEC.md (table2-oracle.ts)', () => {
    expect(resnet50Bytes('porthos')).toBe(6_868_083_720);
    expect(resnet50Bytes('securenn')).toBe(8_742_294_920);
    expect(densenet121Bytes('porthos')).toBe(10_536_219_392);
    expect(densenet121Bytes('securenn')).toBe(13_428_431_512);
    for (const backend of ['porthos', 'securenn'] as const) {
      expect(row('ResNet50', backend).bytes.total).toBe(resnet50Bytes(backend));
      expect(row('DenseNet121', backend).bytes.total).toBe(densenet121Bytes(backend));
    }
  });

  it('the 2PC column: ResNet50 and DenseNet121 under cryptflow2, as `cost --backend cryptflow2` walks them, on P0<->P1 only', async () => {
    expect(t.twoParty.map((r) => r.network)).toEqual(['ResNet50', 'DenseNet121']);
    for (const r of t.twoParty) {
      const d = t.details.find((x) => x.network === r.network);
      expect(r.bytes).toEqual(d?.costs.cryptflow2.bytes);
      expect(Object.keys(r.bytes.links)).toEqual(['P0->P1', 'P1->P0']);
      expect(Object.keys(r.bytes.sent)).toEqual(['P0', 'P1']);
      expect(r.vsPorthos).toBeCloseTo(r.bytes.total / row(r.network, 'porthos').bytes.total, 12);
      expect(d?.layers.reduce((s, l) => s + l.bytes.cryptflow2, 0)).toBe(r.bytes.total);
    }
    const cost = await run('cost', 'zoo:resnet50', '--backend', 'cryptflow2', '--json');
    expect(cost.code).toBe(0);
    expect((JSON.parse(cost.out) as { bytes: unknown }).bytes).toEqual(t.twoParty[0]?.bytes);
    expect(t.twoPartyHe.map((r) => r.network)).toEqual(['ResNet50', 'DenseNet121']);
    const he = await run('cost', 'zoo:resnet50', '--backend', 'cryptflow2-he', '--json');
    expect(he.code).toBe(0);
    expect((JSON.parse(he.out) as { bytes: unknown }).bytes).toEqual(t.twoPartyHe[0]?.bytes);
    const text = await run('tables');
    expect(text.out).toMatch(/Two parties \(2PC column\)/);
    expect(text.out).toMatch(/CrypTFlow2-HE \(2PC\)/);
    expect(text.out).toMatch(/ResNet50 +6\.87 GB +8\.74 GB +[\d,.]+ GB +[\d,]+ +[\d.]+×/);
  }, 60_000);

  it('the per-layer breakdown sums to the totals, link by link', () => {
    for (const d of t.details) {
      for (const backend of ['porthos', 'securenn'] as const) {
        expect(d.layers.reduce((s, l) => s + l.bytes[backend], 0)).toBe(d.costs[backend].bytes.total);
      }
      for (const l of LINKS)
        expect(d.layers.reduce((s, x) => s + x.porthosLinks[l], 0)).toBe(d.costs.porthos.bytes.links[l]);
    }
  });
});

describe('cryptflow tables, cost and zoo', () => {
  it('tables prints the four rows with the paper figures and writes the breakdown, CSVs and the chart', async () => {
    const out = join(dir, 'tables');
    const r = await run('tables', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ResNet50 +Porthos +6,868,083,720 +6\.87 GB +6\.87 GB .*equal to the byte/);
    expect(r.out).toMatch(/DenseNet121 +SecureNN +13,428,431,512 +13\.43 GB +13\.53 GB +−0\.102 GB/);
    const csv = readFileSync(join(out, 'layers-resnet50.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^index,node,op,shape,elements,porthos_bytes,securenn_bytes,porthos_P0->P1/);
    expect(csv.slice(1).reduce((s, line) => s + Number(line.split(',')[5]), 0)).toBe(6_868_083_720);
    const json = JSON.parse(readFileSync(join(out, 'table2.json'), 'utf8')) as { rows: { bytes: { total: number } }[] };
    expect(json.rows.map((x) => x.bytes.total)).toEqual([6_868_083_720, 8_742_294_920, 10_536_219_392, 13_428_431_512]);
    const svg = readFileSync(join(out, 'table2.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('ResNet50');
    expect(svg).not.toMatch(/<script/);
    // Every left-anchored label fits in the chart: at 12 px sans-serif a character is at most ~7.2 px wide.
    const width = Number(/<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);
    const labels = [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+">([^<]*)<\/text>/g)].map((m) => ({
      x: Number(m[1]),
      text: m[2] ?? '',
    }));
    expect(labels.some((l) => l.text.includes('(paper 13.53 GB)'))).toBe(true);
    for (const l of labels) expect(l.x + 7.2 * l.text.length, l.text).toBeLessThanOrEqual(width);
  });

  it('cost --json prints the bytes object and rounds; --per-layer lists the communicating nodes', async () => {
    const r = await run('cost', 'zoo:securenn-c', '--backend', 'securenn', '--json', '--per-layer');
    expect(r.code).toBe(0);
    type Parties = { P0: number; P1: number; P2: number };
    const j = JSON.parse(r.out) as {
      backend: string;
      bytes: { total: number; sent: Parties; recv: Parties; links: Record<string, number> };
      rounds: number;
      layers: { op: string; bytes: number }[];
    };
    expect(j.backend).toBe('securenn');
    expect(j.bytes.total).toBe(18_936_216);
    expect(Object.keys(j.bytes.links)).toEqual([...LINKS]);
    expect(j.bytes.sent.P0 + j.bytes.sent.P1 + j.bytes.sent.P2).toBe(j.bytes.total);
    expect(j.bytes.recv.P0 + j.bytes.recv.P1 + j.bytes.recv.P2).toBe(j.bytes.total);
    expect(j.layers.reduce((s, l) => s + l.bytes, 0)).toBe(j.bytes.total);
    expect(j.layers.map((l) => l.op)).toEqual([
      'Conv',
      'MaxPool',
      'Relu',
      'Conv',
      'MaxPool',
      'Relu',
      'MatMul',
      'Relu',
      'MatMul',
      'ArgMax',
    ]);
    expect(j.rounds).toBeGreaterThan(0);
  });

  it('cost text names the backend, the policy and the bytes; conv policies change Porthos only', async () => {
    const r = await run('cost', 'zoo:lenet');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/porthos \(paper convolutions\), ℓ = 64, s = 12/);
    expect(r.out).toMatch(/^bytes: 4,570,160 /m);
    const im2col = JSON.parse((await run('cost', 'zoo:lenet', '--conv-policy', 'im2col', '--json')).out) as {
      bytes: { total: number };
    };
    // Only the two 5×5 convolutions change form: im2col minus reshaped is 16(K·oH·oW − H·W·CI) each
    // (proofs-notes/cost-tables.md): 16(25·784 − 784) = 301,056 and 16(150·100 − 14·14·6) = 221,184.
    expect(im2col.bytes.total).toBe(4_570_160 + 301_056 + 221_184);
    const bad = await run('cost', 'zoo:lenet', '--backend', 'securenn', '--conv-policy', 'reshaped');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/SecureNN has only the im2col convolution/);
    expect((await run('cost', 'zoo:lenet', '--backend', 'aramis')).err).toMatch(
      /--backend must be one of porthos, securenn/,
    );
  });

  it('zoo list names every model; zoo export writes the ONNX file that cost reads like zoo:NAME', async () => {
    const list = await run('zoo', 'list');
    expect(list.code).toBe(0);
    for (const name of [
      'logreg',
      'securenn-a',
      'securenn-d',
      'lenet',
      'resnet50',
      'densenet121',
      'squeezenet',
      'densenet121-chest',
      'unet3d',
    ])
      expect(list.out).toContain(`  ${name} `);
    const file = join(dir, 'lenet.onnx');
    const ex = await run('zoo', 'export', 'lenet', '-o', file);
    expect(ex.code).toBe(0);
    expect(ex.out).toMatch(/wrote .*lenet\.onnx: lenet, 61,706 parameters/);
    const before = readFileSync(file);
    const again = await run('zoo', 'export', 'logreg', '-o', file);
    expect([again.code, again.err]).toEqual([
      2,
      expect.stringMatching(/refusing to overwrite .*lenet\.onnx \(give --force to replace it\)/),
    ]);
    expect(readFileSync(file)).toEqual(before);
    const forced = await run('zoo', 'export', 'lenet', '-o', file, '--force', '--seed', 'other');
    expect(forced.code).toBe(0);
    expect(readFileSync(file)).not.toEqual(before);
    expect((await run('zoo', 'export', 'lenet', '-o', file, '--force')).code).toBe(0);
    const a = JSON.parse((await run('cost', file, '--json')).out) as { bytes: unknown };
    const b = JSON.parse((await run('cost', 'zoo:lenet', '--json')).out) as { bytes: unknown };
    expect(a.bytes).toEqual(b.bytes);
  });

  it('zoo errors: unknown model or subcommand, missing -o', async () => {
    const unknown = await run('zoo', 'export', 'alexnet', '-o', join(dir, 'x.onnx'));
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/no model 'alexnet' in the zoo \(known: logreg/);
    expect((await run('zoo', 'export', 'lenet')).err).toMatch(/needs -o FILE\.onnx/);
    expect((await run('zoo', 'show')).err).toMatch(/zoo needs 'list' or 'export NAME -o FILE\.onnx', got 'show'/);
    expect((await run('zoo')).code).toBe(2);
    const model = await run('cost', 'zoo:alexnet');
    expect(model.code).toBe(2);
    expect(model.err).toMatch(/no model 'alexnet'/);
  });
});
