// Bad PostgreSQL locations: each is one clear error naming the URL with its password masked.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openStore, StoreOpenError } from '@vaelab/tracking';
import { postgresServer } from './engines.js';

const server = postgresServer();

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

describe.skipIf(server == null)('PostgreSQL store: bad locations', () => {
  const { user, port } = server ?? { user: { name: '', password: '' }, port: 0 };

  it('unreachable host, wrong password, missing database: named, password masked, nothing created', async () => {
    const closed = await closedPort();
    await expect(openStore(`postgres://${user.name}:${user.password}@127.0.0.1:${closed}/x`)).rejects.toThrow(
      `cannot reach PostgreSQL at postgres://${user.name}:***@127.0.0.1:${closed}/x: connection refused (is the server running and listening there?)`);
    const wrong = openStore(`postgres://${user.name}:not-the-password@127.0.0.1:${port}/postgres`);
    await expect(wrong).rejects.toThrow(StoreOpenError);
    await expect(openStore(`postgres://${user.name}:not-the-password@127.0.0.1:${port}/postgres`)).rejects.toThrow(
      new RegExp(`^PostgreSQL at postgres://${user.name}:\\*\\*\\*@127\\.0\\.0\\.1:${port}/postgres: authentication failed .*; check the user and password in the URL$`));
    await expect(openStore(`postgres://${user.name}:${user.password}@127.0.0.1:${port}/no_such_db`)).rejects.toThrow(
      `PostgreSQL at postgres://${user.name}:***@127.0.0.1:${port}/no_such_db: database "no_such_db" does not exist; create it first (createdb, or CREATE DATABASE)`);
  });

  it('a server that is not PostgreSQL, and a malformed URL', async () => {
    const http = createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const httpPort = (http.address() as { port: number }).port;
    try {
      await expect(openStore(`postgres://u:secret@127.0.0.1:${httpPort}/db`)).rejects.toThrow(
        new RegExp(`^PostgreSQL at postgres://u:\\*\\*\\*@127\\.0\\.0\\.1:${httpPort}/db: the server did not answer as PostgreSQL \\(.+\\)$`));
    } finally {
      http.close();
    }
    await expect(openStore('postgres://u:secret@[bad')).rejects.toThrow(
      'not a valid PostgreSQL URL: postgres://u:***@[bad (expected postgres://user:password@host:port/database)');
  });
});
