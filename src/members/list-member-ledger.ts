import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { listLedger, type LedgerAccount } from './ledger.ts';

/**
 * One member's balance or points ledger, newest first, for staff of the member's own merchant only. Each line
 * names its order by the order number too: that is what every order route takes and what staff search for.
 */
export async function listMemberLedger(
  ctx: AppContext,
  merchantId: number,
  memberId: number,
  query: { account: LedgerAccount; limit: number; before?: number },
) {
  const member = await ctx.db
    .selectFrom('members')
    .select('id')
    .where('id', '=', memberId)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  if (!member) throw notFound('member', { memberId });
  const entries = await listLedger(ctx.db, member.id, query.account, query.limit, query.before);
  const orderIds = [...new Set(entries.flatMap((e) => (e.orderId === null ? [] : [e.orderId])))];
  const orders = orderIds.length
    ? await ctx.db
        .selectFrom('orders')
        .select(['id', 'order_no'])
        .where('id', 'in', orderIds)
        .where('merchant_id', '=', merchantId)
        .execute()
    : [];
  const orderNoOf = new Map(orders.map((o) => [o.id, o.order_no]));
  return entries.map((e) => ({ ...e, orderNo: e.orderId === null ? null : (orderNoOf.get(e.orderId) ?? null) }));
}
