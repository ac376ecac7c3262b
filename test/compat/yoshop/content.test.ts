import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { yoshop as yoshopShared, yoshopBuyer, type YoshopOptions } from '../../support/yoshop-client.ts';

/**
 * The YoShop uniapp's pages ordo has no content for (articles, the help centre, the region list: empty in their
 * shapes) and the goods reads besides goods/detail (goods/basic, goods/specData, goods/skuInfo), called as the
 * client calls them.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const yoshop = (method: 'GET' | 'POST', route: string, options?: YoshopOptions) =>
  yoshopShared(t, method, route, options);

const EMPTY_PAGE = { data: [], total: 0, per_page: 15, current_page: 1, last_page: 1 };

describe('articles, help and regions', () => {
  it('answer empty in the shapes the pages read, to anyone', async () => {
    expect(await yoshop('GET', 'article.category/list')).toEqual({
      status: 200,
      message: 'success',
      data: { list: [] },
    });
    const articles = await yoshop('GET', 'article/list', { query: { categoryId: 0, page: 1 } });
    expect(articles).toMatchObject({ status: 200, data: { list: EMPTY_PAGE } });
    const help = await yoshop('GET', 'help/list', { query: { page: 1 } });
    expect(help).toMatchObject({ status: 200, data: { list: EMPTY_PAGE } });
    for (const route of ['region/all', 'region/tree'])
      expect(await yoshop('GET', route)).toEqual({ status: 200, message: 'success', data: { list: [] } });
  });

  it('an article is not found; a bad parameter is refused in the envelope', async () => {
    expect(await yoshop('GET', 'article/detail', { query: { articleId: 1 } })).toEqual({
      status: 500,
      message: '很抱歉，文章不存在',
      data: [],
    });
    expect((await yoshop('GET', 'article/detail')).status).toBe(500);
    expect((await yoshop('GET', 'article/list', { query: { page: 'x' } })).status).toBe(500);
  });
});

describe('goods/basic, goods/specData and goods/skuInfo', () => {
  async function goodsWithSpecs() {
    const list = await yoshop('GET', 'goods/list', { query: { page: 1, goodsName: 'YAMAHA' } });
    const goodsId = list.data.list.data[0].goods_id as number;
    const detail = (await yoshop('GET', 'goods/detail', { query: { goodsId } })).data.detail;
    return { goodsId, detail };
  }

  it('goods/basic is goods/detail without the long description', async () => {
    const { goodsId, detail } = await goodsWithSpecs();
    const basic = await yoshop('GET', 'goods/basic', { query: { goodsId, verifyStatus: 1 } });
    expect(basic.status).toBe(200);
    const { content: _content, ...rest } = detail;
    expect(basic.data.detail).toEqual(rest);
    expect(basic.data.detail).toMatchObject({
      goods_id: goodsId,
      goods_name: expect.any(String),
      goods_price_min: expect.stringMatching(/^\d+\.\d\d$/),
      goods_images: expect.any(Array),
      skuList: expect.any(Array),
    });
  });

  it('goods/skuInfo gives the SKU the popup names by goods_sku_id', async () => {
    const { goodsId, detail } = await goodsWithSpecs();
    const sku = detail.skuList[0];
    const info = await yoshop('GET', 'goods/skuInfo', { query: { goodsId, goodsSkuId: sku.goods_sku_id } });
    expect(info).toEqual({ status: 200, message: 'success', data: { skuInfo: sku } });
    expect(info.data.skuInfo).toMatchObject({
      goods_sku_id: expect.any(String),
      goods_price: expect.stringMatching(/^\d+\.\d\d$/),
      line_price: expect.stringMatching(/^\d+\.\d\d$/),
      stock_num: expect.any(Number),
    });
  });

  it('goods/specData gives the add-to-cart popup of a goods list the specs and SKUs of goods/detail', async () => {
    // components/add-cart-popup: a multi-spec good (spec_type 20) of the home page or a list, 加入购物车
    const tee = (await yoshop('GET', 'goods/detail', { query: { goodsId: 10006 } })).data.detail;
    expect(tee.spec_type).toBe(20);
    const reply = await yoshop('GET', 'goods/specData', { query: { goodsId: 10006 } });
    expect(reply).toEqual({
      status: 200,
      message: 'success',
      data: { specData: { specList: tee.specList, skuList: tee.skuList } },
    });
    const { specList, skuList } = reply.data.specData;
    // the popup names each SKU by spec_value_ids[i] in group i, and adds the chosen goods_sku_id to the cart
    const names = skuList.map((s: { spec_value_ids: number[] }) =>
      s.spec_value_ids
        .map((id, i) => specList[i].valueList.find((v: { spec_value_id: number }) => v.spec_value_id === id).spec_value)
        .join(' '),
    );
    expect(names).toContain('M 黑');
    const b = await yoshopBuyer(t);
    const mBlack = skuList[names.indexOf('M 黑')];
    const added = await yoshop('POST', 'cart/add', {
      token: b.token,
      body: { goodsId: 10006, goodsSkuId: mBlack.goods_sku_id, goodsNum: 1 },
    });
    expect(added).toMatchObject({ status: 200, data: { cartTotal: 1 } });
    expect(await yoshop('GET', 'goods/specData', { query: { goodsId: 99_999_999 } })).toMatchObject({
      status: 500,
      message: '很抱歉，商品信息不存在或已下架',
    });
  });

  it('refuses an unknown good or SKU in the envelope', async () => {
    const { goodsId } = await goodsWithSpecs();
    expect(await yoshop('GET', 'goods/skuInfo', { query: { goodsId, goodsSkuId: '999999' } })).toEqual({
      status: 500,
      message: '很抱歉，商品规格不存在',
      data: [],
    });
    for (const route of ['goods/basic', 'goods/skuInfo'])
      expect(await yoshop('GET', route, { query: { goodsId: 99_999_999 } })).toEqual({
        status: 500,
        message: '很抱歉，商品信息不存在或已下架',
        data: [],
      });
  });
});
