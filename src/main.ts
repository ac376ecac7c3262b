import { loadConfig } from './config.ts';
import { DEMO, seedDemoIfEmpty } from './demo/seed-demo.ts';
import { buildApp } from './http/app.ts';
import { startExpirySweep } from './jobs/expiry-sweep.ts';
import { createContext, openConfiguredDatabase } from './start.ts';

const startedAt = performance.now();
const config = loadConfig();
const handle = await openConfiguredDatabase(config);
const ctx = createContext(config, handle);

const seeded = config.seedDemo && (await seedDemoIfEmpty(ctx));
const app = await buildApp(ctx);
const sweep = startExpirySweep(ctx, config.expirySweepSeconds);
await app.listen({ port: config.port, host: config.host });

const base = `http://localhost:${config.port}`;
const where = handle.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
console.log(`
ordo is ready in ${Math.round(performance.now() - startedAt)} ms on ${where}${seeded ? ', with fresh demo data' : ''}
  API        ${base}/v1
  API docs   ${base}/docs   (OpenAPI: ${base}/openapi.json)
  health     ${base}/healthz   ${base}/readyz
  member     ${DEMO.member.username} / ${DEMO.member.password}   (POST ${base}/v1/auth/login)
  staff      ${DEMO.staff.map((s) => `${s.username} / ${s.password}`).join(',  ')}   (POST ${base}/v1/staff/login)
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'shutting down');
    await app.close();
    await sweep.stop();
    await handle.close();
    process.exit(0);
  });
}
