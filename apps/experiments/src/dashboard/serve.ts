// Placeholder replaced by the dashboard server (issue 9).
export async function serveDashboard(_options: { dbPath: string; port: number; host: string }): Promise<void> {
  throw new Error('the dashboard is not built yet');
}
