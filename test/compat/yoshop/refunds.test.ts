import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUND_STATES } from '../../../src/compat/yoshop/refund-mapping.ts';
import { REFUND_REQUEST_STATUSES } from '../../../src/domain/refund-request-status.ts';
import { api } from '../../support/api.ts';
import { createProduct, staffToken } from '../../support/actors.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { yoshop as yoshopShared, yoshopBuyer, type YoshopOptions } from '../../support/yoshop-client.ts';

/**
 * After-sales as pages/refund/{index,detail,apply}.vue call it: refund/list with the `state` tab (-1 all, 0 in
 * progress), refund/goods, refund/apply, refund/detail with `status` / `audit_status` / `state_text`, the one order
 * good, and the shop's return address once approved.
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

/** A paid order of one good (¥25 × 2) and its order_goods_id. */
async function paidOrder(token: string) {
  const product = await createProduct(t, admin, { price: 2_500, stock: 20 });
  const submitted = await yoshop('POST', 'checkout/submit', {
    token,
    body: {
      mode: 'buyNow',
      goodsId: product.id,
      goodsNum: 2,
      goodsSkuId: '0',
      delivery: 10,
      couponId: 0,
      isUsePoints: 0,
    },
  });
  const orderId = submitted.data.orderId as number;
  expect(
    (await yoshop('POST', 'cashier/orderPay', { token, body: { orderId, method: 'balance', client: 'H5', extra: {} } }))
      .data.isPay,
  ).toBe(true);
  const detail = await yoshop('GET', 'order/detail', { token, query: { orderId } });
  return {
    orderId,
    orderNo: detail.data.order.order_no as string,
    orderGoodsId: detail.data.order.goods[0].order_goods_id as number,
  };
}

async function apply(token: string, orderGoodsId: number, content: string) {
  const applied = await yoshop('POST', 'refund/apply', {
    token,
    body: { orderGoodsId, form: { type: 10, content, images: ['/uploads/broken.jpg'] } },
  });
  expect(applied.status).toBe(200);
  const list = await yoshop('GET', 'refund/list', { token, query: { state: -1, page: 1 } });
  return list.data.list.data[0].order_refund_id as string;
}

const detailOf = async (token: string, orderRefundId: string) =>
  (await yoshop('GET', 'refund/detail', { token, query: { orderRefundId } })).data.detail;

describe('the refund pages', () => {
  it('every ordo refund status has its YoShop state, and each final one says it is final', () => {
    for (const status of REFUND_REQUEST_STATUSES) expect(REFUND_STATES[status]).toBeDefined();
    expect(REFUND_STATES.refunded).toEqual({ audit_status: 10, status: 20, state_text: '已退款' });
    expect(REFUND_STATES.rejected).toEqual({ audit_status: 20, status: 10, state_text: '已拒绝' });
    expect(REFUND_STATES.failed.state_text).not.toBe(REFUND_STATES.requested.state_text);
  });

  it('apply → list (state tabs) → staff approve → detail 已退款 with the money back to the fen and the return address', async () => {
    const b = await yoshopBuyer(t, 100_000);
    const { orderGoodsId } = await paidOrder(b.token);
    const goods = await yoshop('GET', 'refund/goods', { token: b.token, query: { orderGoodsId } });
    expect(goods.data.goods).toMatchObject({
      goods_name: expect.any(String),
      goods_image: expect.any(String),
      goods_props: [],
      total_num: 2,
      total_pay_price: '50.00',
    });
    const orderRefundId = await apply(b.token, orderGoodsId, '尺码不合适');

    const list = await yoshop('GET', 'refund/list', { token: b.token, query: { state: -1, page: 1 } });
    expect(list.data.list).toMatchObject({ total: 1, current_page: 1 });
    expect(list.data.list.data[0]).toMatchObject({
      order_refund_id: orderRefundId,
      state_text: '等待审核中',
      create_time: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      orderGoods: {
        goods_name: expect.any(String),
        goods_image: expect.any(String),
        goods_props: [],
        total_num: 2,
        total_pay_price: '50.00',
      },
    });
    expect((await yoshop('GET', 'refund/list', { token: b.token, query: { state: 0, page: 1 } })).data.list.total).toBe(
      1,
    );

    const waiting = await detailOf(b.token, orderRefundId);
    expect(waiting).toMatchObject({
      order_refund_id: orderRefundId,
      type: 10,
      status: 0,
      audit_status: 0,
      state_text: '等待审核中',
      apply_desc: '尺码不合适',
      images: [{ image_url: 'http://ordo.test/uploads/broken.jpg' }],
      refund_money: '50.00',
      refuse_desc: '',
      is_user_send: 0,
      express_no: '',
      orderGoods: {
        order_goods_id: orderGoodsId,
        goods_id: expect.any(Number),
        total_num: 2,
        total_pay_price: '50.00',
      },
    });

    const approved = await api(t, 'POST', `/v1/admin/refunds/${orderRefundId}/approve`, { token: admin, body: {} });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const done = await detailOf(b.token, orderRefundId);
    expect(done).toMatchObject({ status: 20, audit_status: 10, state_text: '已退款', refund_money: '50.00' });
    expect(done.address).toEqual({
      name: expect.any(String),
      phone: expect.any(String),
      region: { province: expect.any(String), city: expect.any(String), region: expect.any(String) },
      detail: expect.any(String),
    });
    expect(done.address.name).not.toBe('');
    // the line's ¥50.00 comes back to the balance (the shipping fee stays paid); a second order to read it at the cashier
    const second = await paidOrder(b.token);
    const info = await yoshop('GET', 'cashier/orderInfo', {
      token: b.token,
      query: { orderId: second.orderId, client: 'H5' },
    });
    const payableFen = Math.round(Number(info.data.order.pay_price) * 100);
    expect(Math.round(Number(info.data.personal.balance) * 100)).toBe(100_000 - 2 * payableFen + 5_000);

    expect((await yoshop('GET', 'refund/list', { token: b.token, query: { state: 0, page: 1 } })).data.list.total).toBe(
      0,
    );
    const all = await yoshop('GET', 'refund/list', { token: b.token, query: { state: -1, page: 1 } });
    expect(all.data.list.data[0]).toMatchObject({ order_refund_id: orderRefundId, state_text: '已退款' });
  });

  it('a rejected request shows 已拒绝 with the reason; a bad state is refused in the envelope', async () => {
    const b = await yoshopBuyer(t, 100_000);
    const { orderGoodsId } = await paidOrder(b.token);
    const orderRefundId = await apply(b.token, orderGoodsId, '不想要了');
    const rejected = await api(t, 'POST', `/v1/admin/refunds/${orderRefundId}/reject`, {
      token: admin,
      body: { reason: '商品已使用，不支持退货' },
    });
    expect(rejected.status).toBe(200);
    expect(await detailOf(b.token, orderRefundId)).toMatchObject({
      status: 10,
      audit_status: 20,
      state_text: '已拒绝',
      refuse_desc: '商品已使用，不支持退货',
    });
    expect(await yoshop('GET', 'refund/list', { token: b.token, query: { state: 7, page: 1 } })).toEqual({
      status: 500,
      message: '参数 state 无效',
      data: [],
    });
    const other = await yoshopBuyer(t);
    expect(await yoshop('GET', 'refund/detail', { token: other.token, query: { orderRefundId } })).toMatchObject({
      status: 500,
      message: '很抱歉，售后单不存在',
    });
  });
});
