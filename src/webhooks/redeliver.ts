import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { getDelivery, type DeliveryView } from './list-deliveries.ts';

/**
 * Staff send a delivery again: a delivered or failed delivery becomes pending, due now. Its attempts are kept
 * (the history stays in webhook_attempts, and the attempt limit counts them all: a delivery that had already used
 * up its attempts gets one more try). A delivery of another merchant's app is not found.
 */
export async function redeliver(ctx: AppContext, merchantId: number, deliveryId: number): Promise<DeliveryView> {
  const now = ctx.clock.now();
  const updated = await ctx.db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: now, delivered_at: null })
    .where('id', '=', deliveryId)
    .where('status', 'in', ['delivered', 'failed'])
    .where('app_id', 'in', (eb) => eb.selectFrom('apps').select('id').where('merchant_id', '=', merchantId))
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) {
    const current = await getDelivery(ctx, merchantId, deliveryId);
    if (!current) throw notFound('webhook delivery', { deliveryId });
    throw new AppError('invalid_state', 'the delivery is still pending: it will be sent at its next attempt', {
      deliveryId,
      status: current.status,
    });
  }
  return (await getDelivery(ctx, merchantId, deliveryId))!;
}
