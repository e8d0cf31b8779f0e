/**
 * The report of a validation study, computed from the case records alone (so a resumed run reports
 * exactly what an uninterrupted one does): per label and per site, the AUROC of the plaintext model
 * (float32), of the plaintext fixed point and of secure inference with DeLong SEs and 95 % CIs, the
 * paired DeLong test secure vs plaintext, the two-sample Kolmogorov–Smirnov test of their score
 * distributions, max/mean |secure − plaintext| and class agreement at 0.5; for segmentation, mean Dice
 * per class (secure vs fixed point, and each vs the mask); communication and time per image.
 */
import { delong, pairedTest, type PairedTest } from '../stats/delong.js';
import { ksTwoSample, type KsResult } from '../stats/ks.js';
import { rocCurve, type RocPoint } from '../stats/roc-curve.js';
import type { CaseRecord } from './results.js';

export interface AucStat {
  readonly auroc: number;
  readonly se: number;
  readonly ci95: readonly [number, number];
}

export interface LabelStats {
  readonly n: number;
  readonly positives: number;
  /** null where the AUROC is undefined (fewer than 2 cases of a class): `note` says why. */
  readonly plaintext: AucStat | null;
  readonly fixed: AucStat | null;
  readonly secure: AucStat | null;
  readonly delong: PairedTest | null;
  readonly note?: string;
  readonly ks: KsResult;
  readonly maxAbsDiff: number;
  readonly meanAbsDiff: number;
  /** Fraction of cases where secure and plaintext agree on score ≥ 0.5. */
  readonly agreement: number;
}

export interface LabelReport extends LabelStats {
  readonly name: string;
  readonly bySite: readonly (LabelStats & { readonly site: string })[];
  readonly roc: { readonly plaintext: readonly RocPoint[]; readonly secure: readonly RocPoint[] } | null;
}

export interface DiceSummary {
  readonly secureVsFixed: readonly number[];
  readonly secureVsTruth: readonly number[] | null;
  readonly fixedVsTruth: readonly number[] | null;
  readonly floatVsTruth: readonly number[] | null;
  readonly agreement: number;
}

export interface SiteCost {
  readonly site: string;
  readonly n: number;
  readonly bytesPerImage: number;
  readonly secondsPerImage: number;
}

export interface StudyReport {
  readonly title: string;
  readonly model: string;
  readonly backend: string;
  readonly data: string;
  readonly synthetic: boolean;
  readonly cases: number;
  readonly sites: readonly string[];
  readonly labels: readonly LabelReport[];
  readonly segmentation:
    | (DiceSummary & {
        readonly classes: number;
        readonly classNames: readonly string[];
        readonly bySite: readonly (DiceSummary & { readonly site: string; readonly n: number })[];
      })
    | null;
  readonly withinBound: number;
  readonly cost: {
    readonly bytesPerImage: number;
    readonly rounds: number;
    readonly totalBytes: number;
    readonly secondsPerImage: number;
    readonly totalSeconds: number;
    readonly bySite: readonly SiteCost[];
  };
}

