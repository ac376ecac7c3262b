import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connect.ts';

// On the database's own machine ordo can reach PostgreSQL over its Unix socket instead of TCP (README,
// Configuration): DATABASE_URL names the socket's directory, as `?host=` or as the percent-encoded host. Run against
// the suite's PostgreSQL server (DATABASE_URL), through the socket directory that server itself reports.

const serverUrl = process.env.DATABASE_URL;

/** The server's first socket directory and its port, asked over the suite's own connection. */
async function socketOfServer(): Promise<{ directory: string; port: string } | null> {
  const tcp = await openDatabase({ databaseUrl: serverUrl!, poolSize: 1 });
  try {
    const { rows } = await sql<{
      directories: string;
      port: string;
    }>`select current_setting('unix_socket_directories') as directories, current_setting('port') as port`.execute(
      tcp.db,
    );
    const directory = rows[0]!.directories.split(',')[0]!.trim();
    return directory.startsWith('/') ? { directory, port: rows[0]!.port } : null;
  } finally {
    await tcp.close();
  }
}

describe.runIf(serverUrl)('PostgreSQL over its Unix socket', () => {
  it('DATABASE_URL with ?host=<directory> or a percent-encoded host reaches the server through the socket', async () => {
    const socket = await socketOfServer();
    expect(socket, 'the server listens on no Unix socket directory').not.toBeNull();
    const { username, password, pathname } = new URL(serverUrl!);
    const credentials = password ? `${username}:${password}` : username;
    const urls = [
      `postgres://${credentials}@${pathname}?host=${socket!.directory}&port=${socket!.port}`,
      `postgres://${credentials}@${encodeURIComponent(socket!.directory)}:${socket!.port}${pathname}`,
    ];
    for (const url of urls) {
      expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
      const viaSocket = await openDatabase({ databaseUrl: url, poolSize: 1 });
      try {
        const { rows } = await sql<{
          address: string | null;
        }>`select inet_server_addr()::text as address`.execute(viaSocket.db);
        // a connection over a Unix socket has no server address
        expect(rows, url).toEqual([{ address: null }]);
      } finally {
        await viaSocket.close();
      }
    }
  });
});
