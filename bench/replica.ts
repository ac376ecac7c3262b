/**
 * ordo with a streaming read replica (`npm run bench -- --replica`): a hot standby of the bench cluster, ordo started
 * with DATABASE_READ_URL, and the loads that show what the replica takes over and what it costs — where statements
 * went in a mixed load, how late the replica replays under checkout, how many position-checked reads had to fall
 * back to the primary, and the order detail read on the replica beside the same read on the primary.
 */
import pg from 'pg';
import { flowLoad, jsonClient, percentile, readLoad, type Span } from './load.ts';
import { measure } from './measure.ts';
import type { PostgresCluster } from './postgres-cluster.ts';
import { startServer } from './processes.ts';
import type { Row } from './report.ts';
import { pick, placeAndPayFromBalance, type Scenario } from './scenarios.ts';
import type { Fixture } from './seed.ts';

/** PostgreSQL has to load pg_stat_statements at start for the statement shares: the cluster gets this setting */
export const REPLICA_BENCH_SETTINGS = '-c shared_preload_libraries=pg_stat_statements';

export interface ReplicaReport {
  /** statements each server ran during the mixed load (the bench's own sampling left out) */
  statements: { server: 'primary' | 'replica'; calls: number; writes: number }[];
  /** how long the replica took to replay a point of the primary's WAL, sampled back to back under the mixed load */
  replayLagMs: { p50: number; p99: number; samples: number };
  /** position-checked reads of the mixed load, by who served them (ordo's /metrics) */
  positionChecks: { replica: number; primary: number };
  rows: Row[];
}

// the sampler's own statements carry this comment, so the statement shares can leave them out
const BENCH_MARK = '/* ordo bench sampler */';
// a write: an insert, update, delete or merge, alone or in a CTE, or one of the checkout's SQL functions
const WRITE = String.raw`^\s*(insert|update|delete|merge)\M|^\s*with\M.*\m(insert\s+into|update\s+\S+\s+set|delete\s+from)\M|ordo_(place_order|pay_from_balance)\(`;

/** Samples replay lag back to back until stopped: the primary's insert position now, then how long until the replica has replayed it. */
function sampleReplayLag(primary: pg.Client, replica: pg.Client): () => Promise<number[]> {
  const lags: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await primary.query<{ lsn: string }>(
        `${BENCH_MARK} select pg_current_wal_insert_lsn()::text as lsn`,
      );
      const t0 = performance.now();
      for (;;) {
        const replayed = await replica.query<{ ok: boolean }>(
          `${BENCH_MARK} select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok`,
          [rows[0]!.lsn],
        );
        if (replayed.rows[0]!.ok) break;
        await new Promise((r) => setTimeout(r, 1));
      }
      lags.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return lags.sort((a, b) => a - b);
  };
}

async function statementsOf(client: pg.Client): Promise<{ calls: number; writes: number }> {
  const { rows } = await client.query<{ calls: string; writes: string }>(
    `select coalesce(sum(calls), 0) as calls, coalesce(sum(calls) filter (where query ~* $1), 0) as writes
       from pg_stat_statements where query not like $2 and query not like '%pg_stat_statements%'`,
    [WRITE, `${BENCH_MARK}%`],
  );
  return { calls: Number(rows[0]!.calls), writes: Number(rows[0]!.writes) };
}

