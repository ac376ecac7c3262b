import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './connect.ts';
import * as core from './migrations/001-core.ts';
import * as payments from './migrations/002-payments.ts';
import * as afterSales from './migrations/003-after-sales.ts';
import * as orderAddressAndEmail from './migrations/004-order-address-and-email.ts';
import * as merchantPlatform from './migrations/005-merchant-platform.ts';
import * as operations from './migrations/007-operations.ts';
import * as orderSearch from './migrations/008-order-search.ts';
import * as orderDelivery from './migrations/009-order-delivery.ts';
import * as refundNumberCount from './migrations/010-refund-number-count.ts';
import * as pointsRuleAndOpeningLedger from './migrations/011-points-rule-and-opening-ledger.ts';
import * as catalogSkus from './migrations/012-catalog-skus.ts';
import * as couponWallet from './migrations/013-coupon-wallet.ts';
import * as storePages from './migrations/014-store-pages.ts';
import * as captchas from './migrations/015-captchas.ts';
import * as memberCardsAndRechargeRules from './migrations/016-member-cards-and-recharge-rules.ts';
import * as orderGoodsSnapshot from './migrations/017-order-goods-snapshot.ts';
import * as memberUploadsAndReturnParcels from './migrations/018-member-uploads-and-return-parcels.ts';
import * as checkoutFunctions from './migrations/019-checkout-functions.ts';

// Migrations are listed here rather than read from disk so they work the same under tsx, vitest and a bundle.
const migrations: Record<string, Migration> = {
  '001-core': core,
  '002-payments': payments,
  '003-after-sales': afterSales,
  '004-order-address-and-email': orderAddressAndEmail,
  '005-merchant-platform': merchantPlatform,
  '007-operations': operations,
  '008-order-search': orderSearch,
  '009-order-delivery': orderDelivery,
  '010-refund-number-count': refundNumberCount,
  '011-points-rule-and-opening-ledger': pointsRuleAndOpeningLedger,
  '012-catalog-skus': catalogSkus,
  '013-coupon-wallet': couponWallet,
  '014-store-pages': storePages,
  '015-captchas': captchas,
  '016-member-cards-and-recharge-rules': memberCardsAndRechargeRules,
  '017-order-goods-snapshot': orderGoodsSnapshot,
  '018-member-uploads-and-return-parcels': memberUploadsAndReturnParcels,
  '019-checkout-functions': checkoutFunctions,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Db): Promise<void> {
  if (await allApplied(db)) return;
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}

/**
 * Whether every migration has run already, as on every start but the first: told by two small queries, where the
 * Migrator reads the catalog and takes its lock (0.45 s of an embedded start). Anything else goes to the Migrator.
 */
async function allApplied(db: Db): Promise<boolean> {
  const { rows: table } = await sql<{
    present: boolean;
  }>`select to_regclass('kysely_migration') is not null as present`.execute(db);
  if (!table[0]?.present) return false;
  const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  const applied = new Set(rows.map((row) => row.name));
  return applied.size === Object.keys(migrations).length && Object.keys(migrations).every((name) => applied.has(name));
}
