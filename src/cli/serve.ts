import cluster, { type Worker } from 'node:cluster';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { DEMO, seedDemoIfEmpty } from '../demo/seed-demo.ts';
import { createApp } from '../merchants/apps.ts';
import { createContext } from '../boot/create-context.ts';
import { openConfiguredDatabaseOrExit } from '../boot/open-database.ts';

/**
 * `ordo serve --workers N`: N ordo processes (node:cluster) sharing one port and one PostgreSQL database. Jobs
 * claim their work with guarded updates and `FOR UPDATE SKIP LOCKED`, so each runs exactly once however many
 * workers run it; order updates reach SSE clients of every worker through LISTEN/NOTIFY.
 */
const USAGE = 'usage: npm run serve -- --workers <N>   (N ordo processes on one port; N > 1 needs DATABASE_URL)';
// a worker that dies this soon after starting has a problem a restart will not fix (configuration, database)
const EARLY_EXIT_MS = 10_000;

// A worker runs this same file with the primary's node options (the built dist/serve.js, or tsx on the sources) and
// becomes an ordo process.
if (cluster.isWorker) await import('../main.ts');
else await superviseWorkers();

async function superviseWorkers(): Promise<void> {
  const { values } = parseArgs({ options: { workers: { type: 'string', default: '1' } } });
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    console.error(`ordo serve: --workers must be a whole number from 1 to 64, got "${values.workers}"\n${USAGE}`);
    process.exit(2);
  }
  const config = loadConfig();
  if (!config.databaseUrl && workers > 1) {
    console.error(
      `ordo serve: --workers ${workers} needs PostgreSQL. The embedded PGlite database belongs to one process, so it cannot be shared by ${workers} workers: set DATABASE_URL=postgres://… , or run one process (npm start).`,
    );
    process.exit(2);
  }

  // Migrate, seed and create the key files once here, so workers never race to do it.
  const handle = await openConfiguredDatabaseOrExit(config);
  const ctx = createContext({ ...config, logLevel: 'warn' }, handle);
  const seeded = config.seedDemo && (await seedDemoIfEmpty(ctx.db));
  const demoApp = seeded ? await createApp(ctx, DEMO.merchantId, { name: 'demo till' }) : null;
  await handle.close();
  if (demoApp) console.log(`demo app   ${demoApp.appId}  secret ${demoApp.secret}   (merchant API; shown only now)`);

  const startedAt = new Map<Worker, number>();
  const fork = () => startedAt.set(cluster.fork({ ORDO_SEED_DEMO: 'false' }), Date.now());
  let stopping = false;

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) {
      if (startedAt.size === 0) process.exit();
      return;
    }
    console.error(`ordo serve: worker ${worker.process.pid} exited (${signal ?? code}) after ${lived} ms`);
    if (lived < EARLY_EXIT_MS) return stop(1);
    fork();
  });

  function stop(exitCode: number) {
    stopping = true;
    process.exitCode = exitCode;
    if (startedAt.size === 0) process.exit(exitCode);
    for (const worker of startedAt.keys()) worker.process.kill('SIGTERM');
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(0));
  for (let i = 0; i < workers; i++) fork();
  console.log(
    `ordo serve: ${workers} worker${workers > 1 ? 's' : ''} on port ${config.port} (${config.databaseUrl ? 'PostgreSQL' : 'embedded PGlite'})`,
  );
}
