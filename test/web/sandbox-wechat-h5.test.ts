import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProduct, staffToken } from '../support/actors.ts';
import { yoshop, yoshopBuyer } from '../support/yoshop-client.ts';
import { startCashierHarness, type CashierHarness } from './cashier-harness.ts';

/**
 * The sandbox's WeChat H5 payment page in a real phone browser, opened the way the YoShop client opens a cashier
 * answer's mweb_url: 确认支付 pays the trade and the page goes to the shop's redirect_url.
 */

let h: CashierHarness;
let admin: string;
beforeAll(async () => {
  h = await startCashierHarness();
  admin = await staffToken(h.t);
});
afterAll(() => h?.close());

it('确认支付 on the simulator page pays the order and returns to the shop', async () => {
  const b = await yoshopBuyer(h.t);
  const product = await createProduct(h.t, admin, { price: 990, stock: 5 });
  const submitted = await yoshop(h.t, 'POST', 'checkout/submit', {
    token: b.token,
    body: {
      mode: 'buyNow',
      goodsId: product.id,
      goodsNum: 1,
      goodsSkuId: '0',
      delivery: 10,
      couponId: 0,
      isUsePoints: 0,
    },
  });
  const orderId = submitted.data.orderId as number;
  const started = await yoshop(h.t, 'POST', 'cashier/orderPay', {
    token: b.token,
    body: { orderId, method: 'wechat', client: 'H5', extra: {} },
  });
  // the test app's public URL is not this socket: open the same path here, with the shop's return address
  const mweb = new URL(started.data.payment.mweb_url as string);
  const shop = `${h.base}/sandbox/`;
  const phone = await h.phone('zh-CN');
  const page = await phone.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(String(err)));
  await page.goto(`${h.base}${mweb.pathname}${mweb.search}&redirect_url=${encodeURIComponent(shop)}`);
  await page.getByRole('button', { name: '确认支付' }).click();
  await page.waitForURL(shop, { timeout: 60_000 });
  expect(problems).toEqual([]);
  await h.t.sandbox.simulator.settle();
  const paid = await yoshop(h.t, 'GET', 'cashier/tradeQuery', {
    token: b.token,
    query: { outTradeNo: started.data.payment.out_trade_no, method: 'wechat', client: 'H5' },
  });
  expect(paid.data).toEqual({ isPay: true });
  await phone.close();
});
