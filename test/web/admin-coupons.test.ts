import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { expectOnlyCanonicalApi, startAdminHarness, type AdminHarness } from './admin-harness.ts';
import { screenshotPath } from './support/browser.ts';

// The console's coupons page in a real Chromium, each action read back through the API: create, change the terms
// (the code stays), delete an unused coupon, and the API's refusal to delete one an order used, shown in words
// while the coupon stays (and ended instead). Terms read as words and yuan, never `fixed` or a fen integer.

interface Coupon {
  id: number;
  code: string;
  title: string;
  kind: string;
  amountOff: number;
  percentOff: number;
  maxOff: number | null;
  minSpend: number;
  startsAt: string | null;
  endsAt: string | null;
  totalQuantity: number | null;
  usedQuantity: number;
}

let h: AdminHarness;
let admin: string;
let page: Page;
const suffix = `${process.pid % 1000}${Date.now() % 100000}`;

beforeAll(async () => {
  h = await startAdminHarness();
  admin = await staffToken(h.t);
  page = await h.signIn('en');
}, 180_000);
afterAll(() => h?.close());

const coupons = async () => (await api(h.t, 'GET', '/v1/admin/coupons', { token: admin })).body as Coupon[];
const byCode = async (code: string) => (await coupons()).find((c) => c.code === code);
const row = (p: Page, code: string) => p.locator(`tr[data-coupon="${code}"]`);

async function couponsPage(p: Page, heading: string): Promise<void> {
  // from another section first, so the list is read afresh
  await p.locator('nav.sidebar a').first().click();
  await p.locator('nav.sidebar a', { hasText: heading }).click();
  await p.locator('h1', { hasText: heading }).waitFor();
  await p.locator('table[data-testid="coupons"] tbody tr').first().waitFor();
}

async function createThroughApi(body: Record<string, unknown>): Promise<Coupon> {
  const reply = await api(h.t, 'POST', '/v1/admin/coupons', { token: admin, body });
  expect(reply.status).toBe(201);
  return reply.body;
}

it('creates a coupon in the page and lists it with its terms in words and yuan', async () => {
  const code = `NEW${suffix}`;
  await couponsPage(page, 'Coupons');
  const form = page.locator('form[data-testid="coupon-new"]');
  await form.locator('input[name="code"]').fill(code);
  await form.locator('input[name="title"]').fill('满100减12.34');
  await form.locator('select[name="kind"]').selectOption('fixed');
  await form.locator('input[name="amountOff"]').fill('12.34');
  await form.locator('input[name="minSpend"]').fill('100');
  await form.locator('input[name="totalQuantity"]').fill('50');
  await form.locator('button[type="submit"]').click();

  await row(page, code).waitFor();
  expect(await row(page, code).locator('[data-field="terms"]').innerText()).toBe('¥12.34 off orders from ¥100.00');
  expect(await row(page, code).locator('[data-field="quantity"]').innerText()).toBe('0 / 50');
  expect(await row(page, code).locator('[data-field="window"]').innerText()).toBe('Any time');
  expect(await row(page, code).locator('.badge').innerText()).toBe('Usable');
  await page.locator('[data-testid="coupon-notice"]', { hasText: `Coupon ${code} created` }).waitFor();
  expect(await form.locator('input[name="code"]').inputValue()).toBe(''); // ready for the next one
  expect(await byCode(code)).toMatchObject({
    code,
    title: '满100减12.34',
    kind: 'fixed',
    amountOff: 1234,
    percentOff: 0,
    maxOff: null,
    minSpend: 10000,
    startsAt: null,
    endsAt: null,
    totalQuantity: 50,
    usedQuantity: 0,
  });

  // the same code again is refused in words, and nothing new is made
  const before = (await coupons()).length;
  await form.locator('input[name="code"]').fill(code);
  await form.locator('input[name="amountOff"]').fill('1');
  await form.locator('button[type="submit"]').click();
  await form.locator('.error', { hasText: `The code ${code} exists already` }).waitFor();
  expect((await coupons()).length).toBe(before);
});

