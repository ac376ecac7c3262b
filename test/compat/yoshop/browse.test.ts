import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../src/demo/seed-demo.ts';
import { api } from '../../support/api.ts';
import { createMember, createProduct, staffToken } from '../../support/actors.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { yoshop as yoshopShared, yoshopBuyer, type YoshopOptions } from '../../support/yoshop-client.ts';
import { reviewedPurchase } from '../../support/yoshop-stores.ts';

/**
 * The YoShop uniapp's browsing pages, called as the client calls them: the DIY home page (page/detail) from the
 * store's layout (the default built from the catalog, then one staff saved through /v1), the settings the pages
 * read (setting/data), the goods page's extras (goods type, services, the guest cart badge) and its comments
 * (comment/listRows, comment/list, comment/total, and /v1's product reviews) from the reviews buyers wrote.
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
const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const YUAN = /^\d+\.\d{2}$/;

describe('page/detail: the DIY home page', () => {
  it('draws the default page from the catalog: search, banner of the newest products, category navigation, newest goods', async () => {
    const newest = await createProduct(t, admin, { price: 12_340, stock: 5, title: '最新上架的商品' });
    const reply = await yoshop('GET', 'page/detail', { query: { pageId: 0 } });
    expect(reply.status).toBe(200);
    const { page, items } = reply.data.pageData;
    expect(page.params).toMatchObject({ title: expect.any(String), shareTitle: expect.any(String) });
    expect(page.style).toMatchObject({ titleTextColor: expect.any(String), titleBackgroundColor: expect.any(String) });
    expect(items.map((i: { type: string }) => i.type)).toEqual(['search', 'banner', 'navBar', 'goods']);

    const [search, banner, navBar, goods] = items;
    expect(search.params.placeholder).toBe('搜索商品');
    expect(search.style).toMatchObject({ searchStyle: expect.any(String), textAlign: expect.any(String) });

    expect(banner.style).toMatchObject({ btnColor: expect.any(String), btnShape: expect.any(String) });
    expect(typeof banner.style.interval).toBe('number');
    // the new product has no picture, so the banner shows the newest products that have one
    expect(banner.data.length).toBeGreaterThan(0);
    for (const slide of banner.data) {
      expect(slide.imgUrl).toMatch(/^http:\/\/ordo\.test\//);
      expect(slide.link).toMatchObject({ type: 'PAGE', param: { path: 'pages/goods/detail' } });
      expect(typeof slide.link.param.query.goodsId).toBe('number');
    }

    expect(navBar.style).toMatchObject({ rowsNum: expect.any(Number), background: expect.any(String) });
    expect(navBar.data.map((n: { text: string }) => n.text)).toEqual(['手机', '乐器', '服饰']);
    expect(navBar.data[0]).toMatchObject({
      imgUrl: expect.stringMatching(/^http:\/\//),
      link: { type: 'PAGE', param: { path: 'pages/goods/list', query: { categoryId: 100012 } } },
    });

    expect(goods.style).toMatchObject({ display: 'list', column: 2, background: expect.any(String) });
    expect(goods.style.show).toEqual(expect.arrayContaining(['goodsName', 'goodsPrice']));
    expect(goods.data.length).toBe(6);
    expect(goods.data[0]).toMatchObject({
      goods_id: newest.id,
      goods_name: '最新上架的商品',
      goods_price_min: '123.40',
      line_price_min: expect.stringMatching(YUAN),
      selling_point: expect.any(String),
      goods_image: expect.any(String),
      goods_sales: 0,
    });
    const ids = goods.data.map((g: { goods_id: number }) => g.goods_id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('staff replace the layout through /v1; the page shows it; dropping it brings the default back', async () => {
    const path = `/v1/admin/stores/${DEMO.storeId}/page`;
    const before = await api(t, 'GET', path, { token: admin });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ storeId: DEMO.storeId, isDefault: true, updatedAt: null });
    expect(before.body.layout.blocks.map((b: { type: string }) => b.type)).toContain('products');

    const chosen = await createProduct(t, admin, { price: 990, stock: 3, title: '店长推荐' });
    const layout = {
      title: '乐购首页',
      blocks: [
        { type: 'notice', text: '全场满99包邮' },
        { type: 'banner', slides: [{ imageUrl: '/media/demo/guitar.svg', productId: chosen.id }] },
        { type: 'products', title: '店长推荐', source: 'chosen', productIds: [chosen.id, 999_999], count: 5 },
      ],
    };
    const cashier = await staffToken(t, 'cashier');
    expect((await api(t, 'PUT', path, { token: cashier, body: layout })).status).toBe(403);
    const saved = await api(t, 'PUT', path, { token: admin, body: layout });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ isDefault: false, layout, updatedAt: expect.any(String) });
    expect((await api(t, 'GET', path, { token: cashier })).body).toMatchObject({ isDefault: false, layout });

    const page = (await yoshop('GET', 'page/detail', { query: { pageId: 0 } })).data.pageData;
    expect(page.page.params.title).toBe('乐购首页');
    const [notice, banner, goods] = page.items;
    expect(notice).toMatchObject({
      type: 'notice',
      params: { text: '全场满99包邮', showIcon: true, scrollable: true },
    });
    expect(notice.style).toMatchObject({ paddingTop: expect.any(Number), textColor: expect.any(String) });
    expect(banner.data).toEqual([
      {
        imgUrl: 'http://ordo.test/media/demo/guitar.svg',
        link: { type: 'PAGE', param: { path: 'pages/goods/detail', query: { goodsId: chosen.id } } },
      },
    ]);
    // a product that does not exist (or is off sale) is left out
    expect(goods.data.map((g: { goods_id: number }) => g.goods_id)).toEqual([chosen.id]);

    expect((await api(t, 'DELETE', path, { token: admin })).status).toBe(204);
    expect((await api(t, 'GET', path, { token: admin })).body.isDefault).toBe(true);
    const items = (await yoshop('GET', 'page/detail', { query: { pageId: 0 } })).data.pageData.items;
    expect(items.map((i: { type: string }) => i.type)).toEqual(['search', 'banner', 'navBar', 'goods']);
  });

  it('a bad layout is a 400 that changes nothing; another merchant’s store is not found', async () => {
    const path = `/v1/admin/stores/${DEMO.storeId}/page`;
    for (const body of [
      { title: '', blocks: [] },
      { title: '首页', blocks: [{ type: 'video', url: 'x' }] },
      { title: '首页', blocks: [{ type: 'products', title: '', source: 'newest', productIds: [], count: 0 }] },
      { title: '首页', blocks: [{ type: 'notice', text: '' }] },
    ]) {
      const reply = await api(t, 'PUT', path, { token: admin, body });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
    expect((await api(t, 'GET', path, { token: admin })).body.isDefault).toBe(true);
    const other = `/v1/admin/stores/${DEMO.secondShop.storeId}/page`;
    expect((await api(t, 'GET', other, { token: admin })).status).toBe(404);
    const put = await api(t, 'PUT', other, { token: admin, body: { title: '首页', blocks: [] } });
    expect(put.status).toBe(404);
  });

  it('a page other than the home page is not found, in the client’s envelope', async () => {
    const reply = await yoshop('GET', 'page/detail', { query: { pageId: 7 } });
    expect(reply).toMatchObject({ status: 500, message: '很抱歉，未找到该页面' });
  });
});

describe('what the goods page reads besides the goods', () => {
  it('setting/data has the customer-service switch and the settings the pages read', async () => {
    const { status, data } = await yoshop('GET', 'setting/data');
    expect(status).toBe(200);
    const s = data.setting;
    expect(s.customer).toEqual({ enabled: 0, provider: '', config: {} });
    expect(s.points).toMatchObject({ points_name: '积分', describe: expect.any(String) });
    expect(s.recharge).toMatchObject({ is_entrance: expect.any(Boolean), is_custom: expect.any(Number) });
    expect(s.register).toMatchObject({ registerMethod: 10, isManualBind: expect.any(Number) });
    expect(s.app_theme).toMatchObject({ mainBg: expect.any(String), mainText: expect.any(String) });
    expect(s.page_category_template).toMatchObject({ style: expect.any(Number), enabledCart: true });
    expect((await yoshop('GET', 'store/data')).data.setting.customer.enabled).toBe(0);
  });

  it('goods/detail: a physical good without video or purchase limit; no services; a guest’s cart badge is 0', async () => {
    const product = await createProduct(t, admin, { price: 5_000, stock: 9 });
    const { detail } = (await yoshop('GET', 'goods/detail', { query: { goodsId: product.id } })).data;
    expect(detail).toMatchObject({
      goods_type: 10,
      video: null,
      videoCover: null,
      is_restrict: 0,
      restrict_single: 0,
      goods_price_min: '50.00',
      line_price_max: expect.stringMatching(YUAN),
    });

    expect(await yoshop('GET', 'goods.service/list', { query: { goodsId: product.id } })).toMatchObject({
      status: 200,
      data: { list: [] },
    });
    expect(await yoshop('GET', 'cart/total')).toMatchObject({ status: 200, data: { cartTotal: 0 } });

    const buyer = await yoshopBuyer(t);
    const added = await yoshop('POST', 'cart/add', {
      token: buyer.token,
      body: { goodsId: product.id, goodsSkuId: '0', goodsNum: 3 },
    });
    expect(added.status).toBe(200);
    expect((await yoshop('GET', 'cart/total', { token: buyer.token })).data).toEqual({ cartTotal: 3 });
  });
});

/** A member buys the product, pays from the balance, gets it shipped, confirms receipt and reviews it. */
async function reviewed(productId: number, rating: number, content: string, imageUrls: string[] = []) {
  const buyer = await createMember(t);
  await t.ctx.db
    .updateTable('members')
    .set({ nickname: `买家${rating}` })
    .where('id', '=', buyer.memberId)
    .execute();
  const order = await reviewedPurchase(t, admin, buyer, { productId }, { rating, content, imageUrls });
  return { ...buyer, ...order };
}

