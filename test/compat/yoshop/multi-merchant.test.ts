import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../src/demo/seed-demo.ts';
import { api } from '../../support/api.ts';
import { staffToken } from '../../support/actors.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { yoshop as yoshopShared, type YoshopOptions } from '../../support/yoshop-client.ts';

/**
 * Two merchants behind one YoShop mount: the client configured for store 10002 sends `storeId: 10002` on every
 * call, and that store chooses the merchant — its catalog, home page, comments and members. A member of one
 * merchant has no session at the other's store, and neither sees anything of the other.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const SECOND = DEMO.secondShop;

/** A call as the client makes it, with the `storeId` header when the client is configured for a store. */
const yoshop = (method: 'GET' | 'POST', route: string, options?: YoshopOptions) =>
  yoshopShared(t, method, route, options);

async function signIn(storeId: number, mobile: string, password: string) {
  const login = await yoshop('POST', 'passport/login', { storeId, body: { form: { mobile, password } } });
  expect(login.status).toBe(200);
  return login.data.token as string;
}

const names = (list: { goods_name: string }[]) => list.map((g) => g.goods_name);

describe('the storeId header chooses the merchant', () => {
  it('store/data, goods, categories and the home page of store 10002 are its merchant’s only', async () => {
    const store = await yoshop('GET', 'store/data', { storeId: SECOND.storeId });
    expect(store.data.storeInfo).toMatchObject({ store_id: SECOND.storeId, store_name: '二号店-广州天河店' });
    expect((await yoshop('GET', 'store/data')).data.storeInfo.store_id).toBe(DEMO.storeId);

    const second = await yoshop('GET', 'goods/list', { storeId: SECOND.storeId, query: { page: 1 } });
    expect(names(second.data.list.data)).toEqual(['尤克里里 23寸 桃花心木']);
    const first = await yoshop('GET', 'goods/list', { query: { page: 1 } });
    expect(names(first.data.list.data)).not.toContain('尤克里里 23寸 桃花心木');
    expect(first.data.list.total).toBeGreaterThan(1);

    const ukulele = second.data.list.data[0].goods_id as number;
    const detail = await yoshop('GET', 'goods/detail', { storeId: SECOND.storeId, query: { goodsId: ukulele } });
    expect(detail.data.detail).toMatchObject({ goods_id: ukulele, goods_price_min: '299.00', goods_type: 10 });
    // the other merchant's goods are not found at this store, and this one's not at the other
    const phone = first.data.list.data[0].goods_id as number;
    expect((await yoshop('GET', 'goods/detail', { storeId: SECOND.storeId, query: { goodsId: phone } })).status).toBe(
      500,
    );
    expect((await yoshop('GET', 'goods/detail', { query: { goodsId: ukulele } })).status).toBe(500);

    const categories = await yoshop('GET', 'category/list', { storeId: SECOND.storeId });
    expect(categories.data.list.map((c: { name: string }) => c.name)).toEqual(['乐器']);

    const page = await yoshop('GET', 'page/detail', { storeId: SECOND.storeId, query: { pageId: 0 } });
    const goods = page.data.pageData.items.find((i: { type: string }) => i.type === 'goods');
    expect(names(goods.data)).toEqual(['尤克里里 23寸 桃花心木']);

    expect(
      (await yoshop('GET', 'comment/listRows', { storeId: SECOND.storeId, query: { goodsId: phone } })).data,
    ).toEqual({ list: [], total: 0 });
    expect((await yoshop('GET', 'setting/data', { storeId: SECOND.storeId })).status).toBe(200);
  });

  it('an unknown store is 很抱歉，商城不存在, for guests and members alike', async () => {
    for (const route of ['store/data', 'goods/list', 'page/detail', 'setting/data'])
      expect(await yoshop('GET', route, { storeId: 99_999 })).toMatchObject({
        status: 500,
        message: '很抱歉，商城不存在',
      });
    const token = await signIn(DEMO.storeId, DEMO.member.mobile, DEMO.member.password);
    expect(await yoshop('GET', 'user/info', { storeId: 99_999, token })).toMatchObject({
      status: 500,
      message: '很抱歉，商城不存在',
    });
  });
});

describe('members belong to one merchant', () => {
  it('the second merchant’s member signs in at store 10002 and sees their own account only', async () => {
    const token = await signIn(SECOND.storeId, SECOND.member.mobile, SECOND.member.password);
    const info = await yoshop('GET', 'user/info', { storeId: SECOND.storeId, token });
    expect(info.data.userInfo).toMatchObject({ nick_name: '二号店用户', balance: '100.00', grade: null });
    const assets = await yoshop('GET', 'user/assets', { storeId: SECOND.storeId, token });
    // the demo merchant's coupons (WELCOME10, SAVE5) are not this merchant's
    expect(assets.data.assets).toEqual({ balance: '100.00', points: 0, coupon: 0 });
    expect((await yoshop('GET', 'balance.log/list', { storeId: SECOND.storeId, token })).data.list).toMatchObject({
      total: 1,
      data: [{ money: '100.00', describe: '开户赠送' }],
    });
    expect(
      (await yoshop('GET', 'order/list', { storeId: SECOND.storeId, token, query: { dataType: 'all' } })).status,
    ).toBe(200);
    expect((await yoshop('GET', 'order/todoCounts', { storeId: SECOND.storeId, token })).data.counts).toEqual({
      payment: 0,
      delivery: 0,
      received: 0,
      refund: 0,
    });
  });

  it('a member’s token is no session at the other merchant’s store: 401, and a guest’s empty cart', async () => {
    const second = await signIn(SECOND.storeId, SECOND.member.mobile, SECOND.member.password);
    const demo = await signIn(DEMO.storeId, DEMO.member.mobile, DEMO.member.password);
    for (const [token, storeId] of [
      [second, DEMO.storeId],
      [second, undefined],
      [demo, SECOND.storeId],
    ] as const) {
      for (const route of ['user/info', 'user/assets', 'order/todoCounts', 'cart/list', 'order/list'])
        expect(await yoshop('GET', route, { storeId, token })).toMatchObject({ status: 401 });
      expect((await yoshop('GET', 'cart/total', { storeId, token })).data).toEqual({ cartTotal: 0 });
    }
  });

  it('a member signs in at their own merchant’s store only', async () => {
    const wrongShop = await yoshop('POST', 'passport/login', {
      storeId: SECOND.storeId,
      body: { form: { mobile: DEMO.member.mobile, password: DEMO.member.password } },
    });
    expect(wrongShop).toMatchObject({ status: 500, message: '手机号或密码错误' });
    const other = await yoshop('POST', 'passport/login', {
      body: { form: { mobile: SECOND.member.mobile, password: SECOND.member.password } },
    });
    expect(other).toMatchObject({ status: 500, message: '手机号或密码错误' });
  });

  it('the demo merchant’s staff see and edit only their own store’s page', async () => {
    const admin = await staffToken(t);
    expect((await api(t, 'GET', `/v1/admin/stores/${SECOND.storeId}/page`, { token: admin })).status).toBe(404);
    expect((await api(t, 'DELETE', `/v1/admin/stores/${SECOND.storeId}/page`, { token: admin })).status).toBe(404);
  });
});
