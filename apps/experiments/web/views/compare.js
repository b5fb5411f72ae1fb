// Compare runs: one metric's curves overlaid, and their images side by side at the same step.
import { api, plottable } from '../lib/api.js';
import { alignSeries, chart } from '../lib/chart.js';
import { el, paramText, runLink } from '../lib/dom.js';
import { imageViewers } from '../lib/images.js';

export async function compareView(view, ids) {
  if (ids.length < 2) {
    view.replaceChildren(el('p', {}, 'Select at least two runs in the table, then press "compare selected".'));
    return null;
  }
  const details = await Promise.all(ids.map((id) => api.run(id)));
  const runs = details.map((d) => d.run);
  const keys = [...new Set(details.flatMap((d) => d.metrics.map((m) => m.key)))].sort();
  const slot = el('div', { class: 'charts' });
  const preferred = keys.includes('loss') ? 'loss' : keys[0];
  const draw = async (key) => {
    const series = await Promise.all(runs.map(async (r) => ({ points: (await api.series(r.id, key)).map((p) => ({ step: p.step, value: plottable(p.value) })) })));
    slot.replaceChildren(chart(key, runs.map((r) => ({ label: r.name })), alignSeries(series), { width: 720, height: 320 }));
  };
  view.replaceChildren(el('h2', {}, `Compare ${runs.length} runs`),
    el('table', {}, runs.map((r) => el('tr', {}, el('td', {}, runLink(r)), el('td', {}, r.variant), el('td', {}, paramText(r.params))))),
    el('label', {}, 'metric ', el('select', { id: 'compare-key', onchange: (e) => draw(e.target.value) }, keys.map((k) => el('option', { value: k, selected: k === preferred }, k)))),
    slot, el('h3', {}, 'Images at the same step'), ...imageViewers(runs, Object.fromEntries(details.map((d) => [d.run.id, d.images]))));
  if (preferred) await draw(preferred);
  return null;
}
