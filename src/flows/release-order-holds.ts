import { releaseOrderCoupon } from '../coupons/use.ts';
import { releaseStock } from '../catalog/stock-reservation.ts';
import type { Db } from '../db/connect.ts';
import { postLedgerEntry } from '../members/ledger.ts';
import { HOLDS_RESERVED_STOCK, type OrderStatus } from '../domain/order-status.ts';

/**
 * Gives back what an unpaid order held: its reserved stock, its coupon use and the points it used. Call it only in the
 * transaction whose guarded transition moved the order out of a holding status — that is what makes it
 * happen exactly once.
 */
export async function releaseOrderHolds(
  trx: Db,
  order: { id: number; coupon_id: number | null },
  fromStatus: OrderStatus,
  now: Date,
): Promise<void> {
  // A paid order's stock is sold, not reserved: giving it back is a restock decision, not a release.
  if (!HOLDS_RESERVED_STOCK.has(fromStatus)) return;
  const lines = await trx
    .selectFrom('order_lines')
    .select(['product_id', 'product_sku_id', 'quantity'])
    .where('order_id', '=', order.id)
    .execute();
  await releaseStock(
    trx,
    lines
      .filter((l) => l.product_id !== null)
      .map((l) => ({ productId: l.product_id!, skuId: l.product_sku_id, quantity: l.quantity })),
  );
  await returnUsedPoints(trx, order.id, now);
  // the coupon goes back to the member's wallet, to use on another order
  if (order.coupon_id !== null) await releaseOrderCoupon(trx, order.id);
}

/** The points an order used go back to the member (when it is cancelled or closed), once. */
export async function returnUsedPoints(trx: Db, orderId: number, now: Date): Promise<void> {
  const order = await trx
    .selectFrom('orders')
    .select(['merchant_id', 'member_id', 'order_no', 'points_used'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  if (order.member_id === null || order.points_used <= 0) return;
  await postLedgerEntry(trx, {
    merchantId: order.merchant_id,
    memberId: order.member_id,
    account: 'points',
    delta: order.points_used,
    reason: 'points_returned',
    orderId,
    note: order.order_no,
    now,
  });
}
