import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import { storeGatewayReport } from '../payments/gateway-reports.ts';
import { notificationRefusal } from '../providers/notification-refusal.ts';
import {
  NotificationRejected,
  type HttpResponse,
  type IncomingNotification,
  type ParsedNotification,
} from '../providers/provider.ts';
import { applyRefundState } from './refund-payment.ts';
import { afterSettlement, settleInTransaction, type SettlementOutcome } from './settle-payment.ts';

/**
 * A gateway's notification, end to end: verify the signature (and decrypt), then check that it is about a
 * payment of this account — a valid signature alone proves nothing about that — then settle through the one
 * settlement function, which checks the amount. Every notification that passes verification is stored under the
 * gateway's own id, so a retry or a copy is recognised and answered with success, without effects. Mismatches
 * are stored as flagged and never applied.
 */
export async function handleNotification(
  ctx: AppContext,
  providerName: 'wechatpay' | 'alipay',
  accountId: number,
  incoming: IncomingNotification,
): Promise<HttpResponse> {
  const { provider, account } = await ctx.payments.providerFor(ctx.db, accountId);
  // an account of the other gateway: refused in the protocol the sender speaks, as a notification that is wrong
  if (account.provider !== providerName) return notificationRefusal(providerName, 404, 'unknown account');
  let parsed: ParsedNotification;
  try {
    parsed = provider.parseNotification(incoming);
  } catch (err) {
    if (!(err instanceof NotificationRejected)) throw err;
    ctx.log.warn({ provider: providerName, accountId, reason: err.reason }, `notification rejected: ${err.message}`);
    return { ...provider.nack(err.reason), status: err.reason === 'malformed' ? 400 : 401 };
  }

  const problem = accountProblem(parsed, account.expectedMerchantId, account.expectedAppId);
  if (parsed.kind === 'refund') {
    await handleRefundNotification(ctx, providerName, parsed, problem);
    return provider.ack();
  }

  const payment = await ctx.db
    .selectFrom('payments')
    .selectAll()
    .where('out_trade_no', '=', parsed.outTradeNo)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  // the amount is settlement's to check, with every other path that settles on a gateway's word
  const mismatch = problem ?? (!payment ? 'unknown out_trade_no' : null);
  const now = ctx.clock.now();
  let result: SettlementOutcome | null = null;
  await ctx.db.transaction().execute(async (trx) => {
    const fresh = await storeNotification(trx, providerName, parsed, payment?.id ?? null, mismatch, now);
    if (!fresh || mismatch || !parsed.paid) return;
    result = await settleInTransaction(
      trx,
      {
        paymentId: payment!.id,
        providerTradeId: parsed.providerTradeId,
        paidAt: parsed.paidAt ?? now,
        via: 'notification',
        gatewayAmount: parsed.amount,
        notificationId: parsed.notificationId,
        raw: parsed.raw,
        actor: { kind: 'provider', id: null },
      },
      now,
    );
  });
  if (mismatch)
    ctx.log.error(
      { provider: providerName, outTradeNo: parsed.outTradeNo, mismatch },
      'notification flagged, not applied',
    );
  if (result) await afterSettlement(ctx, result);
  return provider.ack();
}

function accountProblem(parsed: ParsedNotification, merchantId: string, appId: string): string | null {
  if (parsed.account.merchantId !== merchantId) return `merchant ${parsed.account.merchantId} is not this account's`;
  if (parsed.account.appId !== appId) return `app ${parsed.account.appId} is not this account's`;
  return null;
}

/** Stores the notification under its gateway id; false when it was already there (a retry or a duplicate). */
function storeNotification(
  trx: Db,
  provider: string,
  parsed: ParsedNotification,
  paymentId: number | null,
  mismatch: string | null,
  now: Date,
): Promise<boolean> {
  return storeGatewayReport(trx, {
    provider,
    reportId: parsed.notificationId,
    paymentId,
    outTradeNo: parsed.outTradeNo,
    flag: mismatch,
    raw: parsed.raw,
    now,
  });
}

async function handleRefundNotification(
  ctx: AppContext,
  providerName: string,
  parsed: Extract<ParsedNotification, { kind: 'refund' }>,
  problem: string | null,
) {
  const refund = await ctx.db
    .selectFrom('payment_refunds')
    .select(['id', 'amount'])
    .where('out_refund_no', '=', parsed.outRefundNo)
    .executeTakeFirst();
  const mismatch =
    problem ??
    (!refund
      ? 'unknown out_refund_no'
      : parsed.amount !== refund.amount
        ? `refund amount ${parsed.amount} differs from ${refund.amount}`
        : null);
  const fresh = await ctx.db
    .transaction()
    .execute((trx) => storeNotification(trx, providerName, parsed, null, mismatch, ctx.clock.now()));
  if (!fresh || mismatch || !refund) return;
  await applyRefundState(ctx, refund.id, parsed.state);
}
