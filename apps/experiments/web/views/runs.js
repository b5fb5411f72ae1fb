// The runs table: filters, sorting, paging, selection for compare and export. Its state lives
// here, outside the view, so going to a run and back keeps filters, page and selection.
import { api } from '../lib/api.js';
import { el, num, pages, paramText, runLink } from '../lib/dom.js';
import { urls } from '../contract.js';

const state = { sort: 'created', dir: 'desc', offset: 0, limit: 50, status: '', variant: '', search: '', metric: '', min: '', max: '', group: false, selected: new Set() };

/** The preferred metric columns these runs have (at most six). */
const metricColumnsOf = (runs, preferred) => preferred.filter((m) => runs.some((r) => r.metrics[m])).slice(0, 6);

function query() {
  const q = new URLSearchParams({ sort: state.sort, dir: state.dir, limit: String(state.limit), offset: String(state.offset) });
  if (state.status) q.set('status', state.status);
  if (state.variant) q.set('variant', state.variant);
  if (state.search) q.set('search', state.search);
  if (state.metric && state.min !== '') q.set(`metric.${state.metric}.min`, state.min);
  if (state.metric && state.max !== '') q.set(`metric.${state.metric}.max`, state.max);
  return q;
}

export async function runsView(view) {
  const { variants, statuses, metricColumns } = await api.meta();
  const first = await api.runs(query());
  const shown = metricColumnsOf(first.runs, metricColumns);
  const body = el('tbody');
  const info = el('span', { class: 'muted' });
  const error = el('div', { class: 'error' });
  const header = el('tr');
  const columns = () => (state.group
    ? [['', null], ['group', 'name'], ['variant', 'variant'], ['status', null], ['params', null], ['n', null], ...shown.map((m) => [m, `metric:${m}`])]
    : [['', null], ['name', 'name'], ['variant', 'variant'], ['status', 'status'], ['params', null], ...shown.map((m) => [m, `metric:${m}`])]);
  const sortClass = (key) => (key ? `sortable${state.sort === key ? ` sorted-${state.dir}` : ''}` : '');
  const setSort = (key) => {
    state.dir = state.sort === key && state.dir === 'asc' ? 'desc' : 'asc';
    state.sort = key;
    load();
  };
  const drawHeader = () => header.replaceChildren(...columns().map(([label, key]) => el('th', { class: sortClass(key), onclick: key ? () => setSort(key) : null }, label)));
  drawHeader();
  const refilter = (name) => (e) => { state[name] = e.target.value; state.offset = 0; load(); };
  const input = (name, attrs = {}) => el('input', { value: state[name], ...attrs, onchange: refilter(name) });
  const select = (name, options) => el('select', { onchange: refilter(name) }, options.map((o) => el('option', { value: o, selected: state[name] === o }, o || 'any')));
  const exportSelected = (format) => {
    const ids = [...state.selected];
    if (ids.length === 0) { error.textContent = 'select runs to export (or export a whole sweep from its page)'; return; }
    location.href = urls.export({ format, runs: ids.join(',') });
  };
  const filters = el('div', { class: 'filters' },
    el('label', {}, 'status', select('status', ['', ...statuses])),
    el('label', {}, 'variant', select('variant', ['', ...variants])),
    el('label', {}, 'name contains', input('search', { name: 'search' })),
    el('label', {}, 'metric', input('metric', { placeholder: 'test/negativeElbo', name: 'metric' })),
    el('label', {}, 'min', input('min', { size: 6, name: 'min' })),
    el('label', {}, 'max', input('max', { size: 6, name: 'max' })),
    el('label', { title: 'runs that differ only in seed become one row: mean ± std over the group' }, 'group seeds',
      el('input', { id: 'group-seeds', type: 'checkbox', checked: state.group, onchange: (e) => { state.group = e.target.checked; state.offset = 0; if (state.group && state.sort === 'status') state.sort = 'created'; drawHeader(); load(); } })),
    el('button', { id: 'compare', onclick: () => { location.hash = pages.compare([...state.selected]); } }, 'compare selected'),
    el('button', { onclick: () => exportSelected('csv') }, 'export CSV'),
    el('button', { onclick: () => exportSelected('json') }, 'export JSON'));
  const pager = el('div', {},
    el('button', { onclick: () => { state.offset = Math.max(0, state.offset - state.limit); load(); } }, '‹ prev'), ' ',
    el('button', { onclick: () => { state.offset += state.limit; load(); } }, 'next ›'), ' ', info);
  view.replaceChildren(el('h2', {}, 'Runs'), filters, error, el('table', { id: 'runs' }, el('thead', {}, header), body), pager);

  const row = (r) => el('tr', { 'data-run': r.id },
    el('td', {}, el('input', { type: 'checkbox', checked: state.selected.has(r.id), onchange: (e) => (e.target.checked ? state.selected.add(r.id) : state.selected.delete(r.id)) })),
    el('td', {}, runLink(r)), el('td', {}, r.variant || ''), el('td', { class: `status-${r.status}` }, r.status),
    el('td', {}, paramText(r.params)),
    shown.map((m) => el('td', { class: 'num', title: r.metrics[m] ? `min ${num(r.metrics[m].min)} · max ${num(r.metrics[m].max)}` : '' }, r.metrics[m] ? num(r.metrics[m].last) : '')));

  const select1 = (ids) => (e) => { for (const id of ids) (e.target.checked ? state.selected.add(id) : state.selected.delete(id)); };
  const groupRow = (g) => el('tr', { 'data-group': g.key, 'data-n': g.n },
    el('td', {}, el('input', { type: 'checkbox', checked: g.runIds.every((id) => state.selected.has(id)), onchange: select1(g.runIds) })),
    el('td', {}, g.n > 1 ? el('a', { href: pages.compare(g.runIds), title: g.names.join('\n') }, `${g.names[0]} +${g.n - 1}`) : runLink({ id: g.runIds[0], name: g.names[0] })),
    el('td', {}, g.variant || ''), el('td', {}, Object.entries(g.statuses).map(([k, n]) => `${n} ${k}`).join(', ')),
    el('td', {}, paramText(g.params)), el('td', { class: 'num' }, g.n),
    shown.map((m) => el('td', { class: 'num', title: g.metrics[m] ? `over ${g.metrics[m].n} of ${g.n} runs` : '' }, g.metrics[m] ? `${num(g.metrics[m].mean)} ± ${num(g.metrics[m].std)}` : '')));

  async function load() {
    try {
      const page = state.group ? await api.groups(query()) : await api.runs(query());
      const rows = 'groups' in page ? page.groups.map(groupRow) : page.runs.map(row);
      error.textContent = '';
      info.textContent = `${page.total === 0 ? 0 : state.offset + 1}–${state.offset + rows.length} of ${page.total}${'groups' in page ? ` groups (${page.runs} runs)` : ''}`;
      body.replaceChildren(...rows);
      const cols = columns();
      header.querySelectorAll('th').forEach((th, i) => { th.className = sortClass(cols[i][1]); });
    } catch (e) {
      error.textContent = e.message;
    }
  }
  await load();
  return load;
}
