import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { currentWorkId } from '../log-context.ts';
import { appSigningSecret } from '../merchants/apps.ts';
import type { Transport } from '../providers/provider.ts';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from '../webhooks/verify-webhook.ts';

/** After this many attempts without a 2xx a delivery is `failed` (staff can redeliver it). */
export const MAX_ATTEMPTS = 12;
/**
 * Retries wait 10 s × 2^(attempt − 1) after the attempt that failed — 10 s, 20 s, 40 s, … — capped at one hour
 * (from the 10th attempt on), so the 12 attempts span about 3 h 25 min.
 */
export const FIRST_RETRY_SECONDS = 10;
export const MAX_RETRY_SECONDS = 3600;
export const retryDelaySeconds = (attempts: number): number =>
  Math.min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), MAX_RETRY_SECONDS);

/** A receiver must answer 2xx within this time. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** How many deliveries one pass sends at once (each to a different order, so ordering is unaffected). */
const PARALLEL_SENDS = 8;

export interface DeliveryOptions {
  timeoutMs?: number;
}

interface Claimed {
  id: number;
  attempts: number;
  /** the next_attempt_at written when claiming: the attempt's lease, and the guard of its outcome */
  lease: Date;
}

/**
 * One delivery pass. Due pending deliveries are claimed under `FOR UPDATE SKIP LOCKED` by pushing their next
 * attempt a lease past the timeout, so another ordo process leaves them alone (and takes them over after a crash);
 * the POSTs happen outside any transaction, then each outcome is written with a guarded update. A delivery waits
 * while an earlier delivery of the same app and aggregate (order, payment, refund, trade) is not yet delivered,
 * so a receiver sees one order's events in the order they happened. When a delivery succeeds, the one behind it
 * goes out in the same pass. Returns how many attempts were made.
 */
export async function deliverDueWebhooks(
  ctx: AppContext,
  transport: Transport,
  batchSize = 50,
  options: DeliveryOptions = {},
): Promise<number> {
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const secrets = new Map<number, Promise<string>>();
  const secretOf = (appRowId: number) => {
    let secret = secrets.get(appRowId);
    if (!secret) secrets.set(appRowId, (secret = appSigningSecret(ctx, appRowId)));
    return secret;
  };
  let handled = 0;
  while (handled < batchSize) {
    const claimed = await claimDue(ctx, batchSize - handled, timeoutMs);
    if (claimed.length === 0) break;
    const queue = [...claimed];
    const results = await Promise.allSettled(
      Array.from({ length: Math.min(PARALLEL_SENDS, queue.length) }, async () => {
        for (let next = queue.shift(); next; next = queue.shift())
          await attempt(ctx, transport, next, secretOf, timeoutMs);
      }),
    );
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    handled += claimed.length;
  }
  return handled;
}

async function claimDue(ctx: AppContext, limit: number, timeoutMs: number): Promise<Claimed[]> {
  const now = ctx.clock.now();
  // long enough that an attempt still in flight (at most the timeout) is never taken over
  const lease = new Date(now.getTime() + timeoutMs + 50_000);
  return ctx.db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('webhook_deliveries as d')
      .select(['d.id', 'd.attempts'])
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('webhook_deliveries as earlier')
              .select(sql`1`.as('one'))
              .whereRef('earlier.app_id', '=', 'd.app_id')
              .whereRef('earlier.aggregate_id', '=', 'd.aggregate_id')
              .whereRef('earlier.id', '<', 'd.id')
              .where('earlier.status', '<>', 'delivered'),
          ),
        ),
      )
      // a disabled app, or one without a URL, keeps its deliveries pending until it is usable again
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('apps as a')
            .select(sql`1`.as('one'))
            .whereRef('a.id', '=', 'd.app_id')
            .where('a.disabled', '=', false)
            .where('a.webhook_url', '<>', ''),
        ),
      )
      .orderBy('d.id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    await trx
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: lease })
      .where(
        'id',
        'in',
        due.map((d) => d.id),
      )
      .execute();
    return due.map((d) => ({ id: d.id, attempts: d.attempts, lease }));
  });
}

