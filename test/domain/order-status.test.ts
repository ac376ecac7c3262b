import { describe, expect, it } from 'vitest';
import {
  HOLDS_RESERVED_STOCK,
  nextOrderStatus,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  type OrderEvent,
} from '../../src/domain/order-status.ts';

describe('order state machine', () => {
  it('follows the canonical path pending_payment → paid → shipped → received → completed', () => {
    const path: [OrderEvent, string][] = [
      ['pay', 'paid'],
      ['ship', 'shipped'],
      ['receive', 'received'],
      ['complete', 'completed'],
    ];
    let status = 'pending_payment' as (typeof ORDER_STATUSES)[number];
    for (const [event, expected] of path) {
      status = nextOrderStatus(status, event)!;
      expect(status).toBe(expected);
    }
  });

  it('routes offline vouchers through review and back', () => {
    expect(nextOrderStatus('pending_payment', 'submit_voucher')).toBe('payment_review');
    expect(nextOrderStatus('payment_review', 'reject_voucher')).toBe('pending_payment');
    expect(nextOrderStatus('payment_review', 'pay')).toBe('paid');
  });

  it('lets only unpaid orders be cancelled or expire, and a paid one only through an approved cancel request', () => {
    expect(nextOrderStatus('pending_payment', 'cancel')).toBe('cancelled');
    expect(nextOrderStatus('pending_payment', 'expire')).toBe('closed');
    expect(nextOrderStatus('paid', 'cancel')).toBeNull();
    expect(nextOrderStatus('paid', 'expire')).toBeNull();
    expect(nextOrderStatus('paid', 'approve_cancel')).toBe('cancelled');
    expect(nextOrderStatus('shipped', 'approve_cancel')).toBeNull();
  });

  it('has no way out of cancelled, closed or completed', () => {
    expect(ORDER_STATUSES.filter((s) => !ORDER_TRANSITIONS.some((t) => t.from.includes(s))).sort()).toEqual([
      'cancelled',
      'closed',
      'completed',
    ]);
    const events = [...new Set(ORDER_TRANSITIONS.map((t) => t.event))];
    for (const status of ['cancelled', 'closed', 'completed'] as const) {
      for (const event of events) expect(nextOrderStatus(status, event)).toBeNull();
    }
  });

  it('never lets an order pay twice or go backwards from shipped', () => {
    expect(nextOrderStatus('paid', 'pay')).toBeNull();
    expect(nextOrderStatus('shipped', 'pay')).toBeNull();
    expect(nextOrderStatus('shipped', 'ship')).toBeNull();
  });

  it('declares each (event, from) pair once, with known statuses only', () => {
    const pairs = ORDER_TRANSITIONS.flatMap((t) => t.from.map((from) => `${t.event}:${from}`));
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const t of ORDER_TRANSITIONS) {
      expect(ORDER_STATUSES).toContain(t.to);
      for (const from of t.from) expect(ORDER_STATUSES).toContain(from);
    }
    expect([...HOLDS_RESERVED_STOCK].sort()).toEqual(['payment_review', 'pending_payment']);
  });
});
