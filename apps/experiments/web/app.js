// VAE Lab dashboard page: hash-routed views over the JSON API only. Every user-provided string
// goes into the page as text (textContent / attributes), never as HTML.
'use strict';
const view = document.getElementById('view');
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563', '#db2777'];
let refresh = null;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v != null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c != null) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

async function api(path) {
  const res = await fetch(path);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

const num = (v) => (v == null ? '' : typeof v === 'string' ? v : Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(5))));
const paramText = (params) => Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'number' ? num(v) : JSON.stringify(v)}`).join(' ');
const runLink = (r) => el('a', { href: `#/run/${encodeURIComponent(r.id)}` }, r.name);

function chart(title, seriesList, width = 420, height = 220, scatter = false) {
  // seriesList: [{ label, points: [{step, value}] }]; aligned on the union of steps.
  const steps = [...new Set(seriesList.flatMap((s) => s.points.map((p) => p.step)))].sort((a, b) => a - b);
  const data = [steps, ...seriesList.map((s) => {
    const byStep = new Map(s.points.map((p) => [p.step, typeof p.value === 'number' ? p.value : null]));
    return steps.map((x) => (byStep.has(x) ? byStep.get(x) : null));
  })];
  const box = el('div', { class: 'chart', 'data-title': title }, el('h4', {}, title));
  const opts = {
    width, height, scales: { x: { time: false } }, legend: { show: seriesList.length > 1 },
    series: [{ label: scatter ? title.split(' vs ')[1] : 'step' }, ...seriesList.map((s, i) => ({
      label: s.label, stroke: COLORS[i % COLORS.length], spanGaps: !scatter,
      ...(scatter ? { paths: () => null, points: { show: true, size: 8, fill: COLORS[i % COLORS.length] } } : { points: { show: steps.length < 30 } }),
    }))],
  };
  box.plot = new uPlot(opts, data, box);
  return box;
}

function imageViewer(runs, key, imagesByRun) {
  // One slider over the union of steps; each run's image at that step side by side.
  const steps = [...new Set(runs.flatMap((r) => imagesByRun[r.id].filter((i) => i.key === key).map((i) => i.step)))].sort((a, b) => a - b);
  const imgs = runs.map((r) => el('img', { alt: `${key} of ${r.name}` }));
  const label = el('span', { class: 'muted' });
  const show = (idx) => {
    const step = steps[idx];
    label.textContent = ` step ${step}`;
    runs.forEach((r, i) => {
      const has = imagesByRun[r.id].some((im) => im.key === key && im.step === step);
      imgs[i].src = has ? `/api/runs/${encodeURIComponent(r.id)}/image?key=${encodeURIComponent(key)}&step=${step}` : '';
      imgs[i].title = has ? '' : 'no image at this step';
    });
  };
  const slider = el('input', { type: 'range', min: 0, max: steps.length - 1, value: steps.length - 1, oninput: (e) => show(Number(e.target.value)) });
  show(steps.length - 1);
  return el('div', { class: 'image-block', 'data-key': key }, el('h4', {}, key), slider, label,
    el('div', { class: 'images' }, runs.map((r, i) => el('figure', {}, imgs[i], runs.length > 1 ? el('figcaption', {}, r.name) : null))));
}

// ---- runs table ----
const tableState = { sort: 'created', dir: 'desc', offset: 0, limit: 50, status: '', variant: '', search: '', metric: '', min: '', max: '', selected: new Set() };
let metaPromise = null;
/** Variants, states and metric columns, as the server defines them (fetched once). */
const meta = () => (metaPromise ??= api('/api/meta'));
/** The preferred metric columns these runs have (at most six). */
const metricColumnsOf = (runs, preferred) => preferred.filter((m) => runs.some((r) => r.metrics[m])).slice(0, 6);

function runsQuery() {
  const s = tableState;
  const q = new URLSearchParams({ sort: s.sort, dir: s.dir, limit: s.limit, offset: s.offset });
  if (s.status) q.set('status', s.status);
  if (s.variant) q.set('variant', s.variant);
  if (s.search) q.set('search', s.search);
  if (s.metric && s.min !== '') q.set(`metric.${s.metric}.min`, s.min);
  if (s.metric && s.max !== '') q.set(`metric.${s.metric}.max`, s.max);
  return q;
}

