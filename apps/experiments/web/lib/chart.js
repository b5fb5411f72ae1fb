// Chart helpers over uPlot (loaded as the global `uPlot` from /uplot.js): series alignment,
// smoothing and one chart constructor every view uses.
import { el } from './dom.js';

export const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563', '#db2777'];

/**
 * uPlot's data layout: the union of steps, then one column per series (null where a series has no point).
 * @param {{ points: { step: number, value: number | null }[] }[]} seriesList
 * @returns {(number | null)[][]}
 */
export function alignSeries(seriesList) {
  const steps = [...new Set(seriesList.flatMap((s) => s.points.map((p) => p.step)))].sort((a, b) => a - b);
  return [steps, ...seriesList.map((s) => {
    const byStep = new Map(s.points.map((p) => [p.step, p.value]));
    return steps.map((x) => byStep.get(x) ?? null);
  })];
}

/**
 * Exponential moving average with TensorBoard's debiasing (the first points are not pulled
 * towards zero); nulls stay null and do not reset the average. weight 0 returns the values.
 * @param {(number | null)[]} values @param {number} weight in [0, 1)
 */
export function smooth(values, weight) {
  if (!(weight > 0)) return values.slice();
  let avg = 0;
  let n = 0;
  return values.map((v) => {
    if (v == null) return null;
    avg = avg * weight + (1 - weight) * v;
    n += 1;
    return avg / (1 - weight ** n);
  });
}

/** Whether every value is a positive number, so a log axis can show them all. */
export const allPositive = (columns) => columns.every((col) => col.every((v) => v == null || v > 0));

/**
 * A chart box (its `.plot` is the uPlot). Series: { label, points } or, with `data`, ready columns.
 * @param {string} title
 * @param {{ label: string, stroke?: string, width?: number, faint?: boolean }[]} series
 * @param {(number | null)[][]} data aligned columns: x first
 * @param {{ width?: number, height?: number, scatter?: boolean, logY?: boolean, xLabel?: string, logX?: boolean }} [options]
 */
export function chart(title, series, data, options = {}) {
  const { width = 420, height = 220, scatter = false, logY = false, logX = false, xLabel = 'step' } = options;
  const box = el('div', { class: 'chart', 'data-title': title }, el('h4', {}, title));
  const useLogY = logY && allPositive(data.slice(1));
  const useLogX = logX && allPositive([data[0]]);
  const opts = {
    width, height, legend: { show: series.length > 1 },
    scales: { x: { time: false, ...(useLogX ? { distr: 3 } : {}) }, y: useLogY ? { distr: 3 } : {} },
    series: [{ label: xLabel }, ...series.map((s, i) => {
      const stroke = s.stroke ?? COLORS[i % COLORS.length];
      return {
        label: s.label, stroke: s.faint ? `${stroke}66` : stroke, width: s.width ?? 1.5, spanGaps: !scatter,
        ...(scatter ? { paths: () => null, points: { show: true, size: 8, fill: stroke } } : { points: { show: data[0].length < 30 } }),
      };
    })],
  };
  box.logY = useLogY;
  box.plot = new uPlot(opts, data, box);
  return box;
}

/**
 * New data for a plot, keeping the x zoom if the user zoomed: uPlot's setData(data, false) keeps
 * the scales but not the visible index window, so the zoom is set again to recompute it.
 */
export function replaceData(plot, data) {
  if (!zoomedX(plot)) { plot.setData(data); return; }
  const { min, max } = plot.scales.x;
  plot.setData(data, false);
  plot.setScale('x', { min, max });
}

/** Whether the user has zoomed the x axis away from the data's full range. */
export function zoomedX(plot) {
  const xs = plot.data[0];
  if (xs.length === 0) return false;
  const { min, max } = plot.scales.x;
  return min > xs[0] || max < xs[xs.length - 1];
}
