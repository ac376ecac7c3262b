import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { createMember, placeOrder, staffToken } from '../support/actors.ts';
import { createMerchantApp } from '../support/merchant-api.ts';
import { startTestApp } from '../support/test-app.ts';
import { moneyViolations, takeBaseline } from './money-invariants.ts';

// The crash test's checks must see a broken database for what it is, or its "0 violations" proves nothing.

const t = await startTestApp();
afterAll(() => t.close());

describe('the crash-safety invariants', () => {
  it('hold on the demo data and catch stock, settlement, money, balance and webhook damage', async () => {
    const baseline = await takeBaseline(t.ctx.db);
    expect(await moneyViolations(t.ctx.db, baseline, new Set())).toEqual([]);

    const product = await t.ctx.db.selectFrom('products').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
    await t.ctx.db
      .updateTable('products')
      .set({ reserved: sql`reserved + 1` })
      .where('id', '=', product.id)
      .execute();
    const member = await t.ctx.db
      .selectFrom('members')
      .select('id')
      .where('merchant_id', '=', DEMO.merchantId)
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    await t.ctx.db
      .updateTable('members')
      .set({ balance: sql`balance + 7` })
      .where('id', '=', member.id)
      .execute();
    const admin = await staffToken(t);
    const buyer = await createMember(t);
    const placed = await placeOrder(t, buyer.token, { lines: [{ productId: 10002, quantity: 1 }] });
    await t.ctx.db.updateTable('orders').set({ paid_amount: 5 }).where('order_no', '=', placed.body.orderNo).execute();
    const { appId } = await createMerchantApp(t, admin, 'http://127.0.0.1:9/hook');
    const app = await t.ctx.db.selectFrom('apps').select('id').where('app_id', '=', appId).executeTakeFirstOrThrow();
    const event = await t.ctx.db
      .insertInto('outbox_events')
      .values({
        merchant_id: DEMO.merchantId,
        topic: 'order.paid',
        aggregate_id: 'x',
        payload: '{}',
        created_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.ctx.db
      .insertInto('webhook_deliveries')
      .values({
        outbox_event_id: event.id,
        app_id: app.id,
        aggregate_id: 'x',
        status: 'pending',
        next_attempt_at: new Date(),
        created_at: new Date(),
      })
      .execute();

    const violations = await moneyViolations(t.ctx.db, baseline, new Set());
    expect(violations).toEqual([
      `product ${product.id}: stock + reserved + sold = ${baseline.skuTotals[`product ${product.id}`]! + 1}, was ${baseline.skuTotals[`product ${product.id}`]}`,
      `paid order ${placed.body.orderNo} has 0 settled payments`,
      expect.stringMatching(/^payments \d+ − refunds \d+ ≠ orders' paid − refunded \d+$/),
      `member ${member.id}: balance ${DEMO.member.openingBalance + 7} ≠ its ledger's sum ${DEMO.member.openingBalance}`,
      expect.stringMatching(/^webhook delivery \d+ is pending$/),
      `event ${event.id} never reached the receiver`,
    ]);
  });
});
