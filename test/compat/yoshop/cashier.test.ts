import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, staffToken } from '../../support/actors.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { yoshop as yoshopShared, yoshopBuyer, type YoshopOptions } from '../../support/yoshop-client.ts';

/**
 * The cashier (pages/checkout/cashier/index.vue): cashier/orderInfo with the countdown fields, and cashier/orderPay
 * on H5 as core/payment/{alipay,wechat}.js use its answer — Alipay's `formHtml` is put into the page and its first
 * form submitted; WeChat's `mweb_url || h5_url` is opened. In sandbox mode both land on ordo's simulator pages.
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
const LOCAL_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
const SHOP_PAGE = 'http://shop.test/#/pages/checkout/cashier/index?orderId=1';

async function unpaidOrder(token: string, price = 1_000) {
  const product = await createProduct(t, admin, { price, stock: 50 });
  const submitted = await yoshop('POST', 'checkout/submit', {
    token,
    body: {
      mode: 'buyNow',
      goodsId: product.id,
      goodsNum: 1,
      goodsSkuId: '0',
      delivery: 10,
      couponId: 0,
      isUsePoints: 0,
      remark: '',
    },
  });
  expect(submitted.status).toBe(200);
  return submitted.data.orderId as number;
}

const tradeQuery = async (token: string, outTradeNo: string, method: string) =>
  (await yoshop('GET', 'cashier/tradeQuery', { token, query: { outTradeNo, method, client: 'H5' } })).data;

/** What a browser does with a form: posts its fields, form-encoded, to its action. */
function formOf(html: string) {
  const form = /<form[^>]*action="([^"]+)"[^>]*method="POST"/i.exec(html);
  expect(form).not.toBeNull();
  const fields = [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(([, k, v]) => [
    k!,
    v!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))),
  ]);
  return { action: new URL(form![1]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)))), fields };
}

describe('cashier/orderInfo', () => {
  it('an unpaid order shows the countdown to its deadline; a paid one does not', async () => {
    const b = await yoshopBuyer(t, 5_000);
    const orderId = await unpaidOrder(b.token);
    const info = await yoshop('GET', 'cashier/orderInfo', { token: b.token, query: { orderId, client: 'H5' } });
    expect(info.status).toBe(200);
    expect(info.data.order).toEqual({
      orderId,
      order_no: expect.any(String),
      pay_price: expect.stringMatching(/^\d+\.\d\d$/),
      pay_status: 10,
      order_status: 10,
      create_time: expect.stringMatching(LOCAL_TIME),
      showExpiration: true,
      expirationTime: expect.stringMatching(LOCAL_TIME),
    });
    expect(info.data.order.expirationTime > info.data.order.create_time).toBe(true);
    expect(info.data.personal.balance).toBe('50.00');
    const methods = info.data.paymentMethods as { method: string; is_default: boolean }[];
    expect(methods.map((m) => m.method)).toEqual(expect.arrayContaining(['wechat', 'alipay', 'balance']));
    for (const m of methods) expect(typeof m.is_default).toBe('boolean');

    const paid = await yoshop('POST', 'cashier/orderPay', {
      token: b.token,
      body: { orderId, method: 'balance', client: 'H5', extra: {} },
    });
    expect(paid).toMatchObject({ status: 200, data: { isPay: true } });
    const after = await yoshop('GET', 'cashier/orderInfo', { token: b.token, query: { orderId, client: 'H5' } });
    expect(after.data.order).toMatchObject({ pay_status: 20, showExpiration: false, expirationTime: '' });
  });
});

