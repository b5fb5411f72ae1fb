// The dashboard in a real headless Chromium (Debian's package, driven by playwright-core):
// the table, sorting, a run page with a curve and an image, compare, and escaping.
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreReader } from '@vaelab/tracking';
import { startDashboard } from '../src/dashboard/serve.js';
import { buildFixtureStore, MALICIOUS } from './dashboard-fixture.js';

const CHROMIUM = process.env.VAELAB_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, '..', 'test-output', 'dashboard');
const available = existsSync(CHROMIUM);
if (!available) console.warn(`SKIPPED dashboard browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set VAELAB_CHROMIUM)`);

let server: Server;
let store: StoreReader;
let base: string;
let ids: string[];
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!available) return;
  const fixture = await buildFixtureStore();
  ids = fixture.ids;
  ({ server, store, url: base } = await startDashboard({ location: fixture.path, port: 0, host: '127.0.0.1' }));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
  await store?.close();
});

const runNames = () => page.$$eval('#runs tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent));

describe.skipIf(!available)('dashboard in Chromium', () => {
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
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: join(SHOTS, 'malicious-run.png'), fullPage: true });
  });

  it('a run page shows a curve and an image with a step slider', async () => {
    await page.goto(`${base}#/run/${ids[0]}`);
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
    await page.screenshot({ path: join(SHOTS, 'compare.png'), fullPage: true });
  });

  it('the sweep page shows progress, the scatter, best trials, parameter importance and mean ± std over seeds', async () => {
    await page.goto(`${base}#/sweep/fixture-sweep`);
    await page.waitForSelector('#aggregates tr:nth-child(2)');
    expect(await page.textContent('#aggregates')).toContain('0.21 ± 0.01');
    // Only beta varies (seed never counts as a parameter): it explains everything.
    expect(await page.$$eval('#importance tr', (rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).slice(0, 2).map((td) => td.textContent)))).toEqual([['objective.beta', '100.0%']]);
    expect(await page.textContent('#importance')).toContain('over 6 finished trials');
    await page.waitForSelector('.chart canvas');
    await page.screenshot({ path: join(SHOTS, 'sweep.png'), fullPage: true });
  });
});
