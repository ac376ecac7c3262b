import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../support/api.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { yoshop as yoshopShared, yoshopBuyer, type YoshopOptions } from '../../support/yoshop-client.ts';

/**
 * The goods page's SKU popup (pages/goods/components/SkuPopup.vue with components/goods-sku-popup): it builds its
 * choices from `specList[i].valueList[].{spec_value_id, spec_value}`, names each `skuList` item by looking up
 * `spec_value_ids[i]` in `specList[i]`, treats an item as chosen only when its `id` is truthy, shows its
 * `goods_price` (× 100), `stock_num` and `image_url` (else the good's image), and adds to the cart or buys with its
 * `goods_sku_id`. The demo T-shirt 10006 comes in 尺码 S/M/L × 颜色 白/黑; L costs 69 yuan, the others 59.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const yoshop = (method: 'GET' | 'POST', route: string, options?: YoshopOptions) =>
  yoshopShared(t, method, route, options);
const YUAN = /^\d+\.\d{2}$/;
const TEE = 10006;

interface SpecGroup {
  spec_id: number;
  spec_name: string;
  valueList: { spec_value_id: number; spec_value: string }[];
}
interface SkuItem {
  id: number;
  goods_sku_id: string;
  goods_id: number;
  goods_price: string;
  line_price: string;
  stock_num: number;
  image_url: string;
  spec_value_ids: number[];
}

async function teeDetail() {
  const reply = await yoshop('GET', 'goods/detail', { query: { goodsId: TEE } });
  expect(reply.status).toBe(200);
  return reply.data.detail as {
    spec_type: number;
    goods_price_min: string;
    goods_price_max: string;
    specList: SpecGroup[];
    skuList: SkuItem[];
    specData: { spec_attr: { group_name: string; spec_items: { item_id: number; spec_value: string }[] }[] };
  };
}

/** The popup's name of a SKU: the value of group i for spec_value_ids[i]. */
const popupName = (specList: SpecGroup[], sku: SkuItem) =>
  sku.spec_value_ids.map((id, i) => specList[i]!.valueList.find((v) => v.spec_value_id == id)!.spec_value);

describe('goods/detail specs and SKUs as the SKU popup reads them', () => {
  it('lists the spec groups and one SKU per combination, each with its id, price, stock and image', async () => {
    const d = await teeDetail();
    expect(d.spec_type).toBe(20);
    expect(d).toMatchObject({ goods_price_min: '59.00', goods_price_max: '69.00' });
    expect(d.specList.map((g) => [g.spec_name, g.valueList.map((v) => v.spec_value)])).toEqual([
      ['尺码', ['S', 'M', 'L']],
      ['颜色', ['白', '黑']],
    ]);
    for (const g of d.specList) {
      expect(typeof g.spec_id).toBe('number');
      for (const v of g.valueList) expect(typeof v.spec_value_id).toBe('number');
    }
    expect(d.skuList.map((s) => popupName(d.specList, s).join(' '))).toEqual([
      'S 白',
      'S 黑',
      'M 白',
      'M 黑',
      'L 白',
      'L 黑',
    ]);
    for (const sku of d.skuList) {
      expect(sku.id).toBeGreaterThan(0);
      expect(sku.goods_id).toBe(TEE);
      expect(sku.goods_sku_id).toBe(sku.spec_value_ids.join('_'));
      expect(sku.goods_price).toMatch(YUAN);
      expect(sku.line_price).toBe('79.00');
      expect(sku.stock_num).toBe(50);
      expect(typeof sku.image_url).toBe('string');
    }
    expect(d.skuList.map((s) => s.goods_price)).toEqual(['59.00', '59.00', '59.00', '59.00', '69.00', '69.00']);
    // the same in YoShop 1.x's shape
    expect(d.specData.spec_attr.map((g) => [g.group_name, g.spec_items.map((i) => i.spec_value)])).toEqual([
      ['尺码', ['S', 'M', 'L']],
      ['颜色', ['白', '黑']],
    ]);
  });

  it('a good without specs is single-spec with one SKU "0" the popup can choose (a truthy id)', async () => {
    const reply = await yoshop('GET', 'goods/detail', { query: { goodsId: 10001 } });
    expect(reply.data.detail).toMatchObject({
      spec_type: 10,
      specList: [],
      skuList: [{ id: 10001, goods_sku_id: '0', spec_value_ids: [], goods_price: '3999.00', stock_num: 200 }],
    });
  });
});