/** Waits until ordo's probe has found the replica usable (its first probe may still be on its way when ordo is ready). */
async function replicaInUse(base: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!/^ordo_read_replica_usable\{[^}]*\} 1$/m.test(await (await fetch(`${base}/metrics`)).text())) {
    if (Date.now() > deadline) throw new Error('ordo never found the replica usable');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function positionChecks(base: string): Promise<{ replica: number; primary: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const count = (servedBy: string) =>
    Number(
      new RegExp(`^ordo_read_position_checks_total\\{served_by="${servedBy}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0,
    );
  return { replica: count('replica'), primary: count('primary') };
}

/**
 * The mixed load: each buyer places an order, pays it from the balance, re-reads it with the position the payment
 * answered (as the cashier does), and reads the catalogue; one in four operations also reads the console's order
 * list as staff.
 */
function mixedScenario(fixture: Fixture, span: Span, buyers: number): Scenario {
  const skus = fixture.skus.slice(-50); // the plentiful ones: nothing sells out
  return {
    name: 'mixed: checkout, re-read, catalogue, console list',
    unit: 'ops/s',
    run(base) {
      const call = jsonClient(base, buyers);
      let n = 0;
      return flowLoad(span, buyers, async (worker) => {
        const buyer = fixture.buyers[worker % fixture.buyers.length]!;
        const sku = skus[Math.floor(Math.random() * skus.length)]!;
        const checkout = await placeAndPayFromBalance(call, buyer.token, sku.productId);
        const position = checkout?.paid.headers['ordo-read-position'];
        if (!checkout || typeof position !== 'string') return false;
        const reread = await call('GET', `/v1/orders/${checkout.orderNo}`, {
          token: buyer.token,
          headers: { 'ordo-read-position': position },
        });
        if (reread.body?.status !== 'paid') return false;
        const catalogue = await call('GET', '/v1/products?pageSize=20');
        if (catalogue.status !== 200) return false;
        if (++n % 4 === 0) {
          const list = await call('GET', '/v1/orders?limit=20&status=paid', { token: fixture.staffToken });
          if (list.status !== 200) return false;
        }
        return true;
      });
    },
  };
}

/** Order detail as its member, naming a read position the replica has replayed: the replica serves it. */
function detailOnReplica(fixture: Fixture, span: Span, connections: number, position: string): Scenario {
  return {
    name: 'order detail /v1 on the replica (position)',
    unit: 'req/s',
    run: (base) =>
      readLoad(base, span, connections, () => {
        const o = pick(fixture.orders);
        return {
          path: `/v1/orders/${o.orderNo}`,
          headers: { authorization: `Bearer ${o.token}`, 'ordo-read-position': position },
        };
      }),
  };
}

/**
 * Starts the replica of `cluster` and ordo reading through it (`env` is ordo's environment in the bench, ordo
 * itself stopped), runs the order detail read on the replica and the mixed load, and answers the figures.
 */
export async function benchWithReplica(
  cluster: PostgresCluster,
  fixture: Fixture,
  env: Record<string, string>,
  load: { span: Span; connections: number },
  repo: string,
): Promise<ReplicaReport> {
  console.error('\n== with a streaming read replica');
  const primary = new pg.Client({ connectionString: cluster.url });
  await primary.connect();
  await primary.query('create extension if not exists pg_stat_statements');
  // the bench cluster commits without waiting for its WAL (synchronous_commit=off), so WAL reaches a replica only when
  // the WAL writer flushes it, every 200 ms: a lag no production primary has. ordo's connections in this part commit
  // as production does; set before ordo connects, and reset afterwards
  await primary.query('alter database postgres set synchronous_commit = on');
  const replica = await cluster.startReplica();
  const standby = new pg.Client({ connectionString: replica.url });
  await standby.connect();
  const ordo = await startServer('src/main.ts', { ...env, DATABASE_READ_URL: replica.url }, '/readyz', repo);
  try {
    await replicaInUse(ordo.base);
    const { rows } = await primary.query<{ lsn: string }>(
      `${BENCH_MARK} select pg_current_wal_insert_lsn()::text as lsn`,
    );
    const detail = detailOnReplica(fixture, load.span, load.connections, rows[0]!.lsn);
    // PostgreSQL's CPU of this row is the replica's, which serves it
    const detailRow = await measure(detail, ordo, replica.pid(), detail);

    await primary.query('select pg_stat_statements_reset()');
    await standby.query('select pg_stat_statements_reset()');
    const checksBefore = await positionChecks(ordo.base);
    const stopSampling = sampleReplayLag(primary, standby);
    // PostgreSQL's CPU of this row is the primary's alone; the statement shares show what the replica took
    const mixedRow = await measure(mixedScenario(fixture, load.span, load.connections), ordo, cluster.pid());
    const lags = await stopSampling();
    const checksAfter = await positionChecks(ordo.base);
    return {
      statements: [
        { server: 'primary', ...(await statementsOf(primary)) },
        { server: 'replica', ...(await statementsOf(standby)) },
      ],
      replayLagMs: { p50: percentile(lags, 50), p99: percentile(lags, 99), samples: lags.length },
      positionChecks: {
        replica: checksAfter.replica - checksBefore.replica,
        primary: checksAfter.primary - checksBefore.primary,
      },
      rows: [detailRow, mixedRow],
    };
  } finally {
    await ordo.stop();
    await primary.query('alter database postgres reset synchronous_commit');
    await primary.end();
    await standby.end();
  }
}
