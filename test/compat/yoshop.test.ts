import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createProduct, staffToken } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { yoshop as yoshopShared, yoshopBuyer, type YoshopOptions } from '../support/yoshop-client.ts';

/**
 * The YoShop uniapp's flow (seed 002) over `/yoshop/index.php?s=/api/…` with the Access-Token header: login, cart,
 * address, checkout, the cashier (balance, WeChat H5 with an active trade query), order detail, cancel, receipt,
 * refunds; and bad input answered in the yoshop envelope, never an HTTP error.
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
const buyer = (balanceFen = 0) => yoshopBuyer(t, balanceFen, '139');

async function unpaidOrder(token: string, price = 1_000) {
  const product = await createProduct(t, admin, { price, stock: 50 });
  expect(
    (await yoshop('POST', 'cart/add', { token, body: { goodsId: product.id, goodsSkuId: '0', goodsNum: 2 } })).status,
  ).toBe(200);
  const cart = await yoshop('GET', 'cart/list', { token });
  const line = cart.data.list.find((l: { goods_id: number }) => l.goods_id === product.id);
  const preview = await yoshop('GET', 'checkout/order', {
    token,
    query: { mode: 'cart', cartIds: line.id, delivery: 10, couponId: 0, isUsePoints: 0 },
  });
  expect(preview.status).toBe(200);
  expect(preview.data.order.goodsList[0]).toMatchObject({
    goods_id: product.id,
    total_num: 2,
    goods_price: (price / 100).toFixed(2),
  });
  const submitted = await yoshop('POST', 'checkout/submit', {
    token,
    body: { mode: 'cart', delivery: 10, couponId: 0, isUsePoints: 0, remark: '', cartIds: String(line.id) },
  });
  expect(submitted.status).toBe(200);
  return submitted.data.orderId as number;
}

describe('the YoShop uniapp flow', () => {
  it('login → cart → checkout → cashier → balance; WeChat H5 → the buyer pays → tradeQuery; detail, cancel, receipt, refund', async () => {
    const b = await buyer(1_000_000);

    // boot calls work without login
    const store = await yoshop('GET', 'store/data');
    expect(store).toMatchObject({
      status: 200,
      data: {
        storeInfo: { store_name: expect.any(String) },
        setting: { app_theme: expect.any(Object) },
        clientData: { h5: { setting: { baseUrl: expect.any(String) } } },
      },
    });
    expect((await yoshop('GET', 'setting/data')).status).toBe(200);

    // order 1: balance
    const first = await unpaidOrder(b.token);
    const info = await yoshop('GET', 'cashier/orderInfo', { token: b.token, query: { orderId: first, client: 'H5' } });
    expect(info.data.order).toMatchObject({ orderId: first, pay_status: 10, order_status: 10 });
    expect(info.data.personal.balance).toBe('10000.00');
    const paid = await yoshop('POST', 'cashier/orderPay', {
      token: b.token,
      body: { orderId: first, method: 'balance', client: 'H5', extra: {} },
    });
    expect(paid).toMatchObject({ status: 200, data: { isPay: true } });
    const afterBalance = await yoshop('GET', 'cashier/orderInfo', {
      token: b.token,
      query: { orderId: first, client: 'H5' },
    });
    expect(afterBalance.data.order.pay_status).toBe(20);
    expect(Number(afterBalance.data.personal.balance)).toBeLessThan(10_000);

    // order 2: WeChat H5; the simulator is paid, the notification held back is found by the active query
    const second = await unpaidOrder(b.token);
    const wechat = await yoshop('POST', 'cashier/orderPay', {
      token: b.token,
      body: { orderId: second, method: 'wechat', client: 'H5', extra: {} },
    });
    expect(wechat).toMatchObject({
      status: 200,
      data: {
        isPay: false,
        payment: { h5_url: expect.any(String), mweb_url: expect.any(String), out_trade_no: expect.any(String) },
      },
    });
    const outTradeNo = wechat.data.payment.out_trade_no as string;
    expect(
      (
        await yoshop('GET', 'cashier/tradeQuery', {
          token: b.token,
          query: { outTradeNo, method: 'wechat', client: 'H5' },
        })
      ).data,
    ).toEqual({ isPay: false });
    const pay = await api(t, 'POST', '/sandbox/pay', { body: { content: wechat.data.payment.h5_url } });
    expect(pay.status).toBeLessThan(300);
    await t.sandbox.simulator.settle();
    expect(
      (
        await yoshop('GET', 'cashier/tradeQuery', {
          token: b.token,
          query: { outTradeNo, method: 'wechat', client: 'H5' },
        })
      ).data,
    ).toEqual({ isPay: true });
    const detail = await yoshop('GET', 'order/detail', { token: b.token, query: { orderId: second } });
    expect(detail.data.order).toMatchObject({
      order_id: second,
      pay_status: 20,
      delivery_status: 10,
      receipt_status: 10,
      order_status: 10,
      state_text: '待发货',
      pay_price: expect.stringMatching(/^\d+\.\d\d$/),
    });

    // order 3: cancelled unpaid
    const third = await unpaidOrder(b.token);
    expect((await yoshop('POST', 'order/cancel', { token: b.token, body: { orderId: third } })).status).toBe(200);
    expect(
      (await yoshop('GET', 'order/detail', { token: b.token, query: { orderId: third } })).data.order,
    ).toMatchObject({ order_status: 20, pay_status: 10, state_text: '已取消' });

    // order 2 shipped by staff, then received by the buyer
    const orderNo = detail.data.order.order_no as string;
    const shipped = await api(t, 'POST', `/v1/admin/orders/${orderNo}/shipments`, {
      token: admin,
      body: { carrier: 'SF', trackingNumbers: ['SF10001'] },
    });
    expect(shipped.status).toBeLessThan(300);
    expect(
      (await yoshop('GET', 'order/detail', { token: b.token, query: { orderId: second } })).data.order,
    ).toMatchObject({ delivery_status: 20, receipt_status: 10, state_text: '待收货' });
    expect((await yoshop('POST', 'order/receipt', { token: b.token, body: { orderId: second } })).status).toBe(200);
    expect(
      (await yoshop('GET', 'order/detail', { token: b.token, query: { orderId: second } })).data.order,
    ).toMatchObject({ receipt_status: 20, order_status: 30, state_text: '待评价' });

    // the list with ThinkPHP's paginator, filtered by dataType
    const all = await yoshop('GET', 'order/list', { token: b.token, query: { dataType: 'all', page: 1 } });
    expect(all.data.list).toMatchObject({ total: 3, per_page: expect.any(Number), current_page: 1, last_page: 1 });
    expect(all.data.list.data).toHaveLength(3);
    const delivery = await yoshop('GET', 'order/list', { token: b.token, query: { dataType: 'delivery', page: 1 } });
    expect(delivery.data.list.data.map((o: { order_id: number }) => o.order_id)).toEqual([first]);

    // a refund on the paid balance order
    const goodsId = (await yoshop('GET', 'order/detail', { token: b.token, query: { orderId: first } })).data.order
      .goods[0].order_goods_id;
    const applied = await yoshop('POST', 'refund/apply', {
      token: b.token,
      body: { orderGoodsId: goodsId, form: { type: 10, content: '不想要了', images: [] } },
    });
    expect(applied.status).toBe(200);
    const refunds = await yoshop('GET', 'refund/list', { token: b.token, query: { page: 1 } });
    expect(refunds.data.list.data).toHaveLength(1);
    expect(refunds.data.list.data[0]).toMatchObject({ type: 10, audit_status: 0, status: 0 });
  });

  it('bad input answers status 500 with a message; another member’s order is not found', async () => {
    const b = await buyer();
    const other = await buyer();
    const theirs = await unpaidOrder(other.token);
    const cases = [
      await yoshop('GET', 'nope', { token: b.token }),
      await yoshop('GET', 'order/detail', { token: b.token }),
      await yoshop('GET', 'order/detail', { token: b.token, query: { orderId: 'abc' } }),
      await yoshop('GET', 'order/detail', { token: b.token, query: { orderId: theirs } }),
      await yoshop('GET', 'cashier/orderInfo', { token: b.token, query: { orderId: theirs, client: 'H5' } }),
      await yoshop('POST', 'cart/add', { token: b.token, body: { goodsId: 'x', goodsNum: [1] } }),
      await yoshop('POST', 'order/cancel', { token: b.token, raw: '{not json' }),
      await yoshop('POST', 'cashier/orderPay', {
        token: b.token,
        body: { orderId: theirs, method: 'bitcoin', client: 'H5' },
      }),
      await yoshop('POST', 'passport/login', { body: { form: { mobile: b.mobile, password: 'wrong' } } }),
    ];
    for (const reply of cases) expect(reply).toMatchObject({ status: 500, message: expect.any(String) });
    expect(await yoshop('GET', 'order/list', { token: 'false' })).toMatchObject({ status: 401 });
    expect(await yoshop('GET', 'order/list', { token: 'not-a-token' })).toMatchObject({ status: 401 });
  });

  it('sandbox SMS login with 123456', async () => {
    const b = await buyer();
    const login = await yoshop('POST', 'passport/login', {
      body: { form: { mobile: b.mobile, smsCode: '123456', isParty: false, partyData: {} } },
    });
    expect(login).toMatchObject({ status: 200, data: { userId: b.memberId, token: expect.any(String) } });
    expect(
      (await yoshop('POST', 'passport/login', { body: { form: { mobile: b.mobile, smsCode: '000000' } } })).status,
    ).toBe(500);
  });
});
