import { stateTable, type Transition } from './state-table.ts';

/**
 * The order state machine: every order status change in ordo is one of these transitions, applied with a
 * guarded write (see orders/apply-order-transition.ts). Payment, refund and cancel-request states live in
 * their own fields; they only move the order status through the events below.
 */
export const ORDER_STATUSES = [
  'pending_payment',
  'payment_review',
  'paid',
  'shipped',
  'received',
  'completed',
  'cancelled',
  'closed',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type OrderEvent =
  | 'submit_voucher'
  | 'reject_voucher'
  | 'pay'
  | 'ship'
  | 'receive'
  | 'complete'
  | 'cancel'
  | 'expire'
  | 'approve_cancel';

export const ORDER_TRANSITIONS: readonly Transition<OrderStatus, OrderEvent>[] = [
  { event: 'submit_voucher', from: ['pending_payment'], to: 'payment_review' },
  { event: 'reject_voucher', from: ['payment_review'], to: 'pending_payment' },
  { event: 'pay', from: ['pending_payment', 'payment_review'], to: 'paid' },
  { event: 'ship', from: ['paid'], to: 'shipped' },
  { event: 'receive', from: ['shipped'], to: 'received' },
  { event: 'complete', from: ['received'], to: 'completed' },
  { event: 'cancel', from: ['pending_payment', 'payment_review'], to: 'cancelled' },
  { event: 'expire', from: ['pending_payment'], to: 'closed' },
  // A paid order is cancelled only after staff approve the buyer's cancel request (and refund it).
  { event: 'approve_cancel', from: ['paid'], to: 'cancelled' },
];

/** Statuses in which the order still holds reserved stock that has not been sold. */
export const HOLDS_RESERVED_STOCK: ReadonlySet<OrderStatus> = new Set(['pending_payment', 'payment_review']);

export const ORDER_STATES = stateTable(ORDER_TRANSITIONS);

/** The status `event` leads to from `from`, or null when the table has no such transition. */
export const nextOrderStatus = (from: OrderStatus, event: OrderEvent): OrderStatus | null =>
  ORDER_STATES.next(from, event);

export const canMoveOrder = (from: OrderStatus, to: OrderStatus): boolean => ORDER_STATES.canMove(from, to);
