import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../src/db/connect.ts';
import { generateSandboxKeys } from '../src/secrets/sandbox-keys.ts';
import { explainListFilters } from './explain.ts';
import { readLoad } from './load.ts';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.ts';
import { measure } from './measure.ts';
import { startServer, type Server } from './processes.ts';
import { printReport, evaluateTargets, type DatabaseReport, type Row } from './report.ts';
import {
  ceilingScenario,
  checkoutScenario,
  prepareStorm,
  readScenarios,
  wechatScenario,
  type Settings,
} from './scenarios.ts';
import { benchVendure } from './peers/vendure.ts';
import { benchWithReplica, REPLICA_BENCH_SETTINGS } from './replica.ts';
import { checkOversell, seedBenchData, type Sizes } from './seed.ts';

const USAGE = `npm run bench [-- options]
  --smoke              tiny data set, 20 operations per scenario: checks the harness works (CI)
  --db pg,pglite       which databases (default both; pg is a throwaway cluster on a free loopback port)
  --seconds N          seconds per scenario (default 10)   --connections N   concurrent connections (default 32)
  --orders N --products N --members N   data set size (default 100000 / 10000 / 10000)
  --replica            also run ordo with a streaming read replica of the PostgreSQL cluster (DATABASE_READ_URL):
                       statement shares, replay lag, position-check fallbacks, order detail on the replica
  --peer vendure       also run a stock Vendure on the same PostgreSQL cluster with the same loads, side by side
                       (installed into bench/peers/vendure on first use; implies --db pg unless --db is given)
  --out FILE           where the JSON goes (default bench/results/bench-<time>.json and bench/results/latest.json)`;

const repo = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    db: { type: 'string' },
    peer: { type: 'string' },
    replica: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    connections: { type: 'string' },
    orders: { type: 'string' },
    products: { type: 'string' },
    members: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const number = (raw: string | undefined, fallback: number) => {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`not a positive whole number: ${raw}\n${USAGE}`);
    process.exit(2);
  }
  return n;
};
const smoke = values.smoke;
const sizes: Sizes = {
  orders: number(values.orders, smoke ? 2000 : 100_000),
  products: number(values.products, smoke ? 200 : 10_000),
  members: number(values.members, smoke ? 200 : 10_000),
  linesPerOrder: 3,
};
const connections = number(values.connections, smoke ? 4 : 32);
const settings: Settings = {
  // a smoke run counts operations, not seconds: it checks the harness works, on however busy a machine
  span: smoke && values.seconds === undefined ? { operations: 20 } : { seconds: number(values.seconds, 10) },
  connections,
  buyers: connections,
  wechatBuyers: Math.max(1, Math.floor(connections / 4)),
  stormPayments: smoke ? 10 : 300,
  stormCopies: smoke ? 2 : 4,
};
const databases = (values.db ?? (values.peer ? 'pg' : 'pg,pglite')).split(',').map((d) => d.trim());
if (databases.some((d) => d !== 'pg' && d !== 'pglite')) {
  console.error(`--db takes pg, pglite or both\n${USAGE}`);
  process.exit(2);
}
if (values.replica && !databases.includes('pg')) {
  console.error(`--replica runs on PostgreSQL (--db pg)\n${USAGE}`);
  process.exit(2);
}
if (values.peer !== undefined && (values.peer !== 'vendure' || !databases.includes('pg'))) {
  console.error(`--peer takes vendure, and runs on PostgreSQL (--db pg)\n${USAGE}`);
  process.exit(2);
}

