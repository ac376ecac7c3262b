import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';

export type LedgerAccount = 'balance' | 'points';

export interface LedgerEntryInput {
  merchantId: number;
  memberId: number;
  account: LedgerAccount;
  /** positive credits, negative debits (fen for balance) */
  delta: number;
  reason: string;
  orderId?: number;
  paymentId?: number;
  note?: string;
  now: Date;
}

/**
 * Moves a member's balance or points and appends the ledger line, in the caller's transaction. The guarded
 * update (`balance + delta >= 0`) keeps the account from going negative under any concurrency: two debits
 * that together exceed it cannot both pass, because the second re-reads the row after the first commits.
 * Returns null (nothing written) when a debit is larger than the account.
 */
export async function postLedgerEntry(trx: Db, entry: LedgerEntryInput): Promise<{ balanceAfter: number } | null> {
  const column = entry.account;
  const debitOrCredit = trx
    .updateTable('members')
    .set({ [column]: sql`${sql.ref(column)} + ${entry.delta}`, updated_at: entry.now })
    .where('id', '=', entry.memberId)
    .where(sql<boolean>`${sql.ref(column)} + ${entry.delta} >= 0`)
    .returning(sql<number>`${sql.ref(column)}`.as('balance_after'));
  // one statement: the ledger line is written from what the guarded update returned, so no update, no line
  const { rows } = await sql<{ balance_after: number }>`
    with updated as (${debitOrCredit})
    insert into member_ledger (merchant_id, member_id, account, delta, balance_after, reason, order_id, payment_id, note, created_at)
    select ${entry.merchantId}::bigint, ${entry.memberId}::bigint, ${entry.account}::text, ${entry.delta}::bigint, balance_after, ${entry.reason}::text,
      ${entry.orderId ?? null}::bigint, ${entry.paymentId ?? null}::bigint, ${entry.note ?? ''}::text, ${entry.now}::timestamptz
    from updated
    returning balance_after`.execute(trx);
  return rows[0] ? { balanceAfter: Number(rows[0].balance_after) } : null;
}

export async function listLedger(db: Db, memberId: number, account: LedgerAccount, limit: number, beforeId?: number) {
  let query = db
    .selectFrom('member_ledger')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('account', '=', account);
  if (beforeId !== undefined) query = query.where('id', '<', beforeId);
  const rows = await query.orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    delta: r.delta,
    balanceAfter: r.balance_after,
    reason: r.reason,
    orderId: r.order_id,
    note: r.note,
    createdAt: r.created_at,
  }));
}

export const insufficientBalance = (account: LedgerAccount) =>
  new AppError(`insufficient_${account}`, account === 'balance' ? 'the balance is not enough' : 'not enough points');
