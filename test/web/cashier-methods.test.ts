import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { closeExpiredOrders } from '../../src/flows/expire-orders.ts';
import { api } from '../support/api.ts';
import { createMember, staffToken } from '../support/actors.ts';
import { buyerPays, PNG_1X1, unpaidOrder } from '../support/payments.ts';
import { screenshotPath } from './support/browser.ts';
import {
  expectCountdown,
  markPage,
  openCashier,
  pageMarker,
  startCashierHarness,
  type CashierHarness,
} from './cashier-harness.ts';

let h: CashierHarness;
let admin: string;
beforeAll(async () => {
  h = await startCashierHarness();
  admin = await staffToken(h.t);
});
afterAll(() => h?.close());

const paymentsOf = async (orderNo: string, token: string) =>
  (await api(h.t, 'GET', `/v1/orders/${orderNo}/payments`, { token })).body as {
    method: string;
    status: string;
    outTradeNo: string;
  }[];

it('in English: WeChat first, then pays again with Alipay; the WeChat attempt is closed and the Alipay QR pays the order', async () => {
  const buyer = await createMember(h.t);
  const { orderNo } = await unpaidOrder(h.t, admin, buyer.token, 12_345);
  const phone = await h.phone('en');
  const page = await openCashier(h, phone, orderNo, buyer.token);
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  expect(await page.locator('.topbar .title').innerText()).toBe('Checkout');
  expect(await page.locator('.order .label').innerText()).toBe('Amount due');
  expect(await page.locator('.amount').innerText()).toBe('¥123.45');
  const placed = await api(h.t, 'GET', `/v1/orders/${orderNo}`, { token: buyer.token });
  await expectCountdown(page, 'Pay within', placed.body.expiresAt);
  await markPage(page);

  await page.getByRole('button', { name: 'Pay ¥123.45 with WeChat Pay' }).click();
  expect(await page.locator('.qr-content').textContent()).toMatch(/^weixin:\/\//);
  expect(await page.getByText('Scan with WeChat').isVisible()).toBe(true);

  await page.locator('li[data-method="alipay"] button.method').click();
  await page.getByRole('button', { name: 'Pay ¥123.45 with Alipay' }).click();
  await page.getByText('Scan with Alipay').waitFor();
  const alipayContent = await page.locator('li[data-method="alipay"] .qr-content').textContent();
  expect(alipayContent).toMatch(/^https:\/\/qr\.alipay\.com\//);
  expect((await paymentsOf(orderNo, buyer.token)).map((p) => [p.method, p.status])).toEqual([
    ['wechat', 'closed'],
    ['alipay', 'processing'],
  ]);

  expect((await buyerPays(h.t, alipayContent!)).status).toBe(200);
  await page.locator('.cashier[data-state="paid"]').waitFor();
  expect(await page.locator('.outcome h2').innerText()).toBe('Payment successful');
  expect(await page.locator('.outcome .amount-line').innerText()).toBe('Paid ¥123.45 · Alipay');
  expect(await page.locator('.order .label').innerText()).toBe('Order total');
  expect(await pageMarker(page)).toBe('still the same page');
  await phone.close();
});

it('shows the new amount by itself when staff change the price of the order waiting to be paid', async () => {
  const buyer = await createMember(h.t);
  const { orderNo } = await unpaidOrder(h.t, admin, buyer.token, 12_345);
  const phone = await h.phone('zh-CN');
  const page = await openCashier(h, phone, orderNo, buyer.token);
  expect(await page.locator('.amount').innerText()).toBe('¥123.45');
  await markPage(page);
  const changed = await api(h.t, 'POST', `/v1/admin/orders/${orderNo}/price`, {
    token: admin,
    body: { payableAmount: 10_000, reason: '老客户优惠' },
  });
  expect(changed.status).toBe(200);
  await page.locator('.amount', { hasText: '¥100.00' }).waitFor();
  expect(await pageMarker(page)).toBe('still the same page');
  await phone.close();
});

it('with ?client=H5 offers the phone-browser methods: WeChat opens as a link into the app, and paying it turns the page to paid', async () => {
  const buyer = await createMember(h.t);
  const { orderNo } = await unpaidOrder(h.t, admin, buyer.token, 9_900);
  const phone = await h.phone('en');
  const page = await phone.newPage();
  await page.goto(`${h.base}/pay/${orderNo}?client=H5#token=${buyer.token}`);
  await page.locator('.cashier[data-state="pending"] .methods').waitFor();
  expect(
    await page.locator('.methods li').evaluateAll((items) => items.map((li) => li.getAttribute('data-method'))),
  ).toEqual(['wechat', 'alipay', 'balance', 'voucher_alipay', 'voucher_wechat', 'voucher_bank']);
  await page.getByRole('button', { name: 'Pay ¥99.00 with WeChat Pay' }).click();
  const link = page.getByRole('link', { name: 'Open WeChat Pay to pay' });
  await link.waitFor();
  const url = await link.getAttribute('href');
  // in sandbox mode WeChat's H5 page is the simulator's own, on ordo
  expect(url).toMatch(/\/sandbox\/wechat-h5\?prepay_id=/);
  expect(url).toContain(`redirect_url=${encodeURIComponent(`${h.base}/pay/${orderNo}?client=H5`)}`);
  expect((await paymentsOf(orderNo, buyer.token)).map((p) => [p.method, p.status])).toEqual([['wechat', 'processing']]);
  expect((await buyerPays(h.t, url!)).status).toBe(200);
  await page.locator('.cashier[data-state="paid"]').waitFor();
  await phone.close();
});

it('signs the demo member in on the page and pays from the balance, which goes down by exactly the amount', async () => {
  const login = await api(h.t, 'POST', '/v1/auth/login', {
    body: { username: DEMO.member.username, password: DEMO.member.password },
  });
  const token = login.body.token as string;
  const { orderNo, payable } = await unpaidOrder(h.t, admin, token, 4_321);
  const before = (await api(h.t, 'GET', '/v1/me', { token })).body.balance as number;

  const phone = await h.phone('zh-CN');
  const page = await phone.newPage();
  await page.goto(`${h.base}/pay/${orderNo}`); // no token in the link: the page asks the buyer to sign in
  await page.locator('.cashier[data-state="signin"]').waitFor();
  expect(await page.locator('form.sign-in h2').innerText()).toBe('登录后付款');
  await page.fill('input[name="username"]', DEMO.member.username);
  await page.fill('input[name="password"]', 'wrong-password');
  await page.click('form.sign-in button.primary');
  await page.locator('form.sign-in .error').waitFor();
  await page.fill('input[name="password"]', DEMO.member.password);
  await page.click('form.sign-in button.primary');
  await page.locator('.cashier[data-state="pending"] .methods').waitFor();

  await page.locator('li[data-method="balance"] button.method').click();
  expect(await page.locator('li[data-method="balance"] .method .muted').innerText()).toBe(
    `可用余额 ¥${(before / 100).toFixed(2)}`,
  );
  await page.getByRole('button', { name: `使用余额支付付款 ¥${(payable / 100).toFixed(2)}` }).click();
  await page.locator('.cashier[data-state="paid"]').waitFor();
  expect(await page.locator('.outcome .amount-line').innerText()).toBe(
    `已付 ¥${(payable / 100).toFixed(2)} · 余额支付`,
  );
  expect((await api(h.t, 'GET', '/v1/me', { token })).body.balance).toBe(before - payable);
  await phone.close();
});

it('uploads a transfer voucher: "under review" at once, and back to paying, with the reason, when staff reject it', async () => {
  const buyer = await createMember(h.t);
  const { orderNo } = await unpaidOrder(h.t, admin, buyer.token, 50_000);
  const phone = await h.phone('zh-CN');
  const page = await openCashier(h, phone, orderNo, buyer.token);
  await markPage(page);

  // a new member has no balance: the balance button says so instead of failing
  await page.locator('li[data-method="balance"] button.method').click();
  expect(await page.locator('li[data-method="balance"] .method .muted').innerText()).toBe('可用余额 ¥0.00');
  const balanceButton = page.locator('li[data-method="balance"] button.pay');
  expect([await balanceButton.innerText(), await balanceButton.isDisabled()]).toEqual(['余额不足', true]);

  await page.locator('li[data-method="voucher_bank"] button.method').click();
  expect(await page.locator('.voucher .muted').first().innerText()).toContain('请先转账 ¥500.00'); // free shipping from 99 yuan;
  const submit = page.getByRole('button', { name: '提交凭证' });
  expect(await submit.isDisabled()).toBe(true);
  await page.setInputFiles('.voucher input[type="file"]', [
    { name: 'transfer-1.png', mimeType: 'image/png', buffer: PNG_1X1 },
    { name: 'transfer-2.png', mimeType: 'image/png', buffer: PNG_1X1 },
  ]);
  expect(await page.locator('.voucher .chosen').innerText()).toBe('已选择 2 张');
  await submit.click();
  await page.locator('.cashier[data-state="review"]').waitFor();
  expect(await page.locator('.outcome h2').innerText()).toBe('凭证审核中');
  await page.screenshot({ path: screenshotPath('cashier-review-zh.png'), fullPage: true });

  const [voucher] = await paymentsOf(orderNo, buyer.token);
  expect(voucher).toMatchObject({ method: 'voucher_bank', status: 'processing' });
  const images = await api(h.t, 'GET', `/v1/payments/${voucher!.outTradeNo}/vouchers`, { token: buyer.token });
  expect(images.body.map((i: { contentType: string; byteSize: number }) => [i.contentType, i.byteSize])).toEqual([
    ['image/png', PNG_1X1.length],
    ['image/png', PNG_1X1.length],
  ]);

  const rejected = await api(h.t, 'POST', `/v1/admin/payments/${voucher!.outTradeNo}/reject`, {
    token: admin,
    body: { reason: '未收到转账' },
  });
  expect(rejected.status).toBe(200);
  await page.locator('.cashier[data-state="pending"] .methods .rejected').waitFor();
  expect(await page.locator('.methods .rejected').innerText()).toBe('上次的凭证未通过审核：未收到转账');
  expect(await pageMarker(page)).toBe('still the same page');
  await phone.close();
});

it('switches language on the spot, and keeps the choice for the next page', async () => {
  const buyer = await createMember(h.t);
  const { orderNo } = await unpaidOrder(h.t, admin, buyer.token, 100);
  const phone = await h.phone('zh-CN');
  const page = await openCashier(h, phone, orderNo, buyer.token);
  expect(await page.locator('.methods h2').innerText()).toBe('选择支付方式');
  expect(await page.locator('.order-no').innerText()).toBe(`订单号 ${orderNo}`);
  await page.getByRole('button', { name: 'English' }).click();
  expect(await page.locator('.methods h2').innerText()).toBe('Choose how to pay');
  expect(await page.locator('.order-no').innerText()).toBe(`Order ${orderNo}`);
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  await page.reload();
  await page.locator('.cashier[data-state="pending"] .methods').waitFor();
  expect(await page.locator('.methods h2').innerText()).toBe('Choose how to pay');
  await page.getByRole('button', { name: '中文' }).click();
  expect(await page.locator('.methods h2').innerText()).toBe('选择支付方式');
  await phone.close();
});

// Last in the file: it moves the test app's clock past the 30-minute order timeout.
it('shows the expired state as soon as the expiry job closes the unpaid order', async () => {
  const buyer = await createMember(h.t);
  const { orderNo } = await unpaidOrder(h.t, admin, buyer.token, 2_000);
  const phone = await h.phone('zh-CN');
  const page = await openCashier(h, phone, orderNo, buyer.token);
  await page.locator('.topbar .live.on').waitFor();
  await markPage(page);

  h.t.clock.advance(31 * 60_000);
  expect(await closeExpiredOrders(h.t.ctx)).toContain(orderNo);
  await page.locator('.cashier[data-state="expired"]').waitFor();
  expect(await page.locator('.outcome h2').innerText()).toBe('订单已超时关闭');
  expect(await page.locator('.methods').count()).toBe(0);
  expect(await pageMarker(page)).toBe('still the same page');

  // opened afresh, a closed order shows the same
  const again = await phone.newPage();
  await again.goto(`${h.base}/pay/${orderNo}#token=${buyer.token}`);
  await again.locator('.cashier[data-state="expired"]').waitFor();
  await phone.close();
});
