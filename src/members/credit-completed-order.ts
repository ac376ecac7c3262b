import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { OrderRow } from '../db/schema.ts';
import { postLedgerEntry } from './ledger.ts';
import { pointsForKept } from './order-points.ts';

/**
 * What a completed order earns its member, in the completing transaction (which runs once, guarded by the
 * order's status): points by the merchant's rule (points per whole yuan kept), the amount kept added to the
 * member's total spend, and the grade that total now reaches (grades only go up here). The order keeps the rule it
 * was credited under, so a later refund takes back exactly down to the points of what is kept then.
 */
export async function creditCompletedOrder(trx: Db, order: OrderRow, now: Date): Promise<void> {
  if (order.member_id === null) return;
  const kept = Math.max(0, order.paid_amount - order.refunded_amount);
  const merchant = await trx
    .selectFrom('merchants')
    .select(['points_per_yuan'])
    .where('id', '=', order.merchant_id)
    .executeTakeFirstOrThrow();
  const points = pointsForKept(kept, merchant.points_per_yuan);
  if (points > 0)
    await postLedgerEntry(trx, {
      merchantId: order.merchant_id,
      memberId: order.member_id,
      account: 'points',
      delta: points,
      reason: 'order_completed',
      orderId: order.id,
      note: order.order_no,
      now,
    });
  await trx
    .updateTable('orders')
    .set({ points_awarded: points, points_per_yuan: merchant.points_per_yuan })
    .where('id', '=', order.id)
    .execute();
  const member = await trx
    .updateTable('members')
    .set({ expend_money: sql`expend_money + ${kept}`, updated_at: now })
    .where('id', '=', order.member_id)
    .returning(['expend_money', 'grade_id'])
    .executeTakeFirstOrThrow();
  await upgradeGrade(trx, order.merchant_id, order.member_id, member.expend_money, member.grade_id);
}

/** Moves the member to the highest grade whose spend threshold their total spend reaches, if that is higher. */
async function upgradeGrade(
  trx: Db,
  merchantId: number,
  memberId: number,
  spend: number,
  currentGradeId: number | null,
): Promise<void> {
  const reached = await trx
    .selectFrom('member_grades')
    .select(['id', 'weight'])
    .where('merchant_id', '=', merchantId)
    .where('spend_threshold', '<=', spend)
    .orderBy('weight', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!reached || reached.id === currentGradeId) return;
  const current =
    currentGradeId === null
      ? undefined
      : await trx.selectFrom('member_grades').select('weight').where('id', '=', currentGradeId).executeTakeFirst();
  if (current && current.weight >= reached.weight) return;
  await trx.updateTable('members').set({ grade_id: reached.id }).where('id', '=', memberId).execute();
}
