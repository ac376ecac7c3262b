import { sql } from 'kysely';
import { releaseStock } from '../catalog/stock-reservation.ts';
import { parseOptionKey } from '../catalog/resolve-lines.ts';
import type { Db } from '../db/connect.ts';
import { HOLDS_RESERVED_STOCK, type OrderStatus } from '../domain/order-status.ts';

/**
 * Gives back what an unpaid order held: its reserved stock and its coupon use. Call it only in the
 * transaction whose guarded transition moved the order out of a holding status — that is what makes it
 * happen exactly once.
 */
export async function releaseOrderHolds(trx: Db, order: { id: number; coupon_id: number | null }, fromStatus: string): Promise<void> {
  // A paid order's stock is sold, not reserved: giving it back is a restock decision, not a release.
  if (!HOLDS_RESERVED_STOCK.has(fromStatus as OrderStatus)) return;
  const lines = await trx.selectFrom('order_lines').select(['product_id', 'option_ids', 'quantity']).where('order_id', '=', order.id).execute();
  await releaseStock(
    trx,
    lines.filter((l) => l.product_id !== null).map((l) => ({ productId: l.product_id!, optionIds: parseOptionKey(l.option_ids), quantity: l.quantity })),
  );
  if (order.coupon_id !== null) {
    await trx.updateTable('coupons').set({ used_quantity: sql`used_quantity - 1` }).where('id', '=', order.coupon_id).where('used_quantity', '>', 0).execute();
  }
}
