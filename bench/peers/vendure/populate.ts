/**
 * Creates the benchmark's Vendure schema and catalog through Vendure's own import (`populate` from
 * @vendure/core/cli): a zone, country, tax rate, a free shipping method, the settle-at-once payment method, and the
 * products CSV the bench wrote (PRODUCTS_CSV). Exits when done.
 */
import { bootstrap, LanguageCode } from '@vendure/core';
import { populate } from '@vendure/core/cli';
import { benchConfig, SETTLE_AT_ONCE } from './vendure-config.ts';

const initialData = {
  defaultLanguage: LanguageCode.en,
  defaultZone: 'Asia',
  countries: [{ name: 'China', code: 'CN', zone: 'Asia' }],
  taxRates: [{ name: 'Standard Tax', percentage: 13 }],
  shippingMethods: [{ name: 'Standard Shipping', price: 0 }],
  paymentMethods: [{ name: 'Settle at once', handler: { code: SETTLE_AT_ONCE, arguments: [] } }],
  collections: [],
};

const app = await populate(
  () =>
    bootstrap(
      benchConfig({ databaseUrl: process.env.DATABASE_URL!, port: Number(process.env.PORT), synchronize: true }),
    ),
  initialData,
  process.env.PRODUCTS_CSV!,
);
await app.close();
