import { sql, type RawBuilder } from 'kysely';

/**
 * When a new unpaid order closes: its merchant's order timeout after `now`. Every kind of order (shop, till,
 * top-up) takes its deadline from here, computed inside the order's insert, so placing one costs no extra read.
 */
export function unpaidOrderDeadline(now: Date, merchantId: number): RawBuilder<Date> {
  return sql<Date>`${now}::timestamptz + make_interval(mins => (select order_timeout_minutes from merchants where id = ${merchantId}))`;
}
