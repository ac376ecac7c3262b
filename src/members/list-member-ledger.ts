import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { listLedger, type LedgerAccount } from './ledger.ts';

/** One member's balance or points ledger, newest first, for staff of the member's own merchant only. */
export async function listMemberLedger(ctx: AppContext, merchantId: number, memberId: number, query: { account: LedgerAccount; limit: number; before?: number }) {
  const member = await ctx.db.selectFrom('members').select('id').where('id', '=', memberId).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!member) throw notFound('member', { memberId });
  return listLedger(ctx.db, member.id, query.account, query.limit, query.before);
}
