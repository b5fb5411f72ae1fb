// `vaelab dashboard`: opens the store read-only and serves the dashboard (127.0.0.1 by default;
// another address is allowed, with a warning: the store then has no protection but read-only).
import { createServer, type Server } from 'node:http';
import { openStore, type StoreReader } from '@vaelab/tracking';
import { createApp } from './app.js';
import { isLoopback } from './security.js';

export interface DashboardOptions {
  location: string;
  port: number;
  host: string;
}

export async function startDashboard(options: DashboardOptions): Promise<{ server: Server; url: string; store: StoreReader }> {
  const store = await openStore(options.location, { readonly: true });
  try {
    const server = createServer(createApp(store, { host: options.host }));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(new Error(error.code === 'EADDRINUSE'
        ? `--port ${options.port}: already in use on ${options.host} (pick another with --port)`
        : `cannot listen on ${options.host}:${options.port} (${error.code ?? error.message})`)));
      server.listen(options.port, options.host, resolve);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const shown = options.host.includes(':') ? `[${options.host}]` : options.host;
    return { server, url: `http://${shown}:${port}/`, store };
  } catch (error) {
    await store.close();
    throw error;
  }
}

export async function serveDashboard(options: DashboardOptions): Promise<void> {
  if (!isLoopback(options.host)) {
    console.warn(`warning: --host ${options.host} makes the dashboard reachable from other machines: anyone who can reach this port can read every run in the store (there is no login)`);
  }
  const { server, url, store } = await startDashboard(options);
  console.log(`VAE Lab dashboard on ${url} (store ${store.location}, read-only; Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    server.closeIdleConnections?.();
  });
  await store.close();
}
