import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'ordo-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The suite's database decides which one the harness runs: PGlite, or (when the suite runs on PostgreSQL, so the
// server binaries are there) a throwaway PostgreSQL cluster of its own, with the bare ceiling server beside it and a
// streaming replica of it (--replica). The Vendure peer is never run here: it installs a package set of its own.
const database = process.env.DATABASE_URL ? 'pg' : 'pglite';
const SCENARIOS = [
  'order detail /v1',
  'order detail storefront',
  'order list page (member)',
  'order list page (staff, filtered)',
  'checkout (place + balance pay)',
  'WeChat payment via simulator',
  'notification storm (2 copies each)',
];

/** This checks that the harness works, never how fast ordo is: numbers only have to be there and positive. */
describe('npm run bench -- --smoke', () => {
  // 20 operations per scenario, but a database to seed (on PostgreSQL a cluster of its own): generous for a busy machine
  it(`runs every scenario on ${database} and writes them as JSON`, { timeout: 1_200_000 }, async () => {
    const out = join(dir, 'bench.json');
    let output = '';
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/run.ts',
        '--smoke',
        '--db',
        database,
        ...(database === 'pg' ? ['--replica'] : []),
        '--out',
        out,
      ],
      { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(0);
    expect(output).toContain('targets');

    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.databases).toHaveLength(1);
    const db = report.databases[0];
    expect(db.database).toBe(database);
    const expected = database === 'pg' ? ['ceiling: bare Fastify+pg PK read', ...SCENARIOS] : SCENARIOS;
    expect(db.rows.map((r: { scenario: string }) => r.scenario)).toEqual(expected);
    for (const row of db.rows) {
      expect(row.ok, row.scenario).toBeGreaterThan(0);
      for (const field of ['perSecond', 'cpuMsPerOp', 'peakRssMb'])
        expect(row[field], `${row.scenario} ${field}`).toBeGreaterThan(0);
      // latencies are whole milliseconds: a bare primary-key read can answer in under one, so 0 is a real value
      expect(row.p50Ms, `${row.scenario} p50Ms`).toBeGreaterThanOrEqual(0);
      expect(row.p99Ms, `${row.scenario} p99Ms`).toBeGreaterThanOrEqual(row.p50Ms);
      if (database === 'pg') expect(row.dbCpuMsPerOp, row.scenario).toBeGreaterThanOrEqual(0);
    }
    expect(db.coldStartMs).toBeGreaterThan(0);
    if (database === 'pg') expect(db.ceilingRatio).toBeGreaterThan(0);
    expect(db.checks).toMatchObject({ zeroOversell: true, stormPaidOnce: true, stillAnswering: true });
    expect(report.targets.length).toBeGreaterThan(0);
    if (database === 'pg') {
      // with the replica: it served reads and no writes, every position-checked read was counted, and both extra
      // loads ran without a failure
      const replica = db.replica;
      expect(output).toContain('with a streaming read replica');
      const served = Object.fromEntries(replica.statements.map((s: any) => [s.server, s]));
      expect(served.replica.calls).toBeGreaterThan(0);
      expect(served.replica.writes).toBe(0);
      expect(served.primary.writes).toBeGreaterThan(0);
      expect(replica.positionChecks.replica + replica.positionChecks.primary).toBeGreaterThan(0);
      expect(replica.replayLagMs.samples).toBeGreaterThan(0);
      for (const row of replica.rows) expect([row.scenario, row.ok, row.failed]).toEqual([row.scenario, row.ok, 0]);
      expect(replica.rows.every((r: { ok: number }) => r.ok > 0)).toBe(true);
    } else expect(db.replica).toBeUndefined();
  });
});
