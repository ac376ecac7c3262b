/**
 * The payment attempt state machine. Forward only, with one deliberate exception: a gateway can report money
 * for a trade ordo already gave up on (closed, failed). That money is real, so `pay` is accepted from those
 * states too — the settlement then refunds it.
 */
export type PaymentStatus = 'processing' | 'paid' | 'closed' | 'failed' | 'partially_refunded' | 'refunded';
export type PaymentEvent = 'pay' | 'close' | 'fail' | 'refund_part' | 'refund_all';

interface Transition {
  event: PaymentEvent;
  from: readonly PaymentStatus[];
  to: PaymentStatus;
}

export const PAYMENT_TRANSITIONS: readonly Transition[] = [
  { event: 'pay', from: ['processing', 'closed', 'failed'], to: 'paid' },
  { event: 'close', from: ['processing'], to: 'closed' },
  { event: 'fail', from: ['processing'], to: 'failed' },
  { event: 'refund_part', from: ['paid', 'partially_refunded'], to: 'partially_refunded' },
  { event: 'refund_all', from: ['paid', 'partially_refunded'], to: 'refunded' },
];

/** Statuses in which money has been received. */
export const MONEY_RECEIVED: ReadonlySet<PaymentStatus> = new Set(['paid', 'partially_refunded', 'refunded']);

export function nextPaymentStatus(from: PaymentStatus, event: PaymentEvent): PaymentStatus | null {
  return PAYMENT_TRANSITIONS.find((t) => t.event === event && t.from.includes(from))?.to ?? null;
}
