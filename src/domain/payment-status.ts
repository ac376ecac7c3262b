import { stateTable, type Transition } from './state-table.ts';

/**
 * The payment attempt state machine. Forward only, with one deliberate exception: a gateway can report money
 * for a trade ordo already gave up on (closed, failed). That money is real, so `pay` is accepted from those
 * states too — the settlement then refunds it.
 */
export const PAYMENT_STATUSES = ['processing', 'paid', 'closed', 'failed', 'partially_refunded', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type PaymentEvent = 'pay' | 'close' | 'fail' | 'refund_part' | 'refund_all';

export const PAYMENT_TRANSITIONS: readonly Transition<PaymentStatus, PaymentEvent>[] = [
  { event: 'pay', from: ['processing', 'closed', 'failed'], to: 'paid' },
  { event: 'close', from: ['processing'], to: 'closed' },
  { event: 'fail', from: ['processing'], to: 'failed' },
  { event: 'refund_part', from: ['paid', 'partially_refunded'], to: 'partially_refunded' },
  { event: 'refund_all', from: ['paid', 'partially_refunded'], to: 'refunded' },
];

export const PAYMENT_STATES = stateTable(PAYMENT_TRANSITIONS);

/** Statuses in which money has been received. */
export const MONEY_RECEIVED: ReadonlySet<PaymentStatus> = new Set(['paid', 'partially_refunded', 'refunded']);

export const nextPaymentStatus = (from: PaymentStatus, event: PaymentEvent): PaymentStatus | null =>
  PAYMENT_STATES.next(from, event);

export const canMovePayment = (from: PaymentStatus, to: PaymentStatus): boolean => PAYMENT_STATES.canMove(from, to);

/**
 * The order's own payment status (`orders.payment_status`), the one pages see: unpaid until an attempt settles, then
 * paid for good — refunds show in the order's refund status, never here. An attempt waiting for staff to review a
 * transfer voucher leaves it unpaid; pages know that wait from the order status `payment_review`.
 */
export const ORDER_PAYMENT_STATUSES = ['unpaid', 'paid'] as const;
export type OrderPaymentStatus = (typeof ORDER_PAYMENT_STATUSES)[number];

export const ORDER_PAYMENT_STATES = stateTable<OrderPaymentStatus, 'pay'>([
  { event: 'pay', from: ['unpaid'], to: 'paid' },
]);
