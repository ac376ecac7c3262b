import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { paidOrder } from '../support/after-sales.ts';
import { buyerPays, startPayment } from '../support/payments.ts';
import { startAdminHarness, type AdminHarness } from './admin-harness.ts';
import { screenshotPath } from './support/browser.ts';

// What people see: the console's member ledger, order detail and timeline show words, never the codes behind them
// (`order_payment`, the actor `provider`, the channel `native`), in either language; the ledger names and links the
// order by its number; the sign-in comes filled in on a demo ordo; and no page (console, shop, cashier) gets a 4xx
// or 5xx for anything it asks for, the favicon included.

let h: AdminHarness;
let admin: string;
let buyer: { memberId: number; token: string };
let balanceOrderNo: string;
let wechatOrderNo: string;
/** every answer of 400 or more that any page of this file received */
const failedRequests: string[] = [];

/** A snake_case word is a code (`order_payment`, `pending_payment`), never text meant for people. */
const SNAKE_CASE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g;
/** Codes that are plain words in English, so they are raw in any language (the channel, the gateway actor). */
const RAW_IN_ANY_LANGUAGE = ['native', 'provider', 'precreate', 'jsapi', 'micropay', 'WXOFFICIAL', 'MP-WEIXIN'];
/** In Chinese, no code of these enumerations may show at all (English labels may reuse the word: "Refund"). */
const RAW_IN_CHINESE = [
  ...['place', 'pay', 'settle', 'ship', 'receive', 'complete', 'cancel', 'expire', 'remark'],
  ...['member', 'staff', 'system', 'app', 'merchant'],
  ...['refund', 'recharge', 'balance', 'points', 'wechat', 'alipay', 'cash'],
  ...['paid', 'shipped', 'completed', 'cancelled', 'closed', 'processing', 'refunded', 'requested', 'none'],
  ...['PC', 'APP', 'POS'],
];

function rawValuesIn(text: string, locale: 'zh-CN' | 'en'): string[] {
  const words = RAW_IN_ANY_LANGUAGE.concat(locale === 'zh-CN' ? RAW_IN_CHINESE : []);
  const found = [...(text.match(SNAKE_CASE) ?? [])];
  for (const word of words) if (new RegExp(`(^|[^A-Za-z0-9-])${word}($|[^A-Za-z0-9-])`).test(text)) found.push(word);
  return found;
}

function watch(page: Page, problems: string[]) {
  page.on('pageerror', (err) => problems.push(String(err)));
  page.on('response', (response) => {
    if (response.status() >= 400)
      failedRequests.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
}

beforeAll(async () => {
  h = await startAdminHarness();
  admin = await staffToken(h.t);
  buyer = await createMember(h.t);
  // paid from the balance, then refunded to it: the ledger has an order payment and a refund, both of one order
  const paid = await paidOrder(h.t, admin, buyer, [{ price: 12_345, quantity: 1 }]);
  balanceOrderNo = paid.orderNo;
  const asked = await api(h.t, 'POST', `/v1/orders/${balanceOrderNo}/refunds`, {
    token: buyer.token,
    body: { kind: 'refund_only', reason: '不想要了', lines: [{ lineId: paid.lines[0]!.id }] },
  });
  expect(asked.status).toBe(201);
  expect(
    (await api(h.t, 'POST', `/v1/admin/refunds/${asked.body.refundNo}/approve`, { token: admin, body: {} })).status,
  ).toBe(200);
  // a refund to the balance is booked at once
  expect(
    (await api(h.t, 'GET', `/v1/admin/members/${buyer.memberId}/ledger?account=balance`, { token: admin })).body.map(
      (e: { reason: string; orderNo: string }) => [e.reason, e.orderNo],
    ),
  ).toEqual([
    ['refund', balanceOrderNo],
    ['order_payment', balanceOrderNo],
  ]);
  // paid by scanning a WeChat QR code: the gateway's notification moves the order (actor "provider", channel "native")
  const product = await createProduct(h.t, admin, { price: 20_000, stock: 10, title: '扫码商品' });
  const placed = await placeOrder(h.t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }], client: 'PC' });
  wechatOrderNo = placed.body.orderNo;
  const started = await startPayment(h.t, buyer.token, wechatOrderNo, {
    method: 'wechat',
    channel: 'native',
    client: 'PC',
  });
  await buyerPays(h.t, started.body.action.content);
  const events = (await api(h.t, 'GET', `/v1/orders/${wechatOrderNo}`, { token: admin })).body.events as {
    actor: { kind: string };
  }[];
  expect(events.map((e) => e.actor.kind)).toContain('provider');
}, 180_000);
afterAll(() => h?.close());

/** The console in one language, signed in through its form, which a demo ordo fills in with the demo admin. */
async function signedInConsole(locale: 'zh-CN' | 'en', problems: string[]): Promise<Page> {
  const context = await h.browser.newContext({ viewport: { width: 1440, height: 900 }, locale });
  const page = await context.newPage();
  watch(page, problems);
  await page.goto(`${h.base}/admin`);
  await expect.poll(() => page.inputValue('input[name="username"]'), { timeout: 30_000 }).toBe('admin');
  expect(await page.inputValue('input[name="password"]')).toBe('admin123');
  await page.locator('form.sign-in button[type="submit"]').click();
  await page.locator('nav.sidebar').waitFor();
  return page;
}

