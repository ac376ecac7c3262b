import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPaymentRefundTransition } from '../../src/payments/apply-payment-refund-transition.ts';
import { applyRefundRequestTransition } from '../../src/refunds/apply-refund-request-transition.ts';
import { api } from '../support/api.ts';
import { createMember, staffToken } from '../support/actors.ts';
import { paidOrder } from '../support/after-sales.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

const requestRow = (refundNo: string) =>
  t.ctx.db.selectFrom('refund_requests').selectAll().where('refund_no', '=', refundNo).executeTakeFirstOrThrow();

async function requestRefund(buyer: { memberId: number; token: string }) {
  const order = await paidOrder(t, admin, buyer, [{ price: 2_500, quantity: 1 }]);
  const asked = await api(t, 'POST', `/v1/orders/${order.orderNo}/refunds`, {
    token: buyer.token,
    body: { kind: 'refund_only', reason: '不想要了', lines: [{ lineId: order.lines[0]!.id }] },
  });
  expect(asked.status).toBe(201);
  return asked.body.refundNo as string;
}

describe('refund state appliers', () => {
  it('an illegal refund-request move changes nothing: a rejected request cannot be approved, a stale read moves nothing', async () => {
    const buyer = await createMember(t);
    const refundNo = await requestRefund(buyer);
    expect(
      (
        await api(t, 'POST', `/v1/admin/refunds/${refundNo}/reject`, {
          token: admin,
          body: { reason: '已超过退款期限' },
        })
      ).status,
    ).toBe(200);
    const rejected = await requestRow(refundNo);
    expect(rejected.status).toBe('rejected');

    const illegal = await applyRefundRequestTransition(t.ctx.db, rejected, 'approve', {
      reviewed_by: null,
      review_note: 'changed',
      completed_at: null,
    });
    expect(illegal).toBeNull();
    // read before the rejection: the table allows the approval from 'requested', the guard finds the row moved on
    const stale = await applyRefundRequestTransition(t.ctx.db, { ...rejected, status: 'requested' }, 'approve', {
      review_note: 'changed',
    });
    expect(stale).toBeNull();
    expect(await requestRow(refundNo)).toEqual(rejected);
    expect(
      await t.ctx.db.selectFrom('payment_refunds').select('id').where('refund_request_id', '=', rejected.id).execute(),
    ).toEqual([]);
  });

  it('a legal move through the applier writes the status and its columns in one step', async () => {
    const buyer = await createMember(t);
    const refundNo = await requestRefund(buyer);
    const requested = await requestRow(refundNo);
    const at = new Date('2026-01-02T03:04:05Z');
    const moved = await applyRefundRequestTransition(t.ctx.db, requested, 'reject', {
      review_note: '测试',
      reviewed_at: at,
      completed_at: at,
    });
    expect(moved).toMatchObject({ id: requested.id, status: 'rejected', review_note: '测试' });
    expect(await requestRow(refundNo)).toEqual(moved);
  });

  it('a payment refund’s final answer is never overwritten', async () => {
    const buyer = await createMember(t);
    const refundNo = await requestRefund(buyer);
    expect(
      (await api(t, 'POST', `/v1/admin/refunds/${refundNo}/approve`, { token: admin, body: { note: '同意' } })).status,
    ).toBe(200);
    const refund = await t.ctx.db
      .selectFrom('payment_refunds')
      .selectAll()
      .where('out_refund_no', '=', refundNo)
      .executeTakeFirstOrThrow();
    expect(refund.status).toBe('succeeded'); // a balance payment's refund is done at once

    expect(await applyPaymentRefundTransition(t.ctx.db, refund, 'fail')).toBeNull();
    expect(
      await applyPaymentRefundTransition(t.ctx.db, { ...refund, status: 'processing' }, 'fail', { completed_at: null }),
    ).toBeNull();
    expect(
      await t.ctx.db.selectFrom('payment_refunds').selectAll().where('id', '=', refund.id).executeTakeFirstOrThrow(),
    ).toEqual(refund);
    expect((await requestRow(refundNo)).status).toBe('refunded');
  });
});
