/**
 * The empirical ROC curve of a score against binary labels: one point (FPR, TPR) per distinct
 * threshold, from (0, 0) to (1, 1), tied scores moving both rates at once (so the trapezoid area under
 * the points equals the Mann–Whitney AUROC with ties counted ½).
 */
export interface RocPoint {
  readonly fpr: number;
  readonly tpr: number;
}

export function rocCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): RocPoint[] {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number),
  );
  let P = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) P++;
  const N = labels.length - P;
  const points: RocPoint[] = [{ fpr: 0, tpr: 0 }];
  let [tp, fp, k] = [0, 0, 0];
  while (k < idx.length) {
    const s = scores[idx[k] as number];
    while (k < idx.length && scores[idx[k] as number] === s) {
      if (labels[idx[k] as number] === 1) tp++;
      else fp++;
      k++;
    }
    points.push({ fpr: N === 0 ? 0 : fp / N, tpr: P === 0 ? 0 : tp / P });
  }
  return points;
}

/** Trapezoid area under ROC points. */
export function trapezoidArea(points: readonly RocPoint[]): number {
  let a = 0;
  for (let i = 1; i < points.length; i++) {
    const p = points[i - 1] as RocPoint;
    const q = points[i] as RocPoint;
    a += ((q.fpr - p.fpr) * (q.tpr + p.tpr)) / 2;
  }
  return a;
}
