import type { SelectQueryBuilder } from 'kysely';
import type { Principal } from '../auth/tokens.ts';
import type { Database } from '../db/schema.ts';

/**
 * Who may see which orders: a member their own, staff their merchant's. Every order read and change goes
 * through this filter, so an order outside it is simply not found (no hint that it exists).
 */
export function scopeOrders<O>(query: SelectQueryBuilder<Database, 'orders', O>, principal: Principal) {
  return principal.kind === 'member'
    ? query.where('orders.member_id', '=', principal.memberId).where('orders.merchant_id', '=', principal.merchantId)
    : query.where('orders.merchant_id', '=', principal.merchantId);
}
