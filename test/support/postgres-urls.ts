/**
 * The migrated, demo-seeded database every PostgreSQL test database is copied from; one per test run, so that two
 * runs can share a server.
 */
export function templateDatabaseName(runId: number): string {
  return `ordo_test_template_${runId}`;
}

/** The same server and credentials as `url`, another database. */
export function databaseUrlFor(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
