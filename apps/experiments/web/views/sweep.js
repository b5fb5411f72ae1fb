// A sweep: progress, the metric against one parameter, best trials, importance, seed aggregates
// and every trial. A refresh re-renders only when the sweep changed, so the chosen parameter,
// the scroll position and any zoom stay as they were.
import { api, plottable } from '../lib/api.js';
import { chart, groupCurves } from '../lib/chart.js';
import { el, num, pages, paramText, runLink } from '../lib/dom.js';
import { parallelCoordinates } from '../lib/parcoords.js';
import { urls } from '../contract.js';

/** Bars of each parameter's share of the metric's explained error, most important first. */
function importanceView(importance) {
  if (importance.ranking == null) return el('p', { class: 'muted', id: 'importance' }, `not ranked: ${importance.reason}`);
  return el('div', { id: 'importance' },
    el('table', {}, importance.ranking.map((r) => el('tr', {}, el('td', {}, r.param), el('td', { class: 'num' }, `${(100 * r.importance).toFixed(1)}%`),
      el('td', {}, el('span', { class: 'bar', style: `width: ${Math.round(300 * r.importance)}px` }))))),
    el('p', { class: 'muted' }, `${importance.method}, over ${importance.trials} finished trials`));
}

/** The metric against one parameter; trials sharing a value (other seeds) go to separate series so every point shows. */
function scatterOf(metric, key, trials) {
  const scored = trials.filter((t) => typeof t.value === 'number' && typeof t.params[key] === 'number').sort((a, b) => a.params[key] - b.params[key]);
  if (!metric || scored.length === 0) return el('p', { class: 'muted' }, 'no scored trials yet');
  const xs = [...new Set(scored.map((t) => t.params[key]))];
  const layers = [];
  const ranks = new Map();
  for (const t of scored) {
    const rank = ranks.get(t.params[key]) ?? 0;
    ranks.set(t.params[key], rank + 1);
    (layers[rank] ??= new Map()).set(t.params[key], t.value);
  }
  const data = [xs, ...layers.map((layer) => xs.map((x) => layer.get(x) ?? null))];
  const logX = spansDecades(xs);
  return chart(`${metric} vs ${key}`, layers.map((_, i) => ({ label: layers.length > 1 ? `${metric} #${i + 1}` : metric })), data,
    { width: 520, height: 260, scatter: true, xLabel: key, logX });
}

const CURVE_GROUPS = 5;

/**
 * The best seed groups' curves of one per-step metric (picked from the best run's): mean with a
 * ±std band. `choice.key` keeps the pick across re-renders.
 */
async function groupCurvesView(slot, aggregates, choice) {
  const best = aggregates.slice(0, CURVE_GROUPS);
  if (best.length === 0) { slot.replaceChildren(el('p', { class: 'muted' }, 'no finished groups yet')); return; }
  const keys = (await api.run(best[0].runIds[0])).metrics.filter((m) => m.kind === 'step').map((m) => m.key);
  if (!keys.includes(choice.key)) choice.key = keys.includes('loss') ? 'loss' : keys[0];
  if (choice.key == null) { slot.replaceChildren(el('p', { class: 'muted' }, 'no per-step series')); return; }
  const groups = await Promise.all(best.map(async (a) => ({
    label: paramText(a.params) || 'all',
    runs: await Promise.all(a.runIds.map(async (id) => (await api.series(id, choice.key)).map((p) => ({ step: p.step, value: plottable(p.value) })))),
  })));
  const curves = groupCurves(groups);
  const picker = el('select', { id: 'group-curve-key', onchange: (e) => { choice.key = e.target.value; groupCurvesView(slot, aggregates, choice).catch((err) => slot.replaceChildren(el('p', { class: 'error' }, err.message))); } },
    keys.map((k) => el('option', { value: k, selected: k === choice.key }, k)));
  slot.replaceChildren(el('label', {}, 'metric ', picker),
    chart(`${choice.key} by seed group`, curves.series, curves.data, { width: 720, height: 300, bands: curves.bands }));
}

/** A parameter spanning two decades or more is read on a log axis (learning rates, β). */
const spansDecades = (values) => values.length > 0 && Math.min(...values) > 0 && Math.max(...values) / Math.min(...values) >= 100;