async function attempt(
  ctx: AppContext,
  transport: Transport,
  claimed: Claimed,
  secretOf: (appRowId: number) => Promise<string>,
  timeoutMs: number,
): Promise<void> {
  const delivery = await ctx.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('outbox_events as e', 'e.id', 'd.outbox_event_id')
    .innerJoin('apps as a', 'a.id', 'd.app_id')
    .select(['d.app_id', 'e.id as event_id', 'e.topic', 'e.aggregate_id', 'e.payload', 'e.created_at', 'a.webhook_url'])
    .where('d.id', '=', claimed.id)
    .executeTakeFirstOrThrow();
  const body = JSON.stringify({
    id: delivery.event_id,
    topic: delivery.topic,
    aggregateId: delivery.aggregate_id,
    createdAt: delivery.created_at.toISOString(),
    data: delivery.payload,
  });
  const sentAt = ctx.clock.now();
  const timestamp = Math.floor(sentAt.getTime() / 1000);
  const started = performance.now();
  let statusCode: number | null = null;
  let error = '';
  try {
    const secret = await secretOf(delivery.app_id);
    const response = await withTimeout(
      transport({
        method: 'POST',
        url: delivery.webhook_url,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'ordo-webhooks/1',
          // the job pass (or staff request) that sent it: the receiver can quote it, ordo's log lines carry it
          'x-request-id': currentWorkId(),
          [EVENT_ID_HEADER]: String(delivery.event_id),
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
        },
        body,
      }),
      timeoutMs,
    );
    statusCode = response.status;
    if (statusCode < 200 || statusCode > 299)
      error = `HTTP ${statusCode}${response.body ? `: ${response.body.slice(0, 200)}` : ''}`;
  } catch (err) {
    error = describeError(err);
  }
  const durationMs = Math.round(performance.now() - started);
  const delivered = error === '';
  const attempts = claimed.attempts + 1;
  const finishedAt = ctx.clock.now();
  const outcome = delivered
    ? { status: 'delivered' as const, delivered_at: finishedAt, next_attempt_at: finishedAt }
    : attempts >= MAX_ATTEMPTS
      ? { status: 'failed' as const, delivered_at: null, next_attempt_at: finishedAt }
      : {
          status: 'pending' as const,
          delivered_at: null,
          next_attempt_at: new Date(finishedAt.getTime() + retryDelaySeconds(attempts) * 1000),
        };

  const kept = await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_attempts')
      .values({
        delivery_id: claimed.id,
        at: sentAt,
        status_code: statusCode,
        error: error.slice(0, 1000),
        duration_ms: durationMs,
      })
      .execute();
    // Guarded by the lease: if this attempt outlived it and another process took the delivery over, its outcome stands.
    const updated = await trx
      .updateTable('webhook_deliveries')
      .set({ ...outcome, attempts, last_status: statusCode, last_error: error.slice(0, 1000) })
      .where('id', '=', claimed.id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '=', claimed.lease)
      .executeTakeFirst();
    return updated.numUpdatedRows > 0n;
  });
  ctx.log.info(
    { deliveryId: claimed.id, eventId: delivery.event_id, topic: delivery.topic, statusCode, durationMs, delivered },
    'webhook attempt',
  );
  if (!kept)
    ctx.log.warn({ deliveryId: claimed.id }, 'webhook attempt finished after its lease; the delivery was taken over');
  else if (outcome.status === 'failed')
    ctx.log.warn({ deliveryId: claimed.id, attempts, error }, 'webhook delivery failed for good');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // fetch wraps the socket error (ECONNREFUSED, ECONNRESET, …) in `cause`
  const cause = err.cause instanceof Error ? `: ${(err.cause as NodeJS.ErrnoException).code ?? err.cause.message}` : '';
  return `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}${cause}`;
}
