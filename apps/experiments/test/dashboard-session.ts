// One dashboard on the fixture store and one headless Chromium page on it (Debian's package,
// driven by playwright-core), for the browser tests. The page must work offline: anything it asks
// of another origin is refused and recorded in `offsite`.
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { StoreReader } from '@vaelab/tracking';
import { startDashboard } from '../src/dashboard/serve.js';
import { buildFixtureStore } from './dashboard-fixture.js';

const CHROMIUM = process.env.VAELAB_CHROMIUM ?? '/usr/bin/chromium';
/** Where the tests save screenshots (looked at by people, not compared). */
export const SHOTS = join(import.meta.dirname, '..', 'test-output', 'dashboard');
export const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable) console.warn(`SKIPPED dashboard browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set VAELAB_CHROMIUM)`);

export interface DashboardSession {
  server: Server;
  store: StoreReader;
  base: string;
  ids: string[];
  storePath: string;
  browser: Browser;
  page: Page;
  offsite: string[];
  close(): Promise<void>;
}

export async function openDashboardSession(): Promise<DashboardSession> {
  const fixture = await buildFixtureStore();
  const { server, store, url: base } = await startDashboard({ location: fixture.path, port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const offsite: string[] = [];
  await page.route((url) => url.origin !== new URL(base).origin, (route) => {
    offsite.push(route.request().url());
    return route.abort();
  });
  mkdirSync(SHOTS, { recursive: true });
  return {
    server, store, base, ids: fixture.ids, storePath: fixture.path, browser, page, offsite,
    async close() {
      await browser.close();
      server.close();
      await store.close();
    },
  };
}