it('edits a coupon’s terms in place: the page and the API show the change, the code stays', async () => {
  // a start with seconds, which the form's minute field does not show: left alone, it stays to the second
  const made = await createThroughApi({
    code: `EDIT${suffix}`,
    title: '改前',
    kind: 'fixed',
    amountOff: 500,
    minSpend: 3000,
    startsAt: '2030-01-01T00:00:30Z',
  });
  await couponsPage(page, 'Coupons');
  await row(page, made.code).locator('button', { hasText: 'Edit' }).click();
  const form = page.locator('form[data-testid="coupon-edit"]');
  expect(await form.locator('input[name="code"]').count()).toBe(0); // the code is shown, not editable
  expect(await form.locator('.fixed-code').innerText()).toBe(made.code);
  expect(await form.locator('input[name="amountOff"]').inputValue()).toBe('5.00');
  expect(await form.locator('input[name="minSpend"]').inputValue()).toBe('30.00');

  await form.locator('input[name="title"]').fill('85折券');
  await form.locator('select[name="kind"]').selectOption('percent');
  await form.locator('input[name="percentOff"]').fill('15');
  await form.locator('input[name="maxOff"]').fill('20.5');
  await form.locator('input[name="minSpend"]').fill('99.99');
  await form.locator('input[name="endsAt"]').fill('2099-01-02T03:04');
  await form.locator('input[name="totalQuantity"]').fill('7');
  await page.screenshot({ path: screenshotPath('admin-coupons-edit-en.png'), fullPage: true });
  await form.locator('button[type="submit"]').click();

  await row(page, made.code).locator('[data-field="terms"]', { hasText: '15% off' }).waitFor();
  expect(await form.count()).toBe(0); // the edit closes once saved
  expect(await row(page, made.code).locator('[data-field="terms"]').innerText()).toBe(
    '15% off orders from ¥99.99, at most ¥20.50 off',
  );
  expect(await row(page, made.code).locator('[data-field="window"]').innerText()).toMatch(
    /^\d{4}-\d\d-\d\d \d\d:\d\d – 2099-01-02 03:04$/,
  );
  expect(await row(page, made.code).locator('[data-field="quantity"]').innerText()).toBe('0 / 7');
  const endsAt = await page.evaluate(() => new Date('2099-01-02T03:04').toISOString()); // the browser's local time
  expect(await byCode(made.code)).toEqual({
    ...made,
    title: '85折券',
    kind: 'percent',
    amountOff: 0,
    percentOff: 15,
    maxOff: 2050,
    minSpend: 9999,
    endsAt,
    totalQuantity: 7,
  });

  // a wrong figure is named in words before anything is sent, and changes nothing
  await row(page, made.code).locator('button', { hasText: 'Edit' }).click();
  await form.locator('input[name="startsAt"]').fill('2099-02-01T00:00');
  await form.locator('button[type="submit"]').click();
  await form.locator('.error', { hasText: 'The start must be before the end' }).waitFor();
  await form.locator('button', { hasText: 'Cancel' }).click();
  expect((await byCode(made.code))?.startsAt).toBe('2030-01-01T00:00:30.000Z');
});

it('deletes an unused coupon after asking, and it is gone', async () => {
  const made = await createThroughApi({ code: `GONE${suffix}`, kind: 'percent', percentOff: 10, minSpend: 0 });
  await couponsPage(page, 'Coupons');
  await row(page, made.code).locator('button', { hasText: 'Delete' }).click();
  const confirm = row(page, made.code).locator('[data-testid="confirm-delete"]');
  expect(await confirm.innerText()).toContain(`Delete coupon ${made.code}?`);
  // "Cancel" keeps it
  await confirm.locator('button', { hasText: 'Cancel' }).click();
  expect(await byCode(made.code)).toBeDefined();
  await row(page, made.code).locator('button', { hasText: 'Delete' }).click();
  await confirm.locator('button', { hasText: 'Yes, delete' }).click();
  await row(page, made.code).waitFor({ state: 'detached' });
  await page.locator('[data-testid="coupon-notice"]', { hasText: `Coupon ${made.code} deleted` }).waitFor();
  expect(await byCode(made.code)).toBeUndefined();
});

