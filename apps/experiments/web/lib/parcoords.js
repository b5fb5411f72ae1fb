// A parallel-coordinates plot in SVG: one vertical axis per parameter plus the metric, one line
// per trial. Dragging along an axis brushes a range on it; a click on the axis clears it. Lines
// outside any brush are dimmed and onBrush gets the ids of the trials inside all of them.
import { COLORS } from './chart.js';
import { num } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text != null) node.textContent = text;
  return node;
}

/** A value's position in [0, 1] on an axis over `values` (log when asked and all positive), and back. */
function axisScale(values, log) {
  const f = log ? Math.log10 : (v) => v;
  const lo = Math.min(...values.map(f));
  const hi = Math.max(...values.map(f));
  const span = hi - lo;
  return {
    at: (v) => (span === 0 ? 0.5 : (f(v) - lo) / span),
    from: (t) => { const x = lo + t * span; return log ? 10 ** x : x; },
  };
}

/**
 * @param {{ id: string, params: Record<string, unknown>, value: unknown }[]} trials
 * @param {{ key: string, label: string, value: (t: any) => unknown, log?: boolean }[]} axes
 * @param {{ brushes: Record<string, [number, number]>, onBrush: (inside: Set<string>) => void, width?: number, height?: number }} options
 *   brushes is read and written: the caller keeps it across re-renders
 */
export function parallelCoordinates(trials, axes, options) {
  const { brushes, onBrush, width = 760, height = 280 } = options;
  const top = 28;
  const bottom = 24;
  const side = 60;
  const h = height - top - bottom;
  const xOf = (i) => side + (axes.length === 1 ? 0 : (i * (width - 2 * side)) / (axes.length - 1));
  const usable = axes.map((a) => {
    const values = trials.map(a.value).filter((v) => typeof v === 'number' && Number.isFinite(v));
    const log = a.log && values.length > 0 && values.every((v) => v > 0);
    return { ...a, log, scale: values.length > 0 ? axisScale(values, log) : null, values };
  });
  const yOf = (t) => top + (1 - t) * h;
  const root = svg('svg', { width, height, class: 'parcoords', role: 'img' });
  const lines = svg('g', { class: 'lines' });
  root.append(lines);
  const drawn = trials.map((trial) => {
    const points = usable.map((a, i) => {
      const v = a.value(trial);
      return typeof v === 'number' && Number.isFinite(v) && a.scale ? `${xOf(i)},${yOf(a.scale.at(v))}` : null;
    });
    const line = svg('polyline', { points: points.filter(Boolean).join(' '), fill: 'none', stroke: COLORS[0], 'stroke-width': 1.5, 'data-trial': trial.id });
    lines.append(line);
    return { trial, line };
  });
  const inside = (trial) => usable.every((a) => {
    const range = brushes[a.key];
    if (!range) return true;
    const v = a.value(trial);
    return typeof v === 'number' && v >= range[0] && v <= range[1];
  });
  const brushRects = new Map();
  const update = () => {
    const ids = new Set();
    for (const { trial, line } of drawn) {
      const ok = inside(trial);
      if (ok) ids.add(trial.id);
      line.setAttribute('class', ok ? 'in' : 'out');
    }
    for (const a of usable) {
      const rect = brushRects.get(a.key);
      const range = brushes[a.key];
      if (!rect) continue;
      if (!range || !a.scale) { rect.setAttribute('height', 0); continue; }
      const y1 = yOf(Math.min(1, a.scale.at(range[1])));
      const y0 = yOf(Math.max(0, a.scale.at(range[0])));
      rect.setAttribute('y', y1);
      rect.setAttribute('height', Math.max(0, y0 - y1));
    }
    onBrush(ids);
  };
  usable.forEach((a, i) => {
    const x = xOf(i);
    const g = svg('g', { class: 'axis', 'data-key': a.key });
    g.append(svg('line', { x1: x, x2: x, y1: top, y2: top + h, stroke: '#555' }));
    // Long keys are cut to fit between the axes; the whole key is the hover title.
    const label = a.label + (a.log ? ' (log)' : '');
    const room = Math.max(6, Math.floor((width - 2 * side) / Math.max(1, axes.length - 1) / 7));
    g.append(svg('text', { x, y: top - 10, 'text-anchor': 'middle', class: 'axis-label' }, label.length > room ? `${label.slice(0, room - 1)}…` : label),
      svg('title', {}, label));
    if (a.scale) {
      g.append(svg('text', { x: x + 4, y: top + 4, class: 'tick' }, num(Math.max(...a.values))));
      g.append(svg('text', { x: x + 4, y: top + h, class: 'tick' }, num(Math.min(...a.values))));
    }
    const shown = svg('rect', { x: x - 8, width: 16, y: top, height: 0, class: 'brush' });
    brushRects.set(a.key, shown);
    // The hit area: a band along the axis that takes the drag.
    const hit = svg('rect', { x: x - 14, width: 28, y: top, height: h, class: 'brush-area', 'data-key': a.key });
    let start = null;
    const valueAt = (clientY) => a.scale.from(Math.min(1, Math.max(0, 1 - (clientY - root.getBoundingClientRect().top - top) / h)));
    hit.addEventListener('pointerdown', (e) => { if (!a.scale) return; start = e.clientY; hit.setPointerCapture(e.pointerId); });
    hit.addEventListener('pointermove', (e) => {
      if (start == null || Math.abs(e.clientY - start) < 3) return;
      const [p, q] = [valueAt(start), valueAt(e.clientY)];
      brushes[a.key] = [Math.min(p, q), Math.max(p, q)];
      update();
    });
    hit.addEventListener('pointerup', (e) => {
      if (start != null && Math.abs(e.clientY - start) < 3) { delete brushes[a.key]; update(); }
      start = null;
    });
    g.append(shown, hit);
    root.append(g);
  });
  update();
  return root;
}
