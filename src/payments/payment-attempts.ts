import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { OrderRow, PaymentRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';

export interface NewAttempt {
  method: string;
  channel?: string;
  provider: string;
  accountId?: number | null;
  client: string;
  clientIp?: string;
  operatorId?: number | null;
  note?: string;
  now: Date;
}

/** The order already has an attempt waiting for money (the partial unique index refused a second one). */
export class AnotherAttemptLive extends AppError {
  constructor(orderNo: string) {
    super('conflict', 'another payment for this order is being started; try again', { orderNo });
  }
}

/**
 * Records a new attempt to pay the whole order, waiting for its money (`processing`). Its out_trade_no is
 * `<order no><attempt>`: unique, 18 digits, within every gateway's 6–32 character limit. The partial unique
 * index allows one waiting attempt per order, so a second one started at the same moment is refused.
 */
export async function insertAttempt(db: Db, order: OrderRow, attempt: NewAttempt): Promise<PaymentRow> {
  // the attempt number is counted in the insert itself (one round trip): 01, 02, …, 99, 100
  const attemptNo = sql<string>`(select case when count(*) < 9 then '0' else '' end || (count(*) + 1)::text from payments where order_id = ${order.id})`;
  try {
    return await db
      .insertInto('payments')
      .values({
        merchant_id: order.merchant_id,
        order_id: order.id,
        member_id: order.member_id,
        method: attempt.method,
        channel: attempt.channel ?? '',
        provider: attempt.provider,
        account_id: attempt.accountId ?? null,
        out_trade_no: sql<string>`${order.order_no}::text || ${attemptNo}`,
        provider_trade_id: null,
        amount: order.payable_amount,
        status: 'processing',
        client: attempt.client,
        client_ip: attempt.clientIp ?? '',
        operator_id: attempt.operatorId ?? null,
        reviewed_by: null,
        reviewed_at: null,
        review_note: attempt.note ?? '',
        created_at: attempt.now,
        updated_at: attempt.now,
        paid_at: null,
        closed_at: null,
        next_check_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new AnotherAttemptLive(order.order_no);
    throw err;
  }
}
