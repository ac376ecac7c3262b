import type { PlanCheck } from './explain.ts';
import type { PeerReport } from './peers/vendure.ts';
import type { ReplicaReport } from './replica.ts';

export interface Row {
  scenario: string;
  unit: string;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU the measured server process (ordo, or the bare ceiling server) used per successful operation */
  cpuMsPerOp: number;
  /** CPU of the PostgreSQL backends per operation (null on PGlite, which runs inside ordo's process) */
  dbCpuMsPerOp: number | null;
  peakRssMb: number;
  ok: number;
  failed: number;
}

export interface DatabaseReport {
  database: 'pg' | 'pglite';
  serverVersion: string;
  seedSeconds: number;
  coldStartMs: number;
  rows: Row[];
  /** EXPLAIN ANALYZE of the order list query per filter, on the seeded data */
  plans: PlanCheck[];
  /** ordo's order detail req/s over the bare Fastify + pg primary-key read's */
  ceilingRatio: number | null;
  checks: { oversell: unknown; zeroOversell: boolean; stormPaidOnce: boolean; stillAnswering: boolean };
  /** ordo with a streaming read replica (`--replica`) */
  replica?: ReplicaReport;
  /** the peer (`--peer vendure`), run on the same cluster after ordo */
  peer?: PeerReport;
}

/** ordo's row and the peer's for the same load: the order read and the checkout */
const PAIRS = [
  { operation: 'order read', ordo: 'order detail /v1', peer: 'order read' },
  { operation: 'checkout', ordo: 'checkout', peer: 'checkout' },
] as const;

const cpuPerOp = (r: Row) => r.cpuMsPerOp + (r.dbCpuMsPerOp ?? 0);

/** How many times ordo's CPU per operation (server + PostgreSQL) the peer spent on the same load. */
export function peerRatios(db: DatabaseReport): { operation: string; ordo: Row; peer: Row; cpuRatio: number }[] {
  if (!db.peer) return [];
  return PAIRS.flatMap((pair) => {
    const ordo = row(db, pair.ordo);
    const peer = db.peer!.rows.find((r) => r.scenario.startsWith(pair.peer));
    return ordo && peer ? [{ operation: pair.operation, ordo, peer, cpuRatio: cpuPerOp(peer) / cpuPerOp(ordo) }] : [];
  });
}

export interface TargetResult {
  target: string;
  measured: string;
  met: boolean;
}

const row = (r: DatabaseReport | undefined, name: string) => r?.rows.find((x) => x.scenario.startsWith(name));

