import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { parseOptionKey } from './resolve-lines.ts';

/** When an order is paid its reserved units become sold: reserved −q, sold +q, stock untouched. */
export async function markReservedStockSold(trx: Db, orderId: number): Promise<void> {
  const lines = await trx.selectFrom('order_lines').select(['product_id', 'option_ids', 'quantity']).where('order_id', '=', orderId).execute();
  for (const line of lines) {
    if (line.product_id === null) continue;
    await trx.updateTable('products').set({ reserved: sql`reserved - ${line.quantity}`, sold: sql`sold + ${line.quantity}` }).where('id', '=', line.product_id).execute();
    for (const optionId of parseOptionKey(line.option_ids)) {
      await trx.updateTable('product_options').set({ reserved: sql`reserved - ${line.quantity}`, sold: sql`sold + ${line.quantity}` }).where('id', '=', optionId).execute();
    }
  }
}
