import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import type { GoodsSnapshotLine, GoodsSnapshotStore } from '../db/schema.ts';

export type { GoodsSnapshotLine, GoodsSnapshotStore };

/** The store and products of an order as they were when it was placed (the order lines keep the rest). */
export interface GoodsSnapshot {
  store: GoodsSnapshotStore;
  lines: GoodsSnapshotLine[];
}

/** Keeps the snapshot with the order, in the transaction that places it. */
export async function saveGoodsSnapshot(db: Db, orderId: number, snapshot: GoodsSnapshot, now: Date): Promise<void> {
  await db
    .insertInto('order_goods_snapshots')
    .values({
      order_id: orderId,
      store: JSON.stringify(snapshot.store),
      lines: JSON.stringify(snapshot.lines),
      created_at: now,
    })
    .execute();
}

/** The snapshots of these orders, per order id; orders placed before snapshots were kept are absent. */
export async function goodsSnapshots(
  ctx: AppContext,
  orderIds: readonly number[],
): Promise<Map<number, GoodsSnapshot>> {
  const byOrder = new Map<number, GoodsSnapshot>();
  if (!orderIds.length) return byOrder;
  const rows = await ctx.db
    .selectFrom('order_goods_snapshots')
    .select(['order_id', 'store', 'lines'])
    .where('order_id', 'in', orderIds)
    .execute();
  for (const row of rows) byOrder.set(row.order_id, { store: row.store, lines: row.lines });
  return byOrder;
}
