import { stateTable, type Transition } from './state-table.ts';

/**
 * The after-sales refund request (`refund_requests.status`). A buyer's request starts `requested` and waits for
 * staff; a refund ordo decides itself (an approved cancel, a returned deposit, a till refund) starts `refunding`.
 * `refunding` ends when the money is back (`refunded`) or could not be sent (`failed`).
 */
export const REFUND_REQUEST_STATUSES = ['requested', 'rejected', 'refunding', 'refunded', 'failed'] as const;
export type RefundRequestStatus = (typeof REFUND_REQUEST_STATUSES)[number];
export type RefundRequestEvent = 'approve' | 'reject' | 'succeed' | 'fail';

/** The states a request may be created in. */
export type RefundRequestOpening = Extract<RefundRequestStatus, 'requested' | 'refunding'>;

export const REFUND_REQUEST_TRANSITIONS: readonly Transition<RefundRequestStatus, RefundRequestEvent>[] = [
  { event: 'approve', from: ['requested'], to: 'refunding' },
  { event: 'reject', from: ['requested'], to: 'rejected' },
  { event: 'succeed', from: ['refunding'], to: 'refunded' },
  { event: 'fail', from: ['refunding'], to: 'failed' },
];

export const REFUND_REQUEST_STATES = stateTable(REFUND_REQUEST_TRANSITIONS);

/** Requests still holding line amounts: waiting for staff or for the money to go back. */
export const REFUND_REQUEST_OPEN: readonly RefundRequestStatus[] = ['requested', 'refunding'];

export const canMoveRefundRequest = (from: RefundRequestStatus, to: RefundRequestStatus): boolean =>
  REFUND_REQUEST_STATES.canMove(from, to);

/** The order's refund summary (`orders.refund_status`), recomputed from its amounts and open requests after each change. */
export type OrderRefundStatus = 'none' | 'requested' | 'partially_refunded' | 'refunded';
