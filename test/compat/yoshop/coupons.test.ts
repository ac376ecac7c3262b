import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../support/api.ts';
import { createMember, createProduct, staffToken } from '../../support/actors.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { yoshop as yoshopShared, yoshopBuyer, type YoshopOptions } from '../../support/yoshop-client.ts';

/**
 * The coupon centre and the wallet as pages/coupon and pages/my-coupon call them: `coupon/list` (GET, no
 * parameters, signed in or not), `myCoupon/receive` (POST `{couponId}`) and `myCoupon/list` (GET `dataType`, `page`);
 * then the claimed coupon at checkout by its `user_coupon_id`. Every field the pages read, with its type.
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
const DAY = /^\d{4}\/\d\d\/\d\d$/;

async function template(body: Record<string, unknown>): Promise<number> {
  const created = await api(t, 'POST', '/v1/admin/coupons', { token: admin, body: { claimable: true, ...body } });
  expect(created.status).toBe(201);
  return created.body.id;
}
const centreItem = async (couponId: number, token?: string) =>
  (await yoshop('GET', 'coupon/list', { token })).data.list.find(
    (c: { coupon_id: number }) => c.coupon_id === couponId,
  );
const myCoupons = async (token: string, dataType: string) =>
  (await yoshop('GET', 'myCoupon/list', { token, query: { dataType, page: 1 } })).data.list;

describe('coupon/list', () => {
  it('lists the claimable coupons with the fields pages/coupon reads, for a guest and per member', async () => {
    const fixed = await template({
      title: '满100减15',
      kind: 'fixed',
      amountOff: 1_500,
      minSpend: 10_000,
      validDays: 30,
      perMemberLimit: 1,
      totalQuantity: 50,
    });
    const percent = await template({
      title: '全场95折',
      kind: 'percent',
      percentOff: 5,
      minSpend: 0,
      startsAt: '2030-01-01T00:00:00+08:00',
      endsAt: '2030-02-01T00:00:00+08:00',
    });
    const guest = await yoshop('GET', 'coupon/list');
    expect(guest.status).toBe(200);
    expect(Array.isArray(guest.data.list)).toBe(true);
    expect(await centreItem(fixed)).toEqual({
      coupon_id: fixed,
      name: '满100减15',
      coupon_type: 10,
      reduce_price: '15.00',
      discount: 0,
      min_price: '100.00',
      apply_range: 10,
      expire_type: 10,
      expire_day: 30,
      start_time: expect.stringMatching(DAY),
      end_time: '长期有效',
      is_receive: false,
      state: { text: '正常', value: 1 },
    });
    expect(await centreItem(percent)).toMatchObject({
      coupon_type: 20,
      discount: 9.5,
      min_price: '0.00',
      expire_type: 20,
      start_time: '2030/01/01',
      end_time: '2030/01/31',
      state: { value: 1 },
    });

    const b = await yoshopBuyer(t);
    expect(await yoshop('POST', 'myCoupon/receive', { token: b.token, body: { couponId: fixed } })).toEqual({
      status: 200,
      message: '领取成功',
      data: [],
    });
    expect(await centreItem(fixed, b.token)).toMatchObject({ is_receive: true, state: { text: '已领取', value: 0 } });
    expect(await centreItem(fixed)).toMatchObject({ is_receive: false, state: { value: 1 } });
    expect(await yoshop('POST', 'myCoupon/receive', { token: b.token, body: { couponId: fixed } })).toEqual({
      status: 500,
      message: '当前用户已领取该优惠券',
      data: [],
    });
  });

  it('a coupon with none left shows 已抢光, and claiming it is refused in the client’s words', async () => {
    const last = await template({ title: '限量', kind: 'fixed', amountOff: 100, minSpend: 0, totalQuantity: 1 });
    const first = await yoshopBuyer(t);
    const second = await yoshopBuyer(t);
    expect((await yoshop('POST', 'myCoupon/receive', { token: first.token, body: { couponId: last } })).status).toBe(
      200,
    );
    expect(await centreItem(last, second.token)).toMatchObject({
      is_receive: false,
      state: { text: '已抢光', value: 0 },
    });
    // the same claim under each name the client's api/ folder has for it
    for (const route of ['coupon/receive', 'user.coupon/receive'])
      expect(await yoshop('POST', route, { token: second.token, body: { couponId: last } })).toMatchObject({
        status: 500,
        message: '很抱歉，当前优惠券已发完',
      });
  });

  it('user.coupon/receive (api/user/coupon.js) claims as myCoupon/receive does', async () => {
    const id = await template({ title: '别名领取', kind: 'fixed', amountOff: 100, minSpend: 0, perMemberLimit: 1 });
    const b = await yoshopBuyer(t);
    expect(await yoshop('POST', 'user.coupon/receive', { token: b.token, body: { couponId: id } })).toMatchObject({
      status: 200,
      message: '领取成功',
    });
    expect(await centreItem(id, b.token)).toMatchObject({ is_receive: true, state: { text: '已领取', value: 0 } });
    expect(await yoshop('POST', 'user.coupon/receive', { body: { couponId: id } })).toMatchObject({ status: 401 });
  });

  it('refuses a guest (401), an unknown coupon and a bad couponId in the envelope, claiming nothing', async () => {
    const id = await template({ kind: 'fixed', amountOff: 100, minSpend: 0 });
    expect(await yoshop('POST', 'myCoupon/receive', { body: { couponId: id } })).toMatchObject({ status: 401 });
    const b = await yoshopBuyer(t);
    expect(await yoshop('POST', 'myCoupon/receive', { token: b.token, body: { couponId: 999_999_999 } })).toMatchObject(
      {
        status: 500,
        message: '很抱歉，当前优惠券不存在',
      },
    );
    for (const couponId of ['abc', -1, null, { a: 1 }])
      expect(await yoshop('POST', 'myCoupon/receive', { token: b.token, body: { couponId } })).toMatchObject({
        status: 500,
        message: expect.stringContaining('couponId'),
      });
    expect(await yoshop('GET', 'myCoupon/list', { token: b.token, query: { dataType: 'bogus' } })).toMatchObject({
      status: 500,
    });
    expect((await myCoupons(b.token, 'all')).total).toBe(0);
  });
});

describe('myCoupon/list', () => {
  it('the 未使用 / 已使用 / 已过期 tabs as pages/my-coupon reads them; the claimed coupon pays at checkout to the fen', async () => {
    const product = await createProduct(t, admin, { price: 12_000, stock: 5 });
    const kept = await template({
      title: '满100减15',
      kind: 'fixed',
      amountOff: 1_500,
      minSpend: 10_000,
      validDays: 7,
    });
    const soon = await template({ title: '三日券', kind: 'percent', percentOff: 20, minSpend: 0, validDays: 3 });
    const b = await yoshopBuyer(t);
    for (const couponId of [kept, soon])
      expect((await yoshop('POST', 'myCoupon/receive', { token: b.token, body: { couponId } })).status).toBe(200);

    const unused = await myCoupons(b.token, 'isUnused');
    expect(unused).toMatchObject({ total: 2, per_page: 15, current_page: 1, last_page: 1 });
    const keptItem = unused.data.find((c: { coupon_id: number }) => c.coupon_id === kept);
    expect(keptItem).toEqual({
      user_coupon_id: expect.any(Number),
      coupon_id: kept,
      name: '满100减15',
      coupon_type: 10,
      reduce_price: '15.00',
      discount: 0,
      min_price: '100.00',
      apply_range: 10,
      start_time: expect.stringMatching(DAY),
      end_time: expect.stringMatching(DAY),
      is_use: 0,
      is_expire: 0,
      state: { text: '正常', value: 1 },
    });
    expect(unused.data.find((c: { coupon_id: number }) => c.coupon_id === soon)).toMatchObject({
      coupon_type: 20,
      discount: 8,
    });
    expect(YUAN.test(keptItem.reduce_price)).toBe(true);

    // the checkout page offers it by user_coupon_id, and the order takes it off to the fen
    const buyNow = { mode: 'buyNow', goodsId: product.id, goodsNum: 1, goodsSkuId: '0', delivery: 20, isUsePoints: 0 };
    const preview = await yoshop('GET', 'checkout/order', {
      token: b.token,
      query: { ...buyNow, couponId: keptItem.user_coupon_id },
    });
    expect(preview.data.order).toMatchObject({
      couponId: keptItem.user_coupon_id,
      couponMoney: '15.00',
      orderPayPrice: '105.00',
    });
    const submitted = await yoshop('POST', 'checkout/submit', {
      token: b.token,
      body: { ...buyNow, couponId: keptItem.user_coupon_id, remark: '' },
    });
    expect(submitted).toMatchObject({ status: 200, data: { orderId: expect.any(Number) } });
    // used once: a second order naming it is refused in the client's words
    expect(
      await yoshop('POST', 'checkout/submit', {
        token: b.token,
        body: { ...buyNow, couponId: keptItem.user_coupon_id, remark: 'again' },
      }),
    ).toMatchObject({ status: 500 });

    const used = await myCoupons(b.token, 'isUse');
    expect(used.data).toEqual([
      expect.objectContaining({ coupon_id: kept, is_use: 1, is_expire: 0, state: { text: '已使用', value: 0 } }),
    ]);

    t.clock.advance(3 * 86_400_000);
    const again = await yoshopBuyer(t); // tokens live a day: the tabs of a member signed in now
    expect((await myCoupons(again.token, 'isExpire')).total).toBe(0);
    const { token } = await relogin(b.mobile);
    const expired = await myCoupons(token, 'isExpire');
    expect(expired.data).toEqual([
      expect.objectContaining({ coupon_id: soon, is_use: 0, is_expire: 1, state: { text: '已过期', value: 0 } }),
    ]);
    expect((await myCoupons(token, 'isUnused')).total).toBe(0);
    expect((await myCoupons(token, 'all')).total).toBe(2);
  });
});

async function relogin(mobile: string) {
  const login = await yoshop('POST', 'passport/login', { body: { form: { mobile, password: 'secret123' } } });
  expect(login.status).toBe(200);
  return { token: login.data.token as string };
}

it('a member of the demo shop sees the demo coupon to claim', async () => {
  const m = await createMember(t);
  const centre = await api(t, 'GET', '/v1/coupons', { token: m.token });
  expect(centre.body.map((c: { title: string }) => c.title)).toContain('领券满100减15');
});
