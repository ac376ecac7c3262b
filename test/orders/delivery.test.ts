import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { api } from '../support/api.ts';
import { createAddress, createMember, createProduct, newIdempotencyKey, staffToken } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { yoshop, yoshopBuyer } from '../support/yoshop-client.ts';

/**
 * Every order placed through /v1/orders or a shop dialect is a physical shipment: it needs an address, or an
 * explicit pickup at the store (no address, no shipping fee), shown as pickup in the order, the console's list
 * and the CSV export. One with neither is refused with `address_required` and holds nothing.
 */

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

// below the demo store's free-shipping line (99 yuan): a shipped order pays 10 yuan shipping
const PRICE = 2_000;

const order = (token: string, body: Record<string, unknown>) =>
  api(t, 'POST', '/v1/orders', { token, body, headers: { 'idempotency-key': newIdempotencyKey() } });

async function stockOf(productId: number) {
  return t.ctx.db
    .selectFrom('products')
    .select(['stock', 'reserved'])
    .where('id', '=', productId)
    .executeTakeFirstOrThrow();
}

describe('placing a physical order', () => {
  it('with neither an address nor a pickup is refused with address_required and changes nothing', async () => {
    const buyer = await createMember(t);
    const product = await createProduct(t, admin, { price: PRICE, stock: 3 });
    const coupon = await api(t, 'POST', '/v1/admin/coupons', {
      token: admin,
      body: { code: `ADDR${Date.now() % 1_000_000}`, kind: 'fixed', amountOff: 100, minSpend: 0, totalQuantity: 5 },
    });
    expect(coupon.status).toBe(201);

    const refused = await order(buyer.token, {
      lines: [{ productId: product.id, quantity: 2 }],
      couponCode: coupon.body.code,
      usePoints: true,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'address_required', details: {} });

    expect(await stockOf(product.id)).toEqual({ stock: 3, reserved: 0 });
    const orders = await t.ctx.db.selectFrom('orders').select('id').where('member_id', '=', buyer.memberId).execute();
    expect(orders).toEqual([]);
    const used = await t.ctx.db
      .selectFrom('coupons')
      .select('used_quantity')
      .where('code', '=', coupon.body.code)
      .executeTakeFirstOrThrow();
    expect(used.used_quantity).toBe(0);
    // the refused request left no idempotency key behind: the same key later places the order
    const key = newIdempotencyKey();
    const body = { lines: [{ productId: product.id, quantity: 1 }] };
    expect(
      (await api(t, 'POST', '/v1/orders', { token: buyer.token, body, headers: { 'idempotency-key': key } })).status,
    ).toBe(422);
    const addressId = await createAddress(t, buyer.token);
    expect(
      (
        await api(t, 'POST', '/v1/orders', {
          token: buyer.token,
          body: { ...body, addressId },
          headers: { 'idempotency-key': key },
        })
      ).status,
    ).toBe(201);
  });

  it('shipped to an address is an express order with the address snapshot and the store’s shipping fee', async () => {
    const buyer = await createMember(t);
    const product = await createProduct(t, admin, { price: PRICE, stock: 3 });
    const addressId = await createAddress(t, buyer.token);
    const placed = await order(buyer.token, { lines: [{ productId: product.id, quantity: 1 }], addressId });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      delivery: 'express',
      addressId,
      address: { receiverName: '李', mobile: '18600000000' },
      shippingFee: 1_000,
      payableAmount: 3_000,
    });
  });

  it('picked up at the store has no address and no shipping fee, and shows as pickup to the buyer, staff and the CSV', async () => {
    const buyer = await createMember(t);
    const product = await createProduct(t, admin, { price: PRICE, stock: 3 });
    const preview = await api(t, 'POST', '/v1/checkout/preview', {
      token: buyer.token,
      body: { lines: [{ productId: product.id, quantity: 1 }], delivery: 'pickup' },
    });
    expect(preview.body).toMatchObject({ shippingFee: 0, payableAmount: 2_000 });

    const placed = await order(buyer.token, { lines: [{ productId: product.id, quantity: 1 }], delivery: 'pickup' });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      delivery: 'pickup',
      address: null,
      addressId: null,
      shippingFee: 0,
      payableAmount: 2_000,
      storeId: DEMO.storeId,
    });
    expect(await stockOf(product.id)).toEqual({ stock: 2, reserved: 1 });

    const orderNo = placed.body.orderNo;
    const staffView = await api(t, 'GET', `/v1/orders/${orderNo}`, { token: admin });
    expect(staffView.body).toMatchObject({ delivery: 'pickup', address: null });
    const list = await api(t, 'GET', `/v1/orders?q=${orderNo}`, { token: admin });
    expect(list.body.items).toEqual([expect.objectContaining({ orderNo, delivery: 'pickup', address: null })]);
    const csv = await api(t, 'GET', `/v1/admin/orders/export.csv?q=${orderNo}`, { token: admin });
    const [header, row] = String(csv.body)
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    const cells = Object.fromEntries(header!.split(',').map((name, i) => [name, row!.split(',')[i]]));
    expect(cells).toMatchObject({
      order_no: orderNo,
      delivery: 'pickup',
      receiver_name: '',
      receiver_mobile: '',
      shipping_yuan: '0.00',
      payable_yuan: '20.00',
    });

    // the read-only dialects say 到店自提 where a shipped order shows its address
    const storefront = await api(t, 'GET', `/storefront/api/order/detail?order_id=${placed.body.id}`, {
      headers: { token: buyer.token },
    });
    expect(storefront.body.data).toMatchObject({ address: '到店自提', username: '', shipping_fee: 0 });
    const wholesale = await api(t, 'GET', `/wholesale/api/order/detail?orderId=${orderNo}`, { token: admin });
    expect(wholesale.body.data).toMatchObject({ address: '到店自提', receiver: '', postFee: 0 });
  });

  it('a pickup with an address is a contradiction: 400, nothing held', async () => {
    const buyer = await createMember(t);
    const product = await createProduct(t, admin, { price: PRICE, stock: 3 });
    const addressId = await createAddress(t, buyer.token);
    const refused = await order(buyer.token, {
      lines: [{ productId: product.id, quantity: 1 }],
      delivery: 'pickup',
      addressId,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
    expect(await stockOf(product.id)).toEqual({ stock: 3, reserved: 0 });
  });

  it('an unknown delivery is refused by the schema', async () => {
    const buyer = await createMember(t);
    const refused = await order(buyer.token, { lines: [{ productId: 10001, quantity: 1 }], delivery: 'drone' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
  });

  it('till sales and top-ups are no shipments: their delivery is null', async () => {
    const buyer = await createMember(t);
    const recharge = await api(t, 'POST', '/v1/recharges', { token: buyer.token, body: { amount: 1_000 } });
    expect(recharge.status).toBe(201);
    const view = await api(t, 'GET', `/v1/orders/${recharge.body.orderNo}`, { token: admin });
    expect(view.body).toMatchObject({ orderType: 'recharge', delivery: null });
  });
});

describe('the yoshop dialect maps delivery 10 快递配送 and 20 上门自提', () => {
  it('20 places a pickup order without an address, free of shipping; order/detail shows delivery_type 20', async () => {
    const buyer = await yoshopBuyer(t);
    const product = await createProduct(t, admin, { price: PRICE, stock: 5 });
    const buyNow = { mode: 'buyNow', goodsId: product.id, goodsNum: 1, goodsSkuId: '0', couponId: 0, isUsePoints: 0 };
    const preview = await yoshop(t, 'GET', 'checkout/order', {
      token: buyer.token,
      query: { ...buyNow, delivery: 20 },
    });
    expect(preview.data.order).toMatchObject({ delivery: 20, expressPrice: '0.00', orderPayPrice: '20.00' });
    // the page offers express only (its template has no pickup tab); 20 is still taken when sent
    expect(preview.data.setting.deliveryType).toEqual([10]);

    const submitted = await yoshop(t, 'POST', 'checkout/submit', {
      token: buyer.token,
      body: { ...buyNow, delivery: 20, remark: '' },
    });
    expect(submitted.status).toBe(200);
    const detail = await yoshop(t, 'GET', 'order/detail', {
      token: buyer.token,
      query: { orderId: submitted.data.orderId },
    });
    expect(detail.data.order).toMatchObject({ delivery_type: 20, express_price: '0.00', pay_price: '20.00' });
    const row = await t.ctx.db
      .selectFrom('orders')
      .select(['delivery', 'receiver_name'])
      .where('id', '=', submitted.data.orderId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ delivery: 'pickup', receiver_name: '' });
  });

  it('10 ships to the default address; an unknown delivery is a toast, nothing placed', async () => {
    const buyer = await yoshopBuyer(t);
    const product = await createProduct(t, admin, { price: PRICE, stock: 5 });
    const buyNow = {
      mode: 'buyNow',
      goodsId: product.id,
      goodsNum: 1,
      goodsSkuId: '0',
      couponId: 0,
      isUsePoints: 0,
      remark: '',
    };
    const express = await yoshop(t, 'POST', 'checkout/submit', {
      token: buyer.token,
      body: { ...buyNow, delivery: 10 },
    });
    const detail = await yoshop(t, 'GET', 'order/detail', {
      token: buyer.token,
      query: { orderId: express.data.orderId },
    });
    expect(detail.data.order).toMatchObject({ delivery_type: 10, express_price: '10.00', address: { name: '张三' } });

    const unknown = await yoshop(t, 'POST', 'checkout/submit', {
      token: buyer.token,
      body: { ...buyNow, delivery: 30, remark: 'x' },
    });
    expect(unknown).toMatchObject({ status: 500, message: '很抱歉，不支持该配送方式' });
    expect(await stockOf(product.id)).toEqual({ stock: 4, reserved: 1 });
  });

  it('cart lines shipped to no address are refused as 请先选择收货地址, leaving the cart as it was; with one, exactly the named lines are ordered', async () => {
    const buyer = await yoshopBuyer(t);
    const [first, second] = [
      await createProduct(t, admin, { price: PRICE, stock: 5 }),
      await createProduct(t, admin, { price: PRICE, stock: 5 }),
    ];
    for (const product of [first!, second!]) {
      const added = await yoshop(t, 'POST', 'cart/add', {
        token: buyer.token,
        body: { goodsId: product.id, goodsSkuId: '0', goodsNum: 1 },
      });
      expect(added.status).toBe(200);
    }
    const cart = () =>
      t.ctx.db
        .selectFrom('cart_items')
        .select(['id', 'product_id', 'quantity', 'selected'])
        .where('member_id', '=', buyer.memberId)
        .orderBy('id')
        .execute();
    const before = await cart();
    const firstLine = before.find((l) => l.product_id === first!.id)!;
    const submit = {
      mode: 'cart',
      delivery: 10,
      couponId: 0,
      isUsePoints: 0,
      remark: '',
      cartIds: String(firstLine.id),
    };
    const addresses = await t.ctx.db
      .deleteFrom('addresses')
      .where('member_id', '=', buyer.memberId)
      .returningAll()
      .execute();

    const refused = await yoshop(t, 'POST', 'checkout/submit', { token: buyer.token, body: submit });
    expect(refused).toMatchObject({ status: 500, message: '请先选择收货地址' });
    expect(await cart()).toEqual(before);
    expect(await stockOf(first!.id)).toEqual({ stock: 5, reserved: 0 });

    await t.ctx.db.insertInto('addresses').values(addresses).execute();
    const placed = await yoshop(t, 'POST', 'checkout/submit', { token: buyer.token, body: submit });
    expect(placed.status).toBe(200);
    expect(await cart()).toEqual(before.filter((l) => l.id !== firstLine.id));
    expect(await stockOf(first!.id)).toEqual({ stock: 4, reserved: 1 });
    expect(await stockOf(second!.id)).toEqual({ stock: 5, reserved: 0 });
  });
});
