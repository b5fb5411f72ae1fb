// The list of sweeps with their trial counts.
import { api } from '../lib/api.js';
import { el, pages } from '../lib/dom.js';

const COUNTED = ['finished', 'running', 'pending', 'failed'];

export async function sweepsView(view) {
  const load = async () => {
    const sweeps = await api.sweeps();
    view.replaceChildren(el('h2', {}, 'Sweeps'), el('table', {}, el('tr', {}, ['sweep', 'status', 'metric', ...COUNTED].map((h) => el('th', {}, h))),
      sweeps.map((s) => el('tr', {}, el('td', {}, el('a', { href: pages.sweep(s.name) }, s.name)), el('td', {}, s.status),
        el('td', {}, s.metricName ? `${s.metricName} (${s.metricGoal})` : '-'), COUNTED.map((k) => el('td', { class: 'num' }, s.counts[k]))))));
  };
  await load();
  return load;
}
