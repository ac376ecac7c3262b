import { describe, expect, it } from 'vitest';
import { canMoveOrder, nextOrderStatus, ORDER_STATUSES, ORDER_TRANSITIONS } from '../../src/domain/order-status.ts';
import {
  canMovePaymentRefund,
  PAYMENT_REFUND_OUTCOME,
  PAYMENT_REFUND_STATES,
  PAYMENT_REFUND_STATUSES,
} from '../../src/domain/payment-refund-status.ts';
import {
  canMovePayment,
  nextPaymentStatus,
  ORDER_PAYMENT_STATES,
  PAYMENT_STATUSES,
  PAYMENT_TRANSITIONS,
} from '../../src/domain/payment-status.ts';
import {
  canMoveRefundRequest,
  REFUND_REQUEST_STATES,
  REFUND_REQUEST_STATUSES,
} from '../../src/domain/refund-request-status.ts';
import { transitionOf } from '../../src/domain/state-table.ts';

/** canMove agrees with the table on every pair of states: the listed ones and nothing else. */
function expectCanMoveMatches<S extends string>(
  states: readonly S[],
  canMove: (from: S, to: S) => boolean,
  legal: string[],
) {
  const moves = states.flatMap((from) => states.filter((to) => canMove(from, to)).map((to) => `${from}→${to}`));
  expect(moves.sort()).toEqual([...legal].sort());
}

describe('order state table', () => {
  it('allows exactly the moves of its transitions', () => {
    expectCanMoveMatches(ORDER_STATUSES, canMoveOrder, [
      'pending_payment→payment_review',
      'payment_review→pending_payment',
      'pending_payment→paid',
      'payment_review→paid',
      'paid→shipped',
      'shipped→received',
      'received→completed',
      'pending_payment→cancelled',
      'payment_review→cancelled',
      'pending_payment→closed',
      'paid→cancelled',
    ]);
  });

  it('refuses illegal moves', () => {
    expect(canMoveOrder('shipped', 'cancelled')).toBe(false);
    expect(canMoveOrder('completed', 'paid')).toBe(false);
    expect(canMoveOrder('closed', 'pending_payment')).toBe(false);
    expect(nextOrderStatus('shipped', 'cancel')).toBeNull();
  });
});

describe('payment state table', () => {
  it('allows exactly the moves of its transitions, including money for a trade already given up on', () => {
    expectCanMoveMatches(PAYMENT_STATUSES, canMovePayment, [
      'processing→paid',
      'closed→paid',
      'failed→paid',
      'processing→closed',
      'processing→failed',
      'paid→partially_refunded',
      'partially_refunded→partially_refunded',
      'paid→refunded',
      'partially_refunded→refunded',
    ]);
  });

  it('refuses illegal moves', () => {
    expect(canMovePayment('paid', 'processing')).toBe(false);
    expect(canMovePayment('refunded', 'paid')).toBe(false);
    expect(nextPaymentStatus('paid', 'pay')).toBeNull();
    expect(nextPaymentStatus('closed', 'refund_all')).toBeNull();
  });

  it('the order’s payment status only goes from unpaid to paid', () => {
    expect(ORDER_PAYMENT_STATES.canMove('unpaid', 'paid')).toBe(true);
    expect(ORDER_PAYMENT_STATES.canMove('paid', 'unpaid')).toBe(false);
    expect(ORDER_PAYMENT_STATES.next('paid', 'pay')).toBeNull();
  });
});

describe('refund request state table', () => {
  it('allows approve and reject of a request, and the end of a refunding one', () => {
    expectCanMoveMatches(REFUND_REQUEST_STATUSES, canMoveRefundRequest, [
      'requested→refunding',
      'requested→rejected',
      'refunding→refunded',
      'refunding→failed',
    ]);
    expect(REFUND_REQUEST_STATES.next('requested', 'approve')).toBe('refunding');
    expect(REFUND_REQUEST_STATES.next('refunding', 'succeed')).toBe('refunded');
  });

  it('refuses illegal moves: no second decision, nothing out of an end state', () => {
    expect(REFUND_REQUEST_STATES.next('rejected', 'approve')).toBeNull();
    expect(REFUND_REQUEST_STATES.next('refunding', 'reject')).toBeNull();
    expect(REFUND_REQUEST_STATES.next('requested', 'succeed')).toBeNull();
    for (const end of ['rejected', 'refunded', 'failed'] as const) {
      for (const event of ['approve', 'reject', 'succeed', 'fail'] as const)
        expect(REFUND_REQUEST_STATES.next(end, event)).toBeNull();
    }
  });
});

describe('payment refund state table', () => {
  it('moves a processing refund to each final answer, once', () => {
    expectCanMoveMatches(PAYMENT_REFUND_STATUSES, canMovePaymentRefund, [
      'processing→succeeded',
      'processing→closed',
      'processing→failed',
    ]);
    for (const [to, event] of Object.entries(PAYMENT_REFUND_OUTCOME))
      expect(PAYMENT_REFUND_STATES.next('processing', event)).toBe(to);
  });

  it('refuses illegal moves: a final answer is never overwritten', () => {
    expect(canMovePaymentRefund('succeeded', 'failed')).toBe(false);
    expect(canMovePaymentRefund('failed', 'succeeded')).toBe(false);
    expect(PAYMENT_REFUND_STATES.next('succeeded', 'fail')).toBeNull();
  });
});

describe('transitionOf (the move a SQL function is handed)', () => {
  it('answers the one transition of an event, as its table has it', () => {
    expect(transitionOf(ORDER_TRANSITIONS, 'pay')).toEqual({ from: ['pending_payment', 'payment_review'], to: 'paid' });
    expect(transitionOf(PAYMENT_TRANSITIONS, 'pay')).toEqual({ from: ['processing', 'closed', 'failed'], to: 'paid' });
    expect(transitionOf(ORDER_PAYMENT_STATES.transitions, 'pay')).toEqual({ from: ['unpaid'], to: 'paid' });
  });

  it('refuses an event the table does not have exactly once', () => {
    expect(() => transitionOf(ORDER_TRANSITIONS, 'no_such_event' as never)).toThrow(/0 transitions for no_such_event/);
  });
});
