import type { Db } from '../db/connect.ts';
import { postLedgerEntry } from './ledger.ts';

/** The merchant's points rule: so many points per whole yuan an order keeps (part of a yuan earns none). */
export const pointsForKept = (keptFen: number, pointsPerYuan: number): number =>
  Math.floor(Math.max(0, keptFen) / 100) * pointsPerYuan;

/** What an order row says about its points: the rule it was credited under (null: not credited yet) and the points it still gives. */
export interface OrderPoints {
  id: number;
  order_no: string;
  merchant_id: number;
  member_id: number | null;
  paid_amount: number;
  refunded_amount: number;
  points_awarded: number;
  points_per_yuan: number | null;
}

/**
 * After a refund, brings the points the member holds from a credited order down to the points of what the order
 * keeps now, by the rule it was credited under (a later change of the merchant's rule does not reach back). It takes
 * the difference between what the order still gives and that target, not a rounded-down share of each refund: partial
 * refunds then add up to the whole, and a refund before completion (already left out of the award) is not counted
 * twice. Points the member has spent meanwhile stay spent: only what is there is taken, and the order goes on
 * counting the rest as given, so the next refund asks for it again. Call it holding the order row.
 */
export async function takeBackOrderPoints(trx: Db, order: OrderPoints, now: Date): Promise<void> {
  if (order.member_id === null || order.points_per_yuan === null) return;
  const target = pointsForKept(order.paid_amount - order.refunded_amount, order.points_per_yuan);
  const excess = order.points_awarded - target;
  if (excess <= 0) return;
  // locked, so a points payment running beside this cannot make the guarded debit below find less than was read
  const member = await trx
    .selectFrom('members')
    .select('points')
    .where('id', '=', order.member_id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const take = Math.min(excess, member.points);
  if (take <= 0) return;
  await postLedgerEntry(trx, {
    merchantId: order.merchant_id,
    memberId: order.member_id,
    account: 'points',
    delta: -take,
    reason: 'refund',
    orderId: order.id,
    note: order.order_no,
    now,
  });
  await trx
    .updateTable('orders')
    .set({ points_awarded: order.points_awarded - take })
    .where('id', '=', order.id)
    .execute();
}