async function runsView() {
  const { variants, statuses, metricColumns } = await meta();
  const first = await api(`/api/runs?${runsQuery()}`);
  const METRIC_COLUMNS = metricColumnsOf(first.runs, metricColumns);
  const body = el('tbody');
  const info = el('span', { class: 'muted' });
  const error = el('div', { class: 'error' });
  const header = el('tr');
  const setSort = (key) => {
    tableState.dir = tableState.sort === key && tableState.dir === 'asc' ? 'desc' : 'asc';
    tableState.sort = key;
    load();
  };
  const columns = [['', null], ['name', 'name'], ['variant', 'variant'], ['status', 'status'], ['params', null], ...METRIC_COLUMNS.map((m) => [m, `metric:${m}`])];
  for (const [label, key] of columns) {
    const cls = key ? `sortable${tableState.sort === key ? ` sorted-${tableState.dir}` : ''}` : '';
    header.append(el('th', { class: cls, onclick: key ? () => setSort(key) : null }, label));
  }
  const input = (name, attrs = {}) => el('input', { value: tableState[name], ...attrs, onchange: (e) => { tableState[name] = e.target.value; tableState.offset = 0; load(); } });
  const select = (name, options) => el('select', { onchange: (e) => { tableState[name] = e.target.value; tableState.offset = 0; load(); } },
    options.map((o) => el('option', { value: o, selected: tableState[name] === o }, o || 'any')));
  const filters = el('div', { class: 'filters' },
    el('label', {}, 'status', select('status', ['', ...statuses])),
    el('label', {}, 'variant', select('variant', ['', ...variants])),
    el('label', {}, 'name contains', input('search', { name: 'search' })),
    el('label', {}, 'metric', input('metric', { placeholder: 'test/negativeElbo', name: 'metric' })),
    el('label', {}, 'min', input('min', { size: 6, name: 'min' })),
    el('label', {}, 'max', input('max', { size: 6, name: 'max' })),
    el('button', { id: 'compare', onclick: () => { location.hash = `#/compare?ids=${[...tableState.selected].join(',')}`; } }, 'compare selected'),
    el('button', { onclick: () => exportSelected('csv') }, 'export CSV'),
    el('button', { onclick: () => exportSelected('json') }, 'export JSON'));
  const pager = el('div', {},
    el('button', { onclick: () => { tableState.offset = Math.max(0, tableState.offset - tableState.limit); load(); } }, '‹ prev'), ' ',
    el('button', { onclick: () => { tableState.offset += tableState.limit; load(); } }, 'next ›'), ' ', info);
  view.replaceChildren(el('h2', {}, 'Runs'), filters, error, el('table', { id: 'runs' }, el('thead', {}, header), body), pager);

  async function load() {
    try {
      const { total, runs } = await api(`/api/runs?${runsQuery()}`);
      error.textContent = '';
      info.textContent = `${total === 0 ? 0 : tableState.offset + 1}–${tableState.offset + runs.length} of ${total}`;
      body.replaceChildren(...runs.map((r) => el('tr', { 'data-run': r.id },
        el('td', {}, el('input', { type: 'checkbox', checked: tableState.selected.has(r.id), onchange: (e) => (e.target.checked ? tableState.selected.add(r.id) : tableState.selected.delete(r.id)) })),
        el('td', {}, runLink(r)), el('td', {}, r.variant || ''), el('td', { class: `status-${r.status}` }, r.status),
        el('td', {}, paramText(r.params)),
        METRIC_COLUMNS.map((m) => el('td', { class: 'num', title: r.metrics[m] ? `min ${num(r.metrics[m].min)} · max ${num(r.metrics[m].max)}` : '' }, r.metrics[m] ? num(r.metrics[m].last) : '')))));
      header.querySelectorAll('th').forEach((th, i) => {
        const key = columns[i][1];
        th.className = key ? `sortable${tableState.sort === key ? ` sorted-${tableState.dir}` : ''}` : '';
      });
    } catch (e) {
      error.textContent = e.message;
    }
  }
  function exportSelected(format) {
    const ids = [...tableState.selected];
    if (ids.length === 0) { error.textContent = 'select runs to export (or export a whole sweep from its page)'; return; }
    location.href = `/api/export?format=${format}&runs=${ids.join(',')}`;
  }
  await load();
  return load;
}

