import type { SelectQueryBuilder } from 'kysely';
import type { Principal } from '../auth/tokens.ts';
import type { Database } from '../db/schema.ts';

/** Whose orders, without a whole principal: one member's at a merchant, or all of a merchant's. */
export type OrderScope =
  { kind: 'member'; memberId: number; merchantId: number } | { kind: 'merchant'; merchantId: number };

/**
 * Who may see which orders: a member their own, staff and apps their merchant's. Every order read and change goes
 * through this filter, so an order outside it is simply not found (no hint that it exists).
 */
export function scopeOrders<O>(query: SelectQueryBuilder<Database, 'orders', O>, principal: Principal | OrderScope) {
  return principal.kind === 'member'
    ? query.where('orders.member_id', '=', principal.memberId).where('orders.merchant_id', '=', principal.merchantId)
    : query.where('orders.merchant_id', '=', principal.merchantId);
}
