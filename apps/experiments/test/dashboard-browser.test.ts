// The dashboard in a real headless Chromium (Debian's package, driven by playwright-core):
// the table, sorting, a run page (metrics table, curves with smoothing and log-y, live refresh
// that appends and keeps the zoom), an image, compare, and escaping.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaseOf, openStore, workerHost } from '@vaelab/tracking';
import { MALICIOUS } from './dashboard-fixture.js';
import { chromiumAvailable, type DashboardSession, openDashboardSession, SHOTS } from './dashboard-session.js';

let session: DashboardSession;
let page: Page;
let base: string;
let ids: string[];
let storePath: string;

beforeAll(async () => {
  if (!chromiumAvailable) return;
  session = await openDashboardSession();
  ({ page, base, ids, storePath } = session);
});

afterAll(async () => {
  await session?.close();
});

const runNames = () => page.$$eval('#runs tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent));

describe.skipIf(!chromiumAvailable)('dashboard in Chromium', () => {
  it('lists the runs and sorts by a column', async () => {
    await page.goto(base);
    await page.waitForSelector('#runs tbody tr');
    expect(await page.$$eval('#runs tbody tr', (rows) => rows.length)).toBe(7);
    await page.click('th:text("name")');
    await page.waitForFunction(() => document.querySelector('th.sorted-asc')?.textContent === 'name');
    const asc = await runNames();
    expect(asc.slice(0, 6)).toEqual([...asc.slice(0, 6)].sort());
    await page.click('th:text("test/mig")');
    await page.click('th:text("test/mig")');
    await page.waitForFunction(() => document.querySelector('th.sorted-desc')?.textContent === 'test/mig');
    const column = await page.$$eval('#runs thead th', (ths) => ths.findIndex((th) => th.textContent === 'test/mig') + 1);
    const migs = await page.$$eval(`#runs tbody tr td:nth-child(${column})`, (tds) => tds.map((td) => Number(td.textContent)).filter((v) => v > 0));
    expect(migs).toEqual([...migs].sort((a, b) => b - a));
    await page.screenshot({ path: join(SHOTS, 'runs-table.png'), fullPage: true });
  });

  it('shows a malicious run name as text, without running it', async () => {
    await page.goto(base);
    await page.waitForSelector('#runs tbody tr');
    expect(await runNames()).toContain(MALICIOUS);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$eval('#runs img, #runs script', (n) => n.length)).toBe(0);
    await page.goto(`${base}#/run/${ids[6]}`);
    await page.waitForSelector('#run-name');
    expect(await page.textContent('#run-name')).toBe(MALICIOUS);
    await page.waitForSelector('#metrics tbody tr');
    expect(await page.$$eval('#metrics tbody td:first-child', (tds) => tds.map((td) => td.textContent))).toContain(MALICIOUS);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: join(SHOTS, 'malicious-run.png'), fullPage: true });
  });

  it('a run page shows a curve and an image with a step slider', async () => {
    await page.goto(`${base}#/run/${ids[0]}`);
    await page.waitForFunction(() => document.querySelector('#run-name')?.textContent === 'fixture-sweep#0');
    await page.waitForSelector('.chart[data-title="loss"] canvas');
    await page.waitForSelector('.image-block img[src*="samples"]');
    const img = page.locator('.image-block img').first();
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(36); // 8 px × scale 4 + padding
    expect(await img.getAttribute('src')).toContain('step=20');
    await page.locator('.image-block input[type=range]').fill('0');
    expect(await img.getAttribute('src')).toContain('step=10');
    const drawn = await page.locator('.chart[data-title="loss"] canvas').evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
      return ink;
    });
    expect(drawn).toBeGreaterThan(200);
    await page.screenshot({ path: join(SHOTS, 'run-page.png'), fullPage: true });
  });

  it('compare overlays two runs and shows their images side by side', async () => {
    await page.goto(base);
    await page.waitForSelector('#runs tbody tr');
    await page.click(`tr[data-run="${ids[0]}"] input[type=checkbox]`);
    await page.click(`tr[data-run="${ids[4]}"] input[type=checkbox]`);
    await page.click('#compare');
    await page.waitForSelector('.chart canvas');
    const legend = await page.$$eval('.chart .u-legend .u-series th', (ths) => ths.map((t) => t.textContent?.trim()).filter(Boolean));
    expect(legend).toEqual(expect.arrayContaining(['fixture-sweep#0', 'fixture-sweep#4']));
    expect(await page.$$eval('.image-block figure img', (imgs) => imgs.length)).toBe(2);
    // Per-epoch evaluations are a table, not curves: the last values, the best on hover.
    expect(await page.$$eval('#compare-key option', (os) => os.map((o) => o.textContent))).toEqual(['loss']);
    const column = await page.$$eval('#compare-runs th', (ths) => ths.findIndex((th) => th.textContent === 'test/mig') + 1);
    expect(await page.$$eval(`#compare-runs tr[data-run] td:nth-child(${column})`, (tds) => tds.map((td) => [td.textContent, td.getAttribute('title')])))
      .toEqual([['0.05', 'best 0.052 at step 10'], ['0.21', 'best 0.212 at step 10']]);
    await page.screenshot({ path: join(SHOTS, 'compare.png'), fullPage: true });
  });

  it('the sweep page shows progress, the scatter, best trials, parameter importance and mean ± std over seeds', async () => {
    await page.goto(`${base}#/sweep/fixture-sweep`);
    await page.waitForSelector('#aggregates tr:nth-child(2)');
    expect(await page.textContent('#aggregates')).toContain('0.21 ± 0.01');
    // Only beta varies (seed never counts as a parameter): it explains everything.
    expect(await page.$$eval('#importance tr', (rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).slice(0, 2).map((td) => td.textContent)))).toEqual([['objective.beta', '100.0%']]);
    expect(await page.textContent('#importance')).toContain('over 6 finished trials');
    await page.waitForSelector('#group-curves .chart canvas');
    const groupLegend = await page.$$eval('#group-curves .u-legend .u-series th', (ths) => ths.map((t) => t.textContent?.trim() ?? ''));
    expect(groupLegend.filter((l) => l.endsWith('(n=3)'))).toEqual(['objective.beta=4 (n=3)', 'objective.beta=1 (n=3)']);
    await page.screenshot({ path: join(SHOTS, 'sweep.png'), fullPage: true });
  });
  it('the runs table groups seeds into rows with n and mean ± std, and a group opens as curves with a ±std band', async () => {
    await page.goto(base);
    await page.waitForSelector('#runs tbody tr');
    await page.check('#group-seeds');
    await page.waitForSelector('#runs tbody tr[data-group]');
    expect(await page.$$eval('#runs tbody tr', (rows) => rows.map((r) => r.getAttribute('data-n')).sort())).toEqual(['1', '3', '3']);
    const column = await page.$$eval('#runs thead th', (ths) => ths.findIndex((th) => th.textContent === 'test/mig') + 1);
    const migs = await page.$$eval(`#runs tbody tr[data-n="3"] td:nth-child(${column})`, (tds) => tds.map((td) => td.textContent).sort());
    expect(migs).toEqual(['0.06 ± 0.01', '0.21 ± 0.01']);
    expect(await page.$$eval('#runs tbody tr[data-n="1"] td:nth-child(2)', (tds) => tds[0].textContent)).toBe(MALICIOUS);
    await page.screenshot({ path: join(SHOTS, 'runs-grouped.png'), fullPage: true });
    // The beta = 4 group: fixture runs 3, 4 and 5, whose loss is 200 / (1 + step (i + 1) / 20).
    await page.click(`#runs tbody tr[data-n="3"]:has(td:text("objective.beta=4")) td:nth-child(2) a`);
    await page.waitForSelector('#seed-bands');
    await page.waitForSelector('.chart[data-title="loss"] canvas');
    type Banded = HTMLElement & { plot: { data: (number | null)[][]; bands: { series: number[] }[] } };
    const { data, bands, legend } = await page.$eval('.chart[data-title="loss"]', (c) => ({
      data: (c as Banded).plot.data.map((col) => [...col]), bands: (c as Banded).plot.bands.map((b) => b.series),
      legend: Array.from(c.querySelectorAll('.u-legend .u-series th')).map((t) => t.textContent?.trim()),
    }));
    expect(legend.filter((l) => l?.endsWith('(n=3)'))).toHaveLength(1);
    // The band's edges are drawn but have no legend rows of their own.
    expect(await page.$$eval('.chart[data-title="loss"] .u-legend .u-series', (rows) => rows.filter((r) => (r as HTMLElement).style.display !== 'none').length)).toBe(2);
    expect(bands).toEqual([[2, 3]]);
    const losses = [3, 4, 5].map((i) => 200 / (1 + 10 * (i + 1) * 0.05));
    const mean = losses.reduce((a, b) => a + b) / 3;
    const std = Math.sqrt(losses.reduce((a, v) => a + (v - mean) ** 2, 0) / 2);
    expect(data[0][10]).toBe(10);
    expect(data[1][10]).toBeCloseTo(mean, 6);
    expect(data[2][10]! - data[1][10]!).toBeCloseTo(std, 6);
    expect(data[1][10]! - data[3][10]!).toBeCloseTo(std, 6);
    await page.screenshot({ path: join(SHOTS, 'compare-seed-group.png'), fullPage: true });
    await page.uncheck('#seed-bands');
    // Without bands: one curve per run (x and three columns, as the banded chart also has, so wait on the bands).
    await expect.poll(() => page.$eval('.chart[data-title="loss"]', (c) => (c as Banded).plot.bands.length)).toBe(0);
    expect(await page.$eval('.chart[data-title="loss"]', (c) => (c as Banded).plot.data.length)).toBe(4);
    expect(await page.$$eval('.chart[data-title="loss"] .u-legend .u-series th', (ths) => ths.slice(1).map((t) => t.textContent?.trim()).sort()))
      .toEqual(['fixture-sweep#3', 'fixture-sweep#4', 'fixture-sweep#5']);
    await page.check('#seed-bands');
    await page.goto(base);
    await page.waitForSelector('#runs tbody tr');
    await page.uncheck('#group-seeds');
    await page.waitForSelector('#runs tbody tr[data-run]');
  });

  it('a run page shows the images of other selected trials beside its own, at the same step', async () => {
    await page.goto(`${base}#/run/${ids[1]}`);
    await page.waitForFunction(() => document.querySelector('#run-name')?.textContent === 'fixture-sweep#1' && document.querySelector('#image-runs'));
    await page.selectOption('#image-runs', [ids[0], ids[4]]);
    await page.waitForFunction(() => document.querySelectorAll('.image-block figure img').length === 3);
    const sources = () => page.$$eval('.image-block figure img', (imgs) => imgs.map((i) => new URL((i as HTMLImageElement).src).searchParams.get('step')));
    expect(await sources()).toEqual(['20', '20', '20']);
    expect(await page.$$eval('.image-block figcaption', (cs) => cs.map((c) => c.textContent))).toEqual(['fixture-sweep#1', 'fixture-sweep#0', 'fixture-sweep#4']);
    await page.locator('.image-block input[type=range]').fill('0');
    expect(await sources()).toEqual(['10', '10', '10']);
    await page.screenshot({ path: join(SHOTS, 'run-page-images-beside.png'), fullPage: true });
  });

  it('a run page tables the evaluations with best and its step, and draws curves for per-step series only', async () => {
    await page.goto(`${base}#/run/${ids[0]}`);
    // The page before was another run's: wait for this one's, not its leftover table.
    await page.waitForFunction(() => document.querySelector('#run-name')?.textContent === 'fixture-sweep#0' && document.querySelector('#metrics tr[data-key="test/mig"]'));
    const cells = await page.$$eval('#metrics tr[data-key="test/mig"] td', (tds) => tds.map((td) => td.textContent));
    // metric, last, best, step of best, min, max, points: the best (0.052) came before the last (0.05).
    expect(cells).toEqual(['test/mig', '0.05', '0.052', '10', '0.05', '0.052', '2']);
    await page.waitForSelector('.chart[data-title="loss"] canvas');
    expect(await page.$$('.chart[data-title="test/mig"]')).toHaveLength(0);
    expect(await page.$$eval('#metrics tr[data-key="loss"] td', (tds) => tds[3].textContent)).toBe('49');
  });

  it('smoothing is a debiased moving average of the raw curve, and log y switches the axis', async () => {
    await page.goto(`${base}#/run/${ids[0]}`);
    await page.waitForSelector('.chart[data-title="loss"] canvas');
    type Plotted = HTMLElement & { plot: { data: (number | null)[][]; scales: Record<string, { distr: number; min: number; max: number }> } };
    const columns = () => page.$eval('.chart[data-title="loss"]', (c) => (c as Plotted).plot.data.map((col) => [...col]));
    await page.locator('#smoothing').fill('0');
    const [, raw, flat] = await columns();
    expect(flat).toEqual(raw);
    await page.locator('#smoothing').fill('0.9');
    const [, , smoothed] = await columns();
    const w = 0.9;
    expect(smoothed[0]).toBeCloseTo(raw[0]!, 9);
    expect(smoothed[1]).toBeCloseTo((w * (1 - w) * raw[0]! + (1 - w) * raw[1]!) / (1 - w ** 2), 9);
    expect(smoothed[49]!).toBeGreaterThan(raw[49]!); // a falling curve's average lags above it
    expect(await page.$eval('.chart[data-title="loss"]', (c) => (c as Plotted).plot.scales.y.distr)).toBe(1);
    await page.locator('#logy').check();
    await expect.poll(() => page.$eval('.chart[data-title="loss"]', (c) => (c as Plotted).plot.scales.y.distr)).toBe(3);
    await page.screenshot({ path: join(SHOTS, 'run-page-smoothed-log.png'), fullPage: true });
    await page.locator('#logy').uncheck();
    await page.locator('#smoothing').fill('0.6');
  });

  it('a live run page appends only the new points and keeps the zoom', async () => {
    const writer = await openStore(storePath);
    try {
      const live = await writer.createRun({ name: 'live-run', variant: 'vae', params: { seed: 0 } });
      await writer.logMetrics(live.lease, Array.from({ length: 20 }, (_, step) => ({ key: 'loss', step, value: 100 - step })));
      const requested: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      await page.goto(`${base}#/run/${live.id}`);
      type Plotted = HTMLElement & { plot: { data: number[][]; series: { idxs: number[] }[]; scales: Record<string, { min: number; max: number }>; setScale(k: string, s: object): void } };
      const loss = () => page.$eval('.chart[data-title="loss"]', (c) => { const { data, scales } = (c as Plotted).plot; return { n: data[0].length, x: [scales.x.min, scales.x.max], drawn: (c as Plotted).plot.series[1].idxs }; });
      await page.waitForFunction(() => document.querySelector('#run-name')?.textContent === 'live-run' && document.querySelector('.chart[data-title="loss"] canvas'));
      expect((await loss()).n).toBe(20);
      await page.$eval('.chart[data-title="loss"]', (c) => (c as Plotted).plot.setScale('x', { min: 10, max: 30 }));
      await writer.logMetrics(live.lease, Array.from({ length: 20 }, (_, i) => ({ key: 'loss', step: 20 + i, value: 80 - i })));
      await expect.poll(async () => (await loss()).n, { timeout: 30_000 }).toBe(40);
      // The zoom stays, and the curve is drawn across it: the points from step 10 to 30.
      expect(await loss()).toMatchObject({ x: [10, 30], drawn: [10, 30] });
      const series = requested.filter((u) => u.includes(`/api/runs/${live.id}/series`));
      expect(series.some((u) => new URL(u).searchParams.get('afterStep') === '19')).toBe(true);
      expect(series.filter((u) => !new URL(u).searchParams.has('afterStep'))).toHaveLength(1);
      await writer.endRun(live.lease, 'finished');
      await expect.poll(() => page.textContent('.status-finished'), { timeout: 30_000 }).toBe('finished');
      await page.screenshot({ path: join(SHOTS, 'run-page-live-zoomed.png'), fullPage: true });
    } finally {
      page.removeAllListeners('request');
      await writer.close();
    }
  });
  it('a constructed sweep: importance ranks the deciding parameter first, and brushing the parallel coordinates filters the trials', async () => {
    // The metric is decided by the learning rate (log-spaced); the other parameter, whose key is
    // markup, is noise.
    const writer = await openStore(storePath);
    try {
      const lrs = [1e-4, 1e-3, 1e-2, 1e-1];
      const trials = lrs.flatMap((lr) => [0.5, 1, 2, 4].map((noise) => ({ params: { 'optim.lr': lr, [MALICIOUS]: noise }, variant: 'vae' })));
      const { sweep } = await writer.createSweep({ name: 'analysis-sweep', configText: 'fixture', method: 'grid', metric: { name: MALICIOUS, goal: 'minimize' }, trials });
      for (let i = 0; i < trials.length; i++) {
        const run = (await writer.claimTrial({ pid: process.pid, host: workerHost() }, sweep.id))!;
        const lr = trials[i].params['optim.lr'];
        await writer.logMetrics(leaseOf(run), [{ key: MALICIOUS, step: 0, value: 100 + 10 * Math.log10(lr) + 0.3 * ((i * 7) % 5) }]);
        await writer.endRun(leaseOf(run), 'finished');
      }
    } finally {
      await writer.close();
    }
    await page.goto(`${base}#/sweep/analysis-sweep`);
    await page.waitForSelector('#importance tr');
    const ranking = await page.$$eval('#importance tr td:first-child', (tds) => tds.map((td) => td.textContent));
    expect(ranking).toEqual(['optim.lr', MALICIOUS]);
    const labels = await page.$$eval('#parcoords .axis > title', (ts) => ts.map((t) => t.textContent));
    expect(labels.slice(0, 2).sort()).toEqual([MALICIOUS, 'optim.lr (log)'].sort());
    expect(labels[2]).toBe(MALICIOUS); // the metric's axis comes last
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$('#trials tr[data-trial]:not(.filtered-out)')).toHaveLength(16);
    // Drag along the metric axis over its lower third: the lr = 1e-4 trials (metric 60 to 61.2 of 60 to 91.2).
    const area = page.locator('#parcoords .brush-area[data-key="metric"]');
    await area.scrollIntoViewIfNeeded();
    const box = (await area.boundingBox())!;
    const x = box.x + box.width / 2;
    await page.mouse.move(x, box.y + box.height * 0.7);
    await page.mouse.down();
    await page.mouse.move(x, box.y + box.height * 0.85, { steps: 4 });
    await page.mouse.move(x, box.y + box.height + 5, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => page.$$eval('#trials tr[data-trial]:not(.filtered-out) td:nth-child(3)', (tds) => tds.map((td) => td.textContent))).toHaveLength(4);
    const kept = await page.$$eval('#trials tr[data-trial]:not(.filtered-out) td:nth-child(3)', (tds) => tds.map((td) => td.textContent ?? ''));
    expect(kept.every((params) => params.includes('optim.lr=1.000e-4'))).toBe(true);
    expect(await page.textContent('#brush-info')).toBe('4 of 16 trials inside 1 brushed range');
    expect(await page.$$eval('#parcoords polyline.in', (ls) => ls.length)).toBe(4);
    await page.screenshot({ path: join(SHOTS, 'sweep-parcoords-brushed.png'), fullPage: true });
    // A click on the axis clears its brush.
    await page.mouse.click(x, box.y + box.height / 2);
    await expect.poll(() => page.$$eval('#trials tr[data-trial]:not(.filtered-out)', (rows) => rows.length)).toBe(16);
  });
  it('asked nothing of any origin but the dashboard on every page above', () => {
    expect(session.offsite).toEqual([]);
  });
});