// ---- run page ----
async function runView(id) {
  const data = await api(`/api/runs/${encodeURIComponent(id)}`);
  const { run } = data;
  const charts = new Map();
  const chartBox = el('div', { class: 'charts' });
  const status = el('span', { class: `status-${run.status}` }, run.status);
  const keys = data.metrics.map((m) => m.key);
  const env = el('table', {}, [['backend', run.backend], ['git', run.gitSha], ['data', run.dataChecksum], ['attempt', run.attempt],
    ...Object.entries(run.versions || {})].map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v ?? '-'))));
  const imageKeys = [...new Set(data.images.map((i) => i.key))];
  view.replaceChildren(
    el('h2', { id: 'run-name' }, run.name), el('p', {}, run.variant || '', ' · ', status, run.sweepId ? ' · ' : '', run.sweepId ? el('a', { href: `#/sweep/${encodeURIComponent(run.sweepId)}` }, 'sweep') : ''),
    run.error ? el('p', { class: 'error' }, run.error) : '',
    el('h3', {}, 'Curves'), chartBox,
    el('h3', {}, 'Images'), el('div', {}, imageKeys.map((k) => imageViewer([run], k, { [run.id]: data.images }))),
    el('h3', {}, 'Config'), el('pre', {}, JSON.stringify(run.config ?? run.params, null, 2)),
    el('h3', {}, 'Environment'), env);
  async function load() {
    for (const key of keys) {
      const points = await api(`/api/runs/${encodeURIComponent(id)}/series?key=${encodeURIComponent(key)}`);
      if (!charts.has(key)) {
        const c = chart(key, [{ label: key, points }], 340, 180);
        charts.set(key, c);
        chartBox.append(c);
      } else {
        const c = charts.get(key);
        c.plot.setData([points.map((p) => p.step), points.map((p) => (typeof p.value === 'number' ? p.value : null))]);
      }
    }
    const fresh = await api(`/api/runs/${encodeURIComponent(id)}`);
    status.textContent = fresh.run.status;
    status.className = `status-${fresh.run.status}`;
  }
  await load();
  return run.status === 'running' || run.status === 'pending' ? load : null;
}

// ---- compare ----
async function compareView(ids) {
  if (ids.length < 2) { view.replaceChildren(el('p', {}, 'Select at least two runs in the table, then press "compare selected".')); return null; }
  const details = await Promise.all(ids.map((id) => api(`/api/runs/${encodeURIComponent(id)}`)));
  const runs = details.map((d) => d.run);
  const keys = [...new Set(details.flatMap((d) => d.metrics.map((m) => m.key)))].sort();
  const chartSlot = el('div', { class: 'charts' });
  const imagesByRun = Object.fromEntries(details.map((d) => [d.run.id, d.images]));
  const imageKeys = [...new Set(details.flatMap((d) => d.images.map((i) => i.key)))];
  const preferred = keys.includes('loss') ? 'loss' : keys[0];
  const draw = async (key) => {
    const series = await Promise.all(runs.map(async (r) => ({ label: r.name, points: await api(`/api/runs/${encodeURIComponent(r.id)}/series?key=${encodeURIComponent(key)}`) })));
    chartSlot.replaceChildren(chart(key, series, 720, 320));
  };
  view.replaceChildren(el('h2', {}, `Compare ${runs.length} runs`),
    el('table', {}, runs.map((r) => el('tr', {}, el('td', {}, runLink(r)), el('td', {}, r.variant), el('td', {}, paramText(r.params))))),
    el('label', {}, 'metric ', el('select', { id: 'compare-key', onchange: (e) => draw(e.target.value) }, keys.map((k) => el('option', { value: k, selected: k === preferred }, k)))),
    chartSlot, el('h3', {}, 'Images at the same step'), ...imageKeys.map((k) => imageViewer(runs, k, imagesByRun)));
  await draw(preferred);
  return null;
}

// ---- sweeps ----
async function sweepsView() {
  const sweeps = await api('/api/sweeps');
  view.replaceChildren(el('h2', {}, 'Sweeps'), el('table', {}, el('tr', {}, ['sweep', 'status', 'metric', 'finished', 'running', 'pending', 'failed'].map((h) => el('th', {}, h))),
    sweeps.map((s) => el('tr', {}, el('td', {}, el('a', { href: `#/sweep/${encodeURIComponent(s.name)}` }, s.name)), el('td', {}, s.status),
      el('td', {}, s.metricName ? `${s.metricName} (${s.metricGoal})` : '-'), ['finished', 'running', 'pending', 'failed'].map((k) => el('td', { class: 'num' }, s.counts[k]))))));
  return sweepsView;
}

/** Bars of each parameter's share of the metric's explained error, most important first. */
function importanceView(importance) {
  if (importance.ranking == null) return el('p', { class: 'muted', id: 'importance' }, `not ranked: ${importance.reason}`);
  return el('div', { id: 'importance' },
    el('table', {}, importance.ranking.map((r) => el('tr', {}, el('td', {}, r.param), el('td', { class: 'num' }, `${(100 * r.importance).toFixed(1)}%`),
      el('td', {}, el('span', { class: 'bar', style: `width: ${Math.round(300 * r.importance)}px` }))))),
    el('p', { class: 'muted' }, `${importance.method}, over ${importance.trials} finished trials`));
}

