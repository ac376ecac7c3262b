import { stateTable, type Transition } from './state-table.ts';

/**
 * Money going back on one payment (`payment_refunds.status`): recorded `processing`, sent, then settled once by the
 * gateway's answer, its notification or the reconciliation — `succeeded`, `closed` (the gateway gave up) or
 * `failed`. The end states are final.
 */
export const PAYMENT_REFUND_STATUSES = ['processing', 'succeeded', 'closed', 'failed'] as const;
export type PaymentRefundStatus = (typeof PAYMENT_REFUND_STATUSES)[number];
export type PaymentRefundEvent = 'succeed' | 'close' | 'fail';

export const PAYMENT_REFUND_TRANSITIONS: readonly Transition<PaymentRefundStatus, PaymentRefundEvent>[] = [
  { event: 'succeed', from: ['processing'], to: 'succeeded' },
  { event: 'close', from: ['processing'], to: 'closed' },
  { event: 'fail', from: ['processing'], to: 'failed' },
];

export const PAYMENT_REFUND_STATES = stateTable(PAYMENT_REFUND_TRANSITIONS);

/** The event that records a gateway's final answer. */
export const PAYMENT_REFUND_OUTCOME: Record<Exclude<PaymentRefundStatus, 'processing'>, PaymentRefundEvent> = {
  succeeded: 'succeed',
  closed: 'close',
  failed: 'fail',
};

export const canMovePaymentRefund = (from: PaymentRefundStatus, to: PaymentRefundStatus): boolean =>
  PAYMENT_REFUND_STATES.canMove(from, to);
