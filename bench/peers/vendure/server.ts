/** Starts the benchmark's Vendure (see vendure-config.ts) on PORT against DATABASE_URL, already populated. */
import { bootstrap } from '@vendure/core';
import { benchConfig } from './vendure-config.ts';

await bootstrap(
  benchConfig({ databaseUrl: process.env.DATABASE_URL!, port: Number(process.env.PORT), synchronize: false }),
);
