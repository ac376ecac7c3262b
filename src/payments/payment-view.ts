import type { PaymentRow } from '../db/schema.ts';
import type { PaymentAction } from '../domain/payment-action.ts';

export interface PaymentView {
  outTradeNo: string;
  method: string;
  channel: string;
  status: string;
  amount: number;
  refundedAmount: number;
  action: PaymentAction | null;
  reviewNote: string;
  createdAt: Date;
  paidAt: Date | null;
  closedAt: Date | null;
}

/** The columns a payment is shown from. */
export type PaymentViewColumns = Pick<
  PaymentRow,
  | 'out_trade_no'
  | 'method'
  | 'channel'
  | 'status'
  | 'amount'
  | 'refunded_amount'
  | 'action'
  | 'review_note'
  | 'created_at'
  | 'paid_at'
  | 'closed_at'
>;

export const toPaymentView = (p: PaymentViewColumns): PaymentView => ({
  outTradeNo: p.out_trade_no,
  method: p.method,
  channel: p.channel,
  status: p.status,
  amount: p.amount,
  refundedAmount: p.refunded_amount,
  // the QR / redirect / form is only worth showing while the attempt can still be paid
  action: p.status === 'processing' ? ((p.action as PaymentAction | null) ?? null) : null,
  reviewNote: p.review_note,
  createdAt: p.created_at,
  paidAt: p.paid_at,
  closedAt: p.closed_at,
});