async function sweepView(name) {
  const box = el('div');
  view.replaceChildren(box);
  async function load() {
    const data = await api(`/api/sweeps/${encodeURIComponent(name)}`);
    const { sweep, counts, trials, aggregates } = data;
    const metric = sweep.metricName;
    const paramKeys = [...new Set(trials.flatMap((t) => Object.keys(t.params)))].filter((k) => trials.some((t) => typeof t.params[k] === 'number'));
    const total = trials.length;
    const done = counts.finished + counts.failed + counts.killed + counts.pruned;
    const scatterKey = box.dataset.param && paramKeys.includes(box.dataset.param) ? box.dataset.param : paramKeys.find((k) => k !== 'seed') ?? paramKeys[0];
    const scored = trials.filter((t) => typeof t.value === 'number' && typeof t.params[scatterKey] === 'number').sort((a, b) => a.params[scatterKey] - b.params[scatterKey]);
    // Trials sharing a param value (other seeds) go to separate series so every point shows.
    const ranks = new Map();
    const layers = [];
    for (const t of scored) {
      const rank = ranks.get(t.params[scatterKey]) ?? 0;
      ranks.set(t.params[scatterKey], rank + 1);
      (layers[rank] ??= []).push({ step: t.params[scatterKey], value: t.value });
    }
    const scatter = metric && scored.length > 0
      ? chart(`${metric} vs ${scatterKey}`, layers.map((points, i) => ({ label: layers.length > 1 ? `${metric} #${i + 1}` : metric, points })), 520, 260, true)
      : el('p', { class: 'muted' }, 'no scored trials yet');
    const byId = new Map(trials.map((t) => [t.id, t]));
    box.replaceChildren(
      el('h2', {}, `Sweep ${sweep.name}`), el('p', {}, `${done}/${total} done · ${counts.running} running · ${counts.failed} failed · ${counts.pending} pending · status ${sweep.status}`),
      el('progress', { max: total, value: done }),
      el('p', {}, el('a', { href: `/api/export?sweep=${encodeURIComponent(sweep.name)}&format=csv` }, 'export CSV'), ' · ',
        el('a', { href: `/api/export?sweep=${encodeURIComponent(sweep.name)}&format=json` }, 'export JSON')),
      metric ? el('label', {}, 'param ', el('select', { onchange: (e) => { box.dataset.param = e.target.value; load(); } }, paramKeys.map((k) => el('option', { value: k, selected: k === scatterKey }, k)))) : '',
      scatter,
      el('h3', {}, `Best trials (${metric ?? 'no metric'}, ${sweep.metricGoal ?? ''})`),
      el('ol', {}, data.best.map((id) => el('li', {}, runLink(byId.get(id)), ` ${num(byId.get(id).value)} · ${paramText(byId.get(id).params)}`))),
      el('h3', {}, `Parameter importance for ${metric ?? 'the metric'}`),
      importanceView(data.importance),
      el('h3', {}, 'Mean ± std over seeds'),
      el('table', { id: 'aggregates' }, el('tr', {}, el('th', {}, 'params'), el('th', {}, 'seeds'), el('th', {}, metric ?? 'metric')),
        aggregates.map((a) => el('tr', {}, el('td', {}, paramText(a.params)), el('td', { class: 'num' }, a.n), el('td', { class: 'num' }, `${num(a.mean)} ± ${num(a.std)}`)))),
      el('h3', {}, 'Trials'),
      el('table', {}, trials.map((t) => el('tr', {}, el('td', {}, runLink(t)), el('td', { class: `status-${t.status}` }, t.status), el('td', {}, paramText(t.params)), el('td', { class: 'num' }, num(t.value)), el('td', { class: 'error' }, t.error ?? '')))));
  }
  await load();
  return load;
}

async function route() {
  clearInterval(refresh);
  const [path, query] = location.hash.slice(1).split('?');
  const parts = (path || '/').split('/').filter(Boolean).map(decodeURIComponent);
  try {
    let reload;
    if (parts[0] === 'run') reload = await runView(parts[1]);
    else if (parts[0] === 'compare') reload = await compareView((new URLSearchParams(query).get('ids') || '').split(',').filter(Boolean));
    else if (parts[0] === 'sweeps') reload = await sweepsView();
    else if (parts[0] === 'sweep') reload = await sweepView(parts[1]);
    else reload = await runsView();
    if (reload) refresh = setInterval(() => reload().catch(() => {}), 3000);
  } catch (e) {
    view.replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

window.addEventListener('hashchange', route);
route();
