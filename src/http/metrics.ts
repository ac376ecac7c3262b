import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { installReplicaMetrics } from './replica-metrics.ts';

/** seconds from the oldest value of `column` to `now` */
const waitedSince = (column: string, now: Date) =>
  sql<number | null>`extract(epoch from (${now}::timestamptz - min(${sql.ref(column)})))::float8`;

/**
 * Prometheus metrics on GET /metrics. Request counts and latencies are this process's own; the business figures
 * (orders by status, payments by status, job lag, webhook backlog) are read from the database at scrape time, so
 * every process reports the same totals and a restart loses nothing. With ORDO_METRICS_TOKEN set a scrape needs
 * `Authorization: Bearer <token>`; without it /metrics is open (keep it off the public internet at the proxy).
 * With read replicas the business figures are read from one (a scrape may be a moment late).
 */
export function installMetrics(app: FastifyInstance, ctx: AppContext): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ordo_process_' });

  const requests = new Counter({
    name: 'ordo_http_requests_total',
    help: 'HTTP requests answered, by route pattern and status',
    labelNames: ['method', 'route', 'status_code'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'ordo_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    // the route pattern, never the raw path: order numbers in paths would make a series per order
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status_code: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  new Gauge({
    name: 'ordo_orders',
    help: 'Orders by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await ctx.readDb
        .selectFrom('orders')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      this.reset();
      for (const row of rows) this.set({ status: row.status }, Number(row.n));
    },
  });
  new Gauge({
    name: 'ordo_payments',
    help: 'Payment attempts by status (paid = settled, failed, closed, processing, refunded, partially_refunded)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await ctx.readDb
        .selectFrom('payments')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      this.reset();
      for (const row of rows) this.set({ status: row.status }, Number(row.n));
    },
  });
  new Gauge({
    name: 'ordo_webhook_backlog',
    help: 'Webhook deliveries not delivered: pending (due now or retrying later) and failed for good',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await ctx.readDb
        .selectFrom('webhook_deliveries')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '<>', 'delivered')
        .groupBy('status')
        .execute();
      this.set({ status: 'pending' }, Number(rows.find((r) => r.status === 'pending')?.n ?? 0));
      this.set({ status: 'failed' }, Number(rows.find((r) => r.status === 'failed')?.n ?? 0));
    },
  });
  new Gauge({
    name: 'ordo_job_lag_seconds',
    help: 'How long the oldest work a job should already have done has been waiting (0 when it is caught up)',
    labelNames: ['job'],
    registers: [registry],
    async collect() {
      const now = ctx.clock.now();
      const lag = async (job: string, query: Promise<{ lag: number | null } | undefined>) =>
        this.set({ job }, Math.max(0, Number((await query)?.lag ?? 0)));
      await Promise.all([
        lag(
          'expiry',
          ctx.readDb
            .selectFrom('orders')
            .select(waitedSince('expires_at', now).as('lag'))
            .where('status', '=', 'pending_payment')
            .where('expires_at', '<', now)
            .executeTakeFirst(),
        ),
        lag(
          'webhook delivery',
          ctx.readDb
            .selectFrom('webhook_deliveries')
            .select(waitedSince('next_attempt_at', now).as('lag'))
            .where('status', '=', 'pending')
            .where('next_attempt_at', '<', now)
            .executeTakeFirst(),
        ),
        lag(
          'reconciliation',
          ctx.readDb
            .selectFrom('payments')
            .select(waitedSince('next_check_at', now).as('lag'))
            .where('status', '=', 'processing')
            .where('next_check_at', '<', now)
            .executeTakeFirst(),
        ),
      ]);
    },
  });

  if (ctx.replicas) installReplicaMetrics(registry, ctx.replicas);

  const token = ctx.config.metricsToken;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (token && !sameSecret(request.headers.authorization ?? '', `Bearer ${token}`))
      throw new AppError('unauthorized', 'send Authorization: Bearer <ORDO_METRICS_TOKEN>');
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
