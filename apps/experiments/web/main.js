// The dashboard page's router: a hash route picks a view; a view that can change returns a
// reload function, called again 3 s after each reload finishes (never two at once) until it
// answers false or the route changes.
import { el } from './lib/dom.js';
import { compareView } from './views/compare.js';
import { explorerView } from './views/explorer.js';
import { runView } from './views/run.js';
import { runsView } from './views/runs.js';
import { sweepView } from './views/sweep.js';
import { sweepsView } from './views/sweeps.js';

const view = document.getElementById('view');
const REFRESH_MS = 3000;
let generation = 0;

function open(path, query) {
  const parts = (path || '/').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'run') return runView(view, parts[1]);
  if (parts[0] === 'explore') return explorerView(view, parts[1]);
  if (parts[0] === 'compare') return compareView(view, (new URLSearchParams(query).get('ids') || '').split(',').filter(Boolean));
  if (parts[0] === 'sweeps') return sweepsView(view);
  if (parts[0] === 'sweep') return sweepView(view, parts[1]);
  return runsView(view);
}

async function route() {
  const mine = ++generation;
  const [path, query] = location.hash.slice(1).split('?');
  try {
    const reload = await open(path, query);
    if (!reload) return;
    const tick = async () => {
      if (mine !== generation) return;
      const more = await reload().catch(() => true);
      if (more !== false && mine === generation) setTimeout(tick, REFRESH_MS);
    };
    setTimeout(tick, REFRESH_MS);
  } catch (e) {
    if (mine === generation) view.replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

window.addEventListener('hashchange', route);
route();