async function benchDatabase(kind: 'pg' | 'pglite'): Promise<DatabaseReport> {
  console.error(`\n== ${kind === 'pg' ? 'PostgreSQL (throwaway cluster)' : 'embedded PGlite'}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'ordo-bench-'));
  let cluster: PostgresCluster | null = null;
  const servers: Server[] = [];
  try {
    if (kind === 'pg') cluster = await startPostgresCluster(values.replica ? REPLICA_BENCH_SETTINGS : '');
    const open = () =>
      cluster
        ? openDatabase({ databaseUrl: cluster.url, poolSize: 2 })
        : openDatabase({ dataDir: join(dataDir, 'pglite') });
    let handle: DatabaseHandle = await open();
    // an existing deployment has its keys already: the cold start measures starting, not generating RSA keys
    const sandboxKeys = generateSandboxKeys();
    writeFileSync(join(dataDir, 'sandbox-keys.json'), JSON.stringify(sandboxKeys));
    const seedStarted = performance.now();
    const fixture = await seedBenchData(handle.db, sizes);
    const seedMs = performance.now() - seedStarted;
    const serverVersion = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(handle.db))
      .rows[0]!.v;
    console.error(`  seeded ${sizes.orders} orders in ${(seedMs / 1000).toFixed(1)} s (PostgreSQL ${serverVersion})`);
    const sampleOrder = await handle.db
      .selectFrom('orders')
      .select(['order_no', 'receiver_mobile'])
      .where('id', '=', fixture.orders[0]!.id)
      .executeTakeFirstOrThrow();
    const plans = await explainListFilters(handle.db, {
      memberId: fixture.readers[0]!.memberId,
      orderNo: sampleOrder.order_no,
      mobile: sampleOrder.receiver_mobile,
    });
    await handle.close(); // the embedded database is one process's: ordo's from here on

    const rows: Row[] = [];
    const dbPid = cluster?.pid() ?? null;
    let ceiling: Row | null = null;
    if (cluster) {
      const bare = await startServer('bench/ceiling-server.ts', { DATABASE_URL: cluster.url }, '/readyz', repo);
      servers.push(bare);
      const ceilingLoad = ceilingScenario(fixture, settings);
      ceiling = await measure(ceilingLoad, bare, dbPid, ceilingLoad); // reads run once unmeasured first
      rows.push(ceiling);
      await bare.stop();
    }

    const env = {
      DATABASE_URL: cluster?.url ?? '',
      ORDO_DATA_DIR: dataDir,
      ORDO_MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
      // all load comes from one address and a few accounts: the abuse limits would refuse it
      ORDO_PAYMENT_START_LIMIT_PER_IP: '1000000000',
      ORDO_PAYMENT_START_LIMIT_PER_ACCOUNT: '1000000000',
    };
    // cold start: spawn to the first 200 from /readyz on the existing database; the median of three starts (one in a smoke run)
    const starts: number[] = [];
    let ordo!: Server;
    for (let i = 0; i < (smoke ? 1 : 3); i++) {
      if (ordo) await ordo.stop();
      ordo = await startServer('src/main.ts', env, '/readyz', repo);
      servers.push(ordo);
      starts.push(ordo.startMs);
    }
    const coldStartMs = starts.sort((a, b) => a - b)[Math.floor(starts.length / 2)]!;
    console.error(`  cold start to ready: ${starts.map((ms) => ms.toFixed(0)).join(', ')} ms`);

    for (const scenario of [
      ...readScenarios(fixture, settings),
      checkoutScenario(fixture, settings),
      wechatScenario(fixture, settings),
    ])
      rows.push(await measure(scenario, ordo, dbPid, scenario.unit === 'req/s' ? scenario : undefined));
    const storm = await prepareStorm(ordo.base, fixture, settings, sandboxKeys.wechat);
    rows.push(await measure(storm.scenario, ordo, dbPid));
    // after the storm, ordo still answers
    const alive = await readLoad(ordo.base, { operations: 5 }, 1, () => ({ path: '/healthz' }));
    await ordo.stop();
    const replica =
      cluster && values.replica
        ? await benchWithReplica(cluster, fixture, env, { span: settings.span, connections }, repo)
        : undefined;

    handle = await open();
    const oversell = await checkOversell(handle.db, fixture.skus);
    const paidEvents = await handle.db
      .selectFrom('order_events')
      .innerJoin('orders', 'orders.id', 'order_events.order_id')
      .select(['orders.order_no', (eb) => eb.fn.countAll<number>().as('n')])
      .where('orders.order_no', 'in', storm.orderNos)
      .where('order_events.to_status', '=', 'paid')
      .groupBy('orders.order_no')
      .execute();
    await handle.close();
    // the peer runs on the same cluster once ordo has stopped, so PostgreSQL's CPU is the peer's alone
    const peer =
      cluster && values.peer
        ? await benchVendure(
            cluster,
            { products: sizes.products, readers: smoke ? 2 : 40, ordersPerReader: smoke ? 2 : 10 },
            { span: settings.span, connections, smoke },
          )
        : undefined;
    return {
      database: kind,
      replica,
      peer,
      serverVersion,
      seedSeconds: seedMs / 1000,
      coldStartMs,
      rows,
      plans,
      ceilingRatio: ceiling
        ? (rows.find((r) => r.scenario === 'order detail /v1')?.perSecond ?? 0) / ceiling.perSecond
        : null,
      checks: {
        oversell,
        zeroOversell: oversell.broken === 0 && oversell.orderedUnits === oversell.takenUnits,
        stormPaidOnce: paidEvents.length === storm.orderNos.length && paidEvents.every((e) => Number(e.n) === 1),
        stillAnswering: alive.ok > 0,
      },
    };
  } finally {
    for (const server of servers) await server.stop().catch(() => undefined);
    cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const started = new Date();
const reports: DatabaseReport[] = [];
for (const kind of databases as ('pg' | 'pglite')[]) reports.push(await benchDatabase(kind));
const report = {
  startedAt: started.toISOString(),
  smoke,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: process.platform,
  },
  sizes,
  settings,
  databases: reports,
  targets: evaluateTargets(reports),
};
printReport(report);
const files = values.out
  ? [values.out]
  : [
      join(repo, 'bench/results', `bench-${started.toISOString().replace(/[:.]/g, '-')}.json`),
      join(repo, 'bench/results/latest.json'),
    ];
for (const file of files) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(report, null, 2));
}
console.log(`\nJSON: ${files.join(', ')}`);
