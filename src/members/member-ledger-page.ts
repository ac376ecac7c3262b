import type { MemberPrincipal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import type { LedgerAccount } from './ledger.ts';

/**
 * A page of the member's own balance or points ledger, newest first, with the number of lines in all; only the
 * lines of one reason (`recharge`: the top-ups) when `reason` is given.
 */
export async function memberLedgerPage(
  ctx: AppContext,
  member: MemberPrincipal,
  account: LedgerAccount,
  query: { page: number; pageSize: number; reason?: string },
) {
  let base = ctx.db
    .selectFrom('member_ledger')
    .where('member_id', '=', member.memberId)
    .where('merchant_id', '=', member.merchantId)
    .where('account', '=', account);
  if (query.reason !== undefined) base = base.where('reason', '=', query.reason);
  const [rows, count] = await Promise.all([
    base
      .select(['id', 'delta', 'balance_after', 'reason', 'note', 'created_at'])
      .orderBy('id', 'desc')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      delta: Number(r.delta),
      balanceAfter: Number(r.balance_after),
      reason: r.reason,
      note: r.note,
      createdAt: r.created_at,
    })),
    total: Number(count.n),
  };
}
