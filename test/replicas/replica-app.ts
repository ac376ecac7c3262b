import { inject } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** Why the replica tests are skipped where they are: a streaming replica is a PostgreSQL server of its own. */
export const SKIPPED_WITHOUT_REPLICA =
  'skipped: needs PostgreSQL and a streaming replica of it (DATABASE_URL and DATABASE_READ_URL, as .ci/run sets them)';

export const haveReplica = (): boolean => !!inject('readReplicaUrl');

/** A suite title that says why it did not run, where it does not. */
export const replicaSuite = (title: string): string =>
  haveReplica() ? title : `${title} — ${SKIPPED_WITHOUT_REPLICA}`;

/**
 * A test app whose read pool is the replica's copy of its database, once the replica has replayed that database's
 * creation and a probe found it usable. `via` rewrites the replica's URL (through a proxy a test can cut).
 */
export async function startReplicaApp(via?: (url: string) => string): Promise<TestApp> {
  const t = await startTestApp({}, { readReplica: { via } });
  await replicaUsable(t);
  return t;
}

/** Probes until every replica is usable (each probe waits for the replica's answer). */
export async function replicaUsable(t: TestApp): Promise<void> {
  while (!t.ctx.replicas!.states().every((s) => s.usable)) await t.ctx.replicas!.probe();
}

/** How many read-pool statements each server has served so far. */
export function statementsServed(t: TestApp): { replica: number; primary: number } {
  let replica = 0;
  for (const [server, count] of t.ctx.replicas!.counts.statements) if (server !== 'primary') replica += count;
  return { replica, primary: t.ctx.replicas!.counts.statements.get('primary') ?? 0 };
}
