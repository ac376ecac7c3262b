import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../support/api.ts';
import { ship } from '../../support/after-sales.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { ADDRESS_FORM, yoshop as yoshopShared, type YoshopOptions } from '../../support/yoshop-client.ts';
import { DEMO_STORES, prepareJourneyStore, type JourneyStore } from '../../support/yoshop-stores.ts';

/**
 * A shopper's whole way through the YoShop uniapp, every step as its pages call ordo (GET parameters appended to
 * `index.php?s=/api/…`, JSON bodies, the `platform` and `Access-Token` headers, and `storeId` when the client is
 * configured for another store than the default): the home page → the goods page with a real review → a size and
 * a colour in the SKU popup → 立即购买 → the checkout page with a claimed coupon and points → submit → the cashier
 * with its countdown → paid three ways (WeChat H5 on the simulator's page, Alipay H5 through formHtml, the balance)
 * → the order detail with the address → 确认收货 → 申请售后 → the staff approve → the refund detail says 已退款.
 * Money is checked to the fen. The same journey runs at both demo stores, each its own merchant's, and neither
 * shopper sees anything of the other merchant.
 */

let t: TestApp;
const stores: JourneyStore[] = [];
beforeAll(async () => {
  t = await startTestApp();
  for (const store of DEMO_STORES) stores.push(await prepareJourneyStore(t, store));
});
afterAll(() => t.close());

