import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { TestProject } from 'vitest/node';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { seedDemoIfEmpty } from '../../src/demo/seed-demo.ts';
import { generateSandboxKeys } from '../../src/secrets/sandbox-keys.ts';
import { databaseUrlFor, templateDatabaseName } from './postgres-urls.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    /** the PostgreSQL template database of this run */
    pgTemplate: string;
    /** one set of throwaway sandbox keys for the whole run (RSA key generation is slow) */
    sandboxKeys: string;
    /** DATABASE_READ_URL: a streaming replica of DATABASE_URL's server, for the test/replicas files; '' without one */
    readReplicaUrl: string;
  }
}

/**
 * Builds one migrated database holding the demo data, once per run; every test file then starts from a copy
 * (a PGlite data-folder dump, or `CREATE DATABASE … TEMPLATE` on PostgreSQL), because creating and migrating a
 * database per file would cost seconds each.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  project.provide('sandboxKeys', JSON.stringify(generateSandboxKeys()));
  const databaseUrl = process.env.DATABASE_URL;
  // Each test names the replica's copy of its own database; an ordo process a test starts inherits the environment,
  // and the variable as given names the cluster's "postgres" database, which holds no ordo tables. It is kept aside
  // under another name for the next project's set-up.
  process.env.ORDO_TEST_READ_REPLICA_URL ??= process.env.DATABASE_READ_URL ?? '';
  delete process.env.DATABASE_READ_URL;
  project.provide('readReplicaUrl', databaseUrl ? process.env.ORDO_TEST_READ_REPLICA_URL : '');
  if (databaseUrl) {
    const templateName = templateDatabaseName(process.pid);
    const admin = await openDatabase({ databaseUrl, poolSize: 1 });
    const dropTemplate = () => sql.raw(`drop database if exists ${templateName} with (force)`).execute(admin.db);
    await dropTemplate();
    await sql.raw(`create database ${templateName}`).execute(admin.db);
    const template = await openDatabase({ databaseUrl: databaseUrlFor(databaseUrl, templateName), poolSize: 1 });
    await prepare(template);
    await template.close();
    project.provide('pgliteTemplate', '');
    project.provide('pgTemplate', templateName);
    return async () => {
      await dropTemplate();
      await admin.close();
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'ordo-test-'));
  const file = join(dir, 'template.tar');
  const handle = await openDatabase({ dataDir: 'memory://' });
  await prepare(handle);
  const dump = await handle.pglite!.dumpDataDir('none');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide('pgliteTemplate', file);
  project.provide('pgTemplate', '');
  return async () => rmSync(dir, { recursive: true, force: true });
}

async function prepare(handle: DatabaseHandle) {
  await migrateToLatest(handle.db);
  await seedDemoIfEmpty(handle.db);
}
