import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { yoshop as yoshopShared, yoshopBuyer, type YoshopOptions } from '../../support/yoshop-client.ts';

/**
 * The cart page (pages/cart/index.vue) as it calls ordo: cart/list for the lines (`id` to tick and to clear,
 * `goods_id`, `goods_sku_id`, `goods_num`, `goods.goods_image`, `.goods_name`, `.skuInfo.goods_price`,
 * `.skuInfo.goods_props`) and `cartTotal`; the stepper's cart/update (POST goodsId, goodsSkuId, goodsNum → the new
 * `cartTotal`, its message not shown); 删除's cart/clear (POST `cartIds`, the ticked line ids).
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const yoshop = (method: 'GET' | 'POST', route: string, options?: YoshopOptions) =>
  yoshopShared(t, method, route, options);
const TEE = 10006;

async function teeSku(size: string, colour: string) {
  const detail = (await yoshop('GET', 'goods/detail', { query: { goodsId: TEE } })).data.detail;
  const ids = detail.specList.map(
    (g: { valueList: { spec_value_id: number; spec_value: string }[] }, i: number) =>
      g.valueList.find((v) => v.spec_value === [size, colour][i])!.spec_value_id,
  );
  return detail.skuList.find((s: { spec_value_ids: number[] }) => s.spec_value_ids.join() === ids.join())
    .goods_sku_id as string;
}

describe('the cart page', () => {
  it('lists the lines with the fields it draws, changes a quantity and clears the ticked lines', async () => {
    const b = await yoshopBuyer(t);
    const mWhite = await teeSku('M', '白');
    const lBlack = await teeSku('L', '黑');
    for (const [goodsSkuId, goodsNum] of [
      [mWhite, 1],
      [lBlack, 2],
    ] as const)
      expect(
        (await yoshop('POST', 'cart/add', { token: b.token, body: { goodsId: TEE, goodsSkuId, goodsNum } })).status,
      ).toBe(200);
    await yoshop('POST', 'cart/add', { token: b.token, body: { goodsId: 10001, goodsSkuId: '0', goodsNum: 1 } });

    const cart = (await yoshop('GET', 'cart/list', { token: b.token })).data;
    expect(cart.cartTotal).toBe(4);
    const line = (skuId: string) => cart.list.find((l: { goods_sku_id: string }) => l.goods_sku_id === skuId);
    expect(line(lBlack)).toEqual(
      expect.objectContaining({
        id: expect.any(Number),
        goods_id: TEE,
        goods_sku_id: lBlack,
        goods_num: 2,
        goods: expect.objectContaining({
          goods_name: expect.any(String),
          goods_image: expect.stringMatching(/^https?:\/\//),
          skuInfo: expect.objectContaining({
            goods_price: '69.00',
            goods_props: [
              { group: { name: '尺码' }, value: { name: 'L' } },
              { group: { name: '颜色' }, value: { name: '黑' } },
            ],
          }),
        }),
      }),
    );
    expect(line('0')).toMatchObject({ goods_id: 10001, goods_num: 1, goods: { skuInfo: { goods_props: [] } } });

    // the stepper: 2 → 5 of L 黑, the page takes the new badge from the answer
    const updated = await yoshop('POST', 'cart/update', {
      token: b.token,
      body: { goodsId: TEE, goodsSkuId: lBlack, goodsNum: 5 },
    });
    expect(updated).toMatchObject({ status: 200, data: { cartTotal: 7 } });
    expect(
      await yoshop('POST', 'cart/update', { token: b.token, body: { goodsId: TEE, goodsSkuId: '0', goodsNum: 1 } }),
    ).toMatchObject({ status: 500, message: '很抱歉，购物车中没有这件商品' });

    // 删除 the ticked lines (M 白 and the phone); an id that is not the member's line is passed over
    const cleared = await yoshop('POST', 'cart/clear', {
      token: b.token,
      body: { cartIds: [line(mWhite).id, line('0').id, 999_999_999] },
    });
    expect(cleared).toMatchObject({ status: 200, data: { cartTotal: 5 } });
    const left = (await yoshop('GET', 'cart/list', { token: b.token })).data;
    expect(left.list.map((l: { goods_sku_id: string; goods_num: number }) => [l.goods_sku_id, l.goods_num])).toEqual([
      [lBlack, 5],
    ]);
    expect((await yoshop('GET', 'cart/total', { token: b.token })).data).toEqual({ cartTotal: 5 });
  });

  it('another member’s cart line is not cleared, and a guest is sent to sign in', async () => {
    const owner = await yoshopBuyer(t);
    const other = await yoshopBuyer(t);
    await yoshop('POST', 'cart/add', { token: owner.token, body: { goodsId: 10001, goodsSkuId: '0', goodsNum: 1 } });
    const id = (await yoshop('GET', 'cart/list', { token: owner.token })).data.list[0].id as number;
    await yoshop('POST', 'cart/clear', { token: other.token, body: { cartIds: [id] } });
    expect((await yoshop('GET', 'cart/total', { token: owner.token })).data).toEqual({ cartTotal: 1 });
    for (const route of ['cart/list', 'cart/update', 'cart/clear'])
      expect(await yoshop(route === 'cart/list' ? 'GET' : 'POST', route)).toMatchObject({ status: 401 });
  });
});
