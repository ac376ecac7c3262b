import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { screenshotPath } from './support/browser.ts';
import { expectCountdown, markPage, pageMarker, startCashierHarness, type CashierHarness } from './cashier-harness.ts';

let h: CashierHarness;
beforeAll(async () => {
  h = await startCashierHarness();
});
afterAll(() => h?.close());

it('a newcomer buys in the demo shop, scans the WeChat QR in the sandbox page, and the cashier turns to paid by itself', async () => {
  const phone = await h.phone('zh-CN');
  const shop = await phone.newPage();
  const problems: string[] = [];
  shop.on('pageerror', (err) => problems.push(String(err)));

  // The shop: the sign-in form comes filled with the demo member.
  await shop.goto(`${h.base}/shop`);
  expect(await shop.inputValue('input[name="username"]')).toBe('demo');
  await shop.click('form.sign-in button.primary');
  const shirt = shop.locator('.product[data-product-id="10004"]');
  await shirt.locator('button.buy:not([disabled])').waitFor();
  expect(await shirt.locator('.price').innerText()).toContain('¥29.00');
  await shop.screenshot({ path: screenshotPath('shop-zh.png') });
  await shirt.locator('button.buy').click();

  // "Buy now" placed the order and opened its cashier; the token came in the fragment and left the address bar.
  await shop.waitForURL(/\/pay\/\d{16}$/);
  const cashier = shop;
  await cashier.locator('.cashier[data-state="pending"] .methods').waitFor();
  const orderNo = new URL(cashier.url()).pathname.split('/')[2]!;
  expect(new URL(cashier.url()).hash).toBe('');
  const token = await cashier.evaluate(() => sessionStorage.getItem('ordo.memberToken'));
  const order = await api(h.t, 'GET', `/v1/orders/${orderNo}`, { token: token! });
  expect(order.body).toMatchObject({
    status: 'pending_payment',
    payableAmount: 3900,
    goodsAmount: 2900,
    shippingFee: 1000,
  });
  expect(order.body.lines).toEqual([expect.objectContaining({ productId: 10004, quantity: 1 })]);

  await expect.poll(() => cashier.locator('.merchant-name').innerText()).toBe('乐购示范商城 ordo demo shop');
  expect(await cashier.locator('.store-name').innerText()).toBe('5号乐馆-深圳北站店');
  expect(await cashier.locator('.amount').innerText()).toBe('¥39.00');
  await expectCountdown(cashier, '剩余支付时间', order.body.expiresAt);
  // the PC methods of the demo store, default (WeChat) first
  expect(
    await cashier.locator('.methods li').evaluateAll((items) => items.map((li) => li.getAttribute('data-method'))),
  ).toEqual(['wechat', 'alipay', 'balance', 'voucher_alipay', 'voucher_wechat', 'voucher_bank']);
  await markPage(cashier);

  await cashier.getByRole('button', { name: '使用微信支付付款 ¥39.00' }).click();
  const content = await cashier.locator('.qr-content').textContent();
  expect(content).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  await expect
    .poll(() => cashier.locator('.qr img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
  expect(await cashier.getByText('请使用微信扫一扫').isVisible()).toBe(true);
  await cashier.locator('.topbar .live.on').waitFor();
  await cashier.screenshot({ path: screenshotPath('cashier-qr-zh.png'), fullPage: true });

  // The buyer "scans": the QR content pasted into the simulator's page, in a second tab.
  const sandbox = await phone.newPage();
  await sandbox.goto(`${h.base}/sandbox/`);
  await sandbox.fill('textarea[name="content"]', content!);
  // The page shows 「paid …」 only until it reloads itself 800 ms later, which a busy machine can outrun: the
  // simulator's answer to the page is what says the buyer paid.
  const [simulatorAnswer] = await Promise.all([
    sandbox.waitForResponse((response) => new URL(response.url()).pathname === '/sandbox/pay'),
    sandbox.click('#pay button'),
  ]);
  expect(simulatorAnswer.status()).toBe(200);
  expect(((await simulatorAnswer.json()) as { outTradeNo: string }).outTradeNo).toMatch(/^\S+$/);

  // The cashier hears it on its event stream: paid, without a reload.
  await cashier.locator('.cashier[data-state="paid"]').waitFor();
  expect(await pageMarker(cashier)).toBe('still the same page');
  expect(await cashier.locator('.outcome h2').innerText()).toBe('支付成功');
  expect(await cashier.locator('.outcome .amount-line').innerText()).toBe('已付 ¥39.00 · 微信支付');
  await cashier.screenshot({ path: screenshotPath('cashier-paid-zh.png'), fullPage: true });

  const paid = await api(h.t, 'GET', `/v1/orders/${orderNo}`, { token: token! });
  expect(paid.body).toMatchObject({ status: 'paid', paymentStatus: 'paid', paidAmount: 3900 });

  // Back in the shop (same tab, still signed in), the order is listed as paid.
  await cashier.getByRole('link', { name: '返回商城' }).click();
  await cashier.waitForURL(/\/shop$/);
  const row = cashier.locator('.order-row', { hasText: orderNo });
  await row.waitFor();
  expect(await row.innerText()).toContain('已付款');
  expect(problems).toEqual([]);
  await phone.close();
});

it('the shop orders the chosen options at their price, and lists an unpaid order with a way back to its cashier', async () => {
  const phone = await h.phone('en');
  const shop = await phone.newPage();
  await shop.goto(`${h.base}/shop`);
  await shop.click('form.sign-in button.primary');
  const guitar = shop.locator('.product', { hasText: 'YAMAHA' });
  await guitar.locator('button.buy:not([disabled])').waitFor();
  expect(await guitar.locator('.price').innerText()).toContain('¥839.00'); // 799 + 10 (style) + 30 (strings)
  await guitar.getByRole('button', { name: 'Buy now' }).click();
  await shop.waitForURL(/\/pay\/\d{16}$/);
  await shop.locator('.cashier[data-state="pending"]').waitFor();
  const orderNo = new URL(shop.url()).pathname.split('/')[2]!;
  const token = (await shop.evaluate(() => sessionStorage.getItem('ordo.memberToken')))!;
  const order = await api(h.t, 'GET', `/v1/orders/${orderNo}`, { token });
  expect(order.body).toMatchObject({ payableAmount: 83_900, shippingFee: 0 });
  expect(order.body.lines[0].options.map((o: { title: string; price: number }) => [o.title, o.price])).toEqual([
    ['普通款', 1000],
    ['加厚款', 3000],
  ]);
  expect(await shop.locator('.amount').innerText()).toBe('¥839.00');

  await shop.goto(`${h.base}/shop`);
  const row = shop.locator('.order-row', { hasText: orderNo });
  expect(await row.innerText()).toContain('Awaiting payment');
  await row.getByRole('link', { name: 'Pay' }).click();
  await shop.locator('.cashier[data-state="pending"] .methods').waitFor();
  expect(new URL(shop.url()).pathname).toBe(`/pay/${orderNo}`);
  await phone.close();
});
