import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { staffToken } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { yoshop as yoshopShared, yoshopBuyer, type YoshopOptions } from '../support/yoshop-client.ts';

/**
 * Browsing in the YoShop uniapp (seed 002) over `/yoshop/index.php?s=/api/…`: goods list and detail (options as
 * specs and one sku per option, usable by cart/add), the category tree, and the refund page, refund detail and
 * express of a paid order; unknown and other members' ids answer status 500.
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
const buyer = (balanceFen = 0) => yoshopBuyer(t, balanceFen, '137');

async function guitar() {
  const list = await yoshop('GET', 'goods/list', { query: { page: 1, categoryId: 100013 } });
  const item = list.data.list.data.find((g: { goods_name: string }) => g.goods_name.includes('YAMAHA'));
  expect(item).toBeDefined();
  return item.goods_id as number;
}

describe('browsing in the YoShop uniapp', () => {
  it('goods/list by category with paging and yuan strings', async () => {
    const phones = await yoshop('GET', 'goods/list', { query: { page: 1, categoryId: 100012, sortType: 'all' } });
    expect(phones.status).toBe(200);
    expect(phones.data.list).toMatchObject({ total: 2, per_page: 15, current_page: 1, last_page: 1 });
    const byName = Object.fromEntries(phones.data.list.data.map((g: { goods_name: string }) => [g.goods_name, g]));
    expect(byName['Xiaomi 14 12GB+256GB 黑色']).toMatchObject({
      goods_price_min: '3999.00',
      line_price_min: '4299.00',
      goods_sales: 0,
      goods_image: expect.stringMatching(/^https?:\/\//),
    });
    expect(byName['Redmi Note 13 8GB+128GB']).toMatchObject({ goods_price_min: '1099.00', line_price_min: '1199.00' });
    expect(Object.keys(byName)).toHaveLength(2);

    const page2 = await yoshop('GET', 'goods/list', { query: { page: 2, categoryId: 100012 } });
    expect(page2.data.list).toMatchObject({ total: 2, current_page: 2, data: [] });

    const search = await yoshop('GET', 'goods/list', { query: { page: 1, goodsName: 'Redmi' } });
    expect(search.data.list.data.map((g: { goods_name: string }) => g.goods_name)).toEqual(['Redmi Note 13 8GB+128GB']);

    const all = await yoshop('GET', 'goods/list', { query: { page: 1 } });
    expect(all.data.list.total).toBeGreaterThan(2);
  });

  it('goods/detail shows spec groups and the SKUs; a SKU from it goes into the cart at its own price', async () => {
    const goodsId = await guitar();
    const detail = await yoshop('GET', 'goods/detail', { query: { goodsId } });
    expect(detail.status).toBe(200);
    const d = detail.data.detail;
    // the guitar sells as one SKU, 普通款 + 加厚款: 799 + 10 + 30 yuan
    expect(d).toMatchObject({
      goods_id: goodsId,
      goods_price_min: '839.00',
      goods_price_max: '839.00',
      line_price_min: '939.00',
      spec_type: 20,
      stock_total: 992,
      content: expect.any(String),
    });
    expect(d.goods_images.length).toBeGreaterThan(0);
    expect(d.specList.map((s: { spec_name: string }) => s.spec_name)).toEqual(['款式', '琴弦']);
    const thick = d.specList[1].valueList[0];
    expect(thick).toMatchObject({ spec_value: '加厚款', spec_value_id: expect.any(Number) });
    expect(d.skuList).toHaveLength(1);
    const sku = d.skuList[0];
    expect(sku).toMatchObject({
      goods_sku_id: `${d.specList[0].valueList[0].spec_value_id}_${thick.spec_value_id}`,
      goods_price: '839.00',
      stock_num: 92,
    });

    const b = await buyer();
    expect(
      (
        await yoshop('POST', 'cart/add', {
          token: b.token,
          body: { goodsId, goodsSkuId: sku.goods_sku_id, goodsNum: 2 },
        })
      ).status,
    ).toBe(200);
    const cart = await yoshop('GET', 'cart/list', { token: b.token });
    expect(cart.data.list).toHaveLength(1);
    expect(cart.data.list[0]).toMatchObject({
      goods_id: goodsId,
      goods_sku_id: sku.goods_sku_id,
      goods_num: 2,
      goods: { goods_price_min: '839.00' },
    });

    // a product without options is single-spec with sku "0"
    const phones = await yoshop('GET', 'goods/list', { query: { page: 1, categoryId: 100012 } });
    const phone = await yoshop('GET', 'goods/detail', { query: { goodsId: phones.data.list.data[0].goods_id } });
    expect(phone.data.detail).toMatchObject({ spec_type: 10, specList: [], skuList: [{ goods_sku_id: '0' }] });
  });

  it('category/list is a tree containing 100012', async () => {
    const reply = await yoshop('GET', 'category/list');
    expect(reply.status).toBe(200);
    const phones = reply.data.list.find((c: { category_id: number }) => c.category_id === 100012);
    expect(phones).toMatchObject({
      name: '手机',
      parent_id: 0,
      children: [],
      image_url: expect.stringMatching(/^https?:\/\//),
    });
  });

  it('refund/goods, refund/detail after refund/apply; order/express after staff ship; unknown and foreign ids → 500', async () => {
    const b = await buyer(1_000_000);
    const goodsId = await guitar();
    const submitted = await yoshop('POST', 'checkout/submit', {
      token: b.token,
      body: {
        mode: 'buyNow',
        goodsId,
        goodsNum: 1,
        goodsSkuId: '0',
        delivery: 10,
        couponId: 0,
        isUsePoints: 0,
        remark: '',
      },
    });
    expect(submitted.status).toBe(200);
    const orderId = submitted.data.orderId as number;
    expect(
      await yoshop('POST', 'cashier/orderPay', {
        token: b.token,
        body: { orderId, method: 'balance', client: 'H5', extra: {} },
      }),
    ).toMatchObject({ status: 200, data: { isPay: true } });
    const order = (await yoshop('GET', 'order/detail', { token: b.token, query: { orderId } })).data.order;
    const orderGoodsId = order.goods[0].order_goods_id as number;
    const paidLine = order.goods[0].total_pay_price as string;
    expect(paidLine).toBe('799.00');

    const before = await yoshop('GET', 'refund/goods', { token: b.token, query: { orderGoodsId } });
    expect(before.data.goods).toMatchObject({
      order_goods_id: orderGoodsId,
      goods_name: expect.stringContaining('YAMAHA'),
      goods_price: '799.00',
      total_pay_price: '799.00',
      refundable_money: '799.00',
      refund_pending_money: '0.00',
      refunded_money: '0.00',
    });

    // express: nothing yet, then the staff shipment
    expect((await yoshop('GET', 'order/express', { token: b.token, query: { orderId } })).data).toEqual({
      express: [],
    });
    const shipped = await api(t, 'POST', `/v1/admin/orders/${order.order_no}/shipments`, {
      token: admin,
      body: { carrier: 'SF', trackingNumbers: ['SF20001', 'SF20002'] },
    });
    expect(shipped.status).toBeLessThan(300);
    const express = await yoshop('GET', 'order/express', { token: b.token, query: { orderId } });
    expect(express).toMatchObject({
      status: 200,
      data: { express: [{ express: { express_name: 'SF' }, express_no: 'SF20001,SF20002' }] },
    });
    expect(express.data.express).toHaveLength(1);

    const applied = await yoshop('POST', 'refund/apply', {
      token: b.token,
      body: { orderGoodsId, form: { type: 10, content: '琴弦断了', images: [] } },
    });
    expect(applied.status).toBe(200);
    const after = await yoshop('GET', 'refund/goods', { token: b.token, query: { orderGoodsId } });
    expect(after.data.goods).toMatchObject({
      refund_pending_money: applied.data.refund_money,
      refundable_money: (799 - Number(applied.data.refund_money)).toFixed(2),
    });

    const refunds = await yoshop('GET', 'refund/list', { token: b.token, query: { page: 1 } });
    const orderRefundId = refunds.data.list.data[0].order_refund_id;
    const detail = await yoshop('GET', 'refund/detail', { token: b.token, query: { orderRefundId } });
    expect(detail).toMatchObject({
      status: 200,
      data: {
        detail: {
          order_refund_id: orderRefundId,
          order_id: orderId,
          type: 10,
          apply_desc: '琴弦断了',
          refund_money: applied.data.refund_money,
          audit_status: 0,
          status: 0,
          order_goods_id: orderGoodsId,
        },
      },
    });
    expect(detail.data.detail.refund_money).toMatch(/^\d+\.\d\d$/);
    expect(detail.data.detail.orderGoods).toMatchObject({ order_goods_id: orderGoodsId });

    // another member's ids look exactly like unknown ones
    const other = await buyer();
    const foreign = [
      await yoshop('GET', 'refund/goods', { token: other.token, query: { orderGoodsId } }),
      await yoshop('GET', 'refund/detail', { token: other.token, query: { orderRefundId } }),
      await yoshop('GET', 'order/express', { token: other.token, query: { orderId } }),
    ];
    const unknown = [
      await yoshop('GET', 'refund/goods', { token: other.token, query: { orderGoodsId: 999_999_999 } }),
      await yoshop('GET', 'refund/detail', { token: other.token, query: { orderRefundId: 'R-NOPE' } }),
      await yoshop('GET', 'order/express', { token: other.token, query: { orderId: 999_999_999 } }),
    ];
    for (const [i, reply] of foreign.entries()) {
      expect(reply).toMatchObject({ status: 500, message: expect.any(String), data: [] });
      expect(reply).toEqual(unknown[i]);
    }
    const bad = [
      await yoshop('GET', 'goods/detail', { query: { goodsId: 999_999_999 } }),
      await yoshop('GET', 'goods/detail', {}),
      await yoshop('GET', 'goods/list', { query: { page: 'x' } }),
      await yoshop('GET', 'refund/detail', { token: b.token }),
    ];
    for (const reply of bad) expect(reply).toMatchObject({ status: 500, message: expect.any(String) });
    expect(await yoshop('GET', 'refund/goods', { query: { orderGoodsId } })).toMatchObject({ status: 401 });
  });
});