it('shows the API’s refusal to delete a coupon an order used, keeps it, and can end it instead', async () => {
  const made = await createThroughApi({ code: `USED${suffix}`, kind: 'fixed', amountOff: 1000, minSpend: 5000 });
  const product = await createProduct(h.t, admin, { price: 12_345, stock: 5 });
  const buyer = await createMember(h.t);
  const order = await placeOrder(h.t, buyer.token, {
    lines: [{ productId: product.id, quantity: 1 }],
    couponCode: made.code,
  });
  expect(order.status).toBe(201);
  expect(order.body.couponDiscount).toBe(1000);
  expect((await byCode(made.code))?.usedQuantity).toBe(1);

  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(String(err)));
  await couponsPage(page, 'Coupons');
  expect(await row(page, made.code).locator('[data-field="quantity"]').innerText()).toBe('1 / unlimited');
  await row(page, made.code).locator('button', { hasText: 'Delete' }).click();
  await row(page, made.code).locator('[data-testid="confirm-delete"] button', { hasText: 'Yes, delete' }).click();
  const refusal = page.locator('[data-testid="coupon-refusal"]');
  await refusal.waitFor();
  expect(await refusal.innerText()).toContain(`Coupon ${made.code} cannot be deleted: orders have used it (1 so far)`);
  expect(await refusal.getAttribute('role')).toBe('alert');
  await row(page, made.code).waitFor(); // still listed
  expect(await byCode(made.code)).toMatchObject({ id: made.id, usedQuantity: 1, endsAt: null });
  await page.screenshot({ path: screenshotPath('admin-coupons-refusal-en.png'), fullPage: true });

  // what the refusal suggests: end it now, and it reads as ended
  await refusal.locator('button', { hasText: 'End it now' }).click();
  await row(page, made.code).locator('.badge[data-status="ended"]').waitFor();
  expect(await refusal.count()).toBe(0);
  const ended = await byCode(made.code);
  expect(ended?.endsAt).not.toBeNull();
  expect(Date.parse(ended!.endsAt!)).toBeLessThanOrEqual(Date.now());
  expect(problems).toEqual([]);
});

it('reads in Chinese with words and yuan, never a code or a fen figure, and every coupon label is in both languages', async () => {
  const zh = await h.signIn('zh-CN');
  await couponsPage(zh, '优惠券');
  // the demo coupons: 满50减10 and 5 % off capped at ¥50
  expect(await row(zh, 'WELCOME10').locator('[data-field="terms"]').innerText()).toBe('满 ¥50.00 减 ¥10.00');
  expect(await row(zh, 'SAVE5').locator('[data-field="terms"]').innerText()).toBe(
    '打 9.5 折（减 5%，无门槛），最多减 ¥50.00',
  );
  expect(await row(zh, 'SAVE5').locator('[data-field="window"]').innerText()).toBe('长期有效');
  const table = await zh.locator('table[data-testid="coupons"]').innerText();
  expect(table).not.toMatch(/\b(fixed|percent|active|ended|upcoming|usedUp)\b/);
  const terms = await zh.locator('table[data-testid="coupons"] [data-field="terms"]').allInnerTexts();
  expect(terms.join('\n')).not.toMatch(/\b(1000|5000)\b/); // the demo coupons' amounts in fen
  await zh.screenshot({ path: screenshotPath('admin-coupons-zh-CN.png'), fullPage: true });

  // the catalogue itself (a path held in a variable: the type checker does not follow it into the page's plain JS)
  const catalogue = join(process.cwd(), 'web/admin/strings.js');
  const { STRINGS } = (await import(catalogue)) as { STRINGS: Record<'zh-CN' | 'en', Record<string, string>> };
  const keys = (lang: 'zh-CN' | 'en') =>
    Object.keys(STRINGS[lang]).filter((k) => k.startsWith('coupons.') || k === 'nav.coupons');
  const missing = {
    en: keys('zh-CN').filter((k) => !(k in STRINGS.en)),
    zh: keys('en').filter((k) => !(k in STRINGS['zh-CN'])),
    count: keys('en').length,
  };
  expect(missing).toMatchObject({ en: [], zh: [] });
  expect(missing.count).toBeGreaterThan(40);
  await zh.context().close();
});

it('an operator sees the coupons but no form to change them', async () => {
  const operator = await h.signIn('en', 'cashier', 'cashier123');
  await couponsPage(operator, 'Coupons');
  await row(operator, 'WELCOME10').waitFor();
  expect(await operator.locator('form[data-testid="coupon-new"]').count()).toBe(0);
  expect(await row(operator, 'WELCOME10').locator('button').count()).toBe(0);
  expect(await operator.locator('.content').innerText()).toContain(
    'Only admins can create, change and delete coupons.',
  );
  await operator.context().close();
});

it('every request the coupons page made was the page, its files, or a canonical API operation', async () => {
  const seen = await expectOnlyCanonicalApi(h);
  for (const operation of [
    'GET /v1/admin/coupons',
    'POST /v1/admin/coupons',
    'PATCH /v1/admin/coupons/{couponId}',
    'DELETE /v1/admin/coupons/{couponId}',
  ]) {
    expect(seen).toContain(operation);
  }
});
