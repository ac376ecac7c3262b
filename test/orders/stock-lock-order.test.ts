import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { startPayment } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

const onPostgres = Boolean(process.env.DATABASE_URL);

/** Holds row locks in a transaction of its own until `release` is called. */
async function holdLocks(db: Db, lock: (trx: Db) => Promise<unknown>): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const done = db.transaction().execute(async (trx) => {
    await lock(trx);
    locked();
    await released;
  });
  await isLocked;
  return { release: async () => (release(), await done) };
}

/** True when `select … for update nowait` gets the row now, i.e. no other transaction holds it. */
const free = (db: Db, table: 'products' | 'product_skus', id: number) =>
  db.transaction().execute(async (trx) => {
    try {
      await sql`select id from ${sql.table(table)} where id = ${id} for update nowait`.execute(trx);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === '55P03') return false; // lock_not_available
      throw err;
    }
  });

/** polls until the condition holds, for up to a minute (the expectations after it say what did not happen) */
const until = async (condition: () => Promise<boolean>) => {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline && !(await condition());)
    await new Promise((r) => setTimeout(r, 25));
};

// Paying an order turns its reserved stock into sold stock. Two payments sharing several SKUs must never wait on
// each other in a cycle (a deadlock fails one of them), so every stock change takes its row locks in one order:
// SKUs before products, each by id — as placing the order (reserveStock) does.
describe('stock rows are locked in one order when an order is paid', () => {
  it('the SKU before the products, the lower product id before the higher, whatever order the lines are in', async () => {
    const buyer = await createMember(t);
    const low = await createProduct(t, admin, { price: 10_000, stock: 10, options: [{ title: '红', stock: 10 }] });
    const high = await createProduct(t, admin, { price: 10_000, stock: 10 });
    expect(low.id).toBeLessThan(high.id);
    // the lines name the higher product first
    const order = async () =>
      (
        await placeOrder(t, buyer.token, {
          lines: [
            { productId: high.id, quantity: 1 },
            { productId: low.id, optionIds: low.optionIds, quantity: 2 },
          ],
        })
      ).body.orderNo as string;
    const orderNos = [await order(), await order()];
    await t.ctx.db.updateTable('members').set({ balance: 100_000 }).where('id', '=', buyer.memberId).execute();
    const pay = (orderNo: string) => startPayment(t, buyer.token, orderNo, { method: 'balance', client: 'H5' });
    const lockProduct = (id: number) => (trx: Db) =>
      sql`select id from products where id = ${id} for update`.execute(trx);
    const sku = low.skuIds[0]!;
    const other = await t.openSecondContext();
    try {
      if (!onPostgres) {
        // the embedded database is one session: a payment waits for a whole other transaction, so locks never interleave
        for (const orderNo of orderNos) {
          const blocker = await holdLocks(other.ctx.db, lockProduct(low.id));
          let settled = false;
          const paying = pay(orderNo).then((r) => ((settled = true), r));
          await new Promise((r) => setTimeout(r, 300));
          expect(settled).toBe(false);
          await blocker.release();
          expect((await paying).status).toBe(200);
        }
      } else {
        // hold the lower product: the payment has locked the SKU and waits; the higher product is still free
        let blocker = await holdLocks(other.ctx.db, lockProduct(low.id));
        let paying = pay(orderNos[0]!);
        await until(async () => !(await free(t.ctx.db, 'product_skus', sku)));
        expect(await free(t.ctx.db, 'product_skus', sku)).toBe(false);
        expect(await free(t.ctx.db, 'products', high.id)).toBe(true);
        await blocker.release();
        expect((await paying).status).toBe(200);

        // hold the higher product: the payment waits holding the SKU and the lower product
        blocker = await holdLocks(other.ctx.db, lockProduct(high.id));
        paying = pay(orderNos[1]!);
        await until(async () => !(await free(t.ctx.db, 'products', low.id)));
        expect(await free(t.ctx.db, 'products', low.id)).toBe(false);
        expect(await free(t.ctx.db, 'product_skus', sku)).toBe(false);
        await blocker.release();
        expect((await paying).status).toBe(200);
      }
    } finally {
      await other.close();
    }
    const stock = await t.ctx.db
      .selectFrom('products')
      .select(['id', 'stock', 'reserved', 'sold'])
      .where('id', 'in', [low.id, high.id])
      .orderBy('id')
      .execute();
    expect(stock).toEqual([
      { id: low.id, stock: 6, reserved: 0, sold: 4 },
      { id: high.id, stock: 8, reserved: 0, sold: 2 },
    ]);
    const skuStock = await t.ctx.db
      .selectFrom('product_skus')
      .select(['stock', 'reserved', 'sold'])
      .where('id', '=', sku)
      .executeTakeFirstOrThrow();
    expect(skuStock).toEqual({ stock: 6, reserved: 0, sold: 4 });
  });
});
