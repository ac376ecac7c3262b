import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createAddress, createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { buyerPays, startPayment } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

const yuan = (fen: number) => fen / 100;

/** The same order read through /v1 and all five dialects. */
async function readEverywhere(
  orderNo: string,
  orderId: number,
  memberToken: string,
  mallCookie: string,
  xxpayToken: string,
) {
  const [v1, mall, storefront, wholesale, yoshop, xxpay] = await Promise.all([
    api(t, 'GET', `/v1/orders/${orderNo}`, { token: admin }),
    api(t, 'GET', `/mall/orders/${orderNo}`, { headers: { cookie: mallCookie } }),
    api(t, 'GET', `/storefront/api/order/detail?order_id=${orderId}`, { headers: { token: memberToken } }),
    api(t, 'GET', `/wholesale/api/order/detail?orderId=${orderNo}`, { token: admin }),
    api(t, 'GET', `/yoshop/index.php?s=/api/order/detail&orderId=${orderId}`, {
      headers: { 'access-token': memberToken, platform: 'H5' },
    }),
    api(t, 'GET', `/xxpay/api/trade_order/get?tradeOrderId=${orderNo}`, { headers: { authorization: xxpayToken } }),
  ]);
  return {
    v1: v1.body,
    mall: mall.body.data,
    storefront: storefront.body.data,
    wholesale: wholesale.body.data,
    yoshop: yoshop.body.data.order,
    xxpay: xxpay.body.data,
  };
}

describe('one order, one story, in every API', () => {
  it('amounts, lines and status agree between /v1 and all five dialects as the order moves', async () => {
    const buyer = await createMember(t);
    await t.ctx.db
      .updateTable('members')
      .set({ username: `story${buyer.memberId}` })
      .where('id', '=', buyer.memberId)
      .execute();
    const login = await api(t, 'POST', '/v1/auth/login', {
      body: { username: `story${buyer.memberId}`, password: 'secret123' },
    });
    const mallLogin = await t.app.inject({
      method: 'POST',
      url: '/mall/user/login',
      payload: { username: `story${buyer.memberId}`, password: 'secret123' },
    });
    const cookie = String(mallLogin.headers['set-cookie']).split(';')[0]!;
    const token = login.body.token as string;
    const xxpayAuth = await t.app.inject({
      method: 'POST',
      url: '/xxpay/api/auth',
      payload: 'username=admin&password=admin123',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const xxpayToken = xxpayAuth.json().data.access_token as string;

    const a = await createProduct(t, admin, { price: 3_333, stock: 20 });
    const b = await createProduct(t, admin, { price: 1_234, stock: 20 });
    const code = `ONE${Date.now() % 1e6}`;
    await api(t, 'POST', '/v1/admin/coupons', {
      token: admin,
      body: { code, kind: 'fixed', amountOff: 777, minSpend: 0 },
    });
    const addressId = await createAddress(t, token);
    const placed = await placeOrder(t, token, {
      lines: [
        { productId: a.id, quantity: 2 },
        { productId: b.id, quantity: 3 },
      ],
      couponCode: code,
      addressId,
    });
    const { orderNo, id } = placed.body as { orderNo: string; id: number };

    const check = async (expected: {
      v1: string;
      mall: number;
      storefront: number;
      wholesale: number;
      yoshop: [number, number, number, number];
      xxpay: number;
    }) => {
      const r = await readEverywhere(orderNo, id, token, cookie, xxpayToken);
      expect(r.v1.status).toBe(expected.v1);
      expect([r.mall.status, r.storefront.status, r.wholesale.tradeStatus, r.xxpay.status]).toEqual([
        expected.mall,
        expected.storefront,
        expected.wholesale,
        expected.xxpay,
      ]);
      expect([r.yoshop.pay_status, r.yoshop.order_status, r.yoshop.delivery_status, r.yoshop.receipt_status]).toEqual(
        expected.yoshop,
      );
      expect(r.yoshop.pay_price).toBe((r.v1.payableAmount / 100).toFixed(2)); // YoShop money is yuan strings
      expect(r.xxpay.amount).toBe(r.v1.payableAmount); // XxPay money is fen
      // money: fen in /v1, yuan in the dialects — the same amounts
      expect(yuan(r.v1.payableAmount)).toBe(r.mall.payment);
      expect(yuan(r.v1.payableAmount)).toBe(r.storefront.pay_order_amount);
      expect(yuan(r.v1.payableAmount)).toBe(r.wholesale.payment);
      expect(yuan(r.v1.goodsAmount)).toBe(r.wholesale.totalAmount);
      expect(yuan(r.v1.discountAmount)).toBe(r.wholesale.totalDiscount);
      expect(yuan(r.v1.shippingFee)).toBe(r.mall.postage);
      expect(yuan(r.v1.shippingFee)).toBe(r.wholesale.postFee);
      // lines: same products, quantities and order
      expect(r.v1.lines.map((l: any) => [l.title, l.quantity])).toEqual(
        r.mall.orderItemVoList.map((l: any) => [l.productName, l.quantity]),
      );
      expect(r.v1.lines.map((l: any) => [l.title, l.quantity])).toEqual(
        r.wholesale.orderDetails.map((l: any) => [l.title, l.number]),
      );
      expect(r.v1.lines.map((l: any) => l.quantity)).toEqual(
        r.storefront.goods_json.product_list.map((l: any) => l.number),
      );
      expect(r.v1.lines.map((l: any) => yuan(l.discountAmount))).toEqual(
        r.wholesale.orderDetails.map((l: any) => l.totalDiscount),
      );
      // the receiver
      expect(r.mall.shippingVo.receiverName).toBe(r.v1.address.receiverName);
      expect(r.wholesale.receiver).toBe(r.v1.address.receiverName);
      expect(r.storefront.username).toBe(r.v1.address.receiverName);
      return r;
    };

    await check({ v1: 'pending_payment', mall: 10, storefront: 0, wholesale: 2, yoshop: [10, 10, 10, 10], xxpay: 0 });
    const started = await startPayment(t, token, orderNo, { method: 'wechat', channel: 'native', client: 'PC' });
    await buyerPays(t, started.body.action.content);
    const paid = await check({ v1: 'paid', mall: 20, storefront: 1, wholesale: 4, yoshop: [20, 10, 10, 10], xxpay: 2 });
    expect(paid.storefront.pay_method).toBe('WeChat');
    await api(t, 'POST', `/v1/admin/orders/${orderNo}/shipments`, {
      token: admin,
      body: { carrier: 'SF', trackingNumbers: ['SF55555'] },
    });
    const shipped = await check({
      v1: 'shipped',
      mall: 40,
      storefront: 2,
      wholesale: 6,
      yoshop: [20, 10, 20, 10],
      xxpay: 2,
    });
    expect(shipped.wholesale.logisticsNumbers).toContain('SF55555');
    await api(t, 'POST', `/v1/orders/${orderNo}/receipt`, { token });
    await check({ v1: 'received', mall: 50, storefront: 3, wholesale: 6, yoshop: [20, 30, 20, 20], xxpay: 2 });
  });
});
