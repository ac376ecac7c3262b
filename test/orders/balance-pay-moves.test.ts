import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_TRANSITIONS } from '../../src/domain/order-status.ts';
import { ORDER_PAYMENT_STATES, PAYMENT_TRANSITIONS } from '../../src/domain/payment-status.ts';
import { transitionOf } from '../../src/domain/state-table.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

// The balance payment's SQL function (src/flows/pay-from-balance.sql) does not write states of its own: it is handed
// the `pay` moves of the state tables and moves each row only from a state its move allows. These call it directly
// with moves narrower than the tables' to show the guard is the one it was handed, and that a refusal changes nothing.

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

const TABLE_MOVES = {
  order: transitionOf(ORDER_TRANSITIONS, 'pay'),
  payment: transitionOf(PAYMENT_TRANSITIONS, 'pay'),
  orderPayment: transitionOf(ORDER_PAYMENT_STATES.transitions, 'pay'),
};

async function unpaidOrder() {
  const buyer = await createMember(t);
  await t.ctx.db.updateTable('members').set({ balance: 50_000 }).where('id', '=', buyer.memberId).execute();
  const product = await createProduct(t, admin, { price: 12_000, stock: 10 });
  const placed = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const order = await t.ctx.db
    .selectFrom('orders')
    .select(['id', 'order_no', 'merchant_id', 'payable_amount', 'client'])
    .where('order_no', '=', placed.body.orderNo)
    .executeTakeFirstOrThrow();
  return { memberId: buyer.memberId, order };
}

function pay(memberId: number, order: Awaited<ReturnType<typeof unpaidOrder>>['order'], moves: typeof TABLE_MOVES) {
  const args = {
    orderId: order.id,
    orderNo: order.order_no,
    merchantId: order.merchant_id,
    memberId,
    amount: order.payable_amount,
    client: order.client,
    at: new Date(),
    actor: { kind: 'member', id: memberId },
    moves,
    notify: null,
  };
  return t.ctx.db.executeQuery(
    CompiledQuery.raw('select ordo_pay_from_balance($1::jsonb) as paid', [JSON.stringify(args)]),
  );
}

async function stateOf(memberId: number, orderId: number) {
  const order = await t.ctx.db
    .selectFrom('orders')
    .select(['status', 'payment_status', 'paid_amount'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  const member = await t.ctx.db
    .selectFrom('members')
    .select('balance')
    .where('id', '=', memberId)
    .executeTakeFirstOrThrow();
  const payments = await t.ctx.db.selectFrom('payments').select('status').where('order_id', '=', orderId).execute();
  const ledger = await t.ctx.db.selectFrom('member_ledger').select('delta').where('order_id', '=', orderId).execute();
  return { order, balance: Number(member.balance), payments, ledger };
}

describe('the balance payment function moves rows only as the moves it is handed allow', () => {
  for (const [name, narrowed] of [
    ['the order', { ...TABLE_MOVES, order: { from: ['payment_review'], to: 'paid' } }],
    ['the attempt', { ...TABLE_MOVES, payment: { from: ['failed'], to: 'paid' } }],
    ['the order’s payment status', { ...TABLE_MOVES, orderPayment: { from: ['paid'], to: 'paid' } }],
  ] as const)
    it(`refuses when ${name} is in no state its move starts from, and changes nothing`, async () => {
      const { memberId, order } = await unpaidOrder();
      const before = await stateOf(memberId, order.id);
      await expect(pay(memberId, order, narrowed as typeof TABLE_MOVES)).rejects.toThrow(/invalid_state/);
      expect(await stateOf(memberId, order.id)).toEqual(before);
      expect(before).toMatchObject({
        order: { status: 'pending_payment', payment_status: 'unpaid' },
        balance: 50_000,
        payments: [],
      });
    });

  it('with the state tables’ own moves it pays the order, to the fen', async () => {
    const { memberId, order } = await unpaidOrder();
    await pay(memberId, order, TABLE_MOVES);
    expect(await stateOf(memberId, order.id)).toEqual({
      order: { status: 'paid', payment_status: 'paid', paid_amount: order.payable_amount },
      balance: 50_000 - order.payable_amount,
      payments: [{ status: 'paid' }],
      ledger: [{ delta: -order.payable_amount }],
    });
  });
});
