import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../support/api.ts';
import { staffToken } from '../../support/actors.ts';
import { paidOrder, ship } from '../../support/after-sales.ts';
import { multipartBody, PNG_1X1 } from '../../support/payments.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { yoshop as yoshopShared, yoshopBuyer, type YoshopOptions } from '../../support/yoshop-client.ts';

/**
 * After the order in the YoShop uniapp, called as the client calls it: the picture upload (upload/image, multipart
 * `file` as uni.uploadFile sends it), reviewing a received order (pages/order/comment: order.comment/list and
 * submit) and sending a return parcel (pages/refund/detail: express/list and refund/delivery).
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

/** uni.uploadFile: multipart with the picture as `file` and the page's form data; no JSON content type. */
async function upload(token: string, data: Buffer, name = 'file', filename = 'photo.png', type = 'image/png') {
  const { payload, contentType } = multipartBody({ test: '123', checkLogin: '1' }, [{ name, filename, type, data }]);
  const response = await t.app.inject({
    method: 'POST',
    url: '/yoshop/index.php?s=/api/upload/image',
    headers: { platform: 'H5', 'access-token': token, 'content-type': contentType },
    payload,
  });
  expect(response.statusCode).toBe(200);
  return response.json();
}

const uploadCount = async () =>
  Number(
    (
      await t.ctx.db
        .selectFrom('member_uploads')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A received order of two goods (paid, shipped, receipt confirmed through the client). */
async function receivedOrder(b: { memberId: number; token: string }) {
  const order = await paidOrder(t, admin, b, [
    { price: 1_000, quantity: 1 },
    { price: 2_500, quantity: 2 },
  ]);
  expect((await ship(t, admin, order.orderNo)).status).toBeLessThan(300);
  expect((await yoshop('POST', 'order/receipt', { token: b.token, body: { orderId: order.orderId } })).status).toBe(
    200,
  );
  return order;
}

describe('upload/image', () => {
  it('keeps a picture and answers the fileInfo the pages read; the picture is served at its url', async () => {
    const b = await yoshopBuyer(t);
    const answer = await upload(b.token, PNG_1X1);
    expect(answer).toMatchObject({ status: 200, message: '文件上传成功' });
    const info = answer.data.fileInfo;
    expect(info).toEqual({
      file_id: expect.stringMatching(/^\/media\/uploads\/[a-f0-9]{32}\.png$/),
      file_type: 10,
      file_name: 'photo.png',
      file_path: info.file_id,
      file_size: PNG_1X1.length,
      file_ext: 'png',
      preview_url: expect.stringMatching(/^https?:\/\/.+\/media\/uploads\/[a-f0-9]{32}\.png$/),
      external_url: info.preview_url,
      create_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
    });
    const served = await t.app.inject({ method: 'GET', url: info.file_id });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.rawPayload.equals(PNG_1X1)).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: `/media/uploads/${'0'.repeat(32)}.png` })).statusCode).toBe(404);

    // older clients name the field iFile
    expect((await upload(b.token, PNG_1X1, 'iFile')).status).toBe(200);
  });

  it('refuses what is not a picture, a picture over 2 MB, no file, and a guest, in the envelope; nothing kept', async () => {
    const b = await yoshopBuyer(t);
    const before = await uploadCount();
    expect(await upload(b.token, Buffer.from('<svg onload="alert(1)"/>'), 'file', 'x.png')).toEqual({
      status: 500,
      message: '文件上传失败：只能上传 PNG、JPEG 或 WebP 格式的图片',
      data: [],
    });
    const big = Buffer.concat([PNG_1X1, Buffer.alloc(2 * 1024 * 1024)]);
    expect(await upload(b.token, big)).toEqual({ status: 500, message: '文件上传失败：图片大小不能超过 2M', data: [] });
    expect(await upload(b.token, Buffer.alloc(0))).toEqual({
      status: 500,
      message: '文件上传失败：图片是空的',
      data: [],
    });
    expect(await upload(b.token, PNG_1X1, 'other')).toEqual({
      status: 500,
      message: '文件上传失败：请选择要上传的图片',
      data: [],
    });
    expect((await yoshop('POST', 'upload/image', { token: b.token, body: {} })).status).toBe(500);
    expect((await upload('false', PNG_1X1)).status).toBe(401);
    expect(await uploadCount()).toBe(before);
  });
});

