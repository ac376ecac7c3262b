import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/tokens.ts';
import {
  toWholesaleOrder,
  tradeStatus,
  WHOLESALE,
  type PaymentFact,
  type WholesaleFacts,
} from '../../src/compat/wholesale/mapping.ts';
import { getOrder } from '../../src/orders/get-order.ts';
import { api } from '../support/api.ts';
import { createMember, placeOrder, staffToken } from '../support/actors.ts';
import { createMerchantApp, signedHeaders } from '../support/merchant-api.ts';
import { buyerPays, multipartBody, PNG_1X1, startPayment } from '../support/payments.ts';
import { shape } from '../support/json-shape.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

// Seed 001 as its authors meant it. The page was flattened onto one line, so its `//` comments now run into the
// next field: each comment ends before the next quote or bracket. Also repaired: the trailing comma after
// "isRefunding" and the unquoted error message.
const SEED_DIR = join(import.meta.dirname, '..', 'fixtures', 'seeds');
const seedText = readFileSync(
  join(
    SEED_DIR,
    readdirSync(SEED_DIR).find((f) => f.startsWith('001_'))!,
  ),
  'utf8',
);
const OK_MARK = 'a) 正确的JSON返回结果示例:';
const ERROR_MARK = 'b) 错误的JSON返回示例:';
const sampleText = seedText.slice(seedText.indexOf(OK_MARK) + OK_MARK.length, seedText.indexOf(ERROR_MARK));
const SAMPLE = JSON.parse(sampleText.replace(/\s\/\/[^"{}[\]]*/g, ' ').replace(/,\s*}/g, '}'));
const SAMPLE_ERROR = JSON.parse(
  seedText
    .slice(seedText.indexOf(ERROR_MARK) + ERROR_MARK.length)
    .replace(/"message":\s*([^"\s][^}]*?)\s*}/, '"message":"$1"}'),
);

/** `yyyy/MM/dd HH:mm:ss` in Shanghai (UTC+8, no daylight saving), computed independently of the dialect. */
const shanghai = (at: Date | string) =>
  new Date(new Date(at).getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ').replaceAll('-', '/');

let t: TestApp;
let admin: string;
let shirt: { id: number; red: number; xl: number };
let trousers: { id: number; oneSize: number };

async function product(body: Record<string, unknown>) {
  const reply = await api(t, 'POST', '/v1/admin/products', {
    token: admin,
    body: { categoryId: 100014, storeId: 10001, stock: 100_000, ...body },
  });
  expect(reply.status).toBe(201);
  return reply.body as { id: number; options: { id: number; title: string }[] };
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  const a = await product({
    title: '纯棉条纹t恤蝙蝠袖文艺短袖打底衫上衣女潮',
    coverUrl: '/media/seed-001-shirt.png',
    internalTitle: '蝙蝠袖打底衫上衣',
    articleNo: '11',
    price: 2900,
    options: [
      { group: '颜色', title: '红色', stock: 100_000 },
      { group: '尺码', title: 'XL', stock: 100_000 },
    ],
  });
  const b = await product({
    title: '刺绣宽松加绒运动裤女春装2018新款小脚裤卫裤哈伦长裤子',
    internalTitle: '加绒运动裤',
    articleNo: '22',
    price: 5300,
    options: [{ group: '尺码', title: '均码', stock: 100_000 }],
  });
  shirt = { id: a.id, red: a.options[0]!.id, xl: a.options[1]!.id };
  trousers = { id: b.id, oneSize: b.options[0]!.id };
});
afterAll(() => t.close());

/** Where the dialect serves a voucher picture, as an absolute URL from the configured public URL. */
const voucherUrl = (outTradeNo: string, imageId: number | string) =>
  `${t.ctx.config.publicUrl}/wholesale/api/order/voucher/${outTradeNo}/${imageId}`;

const detail = (orderId: string, token: string | null = admin) =>
  api(t, 'GET', `/wholesale/api/order/detail?orderId=${encodeURIComponent(orderId)}`, token === null ? {} : { token });

/** The seed's two lines (482 shirts in red XL, 118 one-size trousers), shipped to 李 in Beijing. */
async function seedOrder(buyerToken: string) {
  const address = await api(t, 'POST', '/v1/addresses', {
    token: buyerToken,
    body: {
      receiverName: '李',
      mobile: '18600000000',
      province: '北京市',
      city: '北京市',
      district: '大兴区',
      districtCode: '110115',
      address: '地盛北街',
    },
  });
  expect(address.status).toBe(201);
  const placed = await placeOrder(t, buyerToken, {
    lines: [
      { productId: shirt.id, optionIds: [shirt.red, shirt.xl], quantity: 482 },
      { productId: trousers.id, optionIds: [trousers.oneSize], quantity: 118 },
    ],
    addressId: address.body.id,
    client: 'PC',
  });
  expect(placed.status).toBe(201);
  return placed.body as { id: number; orderNo: string; createdAt: string; lines: { id: number }[] };
}

async function submitVoucher(buyerToken: string, orderNo: string, method: string, images: number) {
  const body = multipartBody(
    { method, client: 'PC' },
    Array.from({ length: images }, (_, i) => ({
      name: 'images',
      filename: `proof${i}.png`,
      type: 'image/png',
      data: PNG_1X1,
    })),
  );
  const reply = await t.app.inject({
    method: 'POST',
    url: `/v1/orders/${orderNo}/vouchers`,
    payload: body.payload,
    headers: { 'content-type': body.contentType, authorization: `Bearer ${buyerToken}` },
  });
  expect(reply.statusCode).toBe(201);
  return reply.json().outTradeNo as string;
}

describe('wholesale order detail (seed 001)', () => {
  it('answers the seed situation — two lines, paid by a WeChat voucher that staff approved — in the seed sample shape', async () => {
    const buyer = await createMember(t);
    const member = await t.ctx.db
      .selectFrom('members')
      .select('username')
      .where('id', '=', buyer.memberId)
      .executeTakeFirstOrThrow();
    const order = await seedOrder(buyer.token);
    t.clock.advance(14_000);
    const submittedAt = t.clock.now();
    const outTradeNo = await submitVoucher(buyer.token, order.orderNo, 'voucher_wechat', 2);
    t.clock.advance(79_000);
    const approvedAt = t.clock.now();
    expect((await api(t, 'POST', `/v1/admin/payments/${outTradeNo}/approve`, { token: admin, body: {} })).status).toBe(
      200,
    );

    const reply = await detail(order.orderNo);
    expect(reply.status).toBe(200);
    const body = reply.body;

    // The same keys at every level with the same JSON types as the seed's sample. The sample's payImgs is empty;
    // the field table types it string[].
    const expected = shape(SAMPLE) as { data: Record<string, unknown> };
    expect(expected.data.payImgs).toEqual({ array: [] });
    expected.data.payImgs = { array: ['string'] };
    expect(shape(body)).toEqual(expected);

    const images = await t.ctx.db
      .selectFrom('voucher_images as v')
      .innerJoin('payments as p', 'p.id', 'v.payment_id')
      .select('v.id')
      .where('p.out_trade_no', '=', outTradeNo)
      .orderBy('v.id')
      .execute();
    expect(images).toHaveLength(2);
    const line = (n: number) => order.lines[n]!.id;
    expect(body).toEqual({
      success: true,
      status: 0,
      data: {
        orderId: order.orderNo,
        buyerId: String(buyer.memberId),
        buyerUserName: member.username,
        orderType: 5, // ordo places retail orders; wholesale order types come with a later issue
        payForType: 2,
        payForId: null,
        payImgs: images.map((i) => voucherUrl(outTradeNo, i.id)),
        tradeStatus: 4,
        totalAmount: 20232, // 482 × 29 + 118 × 53
        totalDiscount: 0,
        postFee: 0,
        payment: 20232,
        logisticsNumbers: null,
        receiver: '李',
        tel: '18600000000',
        districtId: '110115',
        address: '北京市 北京市 大兴区 地盛北街',
        mark: '',
        creatTime: shanghai(order.createdAt),
        payForTime: shanghai(submittedAt),
        checkedDate: shanghai(approvedAt),
        deliveryDate: null,
        endDate: null,
        lastModifyTime: shanghai(approvedAt),
        orderDetails: [
          {
            orderDetailId: String(line(0)),
            type: 0,
            orderId: order.orderNo,
            imageUrl: `${t.ctx.config.publicUrl}/media/seed-001-shirt.png`,
            goodId: String(shirt.id),
            title: '纯棉条纹t恤蝙蝠袖文艺短袖打底衫上衣女潮',
            internalTitle: '蝙蝠袖打底衫上衣',
            artNo: '11',
            skuId: '',
            spec: '红色、XL',
            number: 482,
            price: 29,
            totalDiscount: 0,
            pendingRefundAmount: 0,
            hasRefundAmount: 0,
            isRefunding: false,
          },
          {
            orderDetailId: String(line(1)),
            type: 0,
            orderId: order.orderNo,
            imageUrl: '',
            goodId: String(trousers.id),
            title: '刺绣宽松加绒运动裤女春装2018新款小脚裤卫裤哈伦长裤子',
            internalTitle: '加绒运动裤',
            artNo: '22',
            skuId: '',
            spec: '均码',
            number: 118,
            price: 53,
            totalDiscount: 0,
            pendingRefundAmount: 0,
            hasRefundAmount: 0,
            isRefunding: false,
          },
        ],
      },
    });
    expect(body.data.payment).toBe(body.data.totalAmount - body.data.totalDiscount + body.data.postFee);
    expect(body.data.creatTime).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);

    // the voucher URLs serve the pictures to the same staff caller, and to nobody without a staff credential
    for (const url of body.data.payImgs as string[]) {
      expect(url.startsWith(`${t.ctx.config.publicUrl}/wholesale/`)).toBe(true);
      const path = url.slice(t.ctx.config.publicUrl.length);
      const picture = await t.app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${admin}` } });
      expect(picture.statusCode).toBe(200);
      expect(picture.headers['content-type']).toBe('image/png');
      expect(picture.rawPayload.equals(PNG_1X1)).toBe(true);
      for (const token of [null, buyer.token]) {
        const refused = await api(t, 'GET', path, token === null ? {} : { token });
        expect(refused.body).toEqual({ success: false, status: 1, message: WHOLESALE.errorMessage.unauthorized });
      }
    }
  });

  it('shows an unpaid order as 2, a voucher under review as 3, a gateway payment by its trade number, a cancelled order as 1', async () => {
    const buyer = await createMember(t);

    const unpaid = await seedOrder(buyer.token);
    expect((await detail(unpaid.orderNo)).body.data).toMatchObject({
      tradeStatus: 2,
      payForType: null, // no attempt yet: the seed has no code for that
      payForId: null,
      payImgs: [],
      payForTime: null,
      checkedDate: null,
      endDate: null,
    });

    const reviewed = await seedOrder(buyer.token);
    const voucher = await submitVoucher(buyer.token, reviewed.orderNo, 'voucher_alipay', 1);
    const inReview = (await detail(reviewed.orderNo)).body.data;
    expect(inReview).toMatchObject({ tradeStatus: 3, payForType: 1, payForId: null, checkedDate: null });
    expect(inReview.payImgs).toEqual([expect.stringMatching(new RegExp(`^${voucherUrl(voucher, '\\d+')}$`))]);
    expect(inReview.payForTime).toBe(shanghai(t.clock.now()));

    const online = await seedOrder(buyer.token);
    const wechat = await startPayment(t, buyer.token, online.orderNo, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });
    expect(wechat.status).toBe(200);
    expect((await detail(online.orderNo)).body.data).toMatchObject({
      tradeStatus: 2,
      payForType: 9,
      payForId: wechat.body.payment.outTradeNo,
      payImgs: [],
    });
    await buyerPays(t, wechat.body.action.content);
    const paidOnline = (await detail(online.orderNo)).body.data;
    expect(paidOnline).toMatchObject({
      tradeStatus: 4,
      payForType: 9,
      payForId: wechat.body.payment.outTradeNo,
      checkedDate: null,
    });
    expect(paidOnline.payForTime).toBe(shanghai(t.clock.now()));

    const alipayOrder = await seedOrder(buyer.token);
    const alipay = await startPayment(t, buyer.token, alipayOrder.orderNo, {
      method: 'alipay',
      channel: 'precreate',
      client: 'PC',
    });
    // the seed has no code for Alipay online: null, and payForId still names the attempt
    expect((await detail(alipayOrder.orderNo)).body.data).toMatchObject({
      payForType: null,
      payForId: alipay.body.payment.outTradeNo,
    });

    const cancelledOrder = await seedOrder(buyer.token);
    expect(
      (await api(t, 'POST', `/v1/orders/${cancelledOrder.orderNo}/cancel`, { token: buyer.token, body: {} })).status,
    ).toBe(200);
    const cancelled = (await detail(cancelledOrder.orderNo)).body.data;
    expect(cancelled).toMatchObject({ tradeStatus: 1, endDate: shanghai(t.clock.now()) });
  });

  it('follows a paid order: shipped 6 with its tracking numbers and no endDate, received 6 with one; a cancelled paid order 7; a changed price stays in the payment sum', async () => {
    const buyer = await createMember(t);
    const paidByVoucher = async () => {
      const order = await seedOrder(buyer.token);
      const outTradeNo = await submitVoucher(buyer.token, order.orderNo, 'voucher_bank', 1);
      expect(
        (await api(t, 'POST', `/v1/admin/payments/${outTradeNo}/approve`, { token: admin, body: {} })).status,
      ).toBe(200);
      return order;
    };

    const delivered = await paidByVoucher();
    t.clock.advance(60_000);
    const shipped = await api(t, 'POST', `/v1/admin/orders/${delivered.orderNo}/shipments`, {
      token: admin,
      body: { carrier: '顺丰速运', trackingNumbers: ['SF1001', 'SF1002'] },
    });
    expect(shipped.status).toBe(201);
    expect((await detail(delivered.orderNo)).body.data).toMatchObject({
      tradeStatus: 6,
      logisticsNumbers: 'SF1001,SF1002',
      deliveryDate: shanghai(t.clock.now()),
      endDate: null,
    });
    t.clock.advance(60_000);
    expect(
      (await api(t, 'POST', `/v1/orders/${delivered.orderNo}/receipt`, { token: buyer.token, body: {} })).status,
    ).toBe(200);
    expect((await detail(delivered.orderNo)).body.data).toMatchObject({
      tradeStatus: 6,
      endDate: shanghai(t.clock.now()),
      lastModifyTime: shanghai(t.clock.now()),
    });

    const regretted = await paidByVoucher();
    expect(
      (
        await api(t, 'POST', `/v1/orders/${regretted.orderNo}/cancel-request`, {
          token: buyer.token,
          body: { reason: '拍错了' },
        })
      ).status,
    ).toBe(200);
    expect((await detail(regretted.orderNo)).body.data.tradeStatus).toBe(4);
    expect(
      (await api(t, 'POST', `/v1/admin/orders/${regretted.orderNo}/cancel-request/approve`, { token: admin, body: {} }))
        .status,
    ).toBe(200);
    expect((await detail(regretted.orderNo)).body.data).toMatchObject({ tradeStatus: 7, logisticsNumbers: null });

    const bargained = await seedOrder(buyer.token);
    expect(
      (
        await api(t, 'POST', `/v1/admin/orders/${bargained.orderNo}/price`, {
          token: admin,
          body: { payableAmount: 2_000_000, reason: '老客户优惠' },
        })
      ).status,
    ).toBe(200);
    expect((await detail(bargained.orderNo)).body.data).toMatchObject({
      totalAmount: 20232,
      totalDiscount: 232,
      postFee: 0,
      payment: 20000,
    });
  });

  it('maps shipped, received, completed, closed, refunded, gifts and other methods through the one table', async () => {
    const buyer = await createMember(t);
    const placed = await seedOrder(buyer.token);
    const order = await getOrder(
      t.ctx,
      { kind: 'member', memberId: buyer.memberId, merchantId: 10001 },
      placed.orderNo,
    );
    const at = new Date('2018-01-16T06:54:21Z'); // 14:54:21 in Shanghai
    const payment = (method: string, status = 'paid'): PaymentFact => ({
      id: 1,
      method,
      status,
      outTradeNo: '201801160000000101',
      createdAt: at,
      reviewedAt: null,
      voucherImageIds: [7],
    });
    const env = {
      timeZone: 'Asia/Shanghai',
      publicUrl: 'https://shop.example.com',
      voucherPath: (outTradeNo: string, imageId: number) => `/wholesale/api/order/voucher/${outTradeNo}/${imageId}`,
    };
    const facts: WholesaleFacts = { payments: [], buyerName: '', trackingNumbers: ['SF1001', 'SF1002'] };
    const view = (changes: Partial<typeof order>, more: Partial<WholesaleFacts> = {}) =>
      toWholesaleOrder({ ...order, ...changes }, { ...facts, ...more }, env);

    expect(view({ status: 'shipped', shippedAt: at })).toMatchObject({
      tradeStatus: 6,
      endDate: null,
      logisticsNumbers: 'SF1001,SF1002',
      deliveryDate: '2018/01/16 14:54:21',
    });
    expect(view({ status: 'received', receivedAt: at })).toMatchObject({
      tradeStatus: 6,
      endDate: '2018/01/16 14:54:21',
    });
    expect(view({ status: 'completed', completedAt: at })).toMatchObject({
      tradeStatus: 6,
      endDate: '2018/01/16 14:54:21',
    });
    expect(view({ status: 'closed', closedAt: at })).toMatchObject({ tradeStatus: 1, endDate: '2018/01/16 14:54:21' });
    expect(view({ status: 'paid', cancelRequested: true })).toMatchObject({ tradeStatus: 4 });
    expect(view({ status: 'cancelled', refundStatus: 'refunded' })).toMatchObject({ tradeStatus: 7 });
    expect(view({ status: 'paid', refundStatus: 'partially_refunded' })).toMatchObject({ tradeStatus: 4 });
    expect(view({ orderType: 'wholesale' }).orderType).toBe(1);
    expect(view({ orderType: 'dropship' }).orderType).toBe(2);
    expect(view({ orderType: 'authorization' }).orderType).toBe(3);
    expect(view({ orderType: 'upgrade' }).orderType).toBe(4);
    expect(view({}, { payments: [payment('voucher_bank')] })).toMatchObject({
      payForType: 3,
      payForId: null,
      payImgs: ['https://shop.example.com/wholesale/api/order/voucher/201801160000000101/7'],
      payForTime: '2018/01/16 14:54:21',
    });
    expect(view({}, { payments: [payment('prepaid')] })).toMatchObject({ payForType: 4, payForId: null, payImgs: [] });
    expect(view({}, { payments: [payment('balance')] })).toMatchObject({ payForType: 5, payForId: null });
    expect(view({}, { payments: [payment('member_card')] })).toMatchObject({ payForType: 6 });
    // methods the seed has no code for are null, never a code of ordo's own
    expect(view({}, { payments: [payment('cash')] })).toMatchObject({ payForType: null, payForId: null });
    // the attempt that received the money wins over a later failed one
    expect(view({}, { payments: [payment('alipay'), { ...payment('wechat', 'failed'), id: 2 }] })).toMatchObject({
      payForType: null,
      payForId: '201801160000000101',
    });
    expect(
      view(
        {},
        {
          payments: [
            { ...payment('alipay', 'failed'), id: 1 },
            { ...payment('wechat'), id: 2 },
          ],
        },
      ),
    ).toMatchObject({
      payForType: 9,
    });
    expect(view({}, { buyerName: '李老板' }).buyerUserName).toBe('李老板');
    expect(
      view({
        lines: order.lines.map((l) => ({
          ...l,
          kind: 'gift',
          refundPendingAmount: 150,
          refundedAmount: 2900,
          refunding: true,
        })),
      }).orderDetails[0],
    ).toMatchObject({
      type: 1,
      pendingRefundAmount: 1.5,
      hasRefundAmount: 29,
      isRefunding: true,
    });
    expect(Object.keys(WHOLESALE.tradeStatus).sort()).toEqual([
      'cancelled',
      'closed',
      'completed',
      'paid',
      'payment_review',
      'pending_payment',
      'received',
      'shipped',
    ]);
    expect(() => tradeStatus({ ...order, status: 'mystery' })).toThrow(/mystery/);
  });

  it('answers an unknown order, another merchant’s order and refused callers in the seed error shape', async () => {
    expect(SAMPLE_ERROR).toEqual({ success: false, status: 1, message: '找不到指定的订单' });
    const unknown = await detail('2099010199999999');
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual(SAMPLE_ERROR);
    expect((await detail('GJ63672706461364475726')).body).toEqual(SAMPLE_ERROR);

    const buyer = await createMember(t);
    const order = await seedOrder(buyer.token);
    const otherMerchant = await t.ctx.db
      .insertInto('merchants')
      .values({ name: '另一家批发商' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const otherStaff = await t.ctx.db
      .insertInto('staff')
      .values({
        merchant_id: otherMerchant.id,
        username: 'other-admin',
        password_hash: 'unused',
        role: 'admin',
        last_login_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { token: otherToken } = await issueToken(
      t.ctx.db,
      { kind: 'staff', id: otherStaff.id, merchantId: otherMerchant.id },
      t.clock.now(),
      1,
    );
    const foreign = await detail(order.orderNo, otherToken);
    expect(foreign.status).toBe(200);
    expect(foreign.body).toEqual(SAMPLE_ERROR);
    expect((await detail(order.orderNo)).body.success).toBe(true);

    for (const token of [null, buyer.token, 'not-a-token']) {
      const refused = await detail(order.orderNo, token);
      expect(refused.status).toBe(200);
      expect(refused.body).toEqual({ success: false, status: 1, message: WHOLESALE.errorMessage.unauthorized });
      expect(shape(refused.body)).toEqual(shape(SAMPLE_ERROR));
    }
    const missing = await api(t, 'GET', '/wholesale/api/order/detail', { token: admin });
    expect(missing.body).toEqual({ success: false, status: 1, message: '缺少参数：orderId' });
    const tooLong = await detail('9'.repeat(65));
    expect(tooLong.body).toEqual({ success: false, status: 1, message: '参数错误：orderId' });
    const noRoute = await api(t, 'GET', '/wholesale/api/nothing', { token: admin });
    expect(noRoute.status).toBe(404);
    expect(noRoute.body).toMatchObject({ success: false, status: 1 });
  });

  it('reads orders with a merchant app’s signed request; a replayed or forged one is refused', async () => {
    const buyer = await createMember(t);
    const order = await seedOrder(buyer.token);
    const app = await createMerchantApp(t, admin);
    const url = `/wholesale/api/order/detail?orderId=${order.orderNo}`;
    const { 'content-type': _json, ...headers } = signedHeaders(t, app, 'GET', url, '');
    const signed = await api(t, 'GET', url, { headers });
    expect(signed.body).toMatchObject({ success: true, status: 0, data: { orderId: order.orderNo } });
    const replayed = await api(t, 'GET', url, { headers });
    expect(replayed.body).toEqual({ success: false, status: 1, message: WHOLESALE.errorMessage.unauthorized });
    const { 'content-type': _forgedJson, ...forged } = signedHeaders(
      t,
      { appId: app.appId, secret: 'wrong' },
      'GET',
      url,
      '',
    );
    expect((await api(t, 'GET', url, { headers: forged })).body).toEqual({
      success: false,
      status: 1,
      message: WHOLESALE.errorMessage.unauthorized,
    });
  });
});

describe('wholesale order list', () => {
  it('pages the merchant’s orders, newest first, in the detail shape, with the total', async () => {
    const buyer = await createMember(t);
    await seedOrder(buyer.token);
    t.clock.advance(1000);
    const newest = await seedOrder(buyer.token);
    const { n } = await t.ctx.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('merchant_id', '=', 10001)
      .executeTakeFirstOrThrow();
    const total = Number(n);
    expect(total).toBeGreaterThan(3);

    const list = (query: string, token: string | null = admin) =>
      api(t, 'GET', `/wholesale/api/order/list?${query}`, token === null ? {} : { token });
    const first = await list('page=1&pageSize=2');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ success: true, status: 0, data: { total } });
    expect(Object.keys(first.body.data).sort()).toEqual(['list', 'total']);
    expect(first.body.data.list).toHaveLength(2);
    expect(first.body.data.list[0]).toEqual((await detail(newest.orderNo)).body.data);
    const last = await list(`page=${Math.ceil(total / 2)}&pageSize=2`);
    expect(last.body.data.list).toHaveLength(total % 2 === 0 ? 2 : 1);
    const all = await list(`pageSize=100`);
    expect(new Set(all.body.data.list.map((o: { orderId: string }) => o.orderId)).size).toBe(total);
    expect((await list('page=1', buyer.token)).body).toMatchObject({ success: false, status: 1 });
    expect((await list('pageSize=0')).body).toEqual({ success: false, status: 1, message: '参数错误：pageSize' });
  });
});

describe('wholesale answers only what the seed defines', () => {
  /** The codes the seed's field table lists for a field: `tradeStatus | int | 交易状态 1、交易关闭 2、等待付款 …`. */
  const seedCodes = (field: string) => {
    const row = seedText.split('\n').find((l) => l.startsWith(`${field} |`))!;
    return new Set([...row.matchAll(/(\d+)、/g)].map((m) => Number(m[1])));
  };

  it('reads the enumerations from the seed: tradeStatus 1 2 3 4 6 7, payForType 1 2 3 4 5 6 9', () => {
    expect([...seedCodes('tradeStatus')]).toEqual([1, 2, 3, 4, 6, 7]);
    expect([...seedCodes('payForType')]).toEqual([1, 2, 3, 4, 5, 6, 9]);
  });

  it('every tradeStatus and payForType ordo can answer is one of the seed’s (payForType null where it has none)', () => {
    const trade = seedCodes('tradeStatus');
    const payFor = seedCodes('payForType');
    for (const code of Object.values(WHOLESALE.tradeStatus)) expect(trade.has(code)).toBe(true);
    expect(trade.has(WHOLESALE.fullyRefunded)).toBe(true);
    for (const code of Object.values(WHOLESALE.payForType)) expect(payFor.has(code!)).toBe(true);
  });

  it('the list of every order built above holds only seed codes', async () => {
    const all = await api(t, 'GET', '/wholesale/api/order/list?pageSize=100', { token: admin });
    const trade = seedCodes('tradeStatus');
    const payFor = seedCodes('payForType');
    expect(all.body.data.list.length).toBeGreaterThan(10);
    for (const o of all.body.data.list) {
      expect(trade.has(o.tradeStatus)).toBe(true);
      expect(o.payForType === null || payFor.has(o.payForType)).toBe(true);
    }
  });

  it('districtId is the region code of every address, also one typed as names only (浙江 台州 路桥, 天津市 和平区)', async () => {
    const buyer = await createMember(t);
    const orderTo = async (address: Record<string, string>) => {
      const created = await api(t, 'POST', '/v1/addresses', {
        token: buyer.token,
        body: { receiverName: 'ddd', mobile: '11111111111', address: '无', ...address },
      });
      expect(created.status).toBe(201);
      const placed = await placeOrder(t, buyer.token, {
        lines: [{ productId: trousers.id, optionIds: [trousers.oneSize], quantity: 1 }],
        addressId: created.body.id,
      });
      expect(placed.status).toBe(201);
      return (await detail(placed.body.orderNo)).body.data.districtId;
    };
    expect(await orderTo({ province: '浙江', city: '台州', district: '路桥' })).toBe('331004');
    expect(await orderTo({ province: '浙江省', city: '台州市', district: '路桥区' })).toBe('331004');
    expect(await orderTo({ province: '天津市', city: '和平区' })).toBe('120101');
    expect(await orderTo({ province: '北京市', city: '北京市', district: '大兴区' })).toBe('110115');
    expect(await orderTo({ province: '广东省', city: '深圳市', district: '不存在区' })).toBe('440300');
    // a code the buyer chose wins over the names
    expect(await orderTo({ province: '北京市', city: '北京市', district: '大兴区', districtCode: '110101' })).toBe(
      '110101',
    );
  });

  it('checkedDate is when staff checked the voucher, rejected as well as approved', async () => {
    const buyer = await createMember(t);
    const order = await seedOrder(buyer.token);
    const outTradeNo = await submitVoucher(buyer.token, order.orderNo, 'voucher_wechat', 1);
    t.clock.advance(120_000);
    const rejectedAt = t.clock.now();
    const rejected = await api(t, 'POST', `/v1/admin/payments/${outTradeNo}/reject`, {
      token: admin,
      body: { reason: '凭证不清晰' },
    });
    expect(rejected.status).toBe(200);
    expect((await detail(order.orderNo)).body.data).toMatchObject({
      tradeStatus: 2,
      payForType: 2,
      checkedDate: shanghai(rejectedAt),
      payForTime: null,
    });
  });

  it('voucher pictures are read with a merchant app’s signed request too, and only the caller’s own', async () => {
    const buyer = await createMember(t);
    const order = await seedOrder(buyer.token);
    const outTradeNo = await submitVoucher(buyer.token, order.orderNo, 'voucher_bank', 1);
    const [url] = (await detail(order.orderNo)).body.data.payImgs as string[];
    const path = url!.slice(t.ctx.config.publicUrl.length);
    const app = await createMerchantApp(t, admin);
    const { 'content-type': _json, ...headers } = signedHeaders(t, app, 'GET', path, '');
    const picture = await t.app.inject({ method: 'GET', url: path, headers });
    expect(picture.statusCode).toBe(200);
    expect(picture.rawPayload.equals(PNG_1X1)).toBe(true);

    const missing = await api(t, 'GET', `/wholesale/api/order/voucher/${outTradeNo}/999999999`, { token: admin });
    expect(missing.body).toMatchObject({ success: false, status: 1 });
    const bad = await api(t, 'GET', `/wholesale/api/order/voucher/${outTradeNo}/abc`, { token: admin });
    expect(bad.body).toEqual({ success: false, status: 1, message: '参数错误：imageId' });
  });
});