const visibleText = (page: Page, selector: string) => page.locator(selector).innerText();

for (const locale of ['zh-CN', 'en'] as const) {
  it(`shows words, not codes, on the member ledger, the order detail and its timeline (${locale}); the ledger links the order by its number`, async () => {
    const problems: string[] = [];
    const page = await signedInConsole(locale, problems);

    await page.goto(`${h.base}/admin/members`);
    await page.locator('form.filters input').fill(String(buyer.memberId));
    await page.locator('form.filters button[type="submit"]').click();
    await page.locator(`tr[data-member="${buyer.memberId}"]`).click();
    const entries = page.locator('[data-testid="ledger"] tr[data-entry]');
    await expect.poll(() => entries.count(), { timeout: 30_000 }).toBe(2);
    const ledger = await visibleText(page, '[data-testid="ledger"]');
    expect(rawValuesIn(ledger, locale)).toEqual([]);
    expect(ledger).toContain(locale === 'en' ? 'Order payment' : '订单支付');
    expect(ledger).toContain(locale === 'en' ? 'Refund' : '退款');
    // each line's date and time is one line of text, however narrow the column
    const dateLines = await page.locator('[data-testid="ledger"] td.when').evaluateAll((cells) =>
      cells.map((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      }),
    );
    expect(dateLines).toEqual([1, 1]);
    expect(await page.locator('[data-testid="money-hint"]').innerText()).toMatch(
      locale === 'en' ? /Paid: .+Spent: / : /累计支付：.+累计消费：/,
    );
    await page.screenshot({ path: screenshotPath(`admin-ledger-${locale}.png`), fullPage: true });

    // the ledger names the order by the number every route takes, and opens it
    const links = page.locator(`[data-testid="ledger"] a[data-order="${balanceOrderNo}"]`);
    expect(await links.count()).toBe(2);
    expect(await links.first().innerText()).toContain(balanceOrderNo);
    await links.first().click();
    await page.locator('[data-testid="order-detail"]').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/admin/orders/${balanceOrderNo}`);
    await page.locator('[data-testid="refunds"] .badge[data-status="refunded"]').waitFor();
    const balanceDetail = await visibleText(page, '[data-testid="order-detail"]');
    expect(rawValuesIn(balanceDetail, locale)).toEqual([]);
    expect(balanceDetail).not.toContain('-¥0.00'); // no discount reads as ¥0.00, not as a negative zero

    await page.goto(`${h.base}/admin/orders/${wechatOrderNo}`);
    await page.locator('[data-testid="order-detail"][data-status="paid"]').waitFor();
    const timeline = await visibleText(page, '[data-testid="timeline"]');
    expect(timeline).toContain(locale === 'en' ? 'payment gateway' : '支付渠道');
    const wechatDetail = await visibleText(page, '[data-testid="order-detail"]');
    expect(rawValuesIn(wechatDetail, locale)).toEqual([]);
    expect(await visibleText(page, '[data-testid="payments"]')).toContain(locale === 'en' ? 'QR code' : '扫码支付');
    await page.screenshot({ path: screenshotPath(`admin-order-timeline-${locale}.png`), fullPage: true });

    expect(problems).toEqual([]);
    expect(failedRequests).toEqual([]);
    await page.context().close();
  }, 180_000);
}

it('the shop, its pictures and the cashier load without a failed request, the favicon included', async () => {
  const phone = await h.browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  const problems: string[] = [];
  const shop = await phone.newPage();
  watch(shop, problems);
  await shop.goto(`${h.base}/shop`);
  await shop.click('form.sign-in button.primary');
  const shirt = shop.locator('.product[data-product-id="10004"]');
  await shirt.locator('button.buy:not([disabled])').waitFor();
  // every product picture arrived and was drawn
  // the first picture is drawn on screen; the others load as they scroll into view (lazily), each answers a drawing
  await expect
    .poll(
      () =>
        shop
          .locator('.product img')
          .first()
          .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);
  const pictures = await shop
    .locator('.product img')
    .evaluateAll((images) => images.map((img) => img.getAttribute('src')!));
  expect(pictures).toEqual(
    expect.arrayContaining(['/media/demo/phone-black.svg', '/media/demo/guitar.svg', '/media/demo/tshirt.svg']),
  );
  for (const src of pictures) {
    const picture = await shop.request.get(`${h.base}${src}`);
    expect([src, picture.status(), picture.headers()['content-type']]).toEqual([src, 200, 'image/svg+xml']);
  }
  await shirt.locator('button.buy').click();
  await shop.waitForURL(/\/pay\/\d{16}$/);
  await shop.locator('.cashier[data-state="pending"] .methods').waitFor();
  const icon = await shop.locator('link[rel="icon"]').getAttribute('href');
  expect((await shop.request.get(`${h.base}${icon}`)).status()).toBe(200);
  const favicon = await api(h.t, 'GET', '/favicon.ico');
  expect([favicon.status, favicon.headers['content-type']]).toEqual([200, 'image/svg+xml']);
  expect(problems).toEqual([]);
  expect(failedRequests).toEqual([]);
  await phone.close();
}, 180_000);
