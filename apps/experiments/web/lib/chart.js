// Chart helpers over uPlot (loaded as the global `uPlot` from /uplot.js): series alignment,
// smoothing and one chart constructor every view uses.
import { el } from './dom.js';
import { meanStd } from './seed-groups.js';

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

/**
 * Columns for curves of seed groups: per group the mean, mean + std and mean − std at each step
 * (over the runs that have that step), and the bands between the last two.
 * @param {{ label: string, runs: { step: number, value: number | null }[][] }[]} groups
 */
export function groupCurves(groups) {
  const steps = [...new Set(groups.flatMap((g) => g.runs.flatMap((points) => points.map((p) => p.step))))].sort((a, b) => a - b);
  const data = [steps];
  const series = [];
  const bands = [];
  groups.forEach((g, i) => {
    const stroke = COLORS[i % COLORS.length];
    const byStep = g.runs.map((points) => new Map(points.map((p) => [p.step, p.value])));
    const stats = steps.map((x) => meanStd(byStep.map((m) => m.get(x))));
    const mean = stats.map((s) => s?.mean ?? null);
    data.push(mean, stats.map((s) => (s ? s.mean + s.std : null)), stats.map((s) => (s ? s.mean - s.std : null)));
    series.push({ label: `${g.label} (n=${g.runs.length})`, stroke, width: 2 }, { label: '+std', stroke, faint: true, width: 0.5, inLegend: false }, { label: '−std', stroke, faint: true, width: 0.5, inLegend: false });
    bands.push({ series: [data.length - 2, data.length - 1], fill: `${stroke}22` });
  });
  return { series, data, bands };
}

/** Whether every value is a positive number, so a log axis can show them all. */
export const allPositive = (columns) => columns.every((col) => col.every((v) => v == null || v > 0));

/**
 * A chart box (its `.plot` is the uPlot) drawing aligned columns, one series per column after x.
 * @param {string} title
 * @param {{ label: string, stroke?: string, width?: number, faint?: boolean, inLegend?: boolean }[]} series
 * @param {(number | null)[][]} data aligned columns: x first
 * @param {{ width?: number, height?: number, scatter?: boolean, logY?: boolean, xLabel?: string, logX?: boolean,
 *   bands?: { series: [number, number], fill: string }[] }} [options] bands fill between two series (indices into data)
 */
export function chart(title, series, data, options = {}) {
  const { width = 420, height = 220, scatter = false, logY = false, logX = false, xLabel = 'step', bands = [] } = options;
  const box = el('div', { class: 'chart', 'data-title': title }, el('h4', {}, title));
  const useLogY = logY && allPositive(data.slice(1));
  const useLogX = logX && allPositive([data[0]]);
  const opts = {
    width, height, legend: { show: series.length > 1 }, bands,
    scales: { x: { time: false, ...(useLogX ? { distr: 3 } : {}) }, y: useLogY ? { distr: 3 } : {} },
    series: [{ label: xLabel }, ...series.map((s, i) => {
      const stroke = s.stroke ?? COLORS[i % COLORS.length];
      return {
        label: s.label, stroke: s.faint ? `${stroke}66` : stroke, width: s.width ?? 1.5, spanGaps: !scatter,
        ...(scatter ? { paths: () => null, points: { show: true, size: 8, fill: stroke } } : { points: { show: data[0].length < 30 } }),
      };
    })],
  };
  box.plot = new uPlot(opts, data, box);
  // Band edges and the like: drawn, but no row in the legend (row 0 is x).
  const rows = box.querySelectorAll('.u-legend .u-series');
  series.forEach((s, i) => { if (s.inLegend === false && rows[i + 1]) rows[i + 1].style.display = 'none'; });
  return box;
}

/**
 * New data for a plot, keeping the x zoom if the user zoomed: uPlot's setData(data, false) keeps
 * the scales but not the visible index window, so the zoom is set again to recompute it.
 */
export function replaceData(plot, data) {
  const zoom = xZoom(plot);
  if (!zoom) { plot.setData(data); return; }
  plot.setData(data, false);
  plot.setScale('x', zoom);
}

/** The x range the user zoomed to, or null when the axis shows the data's full range. */
export function xZoom(plot) {
  const xs = plot.data[0];
  const { min, max } = plot.scales.x;
  return xs.length > 0 && (min > xs[0] || max < xs[xs.length - 1]) ? { min, max } : null;
}
