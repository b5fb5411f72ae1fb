// `vaelab dashboard`: opens the store read-only and serves the dashboard (127.0.0.1 by default).
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { TrackingStore } from '@vaelab/tracking';
import { createApp } from './app.js';

export interface DashboardOptions {
  dbPath: string;
  port: number;
  host: string;
}

export async function startDashboard(options: DashboardOptions): Promise<{ server: Server; url: string; store: TrackingStore }> {
  if (!existsSync(options.dbPath)) throw new Error(`${options.dbPath}: no store here yet (run a sweep first, or pass --db)`);
  const store = new TrackingStore(options.dbPath, { readonly: true });
  const server = createServer(createApp(store));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { server, url: `http://${options.host}:${port}/`, store };
}

export async function serveDashboard(options: DashboardOptions): Promise<void> {
  const { server, url, store } = await startDashboard(options);
  console.log(`VAE Lab dashboard on ${url} (store ${options.dbPath}, read-only; Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => server.close(() => resolve()));
  });
  store.close();
}
