// Compare runs: one metric's curves overlaid (repeats over seeds as their mean with a ±std band),
// and their images side by side at the same step.
import { api, plottable } from '../lib/api.js';
import { alignSeries, chart, groupCurves } from '../lib/chart.js';
import { el, num, paramText, runLink } from '../lib/dom.js';
import { imageViewers } from '../lib/images.js';
import { groupBySeed } from '../lib/seed-groups.js';

/** Kept across visits. */
const settings = { bands: true };

export async function compareView(view, ids) {
  if (ids.length < 2) {
    view.replaceChildren(el('p', {}, 'Select at least two runs in the table, then press "compare selected".'));
    return null;
  }
  const details = await Promise.all(ids.map((id) => api.run(id)));
  const runs = details.map((d) => d.run);
  const groups = groupBySeed(runs);
  const repeated = groups.some((g) => g.runs.length > 1);
  const keys = [...new Set(details.flatMap((d) => d.metrics.filter((m) => m.kind === 'step').map((m) => m.key)))].sort();
  const evaluations = [...new Set(details.flatMap((d) => d.metrics.filter((m) => m.kind === 'evaluation').map((m) => m.key)))].sort();
  const slot = el('div', { class: 'charts' });
  const picker = el('select', { id: 'compare-key', onchange: () => draw() }, keys.map((k) => el('option', { value: k, selected: k === (keys.includes('loss') ? 'loss' : keys[0]) }, k)));
  const draw = async () => {
    const key = picker.value;
    if (!key) return;
    const pointsOf = new Map(await Promise.all(runs.map(async (r) => [r.id, (await api.series(r.id, key)).map((p) => ({ step: p.step, value: plottable(p.value) }))])));
    const options = { width: 720, height: 320 };
    if (repeated && settings.bands) {
      const curves = groupCurves(groups.map((g) => ({ label: g.runs[0].name, runs: g.runs.map((r) => pointsOf.get(r.id)) })));
      slot.replaceChildren(chart(key, curves.series, curves.data, { ...options, bands: curves.bands }));
    } else {
      slot.replaceChildren(chart(key, runs.map((r) => ({ label: r.name })), alignSeries(runs.map((r) => ({ points: pointsOf.get(r.id) }))), options));
    }
  };
  const bandToggle = repeated
    ? el('label', { title: 'runs that differ only in seed as one curve: their mean, with a band of ±1 std' }, ' seed groups as mean ± std ',
      el('input', { id: 'seed-bands', type: 'checkbox', checked: settings.bands, onchange: (e) => { settings.bands = e.target.checked; draw(); } }))
    : '';
  // Per-epoch evaluations as columns: the last value, with the best and its step on hover.
  const cell = (d, key) => {
    const m = d.metrics.find((x) => x.key === key);
    return el('td', { class: 'num', title: m && m.bestStep != null ? `best ${num(m.best)} at step ${m.bestStep}` : '' }, m ? num(m.last) : '');
  };
  view.replaceChildren(el('h2', {}, `Compare ${runs.length} runs${repeated ? ` in ${groups.length} seed groups` : ''}`),
    el('table', { id: 'compare-runs' }, el('tr', {}, el('th', {}, 'run'), el('th', {}, 'variant'), el('th', {}, 'params'), evaluations.map((k) => el('th', {}, k))),
      details.map((d) => el('tr', { 'data-run': d.run.id }, el('td', {}, runLink(d.run)), el('td', {}, d.run.variant), el('td', {}, paramText(d.run.params)), evaluations.map((k) => cell(d, k))))),
    el('label', {}, 'metric ', picker), bandToggle,
    slot, el('h3', {}, 'Images at the same step'), ...imageViewers(runs, Object.fromEntries(details.map((d) => [d.run.id, d.images]))));
  await draw();
  return null;
}
