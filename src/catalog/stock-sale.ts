import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * When an order is paid its reserved units become sold: reserved −q, sold +q, stock untouched, for each line's
 * product and each of its options. One statement (one round trip): quantities are summed per product and per
 * option (an option key is the sorted option ids, comma-separated), so two lines of one product move it once.
 *
 * Rows are locked in the order every stock change uses (options before products, each by id, as
 * `reserveStock` does), so two payments sharing several SKUs never wait on each other in a cycle: each table's
 * rows are locked by a sorted `for update` before its update touches them, and the final select reads the option
 * update to its end before it starts the product update.
 */
export async function markReservedStockSold(trx: Db, orderId: number): Promise<void> {
  await sql`
    with line as (
      select product_id, option_ids, quantity from order_lines where order_id = ${orderId} and product_id is not null
    ), option_quantity as (
      select o.id::bigint as option_id, sum(line.quantity) as quantity
      from line cross join lateral unnest(string_to_array(line.option_ids, ',')) as o(id)
      where line.option_ids <> ''
      group by o.id
    ), locked_option as materialized (
      select id from product_options where id in (select option_id from option_quantity) order by id for update
    ), option_sale as (
      update product_options set reserved = product_options.reserved - q.quantity, sold = product_options.sold + q.quantity
      from option_quantity q join locked_option on locked_option.id = q.option_id
      where product_options.id = q.option_id
      returning 1
    ), product_quantity as (
      select product_id, sum(quantity) as quantity from line group by product_id
    ), locked_product as materialized (
      select id from products where id in (select product_id from product_quantity) order by id for update
    ), product_sale as (
      update products set reserved = products.reserved - q.quantity, sold = products.sold + q.quantity
      from product_quantity q join locked_product on locked_product.id = q.product_id
      where products.id = q.product_id
      returning 1
    )
    select (select count(*) from option_sale) + (select count(*) from product_sale) as moved`.execute(trx);
}
