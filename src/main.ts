import { setFlagsFromString } from 'node:v8';
import { DEMO, seedDemoIfEmpty } from './demo/seed-demo.ts';
import { createApp } from './merchants/apps.ts';
import { buildApp } from './http/app.ts';
import { startExpirySweep } from './jobs/expire-orders-job.ts';
import { startNonceCleanup } from './jobs/nonce-cleanup-job.ts';
import { startOrderTimers } from './jobs/order-timers-job.ts';
import { startReconciliation } from './jobs/reconciliation-job.ts';
import { startWebhookDelivery } from './jobs/webhook-delivery-job.ts';
import { httpTransport } from './providers/http-transport.ts';
import { installGracefulShutdown } from './boot/graceful-shutdown.ts';
import { createContext } from './boot/create-context.ts';
import { openConfiguredDatabaseOrExit } from './boot/open-database.ts';
import { loadConfigOrExit, refuseDemoPasswordsInProduction } from './boot/startup-checks.ts';

// Under load, much of what survives a young-generation collection (requests in flight) dies soon after in the old
// generation, which V8 by default lets grow to up to 4× its live size before collecting it: ~35 MB live became
// ~115 MB. Growing it by at most 1.5× costs a short incremental collection every few seconds under load and keeps
// peak memory near what is live (bench/README.md, "Cold start and memory").
setFlagsFromString('--heap-growing-percent=50');

const startedAt = performance.now();
const config = loadConfigOrExit();
const handle = await openConfiguredDatabaseOrExit(config);
await refuseDemoPasswordsInProduction(config, handle);
const ctx = createContext(config, handle);

const seeded = config.seedDemo && (await seedDemoIfEmpty(ctx.db));
// the demo till's credentials exist only in this first start's output, like any app secret
const demoApp = seeded ? await createApp(ctx, DEMO.merchantId, { name: 'demo till' }) : null;
const app = await buildApp(ctx);
const jobs = [
  startExpirySweep(ctx, config.expirySweepSeconds),
  startReconciliation(ctx, config.reconcileSeconds),
  startOrderTimers(ctx, config.orderTimerSeconds),
  startWebhookDelivery(ctx, httpTransport(), config.webhookSeconds),
  startNonceCleanup(ctx, 300),
];
// SSE clients of this process hear orders changed by any other ordo process on the same PostgreSQL
await ctx.orderUpdates.start();
await app.listen({ port: config.port, host: config.host });

// the banner comes after the log's own lines ("Server listening …"), which pino writes asynchronously
await new Promise<void>((resolve) => ctx.log.flush(() => resolve()));
const base = `http://localhost:${config.port}`;
const replicas = config.readDatabaseUrls.length;
const where =
  handle.kind === 'pglite'
    ? `embedded PGlite in ${config.dataDir}`
    : `PostgreSQL (DATABASE_URL${replicas ? `, reads also from ${replicas} replica${replicas > 1 ? 's' : ''}` : ''})`;
console.log(`
ordo is ready in ${Math.round(performance.now() - startedAt)} ms on ${where}${seeded ? ', with fresh demo data' : ''}
  API        ${base}/v1
  API docs   ${base}/docs   (OpenAPI: ${base}/openapi.json)
  shop       ${base}/shop   (demo shop: buy, then pay at the cashier ${base}/pay/<orderNo>)
  console    ${base}/admin  (staff admin console)
  health     ${base}/healthz   ${base}/readyz${ctx.sandbox ? `\n  sandbox    ${base}/sandbox/   (simulated WeChat Pay and Alipay: pay any QR ordo shows)` : ''}
  member     ${DEMO.member.username} / ${DEMO.member.password}   (POST ${base}/v1/auth/login)
  staff      ${DEMO.staff.map((s) => `${s.username} / ${s.password}`).join(',  ')}   (POST ${base}/v1/staff/login)${
    demoApp ? `\n  demo app   ${demoApp.appId}  secret ${demoApp.secret}   (merchant API; shown only now)` : ''
  }
`);

const closeDatabase = async () => {
  await ctx.orderUpdates.close();
  await handle.close();
};
installGracefulShutdown({
  app,
  jobs,
  log: ctx.log,
  timeoutSeconds: config.shutdownTimeoutSeconds,
  close: closeDatabase,
});
