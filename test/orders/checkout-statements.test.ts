import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PGliteStatements } from '../../src/db/pglite-statements.ts';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { ORDER_UPDATES_CHANNEL } from '../../src/events/order-updates.ts';
import { api } from '../support/api.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { startPayment } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

// A checkout's cost is mostly its round trips to the database (bench/README.md). Placing an order is a read and one
// write statement (place-order.sql), paying it from the balance the same (pay-from-balance.sql), with no begin or
// commit of their own and the live update's NOTIFY inside the write. These tests count every statement a request
// sends, on whichever database the suite runs, so the count cannot grow back unnoticed.

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

/** The SQL of every statement sent to the database while `action` runs (PGlite's statements or pg's queries). */
async function statementsOf<T>(action: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const pgliteRun = vi.spyOn(PGliteStatements.prototype, 'run');
  const pgQuery = vi.spyOn(pg.Client.prototype, 'query');
  try {
    const result = await action();
    const statements = [...pgliteRun.mock.calls, ...pgQuery.mock.calls].map(([text]) =>
      typeof text === 'string' ? text : (text as { text: string }).text,
    );
    return { result, statements };
  } finally {
    pgliteRun.mockRestore();
    pgQuery.mockRestore();
  }
}

const TOKEN_LOOKUP = /from "auth_tokens"/;

async function buyerWithBalance() {
  const buyer = await createMember(t);
  await t.ctx.db.updateTable('members').set({ balance: 1_000_000 }).where('id', '=', buyer.memberId).execute();
  const product = await createProduct(t, admin, { price: 12_000, stock: 10 });
  // the helper makes the buyer's address on their first order: that request is not the one counted
  const first = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
  expect(first.status, JSON.stringify(first.body)).toBe(201);
  return { buyer, product };
}

describe('statements per checkout request', () => {
  it('placing an order: the token, one read, one write and the order read back for the reply', async () => {
    const { buyer, product } = await buyerWithBalance();
    const { result, statements } = await statementsOf(() =>
      placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 2 }] }),
    );
    expect(result.status).toBe(201);
    expect(statements).toHaveLength(4);
    expect(statements[0]).toMatch(TOKEN_LOOKUP);
    expect(statements[2]).toBe('select ordo_place_order($1::jsonb) as placed');
    expect(statements.filter((s) => /^\s*(begin|commit)/i.test(s))).toEqual([]);
  });

  it('placing an order from the cart costs the same', async () => {
    const { buyer, product } = await buyerWithBalance();
    const added = await api(t, 'POST', '/v1/cart/items', {
      token: buyer.token,
      body: { productId: product.id, quantity: 1 },
    });
    expect(added.status).toBeLessThan(300);
    const { result, statements } = await statementsOf(() => placeOrder(t, buyer.token, {}));
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(result.body.lines).toHaveLength(1);
    expect(statements).toHaveLength(4);
  });

  it('paying from the balance: the token, one read and one write', async () => {
    const { buyer, product } = await buyerWithBalance();
    const placed = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
    const { result, statements } = await statementsOf(() =>
      startPayment(t, buyer.token, placed.body.orderNo, { method: 'balance', client: 'H5' }),
    );
    expect(result.status).toBe(200);
    expect(result.body.payment).toMatchObject({ method: 'balance', status: 'paid', amount: 12_000 });
    expect(statements).toHaveLength(3);
    expect(statements[0]).toMatch(TOKEN_LOOKUP);
    expect(statements[2]).toBe('select ordo_pay_from_balance($1::jsonb) as paid');
  });

  it.runIf(process.env.DATABASE_URL)(
    'on PostgreSQL, other processes hear of the order and its payment from the write itself',
    async () => {
      const { buyer, product } = await buyerWithBalance();
      const listener = new pg.Client({ connectionString: t.ctx.config.databaseUrl });
      await listener.connect();
      const heard: Record<string, unknown>[] = [];
      listener.on('notification', (n) => heard.push(JSON.parse(n.payload ?? '{}')));
      await listener.query(`listen ${ORDER_UPDATES_CHANNEL}`);
      try {
        const placed = await placeOrder(t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] });
        const paid = await startPayment(t, buyer.token, placed.body.orderNo, { method: 'balance', client: 'H5' });
        expect(paid.status).toBe(200);
        const orderNo = placed.body.orderNo;
        await vi.waitFor(() =>
          expect(heard.filter((h) => h.orderNo === orderNo)).toEqual([
            expect.objectContaining({
              status: 'pending_payment',
              paymentStatus: 'unpaid',
              merchantId: DEMO.merchantId,
            }),
            expect.objectContaining({ status: 'paid', paymentStatus: 'paid', merchantId: DEMO.merchantId }),
          ]),
        );
      } finally {
        await listener.end();
      }
    },
  );
});
