import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveToken } from '../../src/auth/tokens.ts';
import { up as addRefundNumberCount } from '../../src/db/migrations/010-refund-number-count.ts';
import { DEMO } from '../../src/demo/seed-demo.ts';
import type { MemberPrincipal, StaffPrincipal } from '../../src/auth/tokens.ts';
import { requestRefund } from '../../src/flows/request-refund.ts';
import { rejectRefund } from '../../src/flows/review-refund.ts';
import { api } from '../support/api.ts';
import { createAddress, createMember, staffToken } from '../support/actors.ts';
import { paidOrder } from '../support/after-sales.ts';
import { createMerchantApp } from '../support/merchant-api.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Refund numbers are `R` + order number + the order's own refund count: many refunds on one order, one at a
 * time or at once, each get their own number (three random digits collided within a few dozen refunds).
 */

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

/** Runs `count` tasks, at most `width` at a time; every outcome, in order. */
async function bounded<T>(
  count: number,
  width: number,
  task: (i: number) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  const outcomes: PromiseSettledResult<T>[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      outcomes[i] = await task(i).then(
        (value) => ({ status: 'fulfilled' as const, value }),
        (reason: unknown) => ({ status: 'rejected' as const, reason }),
      );
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return outcomes;
}

const errorsOf = (outcomes: PromiseSettledResult<unknown>[]) =>
  outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => String(o.reason));