describe('reviewing a received order', () => {
  it('order.comment/list gives the goods; submit reviews them, completes the order, shows on the goods page', async () => {
    const b = await yoshopBuyer(t);
    const order = await receivedOrder(b);
    const list = await yoshop('GET', 'order.comment/list', { token: b.token, query: { orderId: order.orderId } });
    expect(list.status).toBe(200);
    const goods = list.data.goodsList as Record<string, unknown>[];
    expect(goods).toHaveLength(2);
    for (const g of goods)
      expect(g).toMatchObject({
        goods_id: expect.any(Number),
        order_goods_id: expect.any(Number),
        goods_name: expect.any(String),
        goods_image: expect.any(String),
        goods_props: expect.any(Array),
        goods_price: expect.stringMatching(/^\d+\.\d\d$/),
        total_num: expect.any(Number),
      });
    expect(goods.map((g) => g.goods_price)).toEqual(['10.00', '25.00']);

    const picture = (await upload(b.token, PNG_1X1)).data.fileInfo.file_id as string;
    // the page sends its whole form: each good with score, words, the chosen files and the uploaded file ids
    const form = goods.map((g, i) => ({
      goods_id: g.goods_id,
      order_goods_id: g.order_goods_id,
      score: i === 0 ? 10 : 20,
      content: i === 0 ? '音色很好' : '包装一般',
      imageList: [{ path: 'blob:x', size: 70 }],
      uploaded: i === 0 ? [picture] : [],
    }));
    const submitted = await yoshop('POST', 'order.comment/submit', {
      token: b.token,
      body: { orderId: order.orderId, form },
    });
    expect(submitted).toEqual({ status: 200, message: '评价发表成功', data: [] });

    const review = await t.ctx.db
      .selectFrom('reviews')
      .selectAll()
      .where('order_id', '=', order.orderId)
      .executeTakeFirstOrThrow();
    expect(review.rating).toBe(4); // 好评 5 stars and 中评 3 stars
    expect(review.content).toContain('音色很好');
    expect(review.content).toContain('包装一般');
    expect(review.image_urls).toEqual([picture]);
    const completed = await t.ctx.db
      .selectFrom('orders')
      .select('status')
      .where('id', '=', order.orderId)
      .executeTakeFirstOrThrow();
    expect(completed.status).toBe('completed');

    const comments = await yoshop('GET', 'comment/list', { query: { goodsId: order.productIds[0]!, page: 1 } });
    expect(comments.data.list.data[0]).toMatchObject({
      score: 10,
      is_picture: 1,
      images: [{ image_url: expect.stringMatching(new RegExp(`${picture}$`)) }],
    });

    // reviewed once: the list and a second submit say so
    const done = { status: 500, message: '该订单已完成评价', data: [] };
    expect(await yoshop('GET', 'order.comment/list', { token: b.token, query: { orderId: order.orderId } })).toEqual(
      done,
    );
    expect(
      await yoshop('POST', 'order.comment/submit', { token: b.token, body: { orderId: order.orderId, form } }),
    ).toEqual(done);
  });

  it('refusals change nothing: not received, no words, a bad score, a stranger’s picture, another’s order', async () => {
    const b = await yoshopBuyer(t);
    const stranger = await yoshopBuyer(t);
    const notReceived = await paidOrder(t, admin, b, [{ price: 1_000, quantity: 1 }]);
    expect(
      await yoshop('GET', 'order.comment/list', { token: b.token, query: { orderId: notReceived.orderId } }),
    ).toEqual({ status: 500, message: '该订单还未确认收货，暂不能评价', data: [] });

    const order = await receivedOrder(b);
    const lineId = order.lines[0]!.id;
    const theirs = (await upload(stranger.token, PNG_1X1)).data.fileInfo.file_id as string;
    const item = { order_goods_id: lineId, score: 10, content: '好', uploaded: [] as string[] };
    const cases: [unknown, string][] = [
      [[{ ...item, content: '  ' }], '请至少填写一件商品的评价内容'],
      [[{ ...item, score: 15 }], '参数 score 无效'],
      [[{ ...item, uploaded: [theirs] }], '图片不存在，请重新上传'],
      [[{ ...item, uploaded: ['/etc/passwd'] }], '图片不存在，请重新上传'],
      [[{ ...item, order_goods_id: notReceived.lines[0]!.id }], '很抱歉，订单商品不存在'],
      [[item, item], '参数 form 有重复的商品'],
      [{ 0: item }, '缺少必要的参数: form'],
    ];
    for (const [form, message] of cases)
      expect(
        await yoshop('POST', 'order.comment/submit', { token: b.token, body: { orderId: order.orderId, form } }),
      ).toEqual({ status: 500, message, data: [] });
    expect(
      (
        await yoshop('POST', 'order.comment/submit', {
          token: stranger.token,
          body: { orderId: order.orderId, form: [item] },
        })
      ).status,
    ).toBe(500);
    expect(await t.ctx.db.selectFrom('reviews').select('id').where('order_id', '=', order.orderId).execute()).toEqual(
      [],
    );
    const row = await t.ctx.db.selectFrom('orders').select('status').where('id', '=', order.orderId).executeTakeFirst();
    expect(row?.status).toBe('received');
  });
});

