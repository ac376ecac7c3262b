import type { Db } from '../db/connect.ts';
import type { OrderView } from './order-view.ts';

/** A till's view of its trade order: the canonical order plus who sold it and how it was paid. */
export interface TradeOrderView {
  order: OrderView;
  merchantOrderNo: string | null;
  appId: string | null;
  tradeType: 'sale' | 'recharge';
  depositStatus: 'held' | 'settled' | 'released' | null;
  depositConsumed: number;
  subject: string;
  couponCode: string;
  clientIp: string;
  device: string;
  store: { id: number; name: string };
  operator: { id: number; name: string } | null;
  member: { id: number; mobile: string | null } | null;
  /** the payment that holds the money, else the latest attempt */
  payment: {
    outTradeNo: string;
    method: string;
    channel: string;
    status: string;
    providerTradeId: string | null;
    paidAt: Date | null;
  } | null;
}

export async function tradeOrderExtras(db: Db, order: OrderView): Promise<Omit<TradeOrderView, 'order'>> {
  const row = await db
    .selectFrom('orders')
    .select([
      'merchant_order_no',
      'app_id',
      'deposit_status',
      'deposit_consumed',
      'subject',
      'coupon_code',
      'client_ip',
      'device',
    ])
    .where('id', '=', order.id)
    .executeTakeFirstOrThrow();
  const [store, operator, member, payments] = await Promise.all([
    db.selectFrom('stores').select(['id', 'name']).where('id', '=', order.storeId).executeTakeFirstOrThrow(),
    order.operatorId === null
      ? undefined
      : db.selectFrom('staff').select(['id', 'name']).where('id', '=', order.operatorId).executeTakeFirst(),
    order.memberId === null
      ? undefined
      : db.selectFrom('members').select(['id', 'mobile']).where('id', '=', order.memberId).executeTakeFirst(),
    db
      .selectFrom('payments')
      .select(['out_trade_no', 'method', 'channel', 'status', 'provider_trade_id', 'paid_at'])
      .where('order_id', '=', order.id)
      .orderBy('id', 'desc')
      .execute(),
  ]);
  const payment = payments.find((p) => p.paid_at !== null) ?? payments[0];
  return {
    merchantOrderNo: row.merchant_order_no,
    appId: row.app_id,
    tradeType: order.orderType === 'recharge' ? 'recharge' : 'sale',
    depositStatus: row.deposit_status,
    depositConsumed: row.deposit_consumed,
    subject: row.subject,
    couponCode: row.coupon_code,
    clientIp: row.client_ip,
    device: row.device,
    store,
    operator: operator ?? null,
    member: member ?? null,
    payment: payment
      ? {
          outTradeNo: payment.out_trade_no,
          method: payment.method,
          channel: payment.channel,
          status: payment.status,
          providerTradeId: payment.provider_trade_id,
          paidAt: payment.paid_at,
        }
      : null,
  };
}
