/**
 * `cryptflow data synth` (harness/study/synth.ts, harness/zoo/synthetic-study.ts): the output is marked
 * synthetic, labelled as validate reads it, reproducible from its seed, and sites differ.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesize } from '../../../harness/study/synth.js';
import { readStudyData } from '../../../harness/study/cases.js';
import { ctCase, cxrCase, siteProfile } from '../../../harness/zoo/synthetic-study.js';

describe('data synth', () => {
  it('writes a labelled, synthetic-marked, reproducible set', () => {
    const [a, b] = [mkdtempSync(join(tmpdir(), 'cf-synth-')), mkdtempSync(join(tmpdir(), 'cf-synth-'))];
    for (const out of [a, b]) synthesize({ kind: 'cxr', sites: 2, perSite: 3, seed: 'k', out, size: 16 });
    expect(readFileSync(join(a, 'README.md'), 'utf8').split('\n')[0]).toMatch(/^# SYNTHETIC DATA/);
    expect(JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8'))).toMatchObject({
      synthetic: true,
      kind: 'cxr',
      sites: 2,
      perSite: 3,
    });
    expect(readFileSync(join(a, 'labels.csv'), 'utf8')).toBe(readFileSync(join(b, 'labels.csv'), 'utf8'));
    expect(readFileSync(join(a, 'site-2/s2-0003.png'))).toEqual(readFileSync(join(b, 'site-2/s2-0003.png')));
    const data = readStudyData(a);
    expect(data.labelNames).toEqual(['nodule', 'effusion', 'cardiomegaly']);
    expect(data.cases.map((c) => c.site)).toEqual(['site-1', 'site-1', 'site-1', 'site-2', 'site-2', 'site-2']);
  });

  it('CT volumes come with masks of every organ class', () => {
    const site = siteProfile('k', 1);
    const c = ctCase('k', site, 0, 16);
    expect(c.volume.length).toBe(16 ** 3);
    expect(new Set(c.mask)).toEqual(new Set([0, 1, 2]));
  });

  it('sites differ in intensity; pathologies change the image', () => {
    const [s1, s2] = [siteProfile('k', 1), siteProfile('k', 2)];
    expect(s1.gain).not.toBe(s2.gain);
    const mean = (p: Float32Array): number => p.reduce((x, y) => x + y, 0) / p.length;
    const m1 = mean(cxrCase('k', s1, 0, 16).pixels);
    const m2 = mean(cxrCase('k', s2, 0, 16).pixels);
    expect(m1).not.toBe(m2);
  });
});
