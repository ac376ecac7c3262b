import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../support/api.ts';
import { createProduct, staffToken } from '../../support/actors.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { yoshop as yoshopShared, yoshopBuyer, type YoshopOptions } from '../../support/yoshop-client.ts';

/**
 * checkout/order and checkout/submit as pages/checkout/index.vue calls them: GET with `mode` and the mode's
 * parameters (buyNow: goodsId, goodsNum, goodsSkuId; cart: cartIds) plus delivery (0 on the first load: the store's
 * default), couponId and isUsePoints; POST the same with remark. Every field the page reads, with its type.
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
const YUAN = /^\d+\.\d\d$/;

async function withPoints(memberId: number, points: number) {
  await t.ctx.db.updateTable('members').set({ points }).where('id', '=', memberId).execute();
}

/** A coupon the member has: created by staff as claimable, then claimed by the member. */
async function claimed(token: string, body: Record<string, unknown>) {
  const created = await api(t, 'POST', '/v1/admin/coupons', { token: admin, body: { ...body, claimable: true } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const claim = await api(t, 'POST', `/v1/coupons/${created.body.id}/claim`, { token, body: {} });
  expect(claim.status, JSON.stringify(claim.body)).toBeLessThan(300);
}

describe('checkout/order', () => {
  it('buy now on the first load (delivery 0): goodsList with skuInfo, orderType 10, totals, address, personal, setting', async () => {
    const b = await yoshopBuyer(t, 12_345);
    const product = await createProduct(t, admin, { price: 1_000, stock: 9 });
    const preview = await yoshop('GET', 'checkout/order', {
      token: b.token,
      query: {
        delivery: 0,
        couponId: 0,
        isUsePoints: 0,
        mode: 'buyNow',
        goodsId: product.id,
        goodsNum: 2,
        goodsSkuId: '0',
      },
    });
    expect(preview.status).toBe(200);
    const { order, personal, setting } = preview.data;
    expect(order.goodsList).toHaveLength(1);
    expect(order.goodsList[0]).toMatchObject({
      goods_id: product.id,
      goods_name: expect.any(String),
      goods_image: expect.any(String),
      goods_price: '10.00',
      total_num: 2,
      is_user_grade: false,
      skuInfo: { goods_props: [] },
    });
    expect(order).toMatchObject({
      orderType: 10,
      delivery: 10,
      orderTotalNum: 2,
      orderTotalPrice: '20.00',
      couponId: 0,
      couponMoney: '0.00',
      isAllowPoints: false,
      pointsMoney: '0.00',
      expressPrice: expect.stringMatching(YUAN),
      orderPayPrice: expect.stringMatching(YUAN),
      existAddress: true,
      address: { name: '张三', phone: '13800001111', detail: '回龙观 1 号', region: expect.any(Object) },
      isIntraRegion: true,
      hasError: false,
      errorMsg: '',
    });
    expect(Array.isArray(order.couponList)).toBe(true);
    expect(Number(order.orderPayPrice)).toBe(20 + Number(order.expressPrice));
    expect(personal).toMatchObject({ balance: '123.45', points: 0, user_id: b.memberId });
    expect(setting).toEqual({ deliveryType: [10], points_name: '积分', points_describe: expect.any(String) });
  });

  it('cart mode names the chosen cart lines', async () => {
    const b = await yoshopBuyer(t);
    const product = await createProduct(t, admin, { price: 500, stock: 9 });
    expect(
      (
        await yoshop('POST', 'cart/add', {
          token: b.token,
          body: { goodsId: product.id, goodsSkuId: '0', goodsNum: 3 },
        })
      ).status,
    ).toBe(200);
    const cart = await yoshop('GET', 'cart/list', { token: b.token });
    const line = cart.data.list.find((l: { goods_id: number }) => l.goods_id === product.id);
    const preview = await yoshop('GET', 'checkout/order', {
      token: b.token,
      query: { delivery: 0, couponId: 0, isUsePoints: 0, mode: 'cart', cartIds: String(line.id) },
    });
    expect(preview.data.order).toMatchObject({ orderTotalNum: 3, orderTotalPrice: '15.00' });
    expect(preview.data.order.goodsList[0].skuInfo.goods_props).toEqual([]);
  });

  it('couponList offers the member’s coupons with is_apply by the minimum spend; choosing one takes it off, to the fen', async () => {
    const b = await yoshopBuyer(t);
    const product = await createProduct(t, admin, { price: 3_000, stock: 9 });
    const stamp = `${process.pid % 1000}${Date.now() % 1e6}`;
    const names = { fixed: `满20减3-${stamp}`, tooHigh: `满100减10-${stamp}`, percent: `九折-${stamp}` };
    await claimed(b.token, { code: `CKA${stamp}`, title: names.fixed, kind: 'fixed', amountOff: 300, minSpend: 2_000 });
    await claimed(b.token, {
      code: `CKB${stamp}`,
      title: names.tooHigh,
      kind: 'fixed',
      amountOff: 1_000,
      minSpend: 10_000,
    });
    await claimed(b.token, { code: `CKC${stamp}`, title: names.percent, kind: 'percent', percentOff: 10, minSpend: 0 });
    const buyNow = { mode: 'buyNow', goodsId: product.id, goodsNum: 1, goodsSkuId: '0', delivery: 0, isUsePoints: 0 };

    const plain = await yoshop('GET', 'checkout/order', { token: b.token, query: { ...buyNow, couponId: 0 } });
    const list = plain.data.order.couponList as { name: string; user_coupon_id: number }[];
    const named = (name: string) => list.find((c) => c.name === name);
    expect(named(names.fixed)).toEqual({
      user_coupon_id: expect.any(Number),
      name: names.fixed,
      coupon_type: 10,
      reduce_price: '3.00',
      discount: expect.any(String),
      min_price: '20.00',
      start_time: expect.any(String),
      end_time: expect.any(String),
      is_apply: true,
      not_apply_info: '',
    });
    expect(named(names.tooHigh)).toMatchObject({
      is_apply: false,
      not_apply_info: '订单金额未满100.00元，不能使用该优惠券',
    });
    expect(named(names.percent)).toMatchObject({ coupon_type: 20, discount: '9.0', is_apply: true });

    const couponId = named(names.fixed)!.user_coupon_id;
    const chosen = await yoshop('GET', 'checkout/order', { token: b.token, query: { ...buyNow, couponId } });
    const expressFen = Math.round(Number(plain.data.order.expressPrice) * 100);
    expect(chosen.data.order).toMatchObject({ couponId, couponMoney: '3.00', hasError: false });
    expect(Math.round(Number(chosen.data.order.orderPayPrice) * 100)).toBe(3_000 - 300 + expressFen);

    const submitted = await yoshop('POST', 'checkout/submit', {
      token: b.token,
      body: { ...buyNow, couponId, remark: '' },
    });
    expect(submitted).toMatchObject({ status: 200, data: { orderId: expect.any(Number) } });
    const detail = await yoshop('GET', 'order/detail', { token: b.token, query: { orderId: submitted.data.orderId } });
    expect(detail.data.order).toMatchObject({ coupon_money: '3.00', total_price: '30.00' });
    expect(Math.round(Number(detail.data.order.pay_price) * 100)).toBe(3_000 - 300 + expressFen);
  });

  it('is_apply follows the coupon’s scope as placement does: a coupon for other goods is offered but does not apply', async () => {
    const b = await yoshopBuyer(t);
    const product = await createProduct(t, admin, { price: 3_000, stock: 9 });
    const other = await createProduct(t, admin, { price: 3_000, stock: 9 });
    const stamp = `${process.pid % 1000}${Date.now() % 1e6}`;
    const names = { otherGoods: `别的商品减5-${stamp}`, thisGoods: `本商品减4-${stamp}`, phones: `手机类减2-${stamp}` };
    // createProduct files goods under 手机 (100012)
    const scoped: [string, number, string, number][] = [
      [names.otherGoods, 500, 'products', other.id],
      [names.thisGoods, 400, 'products', product.id],
      [names.phones, 200, 'categories', 100012],
    ];
    for (const [title, amountOff, scope, scopeId] of scoped)
      await claimed(b.token, { kind: 'fixed', minSpend: 0, title, amountOff, scope, scopeIds: [scopeId] });
    const buyNow = { mode: 'buyNow', goodsId: product.id, goodsNum: 1, goodsSkuId: '0', delivery: 0, isUsePoints: 0 };

    const plain = await yoshop('GET', 'checkout/order', { token: b.token, query: { ...buyNow, couponId: 0 } });
    const list = plain.data.order.couponList as { name: string; user_coupon_id: number; is_apply: boolean }[];
    const named = (name: string) => list.find((c) => c.name === name)!;
    expect(named(names.otherGoods)).toMatchObject({ is_apply: false, not_apply_info: '该优惠券不支持当前商品' });
    expect(named(names.thisGoods)).toMatchObject({ is_apply: true, not_apply_info: '' });
    expect(named(names.phones)).toMatchObject({ is_apply: true, not_apply_info: '' });
    // the ones that apply come first, the largest discount first, as YoShop sorts them
    expect(list.map((c) => c.name)).toEqual([names.thisGoods, names.phones, names.otherGoods]);

    // chosen anyway (an old page), it takes nothing off and the page says why; submitting it orders nothing
    const couponId = named(names.otherGoods).user_coupon_id;
    const chosen = await yoshop('GET', 'checkout/order', { token: b.token, query: { ...buyNow, couponId } });
    expect(chosen.data.order).toMatchObject({
      couponMoney: '0.00',
      hasError: true,
      errorMsg: '该优惠券不支持当前商品',
    });
    const submit = await yoshop('POST', 'checkout/submit', { token: b.token, body: { ...buyNow, couponId } });
    expect(submit).toMatchObject({ status: 500, message: '该优惠券不支持当前商品' });
    const orders = await yoshop('GET', 'order/list', { token: b.token, query: { dataType: 'all', page: 1 } });
    expect(orders.data.list.total).toBe(0);
  });

  it('a coupon that is not offered is refused in the envelope, and nothing is ordered', async () => {
    const b = await yoshopBuyer(t);
    const product = await createProduct(t, admin, { price: 1_000, stock: 9 });
    const buyNow = { mode: 'buyNow', goodsId: product.id, goodsNum: 1, goodsSkuId: '0', delivery: 0, isUsePoints: 0 };
    const preview = await yoshop('GET', 'checkout/order', { token: b.token, query: { ...buyNow, couponId: 999_999 } });
    expect(preview).toEqual({ status: 500, message: '很抱歉，该优惠券不存在或已失效', data: [] });
    const submit = await yoshop('POST', 'checkout/submit', { token: b.token, body: { ...buyNow, couponId: 999_999 } });
    expect(submit).toMatchObject({ status: 500, message: '很抱歉，该优惠券不存在或已失效' });
    const orders = await yoshop('GET', 'order/list', { token: b.token, query: { dataType: 'all', page: 1 } });
    expect(orders.data.list.total).toBe(0);
    const delivery = await yoshop('GET', 'checkout/order', {
      token: b.token,
      query: { ...buyNow, couponId: 0, delivery: 30 },
    });
    expect(delivery).toMatchObject({ status: 500, message: '很抱歉，不支持该配送方式' });
  });

  it('points: the switch shows what points take off while off (isAllowPoints), takes it off when on, and the order keeps it', async () => {
    const b = await yoshopBuyer(t);
    await withPoints(b.memberId, 500);
    const product = await createProduct(t, admin, { price: 2_000, stock: 9 });
    const buyNow = { mode: 'buyNow', goodsId: product.id, goodsNum: 1, goodsSkuId: '0', delivery: 0, couponId: 0 };
    // the demo merchant's rule: 100 points make ¥1, at most 50 % of the goods → 500 points are ¥5.00
    const off = await yoshop('GET', 'checkout/order', { token: b.token, query: { ...buyNow, isUsePoints: 0 } });
    const expressFen = Math.round(Number(off.data.order.expressPrice) * 100);
    expect(off.data.order).toMatchObject({
      isAllowPoints: true,
      isUsePoints: false,
      pointsMoney: '5.00',
      pointsNum: 500,
    });
    expect(Math.round(Number(off.data.order.orderPayPrice) * 100)).toBe(2_000 + expressFen);
    const on = await yoshop('GET', 'checkout/order', { token: b.token, query: { ...buyNow, isUsePoints: 1 } });
    expect(on.data.order).toMatchObject({ isAllowPoints: true, isUsePoints: true, pointsMoney: '5.00' });
    expect(Math.round(Number(on.data.order.orderPayPrice) * 100)).toBe(2_000 - 500 + expressFen);

    const submitted = await yoshop('POST', 'checkout/submit', {
      token: b.token,
      body: { ...buyNow, isUsePoints: 1, remark: '积分抵扣' },
    });
    expect(submitted.status).toBe(200);
    const detail = await yoshop('GET', 'order/detail', { token: b.token, query: { orderId: submitted.data.orderId } });
    expect(detail.data.order).toMatchObject({ points_money: '5.00', points_num: 500, buyer_remark: '积分抵扣' });
    expect(Math.round(Number(detail.data.order.pay_price) * 100)).toBe(2_000 - 500 + expressFen);

    const none = await yoshopBuyer(t);
    const noPoints = await yoshop('GET', 'checkout/order', { token: none.token, query: { ...buyNow, isUsePoints: 0 } });
    expect(noPoints.data.order).toMatchObject({ isAllowPoints: false, pointsMoney: '0.00' });
  });
});