export interface ReportContext {
  readonly model: string;
  readonly backend: string;
  readonly data: string;
  readonly synthetic: boolean;
  readonly labelNames: readonly string[];
  /** Names of the segmentation classes (from the data's manifest), if known. */
  readonly classNames?: readonly string[];
  readonly bySite: boolean;
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

function aucStats(
  labels: number[],
  sets: number[][],
): { aucs: (AucStat | null)[]; delong: PairedTest | null; note?: string } {
  const pos = labels.filter((l) => l === 1).length;
  const neg = labels.length - pos;
  if (pos < 2 || neg < 2)
    return {
      aucs: sets.map(() => null),
      delong: null,
      note: `AUROC undefined: ${pos} positive and ${neg} negative case(s) (DeLong needs ≥ 2 of each)`,
    };
  const r = delong(labels, sets);
  return { aucs: r.aucs.map((a) => ({ auroc: a.auroc, se: a.se, ci95: a.ci95 })), delong: pairedTest(r, 2, 0) };
}

function labelStats(records: readonly CaseRecord[], k: number): LabelStats {
  const labels = records.map((r) => (r.labels as readonly number[])[k] as number);
  const get = (which: 'float' | 'fixed' | 'secure'): number[] => records.map((r) => r.scores?.[which][k] as number);
  const [plain, fixed, secure] = [get('float'), get('fixed'), get('secure')];
  const { aucs, delong: test, note } = aucStats(labels, [plain, fixed, secure]);
  const diffs = secure.map((s, i) => Math.abs(s - (plain[i] as number)));
  return {
    n: records.length,
    positives: labels.filter((l) => l === 1).length,
    plaintext: aucs[0] ?? null,
    fixed: aucs[1] ?? null,
    secure: aucs[2] ?? null,
    delong: test,
    ...(note === undefined ? {} : { note }),
    ks: ksTwoSample(secure, plain),
    maxAbsDiff: Math.max(0, ...diffs),
    meanAbsDiff: mean(diffs),
    agreement: mean(secure.map((s, i) => (s >= 0.5 === (plain[i] as number) >= 0.5 ? 1 : 0))),
  };
}

function diceSummary(records: readonly CaseRecord[]): DiceSummary {
  const ds = records.flatMap((r) => (r.dice === null ? [] : [r.dice]));
  const perClass = (get: (d: (typeof ds)[number]) => readonly number[] | null): number[] | null => {
    const rows = ds.map(get);
    if (rows.some((x) => x === null) || rows.length === 0) return null;
    const k = Math.max(...rows.map((x) => (x as readonly number[]).length));
    return Array.from({ length: k }, (_, c) => mean(rows.map((x) => (x as readonly number[])[c] ?? 1)));
  };
  return {
    secureVsFixed: perClass((d) => d.secureVsFixed) ?? [],
    secureVsTruth: perClass((d) => d.secureVsTruth),
    fixedVsTruth: perClass((d) => d.fixedVsTruth),
    floatVsTruth: perClass((d) => d.floatVsTruth),
    agreement: mean(ds.map((d) => d.agreement)),
  };
}

/** The report of `records`, put in the order of `order` (the study's case order). */
export function studyReport(records: readonly CaseRecord[], order: readonly string[], c: ReportContext): StudyReport {
  const rank = new Map(order.map((id, i) => [id, i]));
  const rs = [...records].sort((a, b) => (rank.get(a.case) ?? 0) - (rank.get(b.case) ?? 0));
  const sites = [...new Set(rs.map((r) => r.site))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const ofSite = (s: string): CaseRecord[] => rs.filter((r) => r.site === s);
  const scored = rs.filter((r) => r.scores !== null && r.labels !== null);
  const labels =
    c.labelNames.length === 0 || scored.length === 0
      ? []
      : c.labelNames.map((name, k): LabelReport => {
          const lab = scored.map((r) => (r.labels as readonly number[])[k] as number);
          const both = lab.includes(0) && lab.includes(1);
          return {
            name,
            ...labelStats(scored, k),
            bySite: c.bySite
              ? sites
                  .map((s) => ({
                    site: s,
                    ...labelStats(
                      scored.filter((r) => r.site === s),
                      k,
                    ),
                  }))
                  .filter((x) => x.n > 0)
              : [],
            roc: both
              ? {
                  plaintext: rocCurve(
                    lab,
                    scored.map((r) => r.scores?.float[k] as number),
                  ),
                  secure: rocCurve(
                    lab,
                    scored.map((r) => r.scores?.secure[k] as number),
                  ),
                }
              : null,
          };
        });
  const segs = rs.filter((r) => r.dice !== null);
  const segmentation =
    segs.length === 0
      ? null
      : {
          classes: segs[0]?.dice?.secureVsFixed.length ?? 0,
          classNames: Array.from(
            { length: segs[0]?.dice?.secureVsFixed.length ?? 0 },
            (_, k) => c.classNames?.[k] ?? `class ${k}`,
          ),
          ...diceSummary(segs),
          bySite: c.bySite ? sites.map((s) => ({ site: s, n: ofSite(s).length, ...diceSummary(ofSite(s)) })) : [],
        };
  const totalBytes = rs.reduce((a, r) => a + r.bytes, 0);
  const totalSeconds = rs.reduce((a, r) => a + r.seconds, 0);
  return {
    title: `Validation of ${c.model}: secure (${c.backend}) vs plaintext inference`,
    model: c.model,
    backend: c.backend,
    data: c.data,
    synthetic: c.synthetic,
    cases: rs.length,
    sites,
    labels,
    segmentation,
    withinBound: rs.filter((r) => r.withinBound).length,
    cost: {
      bytesPerImage: totalBytes / Math.max(1, rs.length),
      rounds: Math.max(0, ...rs.map((r) => r.rounds)),
      totalBytes,
      secondsPerImage: totalSeconds / Math.max(1, rs.length),
      totalSeconds,
      bySite: sites.map((s) => ({
        site: s,
        n: ofSite(s).length,
        bytesPerImage: mean(ofSite(s).map((r) => r.bytes)),
        secondsPerImage: mean(ofSite(s).map((r) => r.seconds)),
      })),
    },
  };
}

/** scores.csv: one row per case — case, site, the labels, then per label the plaintext, fixed-point and secure scores (or per class the Dice). */
export function scoresCsv(
  records: readonly CaseRecord[],
  order: readonly string[],
  labelNames: readonly string[],
): string {
  const rank = new Map(order.map((id, i) => [id, i]));
  const rs = [...records].sort((a, b) => (rank.get(a.case) ?? 0) - (rank.get(b.case) ?? 0));
  const k = Math.max(labelNames.length, ...rs.map((r) => r.scores?.secure.length ?? 0));
  const names = Array.from({ length: k }, (_, i) => labelNames[i] ?? `out${i}`);
  const classes = Math.max(0, ...rs.map((r) => r.dice?.secureVsFixed.length ?? 0));
  const q = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const header = [
    'case',
    'site',
    ...labelNames,
    ...names.flatMap((n) => [`${n}.plaintext`, `${n}.fixed`, `${n}.secure`]),
    ...Array.from({ length: classes }, (_, c) => [
      `dice${c}.secure_vs_fixed`,
      `dice${c}.secure_vs_truth`,
      `dice${c}.plaintext_vs_truth`,
    ]).flat(),
  ];
  const rows = rs.map((r) =>
    [
      q(r.case),
      q(r.site),
      ...labelNames.map((_, i) => String(r.labels?.[i] ?? '')),
      ...names.flatMap((_, i) =>
        [r.scores?.float[i], r.scores?.fixed[i], r.scores?.secure[i]].map((v) => (v === undefined ? '' : String(v))),
      ),
      ...Array.from({ length: classes }, (_, c) =>
        [r.dice?.secureVsFixed[c], r.dice?.secureVsTruth?.[c], r.dice?.floatVsTruth?.[c]].map((v) =>
          v === undefined ? '' : String(v),
        ),
      ).flat(),
    ].join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
