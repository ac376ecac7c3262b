import type { AppContext } from '../context.ts';
import type { PaymentRow } from '../db/schema.ts';

/** One payment attempt as an order list shows it beside the order. */
export interface OrderPaymentSummary {
  id: number;
  orderId: number;
  method: string;
  status: string;
  outTradeNo: string;
  createdAt: Date;
  /** when staff approved or rejected it (a voucher), else null */
  reviewedAt: Date | null;
}

/** Every payment attempt of these orders, oldest first (one query for a whole page of orders). */
export async function listOrderPayments(ctx: AppContext, orderIds: readonly number[]): Promise<OrderPaymentSummary[]> {
  if (!orderIds.length) return [];
  const rows = await ctx.db
    .selectFrom('payments')
    .select(['id', 'order_id', 'method', 'status', 'out_trade_no', 'created_at', 'reviewed_at'])
    .where('order_id', 'in', orderIds)
    .orderBy('id')
    .execute();
  return rows.map((p) => ({
    id: p.id,
    orderId: p.order_id,
    method: p.method,
    status: p.status,
    outTradeNo: p.out_trade_no,
    createdAt: p.created_at,
    reviewedAt: p.reviewed_at,
  }));
}

/** The order's attempts still waiting for the gateway's word (the customer may still be confirming on the phone). */
export async function listWaitingPayments(ctx: AppContext, orderId: number): Promise<PaymentRow[]> {
  return ctx.db
    .selectFrom('payments')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('status', '=', 'processing')
    .execute();
}
