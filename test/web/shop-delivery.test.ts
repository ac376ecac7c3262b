import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { startAdminHarness, type AdminHarness } from './admin-harness.ts';

// The demo shop never places an order without an address: "buy now" ships to the member's default address, and a
// member without one is asked for it first. The console shows a pickup order as such in its list and detail.

let h: AdminHarness;
let admin: string;
beforeAll(async () => {
  h = await startAdminHarness();
  admin = await staffToken(h.t);
});
afterAll(() => h?.close());

const phone = () =>
  h.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });

async function buyFirstProduct(shop: import('playwright-core').Page): Promise<string> {
  const shirt = shop.locator('.product[data-product-id="10004"]');
  await shirt.locator('button.buy:not([disabled])').click();
  await shop.waitForURL(/\/pay\/\d{16}$/);
  return new URL(shop.url()).pathname.split('/')[2]!;
}

it('buy now ships to the demo member’s default address', async () => {
  const context = await phone();
  const shop = await context.newPage();
  await shop.goto(`${h.base}/shop`);
  await shop.click('form.sign-in button.primary');
  expect(await shop.locator('[data-testid="ship-to"]').innerText()).toContain('演示用户');
  const orderNo = await buyFirstProduct(shop);
  const order = await api(h.t, 'GET', `/v1/orders/${orderNo}`, { token: admin });
  expect(order.body).toMatchObject({
    delivery: 'express',
    address: { receiverName: '演示用户', mobile: '13800138000', city: '深圳市' },
  });
  await context.close();
});

it('a member without an address is asked for one before buy now, and the order ships there', async () => {
  const member = await createMember(h.t);
  const username = `noaddr${member.memberId}`;
  await h.t.ctx.db.updateTable('members').set({ username }).where('id', '=', member.memberId).execute();
  const context = await phone();
  const shop = await context.newPage();
  await shop.goto(`${h.base}/shop`);
  await shop.locator('input[name="username"]').fill(username);
  await shop.locator('input[name="password"]').fill('secret123');
  await shop.click('form.sign-in button.primary');

  const form = shop.locator('[data-testid="address-form"]');
  await form.waitFor();
  expect(await shop.locator('.product[data-product-id="10004"] button.buy').isDisabled()).toBe(true);
  for (const [name, value] of [
    ['receiverName', '赵六'],
    ['mobile', '13700001234'],
    ['province', '上海市'],
    ['city', '上海市'],
    ['district', '浦东新区'],
    ['address', '世纪大道 8 号'],
  ]) {
    await form.locator(`input[name="${name}"]`).fill(value!);
  }
  await form.locator('button[type="submit"]').click();
  await shop.locator('[data-testid="ship-to"]').waitFor();
  const orderNo = await buyFirstProduct(shop);
  const order = await api(h.t, 'GET', `/v1/orders/${orderNo}`, { token: admin });
  expect(order.body).toMatchObject({
    memberId: member.memberId,
    delivery: 'express',
    address: { receiverName: '赵六', mobile: '13700001234', address: '世纪大道 8 号' },
  });
  await context.close();
});

it('the console shows a pickup order as 到店自提 in the list and the order, a shipped one with its receiver', async () => {
  const buyer = await createMember(h.t);
  const product = await createProduct(h.t, admin, { price: 1_000, stock: 5, title: '自提商品' });
  const pickup = (
    await placeOrder(h.t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }], delivery: 'pickup' })
  ).body.orderNo as string;
  const shipped = (await placeOrder(h.t, buyer.token, { lines: [{ productId: product.id, quantity: 1 }] })).body
    .orderNo as string;

  const page = await h.signIn('zh-CN');
  await page.goto(`${h.base}/admin/orders`);
  const pickupRow = page.locator(`tr[data-order="${pickup}"]`);
  await pickupRow.waitFor();
  expect(await pickupRow.locator('[data-testid="pickup"]').innerText()).toBe('到店自提');
  expect(await page.locator(`tr[data-order="${shipped}"]`).innerText()).toContain('王 18600000001');
  expect(await page.locator(`tr[data-order="${shipped}"] [data-testid="pickup"]`).count()).toBe(0);

  await page.goto(`${h.base}/admin/orders/${pickup}`);
  const detail = page.locator('[data-testid="pickup"]');
  await detail.waitFor();
  expect(await detail.innerText()).toContain('到店自提');
  await page.context().close();
});
