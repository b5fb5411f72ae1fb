// One run: its evaluations and scalars as a table (last, best, step of best), per-step series as
// curves with smoothing, log-y and zoom, its images, config and environment. While the run is
// live, a refresh fetches only the points after the last step seen and keeps each chart's zoom.
import { api, plottable } from '../lib/api.js';
import { chart, replaceData, smooth, xZoom } from '../lib/chart.js';
import { el, num, pages, paramText } from '../lib/dom.js';
import { imageViewers } from '../lib/images.js';

/** Kept across visits, like a viewer's preference. */
const settings = { smoothing: 0.6, logY: false };
const LIVE = new Set(['running', 'pending']);

function metricsTable(metrics) {
  const rows = [...metrics].sort((a, b) => (a.kind === b.kind ? a.key.localeCompare(b.key) : a.kind === 'evaluation' ? -1 : 1));
  return el('table', { id: 'metrics' },
    el('thead', {}, el('tr', {}, ['metric', 'last', 'best', 'step of best', 'min', 'max', 'points'].map((h) => el('th', {}, h)))),
    el('tbody', {}, rows.map((m) => el('tr', { 'data-key': m.key },
      el('td', { title: m.goal ? `${m.goal}d` : 'no direction: best not defined' }, m.key),
      el('td', { class: 'num', title: `at step ${m.lastStep}` }, num(m.last)),
      el('td', { class: 'num best' }, num(m.best)), el('td', { class: 'num' }, m.bestStep ?? ''),
      el('td', { class: 'num' }, num(m.min)), el('td', { class: 'num' }, num(m.max)), el('td', { class: 'num' }, m.count)))));
}

/** A per-step curve: the fetched points, the chart drawing them, and how to fetch what is new. */
function curve(runId, key) {
  const c = { key, points: [], lastStep: -1, box: null };
  const columns = () => {
    const raw = c.points.map((p) => p.value);
    return [c.points.map((p) => p.step), raw, smooth(raw, settings.smoothing)];
  };
  c.draw = (zoom) => {
    const old = c.box;
    c.box = chart(key, [{ label: 'raw', faint: true, width: 1 }, { label: settings.smoothing > 0 ? `smoothed ${settings.smoothing}` : key }], columns(),
      { width: 400, height: 200, logY: settings.logY });
    if (zoom) c.box.plot.setScale('x', zoom);
    old?.plot.destroy();
    old?.replaceWith(c.box);
    return c.box;
  };
  c.redraw = () => replaceData(c.box.plot, columns());
  /** Fetches the points after the last step seen (all of them first, or after a resume rewrote the tail). */
  c.fetch = async (lastStep) => {
    if (lastStep < c.lastStep) { c.points = []; c.lastStep = -1; }
    if (lastStep === c.lastStep) return false;
    const fresh = await api.series(runId, key, c.lastStep >= 0 ? { afterStep: c.lastStep } : {});
    c.points.push(...fresh.map((p) => ({ step: p.step, value: plottable(p.value) })));
    c.lastStep = c.points.length > 0 ? c.points[c.points.length - 1].step : -1;
    return true;
  };
  return c;
}

/** A multiple choice of the run's sweep siblings (its other trials), for images side by side. */
async function besidePicker(run, onChange) {
  if (!run.sweepId) return el('p', { class: 'muted' }, 'to see other runs\' images beside these, select them in the runs table and compare');
  const { trials } = await api.sweep(run.sweepId);
  const others = trials.filter((t) => t.id !== run.id).slice(0, 200);
  if (others.length === 0) return '';
  const picker = el('select', { id: 'image-runs', multiple: true, size: Math.min(6, others.length), onchange: () => onChange([...picker.selectedOptions].map((o) => o.value)) },
    others.map((t) => el('option', { value: t.id }, `${t.name} · ${paramText(t.params)}`)));
  return el('label', { class: 'beside' }, 'side by side with (ctrl-click for several) ', picker);
}

export async function runView(view, id) {
  const [{ explorable }, first] = await Promise.all([api.meta(), api.run(id)]);
  let detail = first;
  const { run } = detail;
  const curves = new Map();
  const chartBox = el('div', { class: 'charts' });
  const tableSlot = el('div', {}, metricsTable(detail.metrics));
  const imageSlot = el('div', {});
  const status = el('span', { class: `status-${run.status}` }, run.status);
  let imageCount = -1;
  /** Other runs whose images show beside this run's, at the same step. */
  let beside = [];
  const viewers = el('div', {});
  const drawImages = () => {
    const runs = [detail, ...beside];
    viewers.replaceChildren(...imageViewers(runs.map((d) => d.run), Object.fromEntries(runs.map((d) => [d.run.id, d.images]))));
  };
  imageSlot.append(await besidePicker(run, async (ids) => {
    beside = await Promise.all(ids.map((other) => api.run(other)));
    drawImages();
  }), viewers);
  const smoothLabel = el('span', { class: 'muted' }, String(settings.smoothing));
  const controls = el('div', { class: 'filters' },
    el('label', {}, 'smoothing', el('input', { id: 'smoothing', type: 'range', min: 0, max: 0.99, step: 0.01, value: settings.smoothing, oninput: (e) => {
      settings.smoothing = Number(e.target.value);
      smoothLabel.textContent = String(settings.smoothing);
      for (const c of curves.values()) c.redraw();
    } }), smoothLabel),
    el('label', {}, 'log y', el('input', { id: 'logy', type: 'checkbox', checked: settings.logY, onchange: (e) => {
      settings.logY = e.target.checked;
      for (const c of curves.values()) c.draw(xZoom(c.box.plot));
    } })));
  const env = el('table', {}, [['backend', run.backend], ['git', run.gitSha], ['data', run.dataChecksum], ['attempt', run.attempt],
    ...Object.entries(run.versions || {})].map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v ?? '-'))));
  view.replaceChildren(
    el('h2', { id: 'run-name' }, run.name),
    el('p', {}, run.variant || '', ' · ', status, run.sweepId ? ' · ' : '', run.sweepId ? el('a', { href: pages.sweep(run.sweepId) }, 'sweep') : ''),
    run.error ? el('p', { class: 'error' }, run.error) : '',
    explorable.includes(run.variant) && run.status === 'finished' ? el('p', {}, el('a', { id: 'explore', href: pages.explore(run.id) }, 'open the latent explorer (decodes in this page)')) : '',
    el('h3', {}, 'Metrics'), tableSlot,
    el('h3', {}, 'Curves'), controls, chartBox,
    el('h3', {}, 'Images'), imageSlot,
    el('h3', {}, 'Config'), el('pre', {}, JSON.stringify(run.config ?? run.params, null, 2)),
    el('h3', {}, 'Environment'), env);

  async function update() {
    for (const m of detail.metrics.filter((x) => x.kind === 'step')) {
      let c = curves.get(m.key);
      if (!c) curves.set(m.key, (c = curve(id, m.key)));
      if (!(await c.fetch(m.lastStep))) continue;
      if (c.box) c.redraw();
      else chartBox.append(c.draw(null));
    }
    if (detail.images.length !== imageCount) {
      imageCount = detail.images.length;
      drawImages();
    }
  }
  await update();
  if (!LIVE.has(run.status)) return null;
  return async () => {
    detail = await api.run(id);
    status.textContent = detail.run.status;
    status.className = `status-${detail.run.status}`;
    tableSlot.replaceChildren(metricsTable(detail.metrics));
    await update();
    return LIVE.has(detail.run.status);
  };
}
