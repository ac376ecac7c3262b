import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createMember, placeOrder } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it('an order names its merchant and store, as they are now, for the cashier page', async () => {
  const buyer = await createMember(t);
  const placed = await placeOrder(t, buyer.token, { lines: [{ productId: 10004, quantity: 1 }] });
  expect(placed.status).toBe(201);
  expect(placed.body).toMatchObject({ merchantName: '乐购示范商城 ordo demo shop', storeName: '5号乐馆-深圳北站店' });

  await t.ctx.db.updateTable('stores').set({ name: '5号乐馆-福田店' }).where('id', '=', placed.body.storeId).execute();
  try {
    const read = await api(t, 'GET', `/v1/orders/${placed.body.orderNo}`, { token: buyer.token });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ merchantName: '乐购示范商城 ordo demo shop', storeName: '5号乐馆-福田店' });
  } finally {
    await t.ctx.db
      .updateTable('stores')
      .set({ name: '5号乐馆-深圳北站店' })
      .where('id', '=', placed.body.storeId)
      .execute();
  }
});
