import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../support/api.ts';
import { createProduct, staffToken } from '../../support/actors.ts';
import { ship } from '../../support/after-sales.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { yoshop as yoshopShared, yoshopBuyer, type YoshopOptions } from '../../support/yoshop-client.ts';

/**
 * A shopper's way through the YoShop uniapp, every step as the pages call it: the goods page → 立即购买 → the
 * checkout page → submit → the cashier with its countdown → paid three ways (WeChat H5 on the simulator's page,
 * Alipay H5 through formHtml, the balance) → the order detail with the address → 确认收货 → 申请售后 → staff approve
 * → the refund detail says 已退款 and the money is back to the fen.
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
const fen = (yuan: string) => Math.round(Number(yuan) * 100);
const decode = (s: string) => s.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));

/** Polls until `check` holds (the simulator's notifications arrive on their own), for at most a generous minute. */
async function until(check: () => Promise<boolean>) {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await t.sandbox.simulator.settle();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('the YoShop shopper journey', () => {
  it('goods → buy now → checkout → cashier → WeChat H5, Alipay H5, balance → detail → receipt → refund 已退款', async () => {
    const b = await yoshopBuyer(t, 100_000);
    const product = await createProduct(t, admin, { price: 3_990, stock: 10 });

    // the goods page, then 立即购买 with the single spec
    const goods = await yoshop('GET', 'goods/detail', { token: b.token, query: { goodsId: product.id } });
    expect(goods.data.detail).toMatchObject({ goods_id: product.id, goods_price_min: '39.90' });
    const buyNow = {
      mode: 'buyNow',
      goodsId: product.id,
      goodsNum: 1,
      goodsSkuId: String(goods.data.detail.skuList[0].goods_sku_id),
    };

    /**
     * The checkout page's first load, its submit, and the cashier it redirects to. Each order has its own remark:
     * the dialect takes the same buy-now submitted twice within a minute as one order (a doubled tap).
     */
    async function orderAtCashier(remark: string) {
      const page = await yoshop('GET', 'checkout/order', {
        token: b.token,
        query: { delivery: 0, couponId: 0, isUsePoints: 0, ...buyNow },
      });
      expect(page.data.order).toMatchObject({ orderType: 10, delivery: 10, existAddress: true, hasError: false });
      expect(page.data.order.goodsList[0]).toMatchObject({ goods_id: product.id, total_num: 1, goods_price: '39.90' });
      const submitted = await yoshop('POST', 'checkout/submit', {
        token: b.token,
        body: { delivery: page.data.order.delivery, couponId: 0, isUsePoints: 0, remark, ...buyNow },
      });
      expect(submitted.status).toBe(200);
      const orderId = submitted.data.orderId as number;
      const cashier = await yoshop('GET', 'cashier/orderInfo', { token: b.token, query: { orderId, client: 'H5' } });
      expect(cashier.data.order).toMatchObject({
        pay_status: 10,
        showExpiration: true,
        pay_price: page.data.order.orderPayPrice,
      });
      expect(cashier.data.order.expirationTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      return { orderId, payable: fen(cashier.data.order.pay_price) };
    }
    const paidNow = async (orderId: number) =>
      (await yoshop('GET', 'cashier/orderInfo', { token: b.token, query: { orderId, client: 'H5' } })).data.order
        .pay_status === 20;

    // 1. WeChat H5: the browser opens mweb_url, the simulator's page on ordo; its button pays
    const byWechat = await orderAtCashier('微信支付');
    const wechat = await yoshop('POST', 'cashier/orderPay', {
      token: b.token,
      body: { orderId: byWechat.orderId, method: 'wechat', client: 'H5', extra: {} },
    });
    const mweb = new URL(wechat.data.payment.mweb_url as string);
    const wechatPage = await t.app.inject({ method: 'GET', url: mweb.pathname + mweb.search });
    expect(wechatPage.statusCode).toBe(200);
    expect(wechatPage.body).toContain(`¥${(byWechat.payable / 100).toFixed(2)}`);
    const content = decode(/data-content="([^"]+)"/.exec(wechatPage.body)![1]!);
    expect((await t.app.inject({ method: 'POST', url: '/sandbox/pay', payload: { content } })).statusCode).toBe(200);
    await until(() => paidNow(byWechat.orderId));

    // 2. Alipay H5: formHtml goes into the page and is submitted; the sandbox cashier's button pays
    const byAlipay = await orderAtCashier('支付宝');
    const alipay = await yoshop('POST', 'cashier/orderPay', {
      token: b.token,
      body: { orderId: byAlipay.orderId, method: 'alipay', client: 'H5', extra: { returnUrl: 'http://shop.test/#/x' } },
    });
    const formHtml = alipay.data.payment.formHtml as string;
    const action = new URL(decode(/action="([^"]+)"/.exec(formHtml)![1]!));
    const fields = [...formHtml.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(
      ([, k, v]) => [decode(k!), decode(v!)] as [string, string],
    );
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const alipayCashier = await t.app.inject({
      method: 'POST',
      url: action.pathname,
      headers: form,
      payload: new URLSearchParams(fields).toString(),
    });
    expect(alipayCashier.statusCode).toBe(200);
    const outTradeNo = alipay.data.payment.out_trade_no as string;
    const alipayPaid = await t.app.inject({
      method: 'POST',
      url: '/sandbox/alipay/pay',
      headers: form,
      payload: new URLSearchParams({ out_trade_no: outTradeNo }).toString(),
    });
    expect(alipayPaid.statusCode).toBe(200);
    await until(() => paidNow(byAlipay.orderId));

    // 3. the balance
    const byBalance = await orderAtCashier('余额支付');
    const balancePaid = await yoshop('POST', 'cashier/orderPay', {
      token: b.token,
      body: { orderId: byBalance.orderId, method: 'balance', client: 'H5', extra: {} },
    });
    expect(balancePaid.data.isPay).toBe(true);
    const afterPaying = await yoshop('GET', 'cashier/orderInfo', {
      token: b.token,
      query: { orderId: byBalance.orderId, client: 'H5' },
    });
    expect(fen(afterPaying.data.personal.balance)).toBe(100_000 - byBalance.payable);

    // the WeChat order: shipped, shown with its address and parcel, received
    const detail = await yoshop('GET', 'order/detail', { token: b.token, query: { orderId: byWechat.orderId } });
    expect(detail.data.order).toMatchObject({
      order_type: 10,
      delivery_type: 10,
      pay_status: 20,
      address: { name: '张三', phone: '13800001111', detail: '回龙观 1 号', region: { region: '昌平区' } },
    });
    expect((await ship(t, admin, detail.data.order.order_no)).status).toBeLessThan(300);
    const shipped = await yoshop('GET', 'order/detail', { token: b.token, query: { orderId: byWechat.orderId } });
    expect(shipped.data.order).toMatchObject({ delivery_status: 20, state_text: '待收货' });
    expect(shipped.data.order.delivery[0]).toMatchObject({ express: { express_name: '顺丰速运' } });
    expect(
      (await yoshop('POST', 'order/receipt', { token: b.token, body: { orderId: byWechat.orderId } })).status,
    ).toBe(200);

    // 申请售后 → staff approve → the money goes back through WeChat → 已退款
    const orderGoodsId = shipped.data.order.goods[0].order_goods_id as number;
    const applied = await yoshop('POST', 'refund/apply', {
      token: b.token,
      body: { orderGoodsId, form: { type: 10, content: '颜色不喜欢', images: [] } },
    });
    expect(applied.status).toBe(200);
    const list = await yoshop('GET', 'refund/list', { token: b.token, query: { state: 0, page: 1 } });
    const orderRefundId = list.data.list.data[0].order_refund_id as string;
    expect(list.data.list.data[0]).toMatchObject({ state_text: '等待审核中' });
    const approved = await api(t, 'POST', `/v1/admin/refunds/${orderRefundId}/approve`, { token: admin, body: {} });
    expect(approved.status).toBe(200);
    const refundDetail = async () =>
      (await yoshop('GET', 'refund/detail', { token: b.token, query: { orderRefundId } })).data.detail;
    await until(async () => (await refundDetail()).status === 20);
    const done = await refundDetail();
    expect(done).toMatchObject({ state_text: '已退款', audit_status: 10, type: 10 });
    expect(fen(done.refund_money)).toBe(fen(shipped.data.order.goods[0].total_pay_price));
    expect(done.orderGoods).toMatchObject({ order_goods_id: orderGoodsId, goods_id: product.id });
  });
});
