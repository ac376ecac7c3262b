import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';

export interface StockDemand {
  productId: number;
  optionIds: number[];
  quantity: number;
}

interface StockUnit {
  table: 'products' | 'product_options';
  id: number;
  quantity: number;
}

/**
 * A product's own stock and the stock of every chosen option are each a unit. Quantities are summed per unit
 * first, so two lines of one product take one guarded update, and units are updated in a fixed order, so two
 * checkouts never wait on each other in a cycle.
 */
function sumPerUnit(demands: readonly StockDemand[]): StockUnit[] {
  const units = new Map<string, StockUnit>();
  const add = (table: StockUnit['table'], id: number, quantity: number) => {
    const key = `${table}:${id}`;
    const unit = units.get(key) ?? { table, id, quantity: 0 };
    unit.quantity += quantity;
    units.set(key, unit);
  };
  for (const d of demands) {
    add('products', d.productId, d.quantity);
    for (const optionId of d.optionIds) add('product_options', optionId, d.quantity);
  }
  return [...units.values()].sort((a, b) => a.table.localeCompare(b.table) || a.id - b.id);
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
    if (result.numUpdatedRows === 0n) {
      throw new AppError('out_of_stock', 'not enough stock for this order', {
        [unit.table === 'products' ? 'productId' : 'optionId']: unit.id,
        requested: unit.quantity,
      });
    }
  }
}

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