describe('cart and checkout with a goods_sku_id of any combination', () => {
  it('adds every combination to the cart, each its own line at its own price', async () => {
    const d = await teeDetail();
    const b = await yoshopBuyer(t);
    for (const sku of d.skuList) {
      const added = await yoshop('POST', 'cart/add', {
        token: b.token,
        body: { goodsId: TEE, goodsSkuId: sku.goods_sku_id, goodsNum: 1 },
      });
      expect(added.status).toBe(200);
    }
    const cart = await yoshop('GET', 'cart/list', { token: b.token });
    expect(cart.data.list).toHaveLength(6);
    const lBlack = d.skuList[5]!;
    const line = cart.data.list.find((l: { goods_sku_id: string }) => l.goods_sku_id === lBlack.goods_sku_id);
    expect(line).toMatchObject({
      goods_id: TEE,
      goods_num: 1,
      goods: {
        goods_price_min: '69.00',
        skuInfo: {
          goods_sku_id: lBlack.goods_sku_id,
          goods_price: '69.00',
          stock_num: 50,
          goods_props: [
            { group: { name: '尺码' }, value: { name: 'L' } },
            { group: { name: '颜色' }, value: { name: '黑' } },
          ],
        },
      },
    });
  });

  it('buys a SKU now: checkout shows it, submit takes its stock', async () => {
    const d = await teeDetail();
    const mBlack = d.skuList[3]!;
    const b = await yoshopBuyer(t);
    const buyNow = { mode: 'buyNow', goodsId: TEE, goodsNum: 2, goodsSkuId: mBlack.goods_sku_id, couponId: 0 };
    const preview = await yoshop('GET', 'checkout/order', { token: b.token, query: { ...buyNow, isUsePoints: 0 } });
    expect(preview.status, preview.message).toBe(200);
    expect(preview.data.order.goodsList[0]).toMatchObject({
      goods_id: TEE,
      goods_sku_id: mBlack.goods_sku_id,
      goods_price: '59.00',
      total_num: 2,
    });
    const submitted = await yoshop('POST', 'checkout/submit', {
      token: b.token,
      body: { ...buyNow, delivery: 10, isUsePoints: 0, remark: '' },
    });
    expect(submitted.status, submitted.message).toBe(200);
    const after = await api(t, 'GET', `/v1/products/${TEE}`);
    const stock = after.body.skus.map((s: { stock: number }) => s.stock);
    expect(stock).toEqual([50, 50, 50, 48, 50, 50]);
    const again = await teeDetail();
    expect(again.skuList[3]!.stock_num).toBe(48);
  });

  it('refuses a goods_sku_id that names no SKU in the client’s envelope, adding nothing', async () => {
    const d = await teeDetail();
    const b = await yoshopBuyer(t);
    const size = d.specList[0]!.valueList[0]!.spec_value_id;
    const otherSize = d.specList[0]!.valueList[1]!.spec_value_id;
    for (const goodsSkuId of [String(size), `${size}_${otherSize}`, '999999_1']) {
      const refused = await yoshop('POST', 'cart/add', {
        token: b.token,
        body: { goodsId: TEE, goodsSkuId, goodsNum: 1 },
      });
      expect(refused.status, goodsSkuId).toBe(500);
      expect(typeof refused.message).toBe('string');
    }
    expect((await yoshop('GET', 'cart/list', { token: b.token })).data.list).toEqual([]);
  });
});

describe('the cart page: the stepper (cart/update) and 删除 (cart/clear)', () => {
  /** The goods_sku_id the popup hands over for a size and a colour. */
  async function teeSku(size: string, colour: string) {
    const d = await teeDetail();
    return d.skuList.find((s) => popupName(d.specList, s).join(' ') === `${size} ${colour}`)!.goods_sku_id;
  }
  const add = (token: string, goodsId: number, goodsSkuId: string, goodsNum: number) =>
    yoshop('POST', 'cart/add', { token, body: { goodsId, goodsSkuId, goodsNum } });

  it('changes a line’s quantity and clears the ticked lines, answering the badge each time', async () => {
    const b = await yoshopBuyer(t);
    const mWhite = await teeSku('M', '白');
    const lBlack = await teeSku('L', '黑');
    await add(b.token, TEE, mWhite, 1);
    await add(b.token, TEE, lBlack, 2);
    await add(b.token, 10001, '0', 1);
    const cart = (await yoshop('GET', 'cart/list', { token: b.token })).data;
    expect(cart.cartTotal).toBe(4);
    const idOf = (skuId: string) => cart.list.find((l: { goods_sku_id: string }) => l.goods_sku_id === skuId).id;

    // the stepper: 2 → 5 of L 黑; the page takes the new badge from the answer
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
      body: { cartIds: [idOf(mWhite), idOf('0'), 999_999_999] },
    });
    expect(cleared).toMatchObject({ status: 200, data: { cartTotal: 5 } });
    const left = (await yoshop('GET', 'cart/list', { token: b.token })).data.list;
    expect(left.map((l: { goods_sku_id: string; goods_num: number }) => [l.goods_sku_id, l.goods_num])).toEqual([
      [lBlack, 5],
    ]);
  });

  it('another member’s line is not cleared, and a guest is sent to sign in', async () => {
    const owner = await yoshopBuyer(t);
    const other = await yoshopBuyer(t);
    await add(owner.token, 10001, '0', 1);
    const id = (await yoshop('GET', 'cart/list', { token: owner.token })).data.list[0].id as number;
    await yoshop('POST', 'cart/clear', { token: other.token, body: { cartIds: [id] } });
    expect((await yoshop('GET', 'cart/total', { token: owner.token })).data).toEqual({ cartTotal: 1 });
    for (const route of ['cart/update', 'cart/clear'])
      expect(await yoshop('POST', route, { body: { cartIds: [id] } })).toMatchObject({ status: 401 });
  });
});
