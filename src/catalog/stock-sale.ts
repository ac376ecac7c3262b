import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * When an order is paid its reserved units become sold: reserved −q, sold +q, stock untouched, for each line's
 * product and each of its options. One statement (one round trip): quantities are summed per product and per
 * option (an option key is the sorted option ids, comma-separated), so two lines of one product move it twice.
 */
export async function markReservedStockSold(trx: Db, orderId: number): Promise<void> {
  await sql`
    with line as (
      select product_id, option_ids, quantity from order_lines where order_id = ${orderId} and product_id is not null
    ), product_sale as (
      update products set reserved = products.reserved - s.quantity, sold = products.sold + s.quantity
      from (select product_id, sum(quantity) as quantity from line group by product_id) s
      where products.id = s.product_id
    )
    update product_options set reserved = product_options.reserved - s.quantity, sold = product_options.sold + s.quantity
    from (
      select o.id::bigint as option_id, sum(line.quantity) as quantity
      from line cross join lateral unnest(string_to_array(line.option_ids, ',')) as o(id)
      where line.option_ids <> ''
      group by o.id
    ) s
    where product_options.id = s.option_id`.execute(trx);
}
