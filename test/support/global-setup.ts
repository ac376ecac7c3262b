import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { TestProject } from 'vitest/node';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { seedDemoIfEmpty } from '../../src/demo/seed-demo.ts';
import { generateSandboxKeys } from '../../src/sandbox/sandbox-keys.ts';
import { databaseUrlFor, TEMPLATE_DATABASE } from './postgres-urls.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    /** one set of throwaway sandbox keys for the whole run (RSA key generation is slow) */
    sandboxKeys: string;
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
  if (databaseUrl) {
    const admin = await openDatabase({ databaseUrl, poolSize: 1 });
    const dropTemplate = () => sql.raw(`drop database if exists ${TEMPLATE_DATABASE} with (force)`).execute(admin.db);
    await dropTemplate();
    await sql.raw(`create database ${TEMPLATE_DATABASE}`).execute(admin.db);
    const template = await openDatabase({ databaseUrl: databaseUrlFor(databaseUrl, TEMPLATE_DATABASE), poolSize: 1 });
    await prepare(template);
    await template.close();
    project.provide('pgliteTemplate', '');
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
  return async () => rmSync(dir, { recursive: true, force: true });
}

async function prepare(handle: DatabaseHandle) {
  await migrateToLatest(handle.db);
  await seedDemoIfEmpty(handle.db);
}