describe('cashier/orderPay on H5', () => {
  it('Alipay: formHtml posts the signed request to the sandbox cashier, whose pay button pays it and links back to the shop', async () => {
    const b = await yoshopBuyer(t);
    const orderId = await unpaidOrder(b.token, 2_300);
    const started = await yoshop('POST', 'cashier/orderPay', {
      token: b.token,
      body: { orderId, method: 'alipay', client: 'H5', extra: { returnUrl: SHOP_PAGE } },
    });
    expect(started).toMatchObject({
      status: 200,
      data: { isPay: false, payment: { out_trade_no: expect.any(String), formHtml: expect.stringContaining('<form') } },
    });
    const { out_trade_no: outTradeNo, formHtml } = started.data.payment as { out_trade_no: string; formHtml: string };
    const { action, fields } = formOf(formHtml);
    expect(action.href).toBe('http://ordo.test/sandbox/alipay/gateway.do');
    expect(Object.fromEntries(fields)).toMatchObject({ method: 'alipay.trade.wap.pay', return_url: SHOP_PAGE });

    // the browser submits it: the sandbox's Alipay cashier opens
    const cashier = await t.app.inject({
      method: 'POST',
      url: action.pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });
    expect(cashier.statusCode).toBe(200);
    const info = await yoshop('GET', 'cashier/orderInfo', { token: b.token, query: { orderId, client: 'H5' } });
    expect(cashier.body).toContain(`¥${info.data.order.pay_price}`);
    expect(await tradeQuery(b.token, outTradeNo, 'alipay')).toEqual({ isPay: false });
    const paid = await t.app.inject({
      method: 'POST',
      url: '/sandbox/alipay/pay',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ out_trade_no: outTradeNo }).toString(),
    });
    expect(paid.statusCode).toBe(200);
    expect(paid.body).toContain(`href="${SHOP_PAGE.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}"`);
    await t.sandbox.simulator.settle();
    expect(await tradeQuery(b.token, outTradeNo, 'alipay')).toEqual({ isPay: true });
  });

  it('WeChat: h5_url and mweb_url open the simulator page on ordo; paying there settles the order and goes back', async () => {
    const b = await yoshopBuyer(t);
    const orderId = await unpaidOrder(b.token, 1_250);
    const started = await yoshop('POST', 'cashier/orderPay', {
      token: b.token,
      body: { orderId, method: 'wechat', client: 'H5', extra: {} },
    });
    expect(started.data.isPay).toBe(false);
    const { h5_url: h5, mweb_url: mweb, out_trade_no: outTradeNo } = started.data.payment;
    expect(h5).toMatch(/^http:\/\/ordo\.test\/sandbox\/wechat-h5\?prepay_id=wx\w+&package=\d+$/);
    expect(mweb).toBe(h5);

    const page = await t.app.inject({ method: 'GET', url: new URL(h5).pathname + new URL(h5).search });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const before = await yoshop('GET', 'cashier/orderInfo', { token: b.token, query: { orderId, client: 'H5' } });
    expect(page.body).toContain(`¥${before.data.order.pay_price}`);
    expect(page.body).toContain('确认支付');
    // no redirect_url from the shop: the page goes back to where the buyer came from, as WeChat does
    expect(page.body).toContain('history.back()');
    const content = /data-content="([^"]+)"/.exec(page.body)![1]!;

    // the page's button
    const pay = await t.app.inject({ method: 'POST', url: '/sandbox/pay', payload: { content } });
    expect(pay.statusCode).toBe(200);
    await t.sandbox.simulator.settle();
    expect(await tradeQuery(b.token, outTradeNo, 'wechat')).toEqual({ isPay: true });
    const info = await yoshop('GET', 'cashier/orderInfo', { token: b.token, query: { orderId, client: 'H5' } });
    expect(info.data.order).toMatchObject({ pay_status: 20, showExpiration: false });
    const again = await t.app.inject({ method: 'GET', url: new URL(h5).pathname + new URL(h5).search });
    expect(again.body).toContain('该订单已支付');
    expect(again.body).not.toContain('data-content');
  });

  it('the WeChat page returns to the redirect_url a shop appends, never to a script URL; an unknown trade is 404', async () => {
    const b = await yoshopBuyer(t);
    const orderId = await unpaidOrder(b.token);
    const started = await yoshop('POST', 'cashier/orderPay', {
      token: b.token,
      body: { orderId, method: 'wechat', client: 'H5', extra: {} },
    });
    const h5 = new URL(started.data.payment.h5_url as string);
    const back = await t.app.inject({
      method: 'GET',
      url: `${h5.pathname}${h5.search}&redirect_url=${encodeURIComponent(SHOP_PAGE)}`,
    });
    expect(back.body).toContain(`location.replace(${JSON.stringify(SHOP_PAGE)})`);
    const script = await t.app.inject({
      method: 'GET',
      url: `${h5.pathname}${h5.search}&redirect_url=${encodeURIComponent('javascript:alert(1)')}`,
    });
    expect(script.body).not.toContain('javascript:alert');
    expect(script.body).toContain('history.back()');
    const unknown = await t.app.inject({ method: 'GET', url: '/sandbox/wechat-h5?prepay_id=wx000' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('订单不存在或已失效');
  });
});
