import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryView {
  id: number;
  appId: string;
  eventId: number;
  topic: string;
  aggregateId: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string;
  /** when the next attempt is due; null once delivered or failed */
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface AttemptView {
  id: number;
  at: Date;
  statusCode: number | null;
  error: string;
  durationMs: number;
}

function deliveries(ctx: AppContext, merchantId: number) {
  return ctx.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('apps as a', 'a.id', 'd.app_id')
    .innerJoin('outbox_events as e', 'e.id', 'd.outbox_event_id')
    .select([
      'd.id',
      'a.app_id',
      'd.outbox_event_id',
      'e.topic',
      'd.aggregate_id',
      'd.status',
      'd.attempts',
      'd.last_status',
      'd.last_error',
      'd.next_attempt_at',
      'd.delivered_at',
      'd.created_at',
    ])
    .where('a.merchant_id', '=', merchantId);
}

type Row = Awaited<ReturnType<ReturnType<typeof deliveries>['executeTakeFirstOrThrow']>>;

const view = (r: Row): DeliveryView => ({
  id: r.id,
  appId: r.app_id,
  eventId: r.outbox_event_id,
  topic: r.topic,
  aggregateId: r.aggregate_id,
  status: r.status,
  attempts: r.attempts,
  lastStatus: r.last_status,
  lastError: r.last_error,
  nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
  deliveredAt: r.delivered_at,
  createdAt: r.created_at,
});

/** The merchant's webhook deliveries, newest first; `cursor` is the `nextCursor` of the previous page. */
export async function listDeliveries(
  ctx: AppContext,
  merchantId: number,
  filters: { status?: DeliveryStatus; limit: number; cursor?: string },
): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
  let query = deliveries(ctx, merchantId);
  if (filters.status) query = query.where('d.status', '=', filters.status);
  if (filters.cursor) query = query.where('d.id', '<', Number(filters.cursor));
  const rows = await query
    .orderBy('d.id', 'desc')
    .limit(filters.limit + 1)
    .execute();
  const page = rows.slice(0, filters.limit);
  return { items: page.map(view), nextCursor: rows.length > filters.limit ? String(page.at(-1)!.id) : null };
}

export async function getDelivery(
  ctx: AppContext,
  merchantId: number,
  deliveryId: number,
): Promise<DeliveryView | null> {
  const row = await deliveries(ctx, merchantId).where('d.id', '=', deliveryId).executeTakeFirst();
  return row ? view(row) : null;
}

/** Every attempt of one of the merchant's deliveries, oldest first. */
export async function listAttempts(ctx: AppContext, merchantId: number, deliveryId: number): Promise<AttemptView[]> {
  if (!(await getDelivery(ctx, merchantId, deliveryId))) throw notFound('webhook delivery', { deliveryId });
  const rows = await ctx.db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', '=', deliveryId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    statusCode: r.status_code,
    error: r.error,
    durationMs: r.duration_ms,
  }));
}
