import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { AppPrincipalInfo } from '../merchants/signed-requests.ts';
import { getOrder } from '../orders/get-order.ts';
import { findOperator } from '../staff/find-operator.ts';
import { payTradeWithCode } from './pay-trade-order.ts';
import { recordCashPayment } from './record-cash-payment.ts';
import { startPayment } from './start-payment.ts';

/** How the till collects a trade order. */
export type TradePayment =
  /** the customer's payment code, scanned by the till */
  | { method: 'code'; authCode: string; clientIp?: string }
  /** cash taken by the operator: `amount` must be the whole amount due (left out, the amount due is taken) */
  | { method: 'cash'; operatorId: number; amount?: number }
  /** the balance of the member the trade order names; `memberId`, when the till names one, must be that member */
  | { method: 'balance'; memberId?: number }
  /** a QR for the customer to scan */
  | { method: 'wechat' | 'alipay'; clientIp?: string };

export interface TradePayResult {
  result: 'paid' | 'paying' | 'failed' | 'qr';
  /** what the QR shows, for `qr` */
  qrContent?: string;
}

/** A balance payment of a trade order that names no member: there is nobody whose balance could pay. */
export class NoMemberToPay extends AppError {
  constructor() {
    super('unprocessable', 'a balance payment needs the trade order to name a member');
  }
}

/**
 * The till collects a trade order its app recorded, by one method. The signed merchant API and the XxPay
 * dialect both come here, so a till pays the same way whichever door it uses.
 */
export async function payTradeOrderByMethod(
  ctx: AppContext,
  app: AppPrincipalInfo,
  orderNo: string,
  payment: TradePayment,
): Promise<TradePayResult> {
  switch (payment.method) {
    case 'code':
      return { result: await payTradeWithCode(ctx, app, orderNo, payment.authCode, payment.clientIp) };
    case 'cash':
      await payInCash(ctx, app, orderNo, payment.operatorId, payment.amount);
      return { result: 'paid' };
    case 'balance':
      await payFromMemberBalance(ctx, app, orderNo, payment.memberId);
      return { result: 'paid' };
    default: {
      const started = await startPayment(
        ctx,
        { kind: 'app', ...app },
        { orderNo, method: payment.method, client: 'POS', clientIp: payment.clientIp },
      );
      return { result: 'qr', qrContent: started.action?.kind === 'qr' ? started.action.content : undefined };
    }
  }
}

/** Cash is recorded against the operator the till names, one of the merchant's staff. */
async function payInCash(
  ctx: AppContext,
  app: AppPrincipalInfo,
  orderNo: string,
  operatorId: number,
  amount: number | undefined,
): Promise<void> {
  const operator = await findOperator(ctx, app.merchantId, operatorId);
  if (!operator) throw new AppError('validation_failed', 'unknown operator', { operatorId });
  const received = amount ?? (await getOrder(ctx, { kind: 'app', ...app }, orderNo)).payableAmount;
  await recordCashPayment(
    ctx,
    { kind: 'staff', staffId: operator.id, merchantId: app.merchantId, role: operator.role },
    orderNo,
    received,
  );
}

/**
 * The member's balance pays their own till sale: the member is the one the trade order names (never one the till
 * makes up), and the payment is made as that member, so the balance rules of any member payment apply (enough
 * balance, no top-up paid from the balance, the debit under its guard).
 */
async function payFromMemberBalance(
  ctx: AppContext,
  app: AppPrincipalInfo,
  orderNo: string,
  memberId: number | undefined,
): Promise<void> {
  const order = await getOrder(ctx, { kind: 'app', ...app }, orderNo);
  if (order.memberId === null) throw new NoMemberToPay();
  if (memberId !== undefined && order.memberId !== memberId)
    throw new AppError('validation_failed', 'the trade order belongs to another member');
  await startPayment(
    ctx,
    { kind: 'member', memberId: order.memberId, merchantId: app.merchantId },
    { orderNo, method: 'balance', client: 'POS' },
  );
}
