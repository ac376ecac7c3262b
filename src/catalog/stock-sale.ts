import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/**
 * When an order is paid its reserved units become sold: reserved −q, sold +q, stock untouched, for each line's
 * product and SKU. One statement (one round trip): quantities are summed per product and per SKU, so two lines of one
 * product move it once.
 *
 * Rows are locked in the order every stock change uses (SKUs before products, each by id, as `reserveStock` does),
 * so two payments sharing several SKUs never wait on each other in a cycle: each table's rows are locked by a sorted
 * `for update` before its update touches them, and the final select reads the SKU update to its end before it
 * starts the product update.
 */
export async function markReservedStockSold(trx: Db, orderId: number): Promise<void> {
  await sql`
    with line as (
      select product_id, product_sku_id, quantity from order_lines where order_id = ${orderId} and product_id is not null
    ), sku_quantity as (
      select product_sku_id as sku_id, sum(quantity) as quantity from line where product_sku_id is not null group by product_sku_id
    ), locked_sku as materialized (
      select id from product_skus where id in (select sku_id from sku_quantity) order by id for update
    ), sku_sale as (
      update product_skus set reserved = product_skus.reserved - q.quantity, sold = product_skus.sold + q.quantity
      from sku_quantity q join locked_sku on locked_sku.id = q.sku_id
      where product_skus.id = q.sku_id
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
    select (select count(*) from sku_sale) + (select count(*) from product_sale) as moved`.execute(trx);
}
