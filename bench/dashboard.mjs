// Dashboard at scale: a 10k-trial sweep (100 configurations × 100 seeds) in an SQLite store, the
// built dashboard serving it, and Debian's Chromium timing what a user waits for: the runs
// table's first rows, a sort by a metric column, the seed-grouped table, and the sweep page.
// Medians of 5, each from a fresh navigation. Skipped, saying why, without Chromium.
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../packages/tracking/dist/index.js';
import { startDashboard } from '../apps/experiments/dist/dashboard/serve.js';

const CHROMIUM = process.env.VAELAB_CHROMIUM ?? '/usr/bin/chromium';
const { chromium } = createRequire(new URL('../apps/experiments/package.json', import.meta.url))('playwright-core');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const REPEATS = 5;

async function fill(location, trials) {
  const store = await openStore(location);
  const specs = Array.from({ length: trials }, (_, i) => ({ params: { 'optim.lr': 10 ** -(2 + (i % 5) / 2), 'objective.beta': 0.5 + Math.floor(i / 5) % 20, seed: Math.floor(i / 100) }, variant: 'beta-vae' }));
  const { sweep } = await store.createSweep({ name: 'big', configText: 'bench', method: 'grid', metric: { name: 'test/negativeElbo', goal: 'minimize' }, trials: specs });
  const me = { pid: process.pid, host: 'bench' };
  for (let i = 0; i < trials; i++) {
    const run = await store.claimTrial(me, sweep.id);
    const lease = { runId: run.id, attempt: run.attempt };
    await store.logMetrics(lease, [{ key: 'loss', step: 0, value: 200 - (i % 50) }, { key: 'test/negativeElbo', step: 1, value: 90 + 5 * Math.log10(specs[i].params['optim.lr']) + (i % 7) / 10 }]);
    await store.endRun(lease, 'finished');
  }
  await store.close();
}

async function timed(page, action) {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

export async function benchDashboard(trials = 10_000) {
  if (!existsSync(CHROMIUM)) return { skipped: `no Chromium at ${CHROMIUM}` };
  const location = join(mkdtempSync(join(tmpdir(), 'vaelab-dash-bench-')), 'store.db');
  const fillStarted = performance.now();
  await fill(location, trials);
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  const { server, store, url } = await startDashboard({ location, port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const times = { table: [], sort: [], grouped: [], sweep: [], sweepAgain: [] };
  try {
    for (let r = 0; r < REPEATS; r++) {
      await page.goto('about:blank');
      times.table.push(await timed(page, async () => { await page.goto(url); await page.waitForSelector('#runs tbody tr'); }));
      times.sort.push(await timed(page, async () => {
        await page.click('th:text("test/negativeElbo")');
        await page.waitForFunction(() => document.querySelector('th.sorted-asc, th.sorted-desc')?.textContent === 'test/negativeElbo');
      }));
      times.grouped.push(await timed(page, async () => { await page.check('#group-seeds'); await page.waitForSelector('#runs tbody tr[data-group]'); }));
      await page.uncheck('#group-seeds');
      await page.waitForSelector('#runs tbody tr[data-run]');
      await page.goto('about:blank');
      // The first sweep load fits the importance forest; later ones hit the server's cache.
      const sweep = await timed(page, async () => { await page.goto(`${url}#/sweep/big`); await page.waitForSelector('#trials tr[data-trial]'); await page.waitForSelector('#parcoords svg'); });
      (r === 0 ? times.sweep : times.sweepAgain).push(sweep);
    }
  } finally {
    await browser.close();
    server.close();
    await store.close();
  }
  return { trials, fillSeconds, table: median(times.table), sort: median(times.sort), grouped: median(times.grouped), sweepFirst: times.sweep[0], sweepAgain: median(times.sweepAgain) };
}

export function printDashboard(r) {
  if (r.skipped) { console.log(`(dashboard bench skipped: ${r.skipped})`); return; }
  console.log(`| ${r.trials.toLocaleString('en')} runs in one sweep (SQLite) | ms, median of ${REPEATS} |`);
  console.log('|---|---:|');
  console.log(`| runs table: navigation to first rows | ${r.table.toFixed(0)} |`);
  console.log(`| sort by a metric column | ${r.sort.toFixed(0)} |`);
  console.log(`| group seeds (grouped and aggregated in SQL by the store) | ${r.grouped.toFixed(0)} |`);
  console.log(`| sweep page, first load (fits the importance forest) | ${r.sweepFirst.toFixed(0)} |`);
  console.log(`| sweep page, later loads | ${r.sweepAgain.toFixed(0)} |`);
  console.log(`(filling the store took ${r.fillSeconds.toFixed(0)} s)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printDashboard(await benchDashboard(Number(process.argv[2] ?? 10_000)));
