import type { PlanCheck } from './explain.ts';

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
