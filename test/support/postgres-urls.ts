/** The migrated, demo-seeded database every PostgreSQL test database is copied from. */
export const TEMPLATE_DATABASE = 'ordo_test_template';

/** The same server and credentials as `url`, another database. */
export function databaseUrlFor(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