/** The targets for this 2-core machine, each with what this run measured. */
export function evaluateTargets(reports: DatabaseReport[]): TargetResult[] {
  const pg = reports.find((r) => r.database === 'pg');
  const pglite = reports.find((r) => r.database === 'pglite');
  const results: TargetResult[] = [];
  const add = (
    target: string,
    value: number | undefined | null,
    met: (v: number) => boolean,
    format: (v: number) => string,
  ) => {
    if (value === undefined || value === null) return;
    results.push({ target, measured: format(value), met: met(value) });
  };
  const detail = row(pg, 'order detail /v1');
  const checkout = row(pg, 'checkout');
  add(
    'PG order detail ≥ 0.6× bare Fastify+pg PK read',
    pg?.ceilingRatio,
    (v) => v >= 0.6,
    (v) => `${v.toFixed(2)}×`,
  );
  add(
    'PG order detail p99 < 20 ms',
    detail?.p99Ms,
    (v) => v < 20,
    (v) => `${v.toFixed(1)} ms`,
  );
  add(
    'PG checkout ≥ 1,000 orders/s',
    checkout?.perSecond,
    (v) => v >= 1000,
    (v) => `${v.toFixed(0)} orders/s`,
  );
  if (pg)
    results.push({
      target: 'PG checkout: zero oversell',
      measured: pg.checks.zeroOversell ? 'none' : 'OVERSOLD',
      met: pg.checks.zeroOversell,
    });
  add(
    'PG ordo CPU per order detail ≤ 0.3 ms',
    detail?.cpuMsPerOp,
    (v) => v <= 0.3,
    (v) => `${v.toFixed(2)} ms`,
  );
  const ceiling = row(pg, 'ceiling');
  add(
    'PG checkout CPU (ordo + PG) ≤ 7× the ceiling read’s',
    checkout && ceiling ? cpuPerOp(checkout) / cpuPerOp(ceiling) : undefined,
    (v) => v <= 7,
    (v) => `${v.toFixed(1)}×`,
  );
  add(
    'PG ordo CPU per checkout ≤ 3 ms',
    checkout?.cpuMsPerOp,
    (v) => v <= 3,
    (v) => `${v.toFixed(2)} ms`,
  );
  const ordoRows = pg?.rows.filter((r) => !r.scenario.startsWith('ceiling'));
  add(
    'PG ordo peak RSS ≤ 150 MB under load',
    ordoRows?.length ? Math.max(...ordoRows.map((r) => r.peakRssMb)) : undefined,
    (v) => v <= 150,
    (v) => `${v.toFixed(0)} MB`,
  );
  add(
    'PGlite order detail ≥ 2,000 req/s',
    row(pglite, 'order detail /v1')?.perSecond,
    (v) => v >= 2000,
    (v) => `${v.toFixed(0)} req/s`,
  );
  for (const pair of pg ? peerRatios(pg) : [])
    add(
      `PG ${pair.operation}: ${pg!.peer!.name} CPU/op ≥ ${pair.operation === 'checkout' ? 100 : 40}× ordo's`,
      pair.cpuRatio,
      (v) => v >= (pair.operation === 'checkout' ? 100 : 40),
      (v) => `${v.toFixed(1)}×`,
    );
  for (const r of reports)
    add(
      `${r.database === 'pg' ? 'PG' : 'PGlite'} cold start with an existing database ≤ 1.5 s`,
      r.coldStartMs,
      (v) => v <= 1500,
      (v) => `${(v / 1000).toFixed(2)} s`,
    );
  return results;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

export function printReport(report: {
  machine: { cpus: number; cpuModel: string; node: string };
  databases: DatabaseReport[];
  targets: TargetResult[];
}): void {
  const m = report.machine;
  console.log(`\nordo bench — ${m.cpus} × ${m.cpuModel}, Node ${m.node}`);
  const header = ['db', 'scenario', 'rate', 'p50 ms', 'p99 ms', 'CPU ms/op', 'PG ms/op', 'peak RSS', 'ok', 'failed'];
  const widths = [7, 36, 22, 7, 7, 10, 9, 9, 7, 7];
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? pad(c, widths[i]!) : lpad(c, widths[i]!))).join(' ');
  console.log(line(header));
  for (const db of report.databases) {
    for (const r of db.rows) {
      console.log(
        line([
          db.database,
          r.scenario,
          `${r.perSecond.toFixed(0)} ${r.unit}`,
          r.p50Ms.toFixed(1),
          r.p99Ms.toFixed(1),
          r.cpuMsPerOp.toFixed(2),
          r.dbCpuMsPerOp === null ? '-' : r.dbCpuMsPerOp.toFixed(2),
          `${r.peakRssMb.toFixed(0)} MB`,
          String(r.ok),
          String(r.failed),
        ]),
      );
    }
    const ratio = db.ceilingRatio === null ? '' : `; order detail / ceiling ${db.ceilingRatio.toFixed(2)}×`;
    console.log(
      `${pad(db.database, 7)} cold start ${(db.coldStartMs / 1000).toFixed(2)} s${ratio}; zero oversell: ${db.checks.zeroOversell ? 'yes' : 'NO'}; storm paid each order once: ${db.checks.stormPaidOnce ? 'yes' : 'NO'}`,
    );
  }
  for (const db of report.databases) if (db.replica) printReplica(db);
  for (const db of report.databases) if (db.peer) printPeer(db);
  for (const db of report.databases) {
    console.log(`\norder list plans on ${db.database} (EXPLAIN ANALYZE, seeded data)`);
    for (const p of db.plans)
      console.log(
        `  ${p.seqScanOnOrders ? 'SEQ SCAN' : 'index   '} ${pad(p.filter, 32)} ${lpad(p.ms.toFixed(2), 8)} ms  ${p.scans[0] ?? ''}`,
      );
  }
  console.log('\ntargets');
  for (const t of report.targets) console.log(`  ${t.met ? 'met   ' : 'MISSED'} ${pad(t.target, 52)} ${t.measured}`);
}