const fen = (yuan: string) => Math.round(Number(yuan) * 100);
const decode = (s: string) => s.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
const byNumber = (a: number, b: number) => a - b;
const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** Polls until `check` holds (the simulator's notifications arrive on their own), for at most a generous minute. */
async function until(check: () => Promise<boolean>) {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await t.sandbox.simulator.settle();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** What each journey leaves behind, for the check that neither merchant's shopper sees the other's. */
const journeys = new Map<number, { token: string; orderIds: number[] }>();

/** The client as configured for one store, signed in or not. */
function clientAt(store: JourneyStore) {
  let token: string | undefined;
  const call =
    (method: 'GET' | 'POST') =>
    (route: string, options: Omit<YoshopOptions, 'storeId' | 'token'> = {}) =>
      yoshopShared(t, method, route, { ...options, token, storeId: store.header });
  return {
    get: call('GET'),
    post: call('POST'),
    signIn: async () => {
      const login = await call('POST')('passport/login', { body: { form: store.member } });
      expect(login).toMatchObject({ status: 200, message: '登录成功' });
      token = login.data.token as string;
      return token;
    },
  };
}

async function shopperJourney(store: JourneyStore) {
  const client = clientAt(store);
  const { get, post } = client;

  // 首页: the goods group shows the merchant's newest goods; the shopper taps the T-shirt
  const home = await get('page/detail', { query: { pageId: 0 } });
  const group = home.data.pageData.items.find((i: { type: string }) => i.type === 'goods');
  const card = group.data.find((g: { goods_id: number }) => g.goods_id === store.tee.id);
  expect(card).toMatchObject({ goods_name: store.tee.title, goods_price_min: '59.00', line_price_min: '79.00' });

  // the goods page with its comments: the earlier buyer's review
  const goods = (await get('goods/detail', { query: { goodsId: store.tee.id, verifyStatus: 1 } })).data.detail;
  expect(goods).toMatchObject({ goods_id: store.tee.id, spec_type: 20, goods_price_min: '59.00' });
  const comments = await get('comment/listRows', { query: { goodsId: store.tee.id, limit: 2 } });
  expect(comments.data.total).toBe(1);
  expect(comments.data.list[0]).toMatchObject({
    content: store.review.content,
    score: 10,
    user: { nick_name: store.review.nickname },
  });
  const total = await get('comment/total', { query: { goodsId: store.tee.id } });
  expect(total.data.total).toEqual({ all: 1, praise: 1, review: 0, negative: 0 });

  // signing in (the 立即购买 button needs it), with an address to ship to
  const token = await client.signIn();
  const added = await post('address/add', { body: { form: ADDRESS_FORM } });
  expect(added.status).toBe(200);
  const addresses = (await get('address/list')).data.list as { address_id: number; name: string }[];
  const addressId = addresses.find((a) => a.name === '张三')!.address_id;
  expect((await post('address/setDefault', { body: { addressId } })).status).toBe(200);

  // the SKU popup: L in 尺码, 黑 in 颜色; the SKU whose spec_value_ids are those two values
  const valueId = (group: string, value: string) =>
    goods.specList
      .find((g: { spec_name: string }) => g.spec_name === group)
      .valueList.find((v: { spec_value: string }) => v.spec_value === value).spec_value_id as number;
  const chosen = [valueId('尺码', 'L'), valueId('颜色', '黑')];
  const sku = goods.skuList.find((s: { spec_value_ids: number[] }) => s.spec_value_ids.join() === chosen.join()) as {
    id: number;
    goods_sku_id: string;
    goods_price: string;
    stock_num: number;
  };
  expect(sku).toMatchObject({ goods_price: '69.00', stock_num: 20 });
  expect(sku.id).toBeGreaterThan(0);
  const buyNow = { mode: 'buyNow', goodsId: store.tee.id, goodsNum: 1, goodsSkuId: sku.goods_sku_id };

  // the coupon centre: claim the merchant's 满50减10
  const centre = await get('coupon/list');
  expect(centre.data.list.find((c: { coupon_id: number }) => c.coupon_id === store.couponId)).toMatchObject({
    reduce_price: '10.00',
    min_price: '50.00',
    state: { value: 1 },
  });
  expect(await post('coupon/receive', { body: { couponId: store.couponId } })).toMatchObject({
    status: 200,
    message: '领取成功',
  });
  const pointsBefore = (await get('user/assets')).data.assets.points as number;

  // the checkout page: first load, then the coupon from the popup, then the points switch
  const page = async (couponId: number, isUsePoints: 0 | 1) =>
    (await get('checkout/order', { query: { delivery: 0, couponId, isUsePoints, ...buyNow } })).data.order;
  const first = await page(0, 0);
  expect(first).toMatchObject({ orderType: 10, existAddress: true, hasError: false, orderTotalPrice: '69.00' });
  expect(first.address).toMatchObject({ name: '张三', detail: '回龙观 1 号' });
  expect(first.goodsList[0]).toMatchObject({ goods_sku_id: sku.goods_sku_id, goods_price: '69.00', total_num: 1 });
  expect(first.goodsList[0].skuInfo.goods_props.map((p: { value: { name: string } }) => p.value.name)).toEqual([
    'L',
    '黑',
  ]);
  const offered = first.couponList.find((c: { name: string }) => c.name === `满50减10 ${store.storeId}`);
  expect(offered).toMatchObject({ is_apply: true, reduce_price: '10.00' });
  const withCoupon = await page(offered.user_coupon_id, 0);
  expect(withCoupon).toMatchObject({ couponId: offered.user_coupon_id, couponMoney: '10.00' });
  // points: 100 make ¥1, at most 10 % of the goods after the coupon (¥59.00) → ¥5.90 for 590 points
  expect(withCoupon).toMatchObject({ isAllowPoints: true, isUsePoints: false, pointsMoney: '5.90', pointsNum: 590 });
  const checkout = await page(offered.user_coupon_id, 1);
  const express = fen(checkout.expressPrice);
  expect(checkout).toMatchObject({ isUsePoints: true, couponMoney: '10.00', pointsMoney: '5.90', hasError: false });
  expect(fen(checkout.orderPayPrice)).toBe(6_900 - 1_000 - 590 + express);

  /** Submits the checkout page and opens the cashier it goes to; each order has its own remark (a doubled tap is one). */
  async function orderAtCashier(remark: string, couponId: number, isUsePoints: 0 | 1) {
    const submitted = await post('checkout/submit', {
      body: { delivery: 10, couponId, isUsePoints, remark, ...buyNow },
    });
    expect(submitted).toMatchObject({ status: 200, message: '订单提交成功' });
    const orderId = submitted.data.orderId as number;
    const cashier = await get('cashier/orderInfo', { query: { orderId, client: 'H5' } });
    expect(cashier.data.order).toMatchObject({ pay_status: 10, showExpiration: true });
    expect(cashier.data.order.expirationTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(cashier.data.paymentMethods.map((m: { method: string }) => m.method)).toEqual(
      expect.arrayContaining(['wechat', 'alipay', 'balance']),
    );
    return { orderId, payable: fen(cashier.data.order.pay_price) };
  }
  const paidNow = async (orderId: number) =>
    (await get('cashier/orderInfo', { query: { orderId, client: 'H5' } })).data.order.pay_status === 20;

  // 1. with the coupon and points, by WeChat H5: the browser opens mweb_url, the simulator's page on ordo, whose
  // 确认支付 button posts the payment it shows
  const byWechat = await orderAtCashier('微信支付', offered.user_coupon_id, 1);
  expect(byWechat.payable).toBe(6_900 - 1_000 - 590 + express);
  expect((await get('user/assets')).data.assets.points).toBe(pointsBefore - 590);
  const wechat = await post('cashier/orderPay', {
    body: { orderId: byWechat.orderId, method: 'wechat', client: 'H5', extra: {} },
  });
  const mweb = new URL(wechat.data.payment.mweb_url as string);
  const wechatPage = await t.app.inject({ method: 'GET', url: mweb.pathname + mweb.search });
  expect(wechatPage.statusCode).toBe(200);
  expect(wechatPage.body).toContain(`¥${(byWechat.payable / 100).toFixed(2)}`);
  const content = decode(/data-content="([^"]+)"/.exec(wechatPage.body)![1]!);
  expect((await t.app.inject({ method: 'POST', url: '/sandbox/pay', payload: { content } })).statusCode).toBe(200);
  await until(() => paidNow(byWechat.orderId));

  // the coupon is used: the next checkout no longer offers it
  const again = await page(0, 0);
  expect(again.couponList.some((c: { user_coupon_id: number }) => c.user_coupon_id === offered.user_coupon_id)).toBe(
    false,
  );

  // 2. by Alipay H5: formHtml goes into the page and its form is submitted; the sandbox cashier's button pays
  const byAlipay = await orderAtCashier('支付宝', 0, 0);
  expect(byAlipay.payable).toBe(6_900 + express);
  const alipay = await post('cashier/orderPay', {
    body: { orderId: byAlipay.orderId, method: 'alipay', client: 'H5', extra: { returnUrl: 'http://shop.test/#/x' } },
  });
  const formHtml = alipay.data.payment.formHtml as string;
  const action = new URL(decode(/action="([^"]+)"/.exec(formHtml)![1]!));
  const fields = [...formHtml.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(
    ([, k, v]) => [decode(k!), decode(v!)] as [string, string],
  );
  const alipayCashier = await t.app.inject({
    method: 'POST',
    url: action.pathname,
    headers: form,
    payload: new URLSearchParams(fields).toString(),
  });
  expect(alipayCashier.statusCode).toBe(200);
  const alipayPaid = await t.app.inject({
    method: 'POST',
    url: '/sandbox/alipay/pay',
    headers: form,
    payload: new URLSearchParams({ out_trade_no: alipay.data.payment.out_trade_no as string }).toString(),
  });
  expect(alipayPaid.statusCode).toBe(200);
  await until(() => paidNow(byAlipay.orderId));

  // 3. by the balance
  const byBalance = await orderAtCashier('余额支付', 0, 0);
  const balanceBefore = fen((await get('user/assets')).data.assets.balance);
  const balancePaid = await post('cashier/orderPay', {
    body: { orderId: byBalance.orderId, method: 'balance', client: 'H5', extra: {} },
  });
  expect(balancePaid.data.isPay).toBe(true);
  expect(fen((await get('user/assets')).data.assets.balance)).toBe(balanceBefore - byBalance.payable);
  expect(await paidNow(byBalance.orderId)).toBe(true);

  // the WeChat order's detail: the address block (order_type 10) and the discounts; shipped, then received
  const detail = (await get('order/detail', { query: { orderId: byWechat.orderId } })).data.order;
  expect(detail).toMatchObject({
    order_type: 10,
    delivery_type: 10,
    pay_status: 20,
    total_price: '69.00',
    coupon_money: '10.00',
    points_money: '5.90',
    address: { name: '张三', phone: '13800001111', detail: '回龙观 1 号', region: { region: '昌平区' } },
  });
  expect(fen(detail.pay_price)).toBe(byWechat.payable);
  expect((await ship(t, store.staff, detail.order_no)).status).toBe(201);
  const shipped = (await get('order/detail', { query: { orderId: byWechat.orderId } })).data.order;
  expect(shipped).toMatchObject({ delivery_status: 20, state_text: '待收货' });
  expect((await post('order/receipt', { body: { orderId: byWechat.orderId } })).status).toBe(200);

  // 申请售后 → the merchant's staff approve → the money goes back through WeChat → 已退款
  const line = shipped.goods[0] as { order_goods_id: number; total_pay_price: string };
  expect(fen(line.total_pay_price)).toBe(6_900 - 1_000 - 590);
  const applied = await post('refund/apply', {
    body: { orderGoodsId: line.order_goods_id, form: { type: 10, content: '尺码偏大', images: [] } },
  });
  expect(applied.status).toBe(200);
  const pending = (await get('refund/list', { query: { state: 0, page: 1 } })).data.list.data[0];
  expect(pending).toMatchObject({ state_text: '等待审核中' });
  const orderRefundId = pending.order_refund_id as string;
  const approved = await api(t, 'POST', `/v1/admin/refunds/${orderRefundId}/approve`, {
    token: store.staff,
    body: {},
  });
  expect(approved.status).toBe(200);
  const refundDetail = async () => (await get('refund/detail', { query: { orderRefundId } })).data.detail;
  await until(async () => (await refundDetail()).status === 20);
  const done = await refundDetail();
  expect(done).toMatchObject({ state_text: '已退款', audit_status: 10, type: 10 });
  expect(fen(done.refund_money)).toBe(6_900 - 1_000 - 590);
  expect(done.orderGoods).toMatchObject({ order_goods_id: line.order_goods_id, goods_id: store.tee.id });
  // the refund went back to WeChat, not to the balance
  expect(fen((await get('user/assets')).data.assets.balance)).toBe(balanceBefore - byBalance.payable);

  journeys.set(store.storeId, {
    token,
    orderIds: [byWechat.orderId, byAlipay.orderId, byBalance.orderId],
  });
}

describe('the YoShop shopper journey', () => {
  it.each(DEMO_STORES.map((s) => [s.storeId, s] as const))(
    'at store %i: home → goods with a review → size × colour → claimed coupon and points → three ways to pay → receipt → 已退款',
    async (storeId) => {
      await shopperJourney(stores.find((s) => s.storeId === storeId)!);
    },
  );

  it('neither merchant’s shopper sees the other’s goods, home page, coupons or orders', async () => {
    expect(journeys.size).toBe(2);
    for (const store of stores) {
      const other = stores.find((s) => s !== store)!;
      const mine = journeys.get(store.storeId)!;
      const theirs = journeys.get(other.storeId)!;
      const get = (route: string, query: Record<string, string | number> = {}) =>
        yoshopShared(t, 'GET', route, { token: mine.token, storeId: store.header, query });
      const ids = (list: { goods_id: number }[]) => list.map((g) => g.goods_id);

      const goods = ids((await get('goods/list', { page: 1 })).data.list.data);
      expect(goods).toContain(store.tee.id);
      expect(goods).not.toContain(other.tee.id);
      const home = (await get('page/detail', { pageId: 0 })).data.pageData.items;
      const shown = home.flatMap((i: { type: string; data: { goods_id: number }[] }) =>
        i.type === 'goods' ? ids(i.data) : [],
      );
      expect(shown).toContain(store.tee.id);
      expect(shown).not.toContain(other.tee.id);
      expect(await get('goods/detail', { goodsId: other.tee.id })).toMatchObject({ status: 500 });

      const coupons = (await get('coupon/list')).data.list.map((c: { coupon_id: number }) => c.coupon_id);
      expect(coupons).toContain(store.couponId);
      expect(coupons).not.toContain(other.couponId);
      const wallet = (await get('myCoupon/list', { dataType: 'all', page: 1 })).data.list.data;
      expect(wallet.map((c: { coupon_id: number }) => c.coupon_id)).toEqual([store.couponId]);

      const orders = (await get('order/list', { dataType: 'all', page: 1 })).data.list.data;
      expect(orders.map((o: { order_id: number }) => o.order_id).sort(byNumber)).toEqual(
        [...mine.orderIds].sort(byNumber),
      );
      for (const orderId of theirs.orderIds)
        expect(await get('order/detail', { orderId })).toMatchObject({ status: 500 });
    }
  });
});
