import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './connect.ts';
import * as core from './migrations/001-core.ts';
import * as payments from './migrations/002-payments.ts';
import * as afterSales from './migrations/003-after-sales.ts';
import * as orderAddressAndEmail from './migrations/004-order-address-and-email.ts';
import * as merchantPlatform from './migrations/005-merchant-platform.ts';
import * as operations from './migrations/007-operations.ts';

// Migrations are listed here rather than read from disk so they work the same under tsx, vitest and a bundle.
const migrations: Record<string, Migration> = {
  '001-core': core,
  '002-payments': payments,
  '003-after-sales': afterSales,
  '004-order-address-and-email': orderAddressAndEmail,
  '005-merchant-platform': merchantPlatform,
  '007-operations': operations,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Db): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}
