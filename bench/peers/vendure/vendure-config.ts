/**
 * A stock Vendure, configured for the side-by-side benchmark (bench/peers/vendure.ts): PostgreSQL from DATABASE_URL,
 * bearer tokens (the load generator keeps them per buyer), no e-mail verification (the bench registers its readers
 * through the shop API), warnings-only logging as ordo runs in the bench, and one payment handler that settles at
 * once, as ordo's balance payment does. Nothing else is added: no plugins, so no search index or worker to feed.
 */
import { randomBytes } from 'node:crypto';
import { DefaultLogger, LanguageCode, LogLevel, PaymentMethodHandler, type VendureConfig } from '@vendure/core';

export const SETTLE_AT_ONCE = 'bench-settle-at-once';

const settleAtOnce = new PaymentMethodHandler({
  code: SETTLE_AT_ONCE,
  description: [{ languageCode: LanguageCode.en, value: 'Settles the whole amount at once' }],
  args: {},
  createPayment: (_ctx, order, amount) => ({ amount, state: 'Settled', transactionId: `bench-${order.code}` }),
  settlePayment: () => ({ success: true }),
});

export function benchConfig(options: { databaseUrl: string; port: number; synchronize: boolean }): VendureConfig {
  return {
    apiOptions: { hostname: '127.0.0.1', port: options.port, adminApiPath: 'admin-api', shopApiPath: 'shop-api' },
    authOptions: {
      tokenMethod: 'bearer',
      requireVerification: false,
      superadminCredentials: { identifier: 'superadmin', password: randomBytes(12).toString('hex') },
      cookieOptions: { secret: randomBytes(16).toString('hex') },
    },
    dbConnectionOptions: {
      type: 'postgres',
      url: options.databaseUrl,
      synchronize: options.synchronize,
      logging: false,
    },
    paymentOptions: { paymentMethodHandlers: [settleAtOnce] },
    logger: new DefaultLogger({ level: LogLevel.Warn }),
    plugins: [],
  };
}
