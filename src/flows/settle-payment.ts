import { sql } from 'kysely';
import { markReservedStockSold } from '../catalog/stock-sale.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import type { PaymentRow } from '../db/schema.ts';
import { MONEY_RECEIVED } from '../domain/payment-status.ts';
import { creditCompletedOrder } from '../members/credit-completed-order.ts';
import { creditRecharge } from '../members/credit-recharge.ts';
import { incomeAfterFee } from '../merchants/fee-rates.ts';
import { orderUpdateOf } from '../events/order-updates.ts';
import {
  applyOrderTransition,
  recordOrderEvent,
  type Actor,
  type MovedOrder,
} from '../orders/apply-order-transition.ts';
import { nextRefundNo } from '../refunds/refund-number.ts';
import { applyPaymentTransition } from '../payments/apply-payment-transition.ts';
import { flagGatewayReport } from '../payments/gateway-reports.ts';
import { executePaymentRefund } from './refund-payment.ts';

interface SettlementCommon {
  paymentId: number;
  providerTradeId?: string;
  paidAt: Date;
  actor: Actor;
}

/**
 * Settling on a gateway's word — its notification, its answer to a query (the cashier's poll, the reconciliation,
 * a till's code payment) or to the query before an attempt is closed — carries the amount the gateway reports.
 * Settlement applies nothing unless it is the payment's own amount. Why every path comes through here:
 * docs/ARCHITECTURE.md, "Flows".
 */
export interface GatewaySettlement extends SettlementCommon {
  via: 'notification' | 'query' | 'close_failed';
  /** fen the gateway says were paid; an answer that names none is refused too */
  gatewayAmount: number | undefined;
  /** a notification's id: its stored row becomes the flag when the amount is wrong */
  notificationId?: string;
  /** the gateway's answer, kept with a flag */
  raw: unknown;
}

/** Money ordo took itself (balance, cash at the till) or staff confirmed (a transfer voucher): the payment's own amount. */
export interface OwnSettlement extends SettlementCommon {
  via: 'review' | 'balance' | 'cash';
}

export type Settlement = GatewaySettlement | OwnSettlement;

export type SettlementOutcome =
  | { outcome: 'settled'; orderNo: string; payment: PaymentRow; order: MovedOrder }
  | { outcome: 'already_settled'; orderNo: string }
  /** money arrived for an order that no longer wants it: recorded and being refunded */
  | { outcome: 'refunding'; orderNo: string; refundId: number }
  /** the gateway reported another amount: flagged for a person, nothing applied, the payment left as it was */
  | { outcome: 'flagged'; orderNo: string; outTradeNo: string; via: GatewaySettlement['via']; reason: string };

/**
 * Records that a payment's money arrived, exactly once. The payment row is locked, and a payment that already
 * holds money is left alone (replays are successes without effects). If the order can still be paid it moves to
 * paid — stock becomes sold, the member's totals grow, a recharge credits the balance, an outbox event is written.
 * If it cannot (closed, cancelled, paid by another attempt), the money is refunded automatically.
 * On a gateway's word the reported amount is checked first, here and nowhere else: any other amount is flagged
 * and nothing moves — no payment, no order, no ledger, no points, no webhook.
 */