describe('refund numbers', () => {
  it(
    '1,000 one-fen refunds on one order, eight at a time: 0 errors, 1,000 numbers, the money held exact to the fen',
    { timeout: 600_000 },
    async () => {
      const buyer = await createMember(t);
      const order = await paidOrder(t, admin, buyer, [{ price: 1_500, quantity: 1 }], {
        addressId: await createAddress(t, buyer.token),
      });
      const line = order.lines[0]!;
      const member = (await resolveToken(t.ctx.db, buyer.token, t.clock.now())) as MemberPrincipal;

      const outcomes = await bounded(1_000, 8, () =>
        requestRefund(t.ctx, member, order.orderNo, {
          kind: 'refund_only',
          reason: '退一分',
          lines: [{ lineId: line.id, amount: 1 }],
        }),
      );

      expect(errorsOf(outcomes).slice(0, 5)).toEqual([]);
      const numbers = outcomes.map((o) => (o as PromiseFulfilledResult<{ refundNo: string }>).value.refundNo);
      expect(new Set(numbers).size).toBe(1_000);
      // the order's own count: 001 … 999, then 1000, all taken exactly once
      expect([...numbers].sort((a, b) => a.length - b.length || a.localeCompare(b))).toEqual(
        Array.from({ length: 1_000 }, (_, i) => `R${order.orderNo}${String(i + 1).padStart(3, '0')}`),
      );
      const held = await t.ctx.db
        .selectFrom('order_lines')
        .select('refund_pending_amount')
        .where('id', '=', line.id)
        .executeTakeFirstOrThrow();
      expect(held.refund_pending_amount).toBe(1_000);
      const rows = await t.ctx.db
        .selectFrom('refund_requests')
        .select(['refund_no', 'amount'])
        .where('order_id', '=', order.orderId)
        .execute();
      expect({ count: rows.length, fen: rows.reduce((sum, r) => sum + r.amount, 0) }).toEqual({
        count: 1_000,
        fen: 1_000,
      });

      // the after-sales routes still take the longest of these numbers
      const rejected = await api(t, 'POST', `/v1/admin/refunds/R${order.orderNo}1000/reject`, {
        token: admin,
        body: { reason: '测试' },
      });
      expect({ status: rejected.status, body: rejected.body }).toEqual({ status: 200, body: { ok: true } });
    },
  );

  it(
    '200 one-fen refunds on one order, each rejected by staff as soon as it is made, eight at a time: no deadlock, nothing left held',
    { timeout: 600_000 },
    async () => {
      const buyer = await createMember(t);
      const order = await paidOrder(t, admin, buyer, [{ price: 500, quantity: 1 }], {
        addressId: await createAddress(t, buyer.token),
      });
      const line = order.lines[0]!;
      const member = (await resolveToken(t.ctx.db, buyer.token, t.clock.now())) as MemberPrincipal;
      const staff = (await resolveToken(t.ctx.db, admin, t.clock.now())) as StaffPrincipal;

      const outcomes = await bounded(200, 8, async () => {
        const { refundNo } = await requestRefund(t.ctx, member, order.orderNo, {
          kind: 'refund_only',
          reason: '退一分',
          lines: [{ lineId: line.id, amount: 1 }],
        });
        await rejectRefund(t.ctx, staff, refundNo, '不予退款');
      });

      expect(errorsOf(outcomes).slice(0, 5)).toEqual([]);
      const held = await t.ctx.db
        .selectFrom('order_lines')
        .select(['refund_pending_amount', 'refunded_amount'])
        .where('id', '=', line.id)
        .executeTakeFirstOrThrow();
      expect(held).toEqual({ refund_pending_amount: 0, refunded_amount: 0 });
      const statuses = await t.ctx.db
        .selectFrom('refund_requests')
        .select('status')
        .where('order_id', '=', order.orderId)
        .execute();
      expect({ count: statuses.length, rejected: statuses.filter((r) => r.status === 'rejected').length }).toEqual({
        count: 200,
        rejected: 200,
      });
    },
  );

  it(
    '150 one-fen till refunds (xxpay refund2) on one cash sale, five at a time: every one answered code 0 with its own number',
    { timeout: 600_000 },
    async () => {
      await createMerchantApp(t, admin);
      const cashier = await t.ctx.db
        .selectFrom('staff')
        .select('id')
        .where('username', '=', 'cashier')
        .executeTakeFirstOrThrow();
      await api(t, 'PUT', `/v1/admin/staff/${cashier.id}/refund-password`, {
        token: admin,
        body: { password: '888888' },
      });
      const xx = async (path: string, params: Record<string, string>, auth?: string) => {
        const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
        if (auth) headers.authorization = auth;
        const reply = await api(t, 'POST', `/xxpay${path}`, { body: new URLSearchParams(params).toString(), headers });
        if (reply.status !== 200 || reply.body.code !== 0)
          throw new Error(`${path}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
        return reply.body.data;
      };
      const token = (await xx('/api/auth', { username: 'cashier', password: DEMO.staff[1]!.password, loginType: 'pc' }))
        .access_token;
      const sale = await xx('/api/memberPay/cash', { requiredAmount: '1.50' }, token);

      const outcomes = await bounded(150, 5, () =>
        xx(
          '/api/memberPay/refund2',
          { tradeOrderId: sale.tradeOrderId, refundAmount: '0.01', refundPassword: '888888' },
          token,
        ),
      );

      expect(errorsOf(outcomes).slice(0, 5)).toEqual([]);
      const numbers = outcomes.map((o) => (o as PromiseFulfilledResult<{ refundOrderId: string }>).value.refundOrderId);
      expect(new Set(numbers).size).toBe(150);
      const after = await xx('/api/trade_order/get', { tradeOrderId: sale.tradeOrderId }, token);
      expect(after).toMatchObject({ refundTotalAmount: 150, status: 5 });
    },
  );

  it("the migration starts each order's count above the numbers it already has (three random digits before it)", async () => {
    const buyer = await createMember(t);
    const order = await paidOrder(t, admin, buyer, [{ price: 900, quantity: 1 }], {
      addressId: await createAddress(t, buyer.token),
    });
    const untouched = await paidOrder(t, admin, buyer, [{ price: 900, quantity: 1 }], {
      addressId: await createAddress(t, buyer.token),
    });
    const member = (await resolveToken(t.ctx.db, buyer.token, t.clock.now())) as MemberPrincipal;
    const ask = (ctx = t.ctx) =>
      requestRefund(ctx, member, order.orderNo, {
        kind: 'refund_only',
        reason: '退一分',
        lines: [{ lineId: order.lines[0]!.id, amount: 1 }],
      });
    const { refundNo } = await ask();
    // as the random numbering left it
    await t.ctx.db
      .updateTable('refund_requests')
      .set({ refund_no: `R${order.orderNo}742` })
      .where('refund_no', '=', refundNo)
      .execute();

    await sql`alter table orders drop column refund_numbers_taken`.execute(t.ctx.db);
    await addRefundNumberCount(t.ctx.db);

    const counts = await t.ctx.db
      .selectFrom('orders')
      .select(['order_no', 'refund_numbers_taken'])
      .where('id', 'in', [order.orderId, untouched.orderId])
      .orderBy('id')
      .execute();
    expect(counts).toEqual([
      { order_no: order.orderNo, refund_numbers_taken: 742 },
      { order_no: untouched.orderNo, refund_numbers_taken: 0 },
    ]);
    // connections opened before the column moved hold plans of the old row shape (PostgreSQL): a fresh pool
    const fresh = await t.openSecondContext();
    try {
      expect((await ask(fresh.ctx)).refundNo).toBe(`R${order.orderNo}743`);
    } finally {
      await fresh.close();
    }
  });
});
