import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';

/** What a line takes: its product's stock and, when it chose one, its SKU's. */
export interface StockDemand {
  productId: number;
  skuId: number | null;
  quantity: number;
}

export interface StockUnit {
  table: 'products' | 'product_skus';
  id: number;
  quantity: number;
}

/**
 * A product's own stock and the stock of every chosen SKU are each a unit. Quantities are summed per unit first, so
 * two lines of one product take one guarded update, and units are updated in a fixed order (SKUs before products,
 * each by id, as markReservedStockSold locks them), so two checkouts never wait on each other in a cycle. Placing
 * an order takes its units in this order inside its own statement (flows/place-order.sql).
 */
export function sumPerUnit(demands: readonly StockDemand[]): StockUnit[] {
  const units = new Map<string, StockUnit>();
  const add = (table: StockUnit['table'], id: number, quantity: number) => {
    const key = `${table}:${id}`;
    const unit = units.get(key) ?? { table, id, quantity: 0 };
    unit.quantity += quantity;
    units.set(key, unit);
  };
  for (const d of demands) {
    add('products', d.productId, d.quantity);
    if (d.skuId !== null) add('product_skus', d.skuId, d.quantity);
  }
  const rank = (u: StockUnit) => (u.table === 'product_skus' ? 0 : 1);
  return [...units.values()].sort((a, b) => rank(a) - rank(b) || a.id - b.id);
}

/** Moves stock to reserved, all or nothing (the caller's transaction rolls back on out_of_stock). */
export async function reserveStock(trx: Db, demands: readonly StockDemand[]): Promise<void> {
  for (const unit of sumPerUnit(demands)) {
    const result = await trx
      .updateTable(unit.table)
      .set({ stock: sql`stock - ${unit.quantity}`, reserved: sql`reserved + ${unit.quantity}` })
      .where('id', '=', unit.id)
      .where('stock', '>=', unit.quantity)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw outOfStock(unit);
  }
}

export const outOfStock = (unit: StockUnit) =>
  new AppError('out_of_stock', 'not enough stock for this order', {
    [unit.table === 'products' ? 'productId' : 'skuId']: unit.id,
    requested: unit.quantity,
  });

/**
 * Gives reserved stock back. Callers invoke it only after their guarded status change succeeded, which is what
 * makes the release happen exactly once per order.
 */
export async function releaseStock(trx: Db, demands: readonly StockDemand[]): Promise<void> {
  for (const unit of sumPerUnit(demands)) {
    await trx
      .updateTable(unit.table)
      .set({ stock: sql`stock + ${unit.quantity}`, reserved: sql`reserved - ${unit.quantity}` })
      .where('id', '=', unit.id)
      .execute();
  }
}

/** Sold units back on the shelf (an order cancelled after payment): sold −q, stock +q for each product and SKU. */
export async function restockSold(trx: Db, demands: readonly StockDemand[]): Promise<void> {
  for (const unit of sumPerUnit(demands)) {
    await trx
      .updateTable(unit.table)
      .set({ sold: sql`sold - ${unit.quantity}`, stock: sql`stock + ${unit.quantity}` })
      .where('id', '=', unit.id)
      .execute();
  }
}
