import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { emptyDatabase } from '../support/empty-database.ts';
import { ordoCli } from '../support/ordo-cli.ts';
import { READY_WAIT_MS, spawnOrdo, stopOrdo, waitForReady, type OrdoProcess } from './support/ordo-process.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
}, 300_000);

const onPostgres = !!process.env.DATABASE_URL;
const json = { 'content-type': 'application/json' };

async function started(env: Record<string, string>): Promise<OrdoProcess> {
  const ordo = await spawnOrdo({ ...env, LOG_LEVEL: 'warn' });
  cleanups.push(() => stopOrdo(ordo));
  await waitForReady(ordo);
  return ordo;
}

async function stop(ordo: OrdoProcess): Promise<void> {
  ordo.child.kill('SIGTERM');
  expect(await ordo.exited).toBe(0);
}

async function staffSignIn(base: string, username: string, password: string): Promise<number> {
  return (
    await fetch(`${base}/v1/staff/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username, password }),
    })
  ).status;
}

describe('the CLI while ordo runs', () => {
  it(
    'staff create goes through the running ordo: the account signs in at once, and ids stay unique beside accounts made through the API',
    async () => {
      const db = await emptyDatabase('cli_live');
      cleanups.push(() => db.drop());
      const ordo = await started(db.env);
      const admin = (await (
        await fetch(`${ordo.base}/v1/staff/login`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ username: DEMO.staff[0]!.username, password: DEMO.staff[0]!.password }),
        })
      ).json()) as { token: string };

      // the CLI and the API create accounts at the same time
      const [viaCli, viaApi] = await Promise.all([
        Promise.all(
          ['cli_a', 'cli_b', 'cli_c'].map((username) =>
            ordoCli(db.env, 'staff', 'create', '--merchant', String(DEMO.merchantId), '--username', username),
          ),
        ),
        Promise.all(
          ['api_a', 'api_b', 'api_c'].map(async (username) => {
            const reply = await fetch(`${ordo.base}/v1/admin/staff`, {
              method: 'POST',
              headers: { ...json, authorization: `Bearer ${admin.token}` },
              body: JSON.stringify({ username, password: 'api-password-1', role: 'operator' }),
            });
            expect(reply.status).toBe(201);
            return ((await reply.json()) as { id: number }).id;
          }),
        ),
      ]);
      const created = new Map<string, number>(viaApi.map((id, i) => [`api_${'abc'[i]}`, id]));
      for (const result of viaCli) {
        expect(result).toMatchObject({ code: 0 });
        const [, id, username, password] = result.stdout.match(
          /^staff (\d+) (\S+) \(operator\) \/ (\S+) \(shown once\)/,
        )!;
        created.set(username!, Number(id));
        expect(await staffSignIn(ordo.base, username!, password!)).toBe(200);
      }
      expect(new Set(created.values()).size).toBe(6);

      // a command the server refuses is one line and exit 1, like on the database itself
      const taken = await ordoCli(
        db.env,
        'staff',
        'create',
        '--merchant',
        String(DEMO.merchantId),
        '--username',
        'cli_a',
      );
      expect(taken).toMatchObject({ code: 1, stderr: expect.stringContaining('ordo: that staff username is taken') });

      await stop(ordo);
      const handle = await db.open();
      try {
        const { rows } = await sql<{
          rows: number;
          ids: number;
          usernames: number;
        }>`select count(*)::int as rows, count(distinct id)::int as ids, count(distinct username)::int as usernames from staff`.execute(
          handle.db,
        );
        // the demo's staff of both merchants, and the six accounts made here
        const accounts = DEMO.staff.length + 1 + 6;
        expect(rows[0]).toEqual({ rows: accounts, ids: accounts, usernames: accounts });
        for (const [username, id] of created)
          expect(await handle.db.selectFrom('staff').select('id').where('username', '=', username).execute()).toEqual([
            { id },
          ]);
        // the id sequence is ahead of every row: the next account gets a new id
        const next = await handle.db
          .insertInto('staff')
          .values({
            merchant_id: DEMO.merchantId,
            username: 'after_all',
            password_hash: 'x',
            role: 'operator',
            last_login_at: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        expect(next.id).toBeGreaterThan(Math.max(...created.values()));
      } finally {
        await handle.close();
      }
    },
    READY_WAIT_MS + 300_000,
  );
});

describe.skipIf(onPostgres)(
  'one process per PGlite data folder (PostgreSQL takes many processes: nothing to lock there)',
  () => {
    it(
      'a second server, backup and restore refuse at once naming the pid that holds the folder; the first keeps serving',
      async () => {
        const db = await emptyDatabase('one_folder');
        cleanups.push(() => db.drop());
        const first = await started(db.env);
        const lock = JSON.parse(readFileSync(join(db.env.ORDO_DATA_DIR!, 'pglite.lock'), 'utf8')) as { pid: number };
        expect(lock.pid).toBe(first.child.pid);

        const second = await spawnOrdo({ ...db.env, LOG_LEVEL: 'warn' });
        cleanups.push(() => stopOrdo(second));
        expect(await second.exited).toBe(3);
        expect(second.output()).toContain(`is in use by another process: pid ${first.child.pid}`);

        const file = join(db.env.ORDO_DATA_DIR!, 'ordo.backup');
        const backup = await ordoCli(db.env, 'backup', file);
        expect(backup).toMatchObject({ code: 3, stderr: expect.stringContaining(`pid ${first.child.pid}`) });
        expect(backup.stderr.trim().split('\n')).toHaveLength(1);
        expect(existsSync(file)).toBe(false);
        writeFileSync(file, Buffer.from([0x1f, 0x8b, 0, 0]));
        const restore = await ordoCli(db.env, 'restore', file);
        expect(restore).toMatchObject({ code: 3, stderr: expect.stringContaining(`pid ${first.child.pid}`) });
        expect(existsSync(join(db.env.ORDO_DATA_DIR!, 'pglite.restoring'))).toBe(false);

        expect((await fetch(`${first.base}/healthz`)).status).toBe(200);
        expect(await staffSignIn(first.base, DEMO.staff[0]!.username, DEMO.staff[0]!.password)).toBe(200);
        await stop(first);
        // released on a clean exit, with the CLI's route file
        expect(existsSync(join(db.env.ORDO_DATA_DIR!, 'pglite.lock'))).toBe(false);
        expect(existsSync(join(db.env.ORDO_DATA_DIR!, 'local-admin.json'))).toBe(false);
      },
      2 * READY_WAIT_MS + 120_000,
    );

    it(
      'a lock left by a killed process, or naming a pid now used by another process, does not keep ordo out',
      async () => {
        const db = await emptyDatabase('stale_lock');
        cleanups.push(() => db.drop());
        const killed = await started(db.env);
        const admin = JSON.parse(readFileSync(join(db.env.ORDO_DATA_DIR!, 'local-admin.json'), 'utf8')) as {
          pid: number;
        };
        expect(admin.pid).toBe(killed.child.pid);
        expect(statSync(join(db.env.ORDO_DATA_DIR!, 'local-admin.json')).mode & 0o777).toBe(0o600);
        killed.child.kill('SIGKILL');
        await killed.exited;
        expect(existsSync(join(db.env.ORDO_DATA_DIR!, 'pglite.lock'))).toBe(true);
        // the CLI is not fooled by the dead server's files either: it opens the folder itself
        const listed = await ordoCli(db.env, 'staff', 'list');
        expect(listed).toMatchObject({ code: 0, stderr: '' });
        expect(listed.stdout).toContain(DEMO.staff[0]!.username);

        const restarted = await started(db.env);
        await stop(restarted);

        // a live process with this pid, but not the one that wrote the lock (its start time differs)
        writeFileSync(
          join(db.env.ORDO_DATA_DIR!, 'pglite.lock'),
          JSON.stringify({ pid: process.pid, startTime: '1', command: 'main.js', since: '2026-01-01T00:00:00Z' }),
        );
        const again = await started(db.env);
        await stop(again);
      },
      3 * READY_WAIT_MS + 180_000,
    );

    it('a process that holds a folder and is interrupted (Ctrl-C on a CLI command) releases it and still dies of the signal', async () => {
      const db = await emptyDatabase('lock_signal');
      cleanups.push(() => db.drop());
      const folder = join(db.env.ORDO_DATA_DIR!, 'pglite');
      const lockModule = new URL('../../src/db/data-folder-lock.ts', import.meta.url).href;
      const code = `const { lockDataFolder } = await import(${JSON.stringify(lockModule)}); lockDataFolder(${JSON.stringify(folder)}); console.log('held'); setInterval(() => {}, 1000);`;
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        cleanups.push(() => void child.kill('SIGKILL'));
        const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, by) => resolve(by)));
        await new Promise((resolve) => child.stdout.once('data', resolve));
        expect(JSON.parse(readFileSync(`${folder}.lock`, 'utf8')).pid).toBe(child.pid);
        child.kill(signal);
        expect(await ended).toBe(signal);
        expect(existsSync(`${folder}.lock`)).toBe(false);
      }
    }, 300_000);

    it('processes racing for a folder whose lock is stale: exactly one gets it', async () => {
      const db = await emptyDatabase('lock_race');
      cleanups.push(() => db.drop());
      const folder = join(db.env.ORDO_DATA_DIR!, 'pglite');
      writeFileSync(
        `${folder}.lock`,
        JSON.stringify({ pid: 2 ** 22 + 1, startTime: '1', command: 'gone', since: '2026-01-01T00:00:00Z' }),
      );
      const lockModule = new URL('../../src/db/data-folder-lock.ts', import.meta.url).href;
      // each takes the lock, says whether it won, and holds it until its standard input closes
      const code = `const { lockDataFolder } = await import(${JSON.stringify(lockModule)});
      try { lockDataFolder(${JSON.stringify(folder)}); console.log('won'); process.stdin.resume(); process.stdin.on('end', () => process.exit(0)); }
      catch (err) { console.log(err.name); process.exit(0); }`;
      const racers = Array.from({ length: 6 }, () => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        cleanups.push(() => void child.kill('SIGKILL'));
        return new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
      });
      const outcomes = await Promise.all(racers);
      expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'DataFolderInUse')).toHaveLength(5);
    }, 300_000);
  },
);