/** ordo and the peer side by side, same cluster, same loads; CPU per operation is the server's plus PostgreSQL's. */
function printPeer(db: DatabaseReport): void {
  const peer = db.peer!;
  console.log(`\nordo vs ${peer.name} on PostgreSQL ${db.serverVersion}, one cluster, the same loads`);
  const widths = [12, 9, 18, 13, 12, 10, 10];
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? pad(c, widths[i]!) : lpad(c, widths[i]!))).join(' ');
  console.log(line(['operation', 'server', 'rate', 'p50/p99 ms', 'server ms/op', 'PG ms/op', 'peak RSS']));
  const ratios = peerRatios(db);
  for (const { operation, ordo, peer: other, cpuRatio } of ratios) {
    for (const [server, r] of [
      ['ordo', ordo],
      [peer.name.split(' ')[0]!, other],
    ] as const)
      console.log(
        line([
          operation,
          server,
          `${r.perSecond.toFixed(0)} ${r.unit}`,
          `${r.p50Ms.toFixed(1)}/${r.p99Ms.toFixed(1)}`,
          r.cpuMsPerOp.toFixed(2),
          r.dbCpuMsPerOp === null ? '-' : r.dbCpuMsPerOp.toFixed(2),
          `${r.peakRssMb.toFixed(0)} MB`,
        ]),
      );
    console.log(
      `${pad('', widths[0]!)} ${peer.name} uses ${cpuRatio.toFixed(1)}× ordo's CPU per ${operation} (server + PostgreSQL), ${(ordo.perSecond / other.perSecond).toFixed(1)}× fewer per second`,
    );
  }
  console.log(
    `cold start: ordo ${(db.coldStartMs / 1000).toFixed(2)} s, ${peer.name} ${(peer.coldStartMs / 1000).toFixed(2)} s (${(peer.coldStartMs / db.coldStartMs).toFixed(1)}×); ${peer.name} imported its catalog in ${peer.seedSeconds.toFixed(1)} s`,
  );
}

/** What the read replica took over and cost: reported, not gated. */
function printReplica(db: DatabaseReport): void {
  const r = db.replica!;
  const primaryDetail = row(db, 'order detail /v1');
  const onReplica = r.rows[0]!;
  const mixed = r.rows[1]!;
  console.log(`\nwith a streaming read replica (DATABASE_READ_URL), PostgreSQL ${db.serverVersion}`);
  const total = r.statements.reduce((sum, s) => sum + s.calls, 0) || 1;
  console.log(
    `  mixed load (${mixed.scenario}): ${mixed.perSecond.toFixed(0)} ${mixed.unit}, p50/p99 ${mixed.p50Ms.toFixed(1)}/${mixed.p99Ms.toFixed(1)} ms, ${mixed.failed} failed`,
  );
  for (const s of r.statements)
    console.log(
      `    ${pad(s.server, 8)} served ${lpad(String(s.calls), 8)} statements (${((100 * s.calls) / total).toFixed(0)} %), ${s.writes} of them writes`,
    );
  const checks = r.positionChecks.replica + r.positionChecks.primary;
  console.log(
    `  replay lag under that load: p50 ${r.replayLagMs.p50.toFixed(1)} ms, p99 ${r.replayLagMs.p99.toFixed(1)} ms (${r.replayLagMs.samples} samples)`,
  );
  console.log(
    `  position-checked reads: ${checks}, ${r.positionChecks.primary} fell back to the primary (${checks ? ((100 * r.positionChecks.primary) / checks).toFixed(1) : '0'} %)`,
  );
  if (primaryDetail)
    console.log(
      `  order detail /v1: on the primary ${primaryDetail.perSecond.toFixed(0)} req/s p50/p99 ${primaryDetail.p50Ms.toFixed(1)}/${primaryDetail.p99Ms.toFixed(1)} ms; on the replica ${onReplica.perSecond.toFixed(0)} req/s p50/p99 ${onReplica.p50Ms.toFixed(1)}/${onReplica.p99Ms.toFixed(1)} ms`,
    );
}