describe('sending a return parcel', () => {
  async function returnRequest(b: { memberId: number; token: string }) {
    const order = await paidOrder(t, admin, b, [{ price: 3_000, quantity: 1 }]);
    await ship(t, admin, order.orderNo);
    const applied = await yoshop('POST', 'refund/apply', {
      token: b.token,
      body: { orderGoodsId: order.lines[0]!.id, form: { type: 10, content: '尺码不合适', images: [] } },
    });
    expect(applied.status).toBe(200);
    const list = await yoshop('GET', 'refund/list', { token: b.token, query: { state: -1, page: 1 } });
    return { orderRefundId: list.data.list.data[0].order_refund_id as string, orderNo: order.orderNo };
  }

  it('express/list gives the picker; refund/delivery records the carrier and number once', async () => {
    const b = await yoshopBuyer(t);
    const express = await yoshop('GET', 'express/list', { token: b.token });
    expect(express.status).toBe(200);
    const sf = express.data.list[0];
    expect(sf).toEqual({ express_id: expect.any(Number), express_name: '顺丰速运', express_code: expect.any(String) });

    const { orderRefundId, orderNo } = await returnRequest(b);
    const detailOf = async () =>
      (await yoshop('GET', 'refund/detail', { token: b.token, query: { orderRefundId } })).data.detail;
    expect(await detailOf()).toMatchObject({ is_user_send: 0, express_no: '' });
    const sent = await yoshop('POST', 'refund/delivery', {
      token: b.token,
      body: { orderRefundId, form: { expressId: sf.express_id, expressNo: 'SF1400000001' } },
    });
    expect(sent).toEqual({ status: 200, message: '操作成功', data: [] });
    const row = await t.ctx.db
      .selectFrom('refund_requests')
      .select(['return_carrier', 'return_tracking_no', 'return_sent_at'])
      .where('refund_no', '=', orderRefundId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ return_carrier: '顺丰速运', return_tracking_no: 'SF1400000001' });
    expect(row.return_sent_at).toBeInstanceOf(Date);
    // the refund page shows the parcel instead of the form; staff read it on the canonical API
    expect(await detailOf()).toMatchObject({
      is_user_send: 1,
      express: { express_name: '顺丰速运' },
      express_no: 'SF1400000001',
      send_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
    });
    const refunds = await api(t, 'GET', `/v1/orders/${orderNo}/refunds`, { token: admin });
    expect(refunds.body[0].returnParcel).toEqual({
      carrier: '顺丰速运',
      trackingNo: 'SF1400000001',
      sentAt: row.return_sent_at!.toISOString(),
    });

    const again = await yoshop('POST', 'refund/delivery', {
      token: b.token,
      body: { orderRefundId, form: { expressId: 2, expressNo: 'ZT999999' } },
    });
    expect(again).toEqual({ status: 500, message: '您已填写过退货物流信息', data: [] });
    expect(
      (
        await t.ctx.db
          .selectFrom('refund_requests')
          .select('return_tracking_no')
          .where('refund_no', '=', orderRefundId)
          .executeTakeFirstOrThrow()
      ).return_tracking_no,
    ).toBe('SF1400000001');
  });

  it('five sends at once record one parcel; the others are told it was sent', async () => {
    const b = await yoshopBuyer(t);
    const { orderRefundId } = await returnRequest(b);
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        yoshop('POST', 'refund/delivery', {
          token: b.token,
          body: { orderRefundId, form: { expressId: n, expressNo: `NO${n}0000001` } },
        }),
      ),
    );
    const winners = answers.map((a, i) => (a.status === 200 ? i + 1 : 0)).filter((n) => n > 0);
    expect(winners).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200))
      expect(a).toEqual({ status: 500, message: '您已填写过退货物流信息', data: [] });
    const row = await t.ctx.db
      .selectFrom('refund_requests')
      .select('return_tracking_no')
      .where('refund_no', '=', orderRefundId)
      .executeTakeFirstOrThrow();
    expect(row.return_tracking_no).toBe(`NO${winners[0]}0000001`);
  });

  it('refuses a missing carrier or number, an unknown or another member’s request', async () => {
    const b = await yoshopBuyer(t);
    const stranger = await yoshopBuyer(t);
    const { orderRefundId } = await returnRequest(b);
    const cases: [string, Record<string, unknown>, string][] = [
      [b.token, { expressId: 999, expressNo: 'SF1' }, '请选择物流公司'],
      [b.token, { expressId: 1, expressNo: '' }, '请填写正确的物流单号'],
      [b.token, { expressId: 1, expressNo: 'SF 1; drop' }, '请填写正确的物流单号'],
      [stranger.token, { expressId: 1, expressNo: 'SF1400000002' }, '很抱歉，售后单不存在'],
    ];
    for (const [token, form, message] of cases)
      expect(await yoshop('POST', 'refund/delivery', { token, body: { orderRefundId, form } })).toEqual({
        status: 500,
        message,
        data: [],
      });
    expect(
      await yoshop('POST', 'refund/delivery', {
        token: b.token,
        body: { orderRefundId: 'R-none', form: { expressId: 1, expressNo: 'SF1400000003' } },
      }),
    ).toEqual({ status: 500, message: '很抱歉，售后单不存在', data: [] });
    const row = await t.ctx.db
      .selectFrom('refund_requests')
      .select('return_sent_at')
      .where('refund_no', '=', orderRefundId)
      .executeTakeFirstOrThrow();
    expect(row.return_sent_at).toBeNull();
  });
});
