import { childrenCpuMs, cpuMs, watchPeakRss, type Server } from './processes.ts';
import type { Row } from './report.ts';
import type { Scenario } from './scenarios.ts';

/**
 * Runs one scenario against a server and measures it: rate and latency from the load, the server's CPU and
 * PostgreSQL's (all backends under the postmaster `dbPid`) per successful operation from /proc, peak RSS sampled
 * while it runs. `warmUp`, when given, runs first, unmeasured (a JIT that is still warming up costs CPU).
 */
export async function measure(
  scenario: Scenario,
  server: Server,
  dbPid: number | null,
  warmUp?: Scenario,
): Promise<Row> {
  if (warmUp) await warmUp.run(server.base).catch(() => undefined);
  const cpu0 = cpuMs(server.pid);
  const db0 = dbPid ? childrenCpuMs(dbPid) : 0;
  const peak = watchPeakRss(server.pid);
  const result = await scenario.run(server.base);
  const ops = Math.max(1, result.ok);
  const row: Row = {
    scenario: scenario.name,
    unit: scenario.unit,
    perSecond: result.perSecond,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    cpuMsPerOp: (cpuMs(server.pid) - cpu0) / ops,
    dbCpuMsPerOp: dbPid ? (childrenCpuMs(dbPid) - db0) / ops : null,
    peakRssMb: peak(),
    ok: result.ok,
    failed: result.failed,
  };
  console.error(`  ${row.scenario}: ${row.perSecond.toFixed(0)} ${row.unit}, p99 ${row.p99Ms.toFixed(1)} ms`);
  return row;
}
