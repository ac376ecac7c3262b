import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import type { AppPrincipalInfo } from '../merchants/signed-requests.ts';
import { applyPaymentTransition } from '../payments/apply-payment-transition.ts';
import { insertAttempt } from '../payments/payment-attempts.ts';
import { enabledMethod } from '../payments/payment-methods.ts';
import { liveAttempt, resolveLiveAttempt } from './resolve-live-attempt.ts';
import { settlePayment } from './settle-payment.ts';

/** Which wallet a scanned code belongs to, by its prefix: WeChat 10–15 (18 digits), Alipay 25–30 (16–24 digits). */
export function walletOfCode(authCode: string): 'wechat' | 'alipay' {
  if (/^1[0-5]\d{16}$/.test(authCode)) return 'wechat';
  if (/^(2[5-9]|30)\d{14,22}$/.test(authCode)) return 'alipay';
  throw new AppError('invalid_auth_code', 'that is not a WeChat or Alipay payment code');
}

/**
 * The till scans the customer's payment code. The wallet is recognised from the code, the store's POS account
 * for it is charged, and the answer is applied at once: paid settles, failed fails, and a customer still
 * confirming on the phone leaves the attempt waiting — the till's query (or the reconciliation job) finishes it.
 */
export async function payTradeWithCode(
  ctx: AppContext,
  app: AppPrincipalInfo,
  orderNo: string,
  authCode: string,
  clientIp?: string,
): Promise<'paid' | 'paying' | 'failed'> {
  const method = walletOfCode(authCode);
  const order = await ctx.db
    .selectFrom('orders')
    .selectAll()
    .where('order_no', '=', orderNo)
    .where('merchant_id', '=', app.merchantId)
    .executeTakeFirst();
  if (!order) throw notFound('trade order', { orderNo });
  if (order.status !== 'pending_payment')
    throw new AppError('invalid_state', `a trade order that is ${order.status} cannot be paid`, {
      status: order.status,
    });
  const setting = await enabledMethod(ctx.db, order.store_id, 'POS', method);
  if (setting.account_id === null) throw new AppError('unprocessable', `${method} has no account for the till`);
  const live = await liveAttempt(ctx, order.id);
  if (live && (await resolveLiveAttempt(ctx, live)) !== 'closed')
    throw new AppError('conflict', 'another payment of this order is open; query it first');

  const { provider, account } = await ctx.payments.providerFor(ctx.db, setting.account_id);
  const now = ctx.clock.now();
  const attempt = await insertAttempt(ctx.db, order, {
    method,
    channel: 'micropay',
    provider: account.provider,
    accountId: setting.account_id,
    client: 'POS',
    clientIp,
    operatorId: order.operator_id,
    now,
  });
  let answer;
  try {
    answer = await provider.payWithCode({
      outTradeNo: attempt.out_trade_no,
      amount: attempt.amount,
      description: order.subject || `订单 ${order.order_no}`,
      authCode,
      clientIp,
      notifyUrl: ctx.payments.notifyUrl(account.provider, setting.account_id),
    });
  } catch (err) {
    // no answer: the money may or may not have moved; keep the attempt waiting and let the query find out
    ctx.log.warn({ err, outTradeNo: attempt.out_trade_no }, 'code payment got no answer; will query');
    await ctx.db
      .updateTable('payments')
      .set({ next_check_at: new Date(now.getTime() + 5_000) })
      .where('id', '=', attempt.id)
      .execute();
    return 'paying';
  }
  if (answer.state === 'paid') {
    const settled = await settlePayment(ctx, {
      paymentId: attempt.id,
      providerTradeId: answer.providerTradeId,
      paidAt: answer.paidAt ?? now,
      via: 'query',
      gatewayAmount: answer.paidAmount,
      raw: answer.raw,
      actor: { kind: 'app', id: app.appRowId },
    });
    if (settled.outcome !== 'flagged') return 'paid';
    // another amount than charged was flagged, not applied: the attempt waits, and is queried, like an unconfirmed one
  } else if (answer.state === 'failed' || answer.state === 'closed') {
    await applyPaymentTransition(ctx.db, attempt, 'fail', ctx.clock.now(), {
      raw: JSON.stringify({ pay: answer.raw }),
    });
    return 'failed';
  }
  await ctx.db
    .updateTable('payments')
    .set({ next_check_at: new Date(now.getTime() + 5_000), raw: JSON.stringify({ pay: answer.raw }) })
    .where('id', '=', attempt.id)
    .execute();
  return 'paying';
}
