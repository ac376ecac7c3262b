import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import type { OrderRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { creditCompletedOrder } from '../members/credit-completed-order.ts';
import { orderUpdateOf } from '../events/order-updates.ts';
import {
  applyOrderTransition,
  orderMoveRefused,
  type Actor,
  type MovedOrder,
} from '../orders/apply-order-transition.ts';
import { lockOrderInScope } from '../orders/order-in-scope.ts';

/** The buyer confirms the parcel arrived. Confirming twice is a success that changes nothing. */
export async function confirmReceipt(
  ctx: AppContext,
  member: Principal & { kind: 'member' },
  orderNo: string,
): Promise<{ status: string }> {
  const now = ctx.clock.now();
  const { order, moved } = await ctx.db.transaction().execute(async (trx) => {
    const order = await lockOrderInScope(trx, member, orderNo);
    if (order.status === 'received' || order.status === 'completed') return { order, moved: null };
    const moved = await applyOrderTransition(trx, order, 'receive', {
      actor: { kind: 'member', id: member.memberId },
      now,
      set: { received_at: now },
    });
    if (!moved) throw orderMoveRefused(order, 'receive');
    return { order, moved };
  });
  if (!moved) return { status: order.status };
  ctx.orderUpdates.publish(orderUpdateOf(moved));
  return { status: moved.status };
}

export interface ReviewInput {
  rating: number;
  content?: string;
  imageUrls?: string[];
}

/** The buyer reviews a received order, which completes it (and earns its points). */
export async function reviewOrder(
  ctx: AppContext,
  member: Principal & { kind: 'member' },
  orderNo: string,
  review: ReviewInput,
): Promise<{ status: string }> {
  const now = ctx.clock.now();
  const moved = await ctx.db.transaction().execute(async (trx) => {
    const order = await lockOrderInScope(trx, member, orderNo);
    if (order.status === 'completed') throw new AppError('invalid_state', 'this order was already reviewed');
    const moved = await completeOrder(trx, order, { kind: 'member', id: member.memberId }, now, {
      ...review,
      automatic: false,
    });
    if (!moved) throw orderMoveRefused(order, 'complete');
    return moved;
  });
  ctx.orderUpdates.publish(orderUpdateOf(moved));
  return { status: moved.status };
}

/**
 * Completes a received order with its review (a default five-star one when the window ran out) in the caller's
 * transaction. Returns the order as completed, or null when it was not received (nothing written).
 */
export async function completeOrder(
  trx: Db,
  order: OrderRow,
  actor: Actor,
  now: Date,
  review: ReviewInput & { automatic: boolean },
): Promise<MovedOrder | null> {
  const moved = await applyOrderTransition(trx, order, 'complete', {
    actor,
    now,
    data: { rating: review.rating },
    set: { completed_at: now },
  });
  if (!moved) return null;
  if (order.member_id !== null) {
    await trx
      .insertInto('reviews')
      .values({
        order_id: order.id,
        member_id: order.member_id,
        rating: review.rating,
        content: review.content ?? '',
        image_urls: JSON.stringify(review.imageUrls ?? []),
        automatic: review.automatic,
        created_at: now,
      })
      .execute();
  }
  await creditCompletedOrder(trx, order, now);
  return moved;
}
