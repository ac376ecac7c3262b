import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './processes.ts';

export interface PostgresCluster {
  url: string;
  /** the postmaster's pid: its children are the backends whose CPU the bench adds up */
  pid(): number;
  /** a hot standby streaming from this cluster (`pg_basebackup -R`), with the same settings; stopped with it */
  startReplica(): Promise<Replica>;
  stop(): void;
}

export interface Replica {
  url: string;
  pid(): number;
}

/** The newest PostgreSQL server binaries Debian installed (/usr/lib/postgresql/<major>/bin). */
function serverBin(): string {
  const majors = readdirSync('/usr/lib/postgresql')
    .filter((d) => /^\d+$/.test(d))
    .sort((a, b) => Number(a) - Number(b));
  const major = majors.at(-1);
  if (!major) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
  return `/usr/lib/postgresql/${major}/bin`;
}

/**
 * A throwaway PostgreSQL cluster on a free loopback port, set up like CI's (.ci/run): trust auth, durability off
 * (fsync, synchronous commit, full page writes) because the bench measures ordo, not the disk.
 */
export async function startPostgresCluster(extraSettings = ''): Promise<PostgresCluster & { logFile: string }> {
  const bin = serverBin();
  const dir = mkdtempSync(join(tmpdir(), 'ordo-bench-pg-'));
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot)
    chownSync(
      dir,
      Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
      Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
    );
  const run = (tool: string, args: string[]) =>
    execFileSync(
      asRoot ? 'runuser' : join(bin, tool),
      asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args,
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  run('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  const settings = (at: number) =>
    `-c listen_addresses=127.0.0.1 -c port=${at} -c unix_socket_directories=${dir} -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=128MB ${extraSettings}`;
  run('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'server.log'), '-w', '-o', settings(port), 'start']);
  const readPid = (folder: string) => () =>
    Number(
      execFileSync('head', ['-n', '1', join(dir, folder, 'postmaster.pid')])
        .toString()
        .trim(),
    );
  let replicaStarted = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    logFile: join(dir, 'server.log'),
    pid: readPid('data'),
    async startReplica() {
      const replicaPort = await freePort();
      // initdb's trust pg_hba.conf already lets loopback replication connections in; wal_level is replica by default
      run('pg_basebackup', [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'postgres',
        '-D',
        join(dir, 'replica'),
        '-R',
        '-X',
        'stream',
        '-c',
        'fast',
      ]);
      const replicaSettings = `${settings(replicaPort)} -c hot_standby=on`;
      run('pg_ctl', ['-D', join(dir, 'replica'), '-l', join(dir, 'replica.log'), '-w', '-o', replicaSettings, 'start']);
      replicaStarted = true;
      return { url: `postgres://postgres@127.0.0.1:${replicaPort}/postgres`, pid: readPid('replica') };
    },
    stop() {
      try {
        if (replicaStarted) run('pg_ctl', ['-D', join(dir, 'replica'), '-m', 'immediate', '-w', 'stop']);
        run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
