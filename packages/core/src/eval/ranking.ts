// Threshold-free detection scores: how well a score ranks positives (anomalies) above negatives.
// AUROC is the Mann–Whitney U statistic with average ranks for ties (a tie counts one half);
// AUPRC is average precision, sum over distinct thresholds of (R_k − R_{k−1}) · P_k, with tied
// scores entering together (as scikit-learn's average_precision_score does).

function checkInputs(scores: ArrayLike<number>, positive: ArrayLike<boolean>): { pos: number; neg: number } {
  if (scores.length !== positive.length) throw new Error(`${scores.length} scores but ${positive.length} labels`);
  let pos = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new Error(`score ${i} is ${scores[i]}: ranking needs finite scores`);
    if (positive[i]) pos++;
  }
  const neg = scores.length - pos;
  if (pos === 0 || neg === 0) throw new Error(`ranking needs both classes, got ${pos} positives and ${neg} negatives`);
  return { pos, neg };
}

/** Indices sorted by descending score. */
function descending(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
}

/** Area under the ROC curve: the probability that a random positive scores above a random negative. */
export function auroc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const { pos, neg } = checkInputs(scores, positive);
  const order = descending(scores).reverse(); // ascending
  let rankSumPositives = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) if (positive[order[i]]) rankSumPositives += averageRank;
    start = end + 1;
  }
  return (rankSumPositives - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Area under the precision–recall curve as average precision (positives are the class to find). */
export function auprc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const { pos } = checkInputs(scores, positive);
  const order = descending(scores);
  let truePositives = 0;
  let seen = 0;
  let sum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    let found = 0;
    for (let i = start; i <= end; i++) if (positive[order[i]]) found++;
    truePositives += found;
    seen += end - start + 1;
    sum += (found / pos) * (truePositives / seen);
    start = end + 1;
  }
  return sum;
}
