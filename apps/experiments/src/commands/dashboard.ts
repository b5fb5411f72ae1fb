// `vaelab dashboard`: serves the read-only dashboard (127.0.0.1 unless --host says otherwise).
import type { Command } from './sweep.js';

export const dashboard: Command = async (_args, options) => {
  const { serveDashboard } = await import('../dashboard/serve.js');
  await serveDashboard({ location: options.db, port: options.port, host: options.host });
  return 0;
};