describe('comments: the reviews buyers wrote', () => {
  let productId: number;
  beforeAll(async () => {
    productId = (await createProduct(t, admin, { price: 1_000, stock: 50 })).id;
    await reviewed(productId, 5, '音色很好', ['/media/demo/guitar.svg']);
    await reviewed(productId, 3, '一般般');
    await reviewed(productId, 1, '弦断了');
    await reviewed(productId, 4, '物流快');
    // a review the system gave when the window ran out has no words: it is not shown or counted
    const silent = await reviewed(productId, 5, '');
    await t.ctx.db.updateTable('reviews').set({ automatic: true }).where('order_id', '=', silent.orderId).execute();
  });

  it('comment/listRows: the goods page’s first comments with the count', async () => {
    const reply = await yoshop('GET', 'comment/listRows', { query: { goodsId: productId, limit: 2 } });
    expect(reply.status).toBe(200);
    expect(reply.data.total).toBe(4);
    expect(reply.data.list).toHaveLength(2);
    for (const c of reply.data.list) {
      expect(c).toMatchObject({
        score: expect.any(Number),
        content: expect.any(String),
        create_time: expect.stringMatching(TIME),
        user: { nick_name: expect.stringMatching(/^买家\d$/), avatar_url: expect.any(String) },
      });
      expect([10, 20, 30]).toContain(c.score);
    }
    // newest first
    expect(reply.data.list.map((c: { content: string }) => c.content)).toEqual(['物流快', '弦断了']);
  });

  it('comment/list by band with pictures and the options bought; comment/total counts the tabs', async () => {
    const all = await yoshop('GET', 'comment/list', { query: { goodsId: productId, scoreType: -1, page: 1 } });
    expect(all.data.list).toMatchObject({ total: 4, per_page: 15, current_page: 1, last_page: 1 });
    const praise = await yoshop('GET', 'comment/list', { query: { goodsId: productId, scoreType: 10, page: 1 } });
    expect(praise.data.list.data.map((c: { content: string }) => c.content)).toEqual(['物流快', '音色很好']);
    const withPicture = praise.data.list.data[1];
    expect(withPicture).toMatchObject({
      score: 10,
      images: [{ image_url: 'http://ordo.test/media/demo/guitar.svg' }],
      orderGoods: { goods_props: [] },
    });
    const review = await yoshop('GET', 'comment/list', { query: { goodsId: productId, scoreType: 20, page: 1 } });
    expect(review.data.list.data.map((c: { content: string; images: unknown[] }) => [c.content, c.images])).toEqual([
      ['一般般', []],
    ]);
    const negative = await yoshop('GET', 'comment/list', { query: { goodsId: productId, scoreType: 30 } });
    expect(negative.data.list.data.map((c: { score: number }) => c.score)).toEqual([30]);

    const total = await yoshop('GET', 'comment/total', { query: { goodsId: productId } });
    expect(total).toMatchObject({ status: 200, data: { total: { all: 4, praise: 2, review: 1, negative: 1 } } });

    const bad = await yoshop('GET', 'comment/list', { query: { goodsId: productId, scoreType: 15 } });
    expect(bad.status).toBe(500);
    expect((await yoshop('GET', 'comment/listRows', { query: { goodsId: 'x' } })).status).toBe(500);
  });

  it('a good nobody reviewed has no comments', async () => {
    const quiet = await createProduct(t, admin, { price: 100, stock: 1 });
    expect((await yoshop('GET', 'comment/listRows', { query: { goodsId: quiet.id } })).data).toEqual({
      list: [],
      total: 0,
    });
    expect((await yoshop('GET', 'comment/total', { query: { goodsId: quiet.id } })).data.total).toEqual({
      all: 0,
      praise: 0,
      review: 0,
      negative: 0,
    });
  });

  it('/v1/products/:id/reviews pages them with counts by star rating', async () => {
    const first = await api(t, 'GET', `/v1/products/${productId}/reviews?pageSize=3`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      total: 4,
      page: 1,
      pageSize: 3,
      counts: { total: 4, byRating: { '1': 1, '2': 0, '3': 1, '4': 1, '5': 1 } },
    });
    expect(first.body.items.map((r: { rating: number }) => r.rating)).toEqual([4, 1, 3]);
    expect(first.body.items[0]).toEqual({
      id: expect.any(Number),
      rating: 4,
      content: '物流快',
      imageUrls: [],
      createdAt: expect.any(String),
      options: [],
      author: { nickname: '买家4', avatarUrl: '' },
    });
    const second = await api(t, 'GET', `/v1/products/${productId}/reviews?pageSize=3&page=2`);
    expect(second.body.items.map((r: { content: string }) => r.content)).toEqual(['音色很好']);
    const good = await api(t, 'GET', `/v1/products/${productId}/reviews?minRating=4`);
    expect(good.body.items.map((r: { rating: number }) => r.rating)).toEqual([4, 5]);
    expect(good.body.total).toBe(2);

    expect((await api(t, 'GET', `/v1/products/${productId}/reviews?minRating=6`)).status).toBe(400);
    expect((await api(t, 'GET', '/v1/products/999999/reviews')).status).toBe(404);
  });
});
