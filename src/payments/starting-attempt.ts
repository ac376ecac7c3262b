import { setTimeout as pause } from 'node:timers/promises';
import type { AppContext } from '../context.ts';
import type { PaymentRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';

/**
 * A gateway attempt is "starting" from its insert until the gateway's answer is written: it is waiting
 * (`processing`) but has no next check yet — both the cashier's start and the till's code payment set one with
 * the answer. Its QR (or the charge) is on its way to another request, so nobody may close it: an identical
 * start waits for it and shows it, any other start is told to try again.
 */
export function isStarting(payment: PaymentRow): boolean {
  return (
    payment.status === 'processing' &&
    payment.next_check_at === null &&
    (payment.provider === 'wechatpay' || payment.provider === 'alipay')
  );
}

/**
 * A start takes one gateway call (10 s transport timeout) and two statements. One still starting after a minute
 * was left by a process that stopped mid-call: it is treated like any other waiting attempt (asked, then closed).
 */
const ABANDONED_AFTER_MS = 60_000;

export const isAbandoned = (payment: PaymentRow, now: Date) =>
  now.getTime() - payment.created_at.getTime() > ABANDONED_AFTER_MS;

/** How long an identical start waits for the one under way before answering 409: a little over one gateway call. */
export const STARTING_WAIT_MS = 15_000;

export const anotherStartUnderWay = (orderNo: string) =>
  new AppError('conflict', 'another payment of this order is being started; try again in a moment', { orderNo });

/**
 * Waits until a starting attempt has its gateway answer or has ended. The start may be running in another ordo
 * process, so this polls the row (briefly at first: a start usually takes a few milliseconds against the simulator
 * and well under a second against a gateway) rather than waiting on anything held in this process.
 */
export async function waitWhileStarting(
  ctx: AppContext,
  attempt: PaymentRow,
  orderNo: string,
  deadline: number,
): Promise<void> {
  for (let wait = 5; Date.now() < deadline; wait = Math.min(wait * 2, 200)) {
    await pause(wait);
    const row = await ctx.db
      .selectFrom('payments')
      .select(['status', 'next_check_at'])
      .where('id', '=', attempt.id)
      .executeTakeFirstOrThrow();
    if (row.status !== 'processing' || row.next_check_at !== null) return;
  }
  throw anotherStartUnderWay(orderNo);
}