export async function settleInTransaction(
  trx: Db,
  s: Settlement,
  now: Date,
  insertedHere?: PaymentRow,
): Promise<SettlementOutcome> {
  // a payment inserted by this very transaction is invisible to every other one: there is nothing to lock it against
  const payment =
    insertedHere ??
    (await trx.selectFrom('payments').selectAll().where('id', '=', s.paymentId).forUpdate().executeTakeFirstOrThrow());
  const order = await trx
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', payment.order_id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  // before the replay check: a wrong amount is flagged even for a payment that already holds money
  if ('gatewayAmount' in s) {
    const wrongAmount = amountProblem(s.gatewayAmount, payment.amount);
    if (wrongAmount) return flag(trx, s, payment, order.order_no, wrongAmount, now);
  }
  if (MONEY_RECEIVED.has(payment.status)) return { outcome: 'already_settled', orderNo: order.order_no };

  const paid = await applyPaymentTransition(trx, payment, 'pay', now, {
    paid_at: s.paidAt,
    provider_trade_id: s.providerTradeId ?? payment.provider_trade_id,
    next_check_at: null,
  });
  // the row is locked and was not yet holding money, so the transition cannot miss
  if (!paid) throw new Error(`payment ${payment.id} did not move to paid from ${payment.status}`);

  const moved =
    order.status === 'pending_payment' || order.status === 'payment_review'
      ? await applyOrderTransition(trx, order, 'pay', {
          actor: s.actor,
          now,
          data: { outTradeNo: payment.out_trade_no, method: payment.method, amount: payment.amount, via: s.via },
          set: {
            payment_status: 'paid',
            paid_amount: payment.amount,
            paid_at: s.paidAt,
            // nothing refunded yet, and this payment is the order's only one holding money
            merchant_income: incomeAfterFee(
              sql`${payment.amount}::bigint`,
              sql`${payment.merchant_id}::bigint`,
              sql`${payment.method}::text`,
            ),
            ...(order.status === 'payment_review' ? { payment_reviewed_at: now } : {}),
          },
        })
      : null;

  if (!moved) {
    const refund = await trx
      .insertInto('payment_refunds')
      .values({
        merchant_id: payment.merchant_id,
        order_id: order.id,
        payment_id: payment.id,
        out_refund_no: await nextRefundNo(trx, order),
        amount: payment.amount,
        reason: order.status === 'paid' ? 'duplicate payment' : `payment arrived after the order was ${order.status}`,
        kind: 'automatic',
        status: 'processing',
        created_at: now,
        next_check_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordOrderEvent(trx, order.id, 'late_payment_refund', {
      actor: s.actor,
      now,
      data: { outTradeNo: payment.out_trade_no, amount: payment.amount, orderStatus: order.status },
    });
    return { outcome: 'refunding', orderNo: order.order_no, refundId: refund.id };
  }

  await markReservedStockSold(trx, order.id);
  if (order.deposit_mode)
    await trx.updateTable('orders').set({ deposit_status: 'held' }).where('id', '=', order.id).execute();
  // a till sale is handed over at the counter: it earns its points when paid
  if (order.order_type === 'pos') await creditCompletedOrder(trx, { ...order, paid_amount: payment.amount }, now);
  if (order.member_id !== null) {
    await trx
      .updateTable('members')
      .set({ pay_money: sql`pay_money + ${payment.amount}`, updated_at: now })
      .where('id', '=', order.member_id)
      .execute();
    if (order.order_type === 'recharge') {
      await creditRecharge(
        trx,
        {
          merchantId: order.merchant_id,
          memberId: order.member_id,
          orderId: order.id,
          paymentId: payment.id,
          paid: payment.amount,
          bonus: order.recharge_bonus,
          bonusPoints: order.recharge_bonus_points,
          ruleId: order.recharge_rule_id,
        },
        now,
      );
    }
  }
  return { outcome: 'settled', orderNo: order.order_no, payment: paid, order: moved };
}

function amountProblem(reported: number | undefined, expected: number): string | null {
  if (reported === undefined) return `the gateway names no amount; the payment is ${expected}`;
  return reported === expected ? null : `amount ${reported} differs from ${expected}`;
}

async function flag(
  trx: Db,
  s: GatewaySettlement,
  payment: PaymentRow,
  orderNo: string,
  reason: string,
  now: Date,
): Promise<SettlementOutcome> {
  await flagGatewayReport(trx, {
    provider: payment.provider,
    reportId: s.notificationId ?? `${s.via}:${payment.out_trade_no}:${s.gatewayAmount ?? 'none'}`,
    paymentId: payment.id,
    outTradeNo: payment.out_trade_no,
    flag: reason,
    raw: s.raw,
    now,
  });
  return { outcome: 'flagged', orderNo, outTradeNo: payment.out_trade_no, via: s.via, reason };
}

/** Settles in its own transaction, then tells live listeners and starts any automatic refund. */
export async function settlePayment(ctx: AppContext, s: Settlement): Promise<SettlementOutcome> {
  const now = ctx.clock.now();
  const result = await ctx.db.transaction().execute((trx) => settleInTransaction(trx, s, now));
  await afterSettlement(ctx, result);
  return result;
}

export async function afterSettlement(ctx: AppContext, result: SettlementOutcome): Promise<void> {
  if (result.outcome === 'flagged')
    ctx.log.error(
      { outTradeNo: result.outTradeNo, via: result.via, mismatch: result.reason },
      'gateway reported a different amount; flagged, not applied',
    );
  if (result.outcome === 'settled') ctx.orderUpdates.publish(orderUpdateOf(result.order));
  if (result.outcome === 'refunding') {
    // A failed attempt stays `processing`; the refund reconciliation retries it.
    await executePaymentRefund(ctx, result.refundId).catch((err) =>
      ctx.log.error({ err, refundId: result.refundId }, 'automatic refund failed; will retry'),
    );
  }
}
