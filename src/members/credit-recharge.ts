import type { Db } from '../db/connect.ts';
import { postLedgerEntry } from './ledger.ts';

/**
 * A paid recharge goes into the member's balance: the amount paid, then the bonus its rule promised when the
 * recharge was placed (more balance, or points), each as its own ledger line so balance and points stay the sums
 * of their ledgers. Runs once, inside the settlement that moves the recharge to paid.
 */
export async function creditRecharge(
  trx: Db,
  recharge: {
    merchantId: number;
    memberId: number;
    orderId: number;
    paymentId: number;
    paid: number;
    bonus: number;
    bonusPoints: number;
    ruleId: number | null;
  },
  now: Date,
): Promise<void> {
  const entry = {
    merchantId: recharge.merchantId,
    memberId: recharge.memberId,
    orderId: recharge.orderId,
    paymentId: recharge.paymentId,
    now,
  };
  await postLedgerEntry(trx, { ...entry, account: 'balance', delta: recharge.paid, reason: 'recharge' });
  const note = recharge.ruleId === null ? '' : `rule ${recharge.ruleId}`;
  if (recharge.bonus > 0)
    await postLedgerEntry(trx, { ...entry, account: 'balance', delta: recharge.bonus, reason: 'recharge_bonus', note });
  if (recharge.bonusPoints > 0)
    await postLedgerEntry(trx, {
      ...entry,
      account: 'points',
      delta: recharge.bonusPoints,
      reason: 'recharge_bonus',
      note,
    });
}
