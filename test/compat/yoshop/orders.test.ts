import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, staffToken } from '../../support/actors.ts';
import { ship } from '../../support/after-sales.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { yoshop as yoshopShared, yoshopBuyer, type YoshopOptions } from '../../support/yoshop-client.ts';

/**
 * The order pages as the client calls them: order/list (pages/order/index.vue), order/detail (detail.vue: the
 * address block needs order_type 10, the parcel block reads delivery[]), order/express (express/index.vue: a tab
 * per parcel from the `express` array).
 */

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

const yoshop = (method: 'GET' | 'POST', route: string, options?: YoshopOptions) =>
  yoshopShared(t, method, route, options);

/** Two goods (2 × ¥8, 1 × ¥15) ordered from the cart and paid from the balance. */
async function paidTwoLineOrder(token: string) {
  const a = await createProduct(t, admin, { price: 800, stock: 20 });
  const c = await createProduct(t, admin, { price: 1_500, stock: 20 });
  await yoshop('POST', 'cart/add', { token, body: { goodsId: a.id, goodsSkuId: '0', goodsNum: 2 } });
  await yoshop('POST', 'cart/add', { token, body: { goodsId: c.id, goodsSkuId: '0', goodsNum: 1 } });
  const cart = await yoshop('GET', 'cart/list', { token });
  const cartIds = (cart.data.list as { id: number; goods_id: number }[])
    .filter((l) => l.goods_id === a.id || l.goods_id === c.id)
    .map((l) => l.id);
  const submitted = await yoshop('POST', 'checkout/submit', {
    token,
    body: { mode: 'cart', cartIds: cartIds.join(','), delivery: 10, couponId: 0, isUsePoints: 0, remark: '' },
  });
  expect(submitted.status).toBe(200);
  const orderId = submitted.data.orderId as number;
  const paid = await yoshop('POST', 'cashier/orderPay', {
    token,
    body: { orderId, method: 'balance', client: 'H5', extra: {} },
  });
  expect(paid.data.isPay).toBe(true);
  return orderId;
}

describe('the order pages', () => {
  it('order/list: the paginator, each order with total_num and the goods the card shows', async () => {
    const b = await yoshopBuyer(t, 100_000);
    const orderId = await paidTwoLineOrder(b.token);
    const list = await yoshop('GET', 'order/list', { token: b.token, query: { dataType: 'all', page: 1 } });
    expect(list.data.list).toMatchObject({ total: 1, current_page: 1, last_page: 1, per_page: 15 });
    const item = list.data.list.data[0];
    expect(item).toMatchObject({
      order_id: orderId,
      order_no: expect.any(String),
      total_num: 3,
      pay_price: expect.stringMatching(/^\d+\.\d\d$/),
      pay_status: 20,
      order_status: 10,
      delivery_status: 10,
      receipt_status: 10,
      is_comment: 0,
      state_text: '待发货',
      create_time: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    });
    expect(item.goods).toHaveLength(2);
    for (const g of item.goods)
      expect(g).toMatchObject({
        goods_name: expect.any(String),
        goods_image: expect.any(String),
        goods_price: expect.stringMatching(/^\d+\.\d\d$/),
        goods_props: [],
        total_num: expect.any(Number),
      });
    expect(item.goods.map((g: { total_num: number }) => g.total_num).sort()).toEqual([1, 2]);
  });

  it('order/detail: order_type 10 with the address; parcels in delivery[] and order/express once staff ship, one tab each', async () => {
    const b = await yoshopBuyer(t, 100_000);
    const orderId = await paidTwoLineOrder(b.token);
    const before = await yoshop('GET', 'order/detail', { token: b.token, query: { orderId } });
    expect(before.data.order).toMatchObject({
      order_type: 10,
      delivery_type: 10,
      delivery_status: 10,
      delivery: [],
      total_price: '31.00',
      address: {
        name: '张三',
        phone: '13800001111',
        detail: '回龙观 1 号',
        region: { province: '北京市', city: '北京市', region: '昌平区' },
      },
      isAllowRefund: true,
    });
    expect(before.data.setting).toEqual({ points_name: '积分' });
    expect((await yoshop('GET', 'order/express', { token: b.token, query: { orderId } })).data).toEqual({
      express: [],
    });

    const { order_no: orderNo, goods } = before.data.order as {
      order_no: string;
      goods: { order_goods_id: number; total_num: number }[];
    };
    for (const [i, g] of goods.entries()) {
      const shipped = await ship(t, admin, orderNo, [{ lineId: g.order_goods_id, quantity: g.total_num }]);
      expect(shipped.status, JSON.stringify(shipped.body)).toBeLessThan(300);
      if (i === 0) {
        const one = await yoshop('GET', 'order/detail', { token: b.token, query: { orderId } });
        expect(one.data.order.delivery).toEqual([
          {
            delivery_id: expect.any(Number),
            delivery_method: 10,
            express: { express_name: '顺丰速运' },
            express_no: 'SF1234567890',
            create_time: expect.any(String),
            goods: [
              {
                order_goods_id: g.order_goods_id,
                delivery_num: g.total_num,
                goods: { goods_name: expect.any(String), goods_image: expect.any(String) },
              },
            ],
            traces: [],
          },
        ]);
      }
    }
    const after = await yoshop('GET', 'order/detail', { token: b.token, query: { orderId } });
    expect(after.data.order).toMatchObject({ delivery_status: 20, state_text: '待收货' });
    expect(after.data.order.delivery).toHaveLength(2);
    const express = await yoshop('GET', 'order/express', { token: b.token, query: { orderId } });
    expect(express.data.express).toHaveLength(2);
    expect(
      express.data.express.map((p: { goods: { delivery_num: number }[] }) => p.goods[0]!.delivery_num).sort(),
    ).toEqual([1, 2]);
    expect(express.data.express[0]).toMatchObject({ delivery_method: 10, express_no: 'SF1234567890', traces: [] });
  });

  it('another member’s order is not found, in the envelope', async () => {
    const b = await yoshopBuyer(t, 100_000);
    const orderId = await paidTwoLineOrder(b.token);
    const other = await yoshopBuyer(t);
    for (const route of ['order/detail', 'order/express'])
      expect(await yoshop('GET', route, { token: other.token, query: { orderId } })).toEqual({
        status: 500,
        message: '很抱歉，订单不存在',
        data: [],
      });
  });
});