/** Parallel coordinates over the numeric parameters (seed aside) and the metric; brushing hides trials table rows. */
function parametersView(trials, metric, paramKeys, brushes, table) {
  const keys = paramKeys.filter((k) => k !== 'seed');
  if (!metric || keys.length === 0) return el('p', { class: 'muted' }, 'no numeric parameters to plot');
  const axes = [...keys.map((k) => ({ key: `param:${k}`, label: k, value: (t) => t.params[k], log: spansDecades(trials.map((t) => t.params[k]).filter((v) => typeof v === 'number')) })),
    { key: 'metric', label: metric, value: (t) => t.value }];
  const info = el('p', { class: 'muted', id: 'brush-info' });
  const plot = parallelCoordinates(trials, axes, {
    brushes,
    onBrush: (inside) => {
      for (const row of table.querySelectorAll('tr[data-trial]')) row.classList.toggle('filtered-out', !inside.has(row.dataset.trial));
      const ranges = Object.keys(brushes).length;
      info.textContent = ranges === 0 ? 'drag along an axis to filter the trials; click an axis to clear it' : `${inside.size} of ${trials.length} trials inside ${ranges} brushed range${ranges > 1 ? 's' : ''}`;
    },
  });
  return el('div', { id: 'parcoords' }, plot, info);
}

/** What a re-render would show differently: counts, statuses and values. */
const signature = ({ sweep, counts, trials }) => JSON.stringify([sweep.status, counts, trials.map((t) => [t.id, t.status, t.value])]);

export async function sweepView(view, name) {
  let shown = '';
  let param = null;
  const curveChoice = { key: 'loss' };
  const brushes = {};
  async function load() {
    const data = await api.sweep(name);
    const sig = signature(data);
    if (sig === shown) return;
    shown = sig;
    render(data);
  }
  function render(data) {
    const { sweep, counts, trials, aggregates } = data;
    const metric = sweep.metricName;
    const paramKeys = [...new Set(trials.flatMap((t) => Object.keys(t.params)))].filter((k) => trials.some((t) => typeof t.params[k] === 'number'));
    const done = counts.finished + counts.failed + counts.killed + counts.pruned;
    const scatterKey = param && paramKeys.includes(param) ? param : paramKeys.find((k) => k !== 'seed') ?? paramKeys[0];
    const byId = new Map(trials.map((t) => [t.id, t]));
    const scroll = window.scrollY;
    const curveSlot = el('div', { id: 'group-curves', class: 'charts' });
    const trialsTable = el('table', { id: 'trials' }, trials.map((t) => el('tr', { 'data-trial': t.id }, el('td', {}, runLink(t)), el('td', { class: `status-${t.status}` }, t.status),
      el('td', {}, paramText(t.params)), el('td', { class: 'num' }, num(t.value)), el('td', { class: 'error' }, t.error ?? ''))));
    const showError = (e) => curveSlot.replaceChildren(el('p', { class: 'error' }, e.message));
    view.replaceChildren(
      el('h2', {}, `Sweep ${sweep.name}`), el('p', {}, `${done}/${trials.length} done · ${counts.running} running · ${counts.failed} failed · ${counts.pending} pending · status ${sweep.status}`),
      el('progress', { max: trials.length, value: done }),
      el('p', {}, el('a', { href: urls.export({ sweep: sweep.name, format: 'csv' }) }, 'export CSV'), ' · ',
        el('a', { href: urls.export({ sweep: sweep.name, format: 'json' }) }, 'export JSON')),
      metric ? el('label', {}, 'param ', el('select', { id: 'sweep-param', onchange: (e) => { param = e.target.value; render(data); } },
        paramKeys.map((k) => el('option', { value: k, selected: k === scatterKey }, k)))) : '',
      scatterOf(metric, scatterKey, trials),
      el('h3', {}, 'Parameters against the metric'),
      parametersView(trials, metric, paramKeys, brushes, trialsTable),
      el('h3', {}, `Best trials (${metric ?? 'no metric'}, ${sweep.metricGoal ?? ''})`),
      el('ol', {}, data.best.map((id) => el('li', {}, runLink(byId.get(id)), ` ${num(byId.get(id).value)} · ${paramText(byId.get(id).params)}`))),
      el('h3', {}, `Parameter importance for ${metric ?? 'the metric'}`),
      importanceView(data.importance),
      el('h3', {}, 'Mean ± std over seeds'),
      el('table', { id: 'aggregates' }, el('tr', {}, el('th', {}, 'params'), el('th', {}, 'seeds'), el('th', {}, metric ?? 'metric')),
        aggregates.map((a) => el('tr', {}, el('td', {}, a.n > 1 ? el('a', { href: pages.compare(a.runIds), title: 'compare this group\'s runs' }, paramText(a.params)) : paramText(a.params)),
          el('td', { class: 'num' }, a.n), el('td', { class: 'num' }, `${num(a.mean)} ± ${num(a.std)}`)))),
      el('h3', {}, `Curves of the ${Math.min(CURVE_GROUPS, aggregates.length)} best seed groups`),
      curveSlot,
      el('h3', {}, 'Trials'), trialsTable);
    window.scrollTo(0, scroll);
    groupCurvesView(curveSlot, aggregates, curveChoice).catch(showError);
  }
  await load();
  return load;
}
