import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import type { StaffPrincipal } from '../auth/tokens.ts';
import { AppError } from '../errors.ts';
import { orderUpdateOf } from '../events/order-updates.ts';
import { applyOrderTransition, orderMoveRefused, recordOrderEvent } from '../orders/apply-order-transition.ts';
import { emitEvent } from '../events/outbox.ts';
import { lockOrderInScope } from '../orders/order-in-scope.ts';

export interface ShipInput {
  carrier: string;
  trackingNumbers: string[];
  /** what goes in this parcel; everything not yet shipped when omitted */
  lines?: { lineId: number; quantity: number }[];
}

/**
 * Staff send a parcel: chosen lines and quantities (or all that is left) with a carrier and tracking numbers.
 * Each line's shipped quantity grows by a guarded update, so two parcels can never ship more than was ordered;
 * the order becomes shipped when nothing is left to send. Orders with a pending cancel request wait for it.
 */
export async function shipOrder(
  ctx: AppContext,
  staff: StaffPrincipal,
  orderNo: string,
  input: ShipInput,
): Promise<{ shipmentId: number; status: string }> {
  const now = ctx.clock.now();
  const result = await ctx.db.transaction().execute(async (trx) => {
    const order = await lockOrderInScope(trx, staff, orderNo);
    if (order.status !== 'paid')
      throw new AppError('invalid_state', `an order that is ${order.status} cannot be shipped`, {
        status: order.status,
      });
    if (order.cancel_requested)
      throw new AppError('invalid_state', 'the buyer asked to cancel this order; approve or reject that first');
    const lines = await trx
      .selectFrom('order_lines')
      .selectAll()
      .where('order_id', '=', order.id)
      .orderBy('line_no')
      .execute();
    // a line refunded in full needs no parcel
    const open = lines.filter(
      (l) => l.shipped_quantity < l.quantity && !(l.line_total > 0 && l.refunded_amount >= l.line_total),
    );
    const parcel = input.lines ?? open.map((l) => ({ lineId: l.id, quantity: l.quantity - l.shipped_quantity }));
    if (parcel.length === 0) throw new AppError('invalid_state', 'nothing is left to ship');
    if (new Set(parcel.map((p) => p.lineId)).size !== parcel.length)
      throw new AppError('validation_failed', 'a line appears twice in the parcel');
    for (const p of parcel) {
      if (!lines.some((l) => l.id === p.lineId))
        throw new AppError('validation_failed', 'the line is not part of this order', { lineId: p.lineId });
      const shipped = await trx
        .updateTable('order_lines')
        .set({ shipped_quantity: sql`shipped_quantity + ${p.quantity}` })
        .where('id', '=', p.lineId)
        .where(sql<boolean>`shipped_quantity + ${p.quantity} <= quantity`)
        .executeTakeFirst();
      if (shipped.numUpdatedRows === 0n)
        throw new AppError('unprocessable', 'that is more than is left to ship of the line', { lineId: p.lineId });
    }
    const shipment = await trx
      .insertInto('shipments')
      .values({
        order_id: order.id,
        carrier: input.carrier,
        tracking_numbers: JSON.stringify(input.trackingNumbers),
        operator_id: staff.staffId,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('shipment_lines')
      .values(parcel.map((p) => ({ shipment_id: shipment.id, order_line_id: p.lineId, quantity: p.quantity })))
      .execute();

    const after = await trx
      .selectFrom('order_lines')
      .select(['quantity', 'shipped_quantity', 'line_total', 'refunded_amount'])
      .where('order_id', '=', order.id)
      .execute();
    const done = after.every(
      (l) => l.shipped_quantity >= l.quantity || (l.line_total > 0 && l.refunded_amount >= l.line_total),
    );
    const actor = { kind: 'staff' as const, id: staff.staffId };
    const data = { shipmentId: shipment.id, carrier: input.carrier, trackingNumbers: input.trackingNumbers };
    if (done) {
      const moved = await applyOrderTransition(trx, order, 'ship', { actor, now, data, set: { shipped_at: now } });
      if (!moved) throw orderMoveRefused(order, 'ship');
      return { shipmentId: shipment.id, order: moved };
    }
    await recordOrderEvent(trx, order.id, 'ship_partial', { actor, now, data });
    await emitEvent(trx, {
      merchantId: order.merchant_id,
      topic: 'order.partially_shipped',
      aggregateId: order.order_no,
      now,
      payload: { orderNo: order.order_no, ...data },
    });
    return { shipmentId: shipment.id, order };
  });
  ctx.orderUpdates.publish(orderUpdateOf(result.order));
  return { shipmentId: result.shipmentId, status: result.order.status };
}

export async function listShipments(ctx: AppContext, orderId: number) {
  const shipments = await ctx.db
    .selectFrom('shipments')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
  const lines = shipments.length
    ? await ctx.db
        .selectFrom('shipment_lines')
        .selectAll()
        .where(
          'shipment_id',
          'in',
          shipments.map((s) => s.id),
        )
        .execute()
    : [];
  return shipments.map((s) => ({
    id: s.id,
    carrier: s.carrier,
    trackingNumbers: s.tracking_numbers,
    createdAt: s.created_at,
    lines: lines.filter((l) => l.shipment_id === s.id).map((l) => ({ lineId: l.order_line_id, quantity: l.quantity })),
  }));
}
