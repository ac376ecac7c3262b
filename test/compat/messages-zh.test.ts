import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chineseMessage, MESSAGES_ZH } from '../../src/compat/messages-zh.ts';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { AppError, ERROR_CODES, notFound, type ErrorCode } from '../../src/errors.ts';
import { api } from '../support/api.ts';
import { createMember, staffToken } from '../support/actors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { yoshop, yoshopBuyer } from '../support/yoshop-client.ts';

/** The one Chinese message catalogue: every error code has its words, and every Chinese dialect answers with them. */

const CHINESE = /[\u4e00-\u9fff]/;

describe('the catalogue', () => {
  it('has a Chinese message for every ErrorCode and nothing else', () => {
    expect(Object.keys(MESSAGES_ZH).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) expect(MESSAGES_ZH[code]).toMatch(CHINESE);
  });

  it('names what is missing, keeps a message a dialect wrote in Chinese, and falls back to the code’s words', () => {
    expect(chineseMessage(notFound('order'))).toBe('订单不存在');
    expect(chineseMessage(notFound('cart item'))).toBe('购物车商品不存在');
    expect(chineseMessage(notFound('something new'))).toBe(MESSAGES_ZH.not_found);
    expect(chineseMessage(new AppError('validation_failed', '参数错误：lng'))).toBe('参数错误：lng');
    expect(chineseMessage(new AppError('invalid_state', 'an order that is paid cannot be cancelled'))).toBe(
      MESSAGES_ZH.invalid_state,
    );
  });
});

describe('each Chinese dialect answers a refusal in Chinese; the canonical API keeps English', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await staffToken(t);
  });
  afterAll(() => t.close());

  const MISSING_ORDER_NO = '2099010100000001';

  it('canonical /v1: English', async () => {
    const { token } = await createMember(t);
    const reply = await api(t, 'GET', `/v1/orders/${MISSING_ORDER_NO}`, { token });
    expect(reply.status).toBe(404);
    expect(reply.body.error).toMatchObject({ code: 'not_found', message: 'order not found' });
  });

  it('mall: 订单不存在', async () => {
    const username = `zh_${process.pid}`;
    await t.app.inject({
      method: 'POST',
      url: '/mall/user/register',
      payload: { username, password: 'secret123', email: `${username}@example.com` },
    });
    const login = await t.app.inject({
      method: 'POST',
      url: '/mall/user/login',
      payload: { username, password: 'secret123' },
    });
    const session = login.cookies.find((c) => c.name === 'MALL_SESSION')!.value;
    const reply = await t.app.inject({
      method: 'GET',
      url: `/mall/orders/${MISSING_ORDER_NO}`,
      headers: { cookie: `MALL_SESSION=${session}` },
    });
    expect(reply.json()).toEqual({ status: 1, msg: '订单不存在' });
  });

  it('storefront: 订单不存在', async () => {
    const { token } = await createMember(t);
    const reply = await t.app.inject({
      method: 'GET',
      url: '/storefront/api/order/detail?order_id=999999999',
      headers: { token },
    });
    expect(reply.json()).toEqual({ status: 0, msg: '订单不存在' });
  });

  it('wholesale: the seed’s 找不到指定的订单', async () => {
    const reply = await t.app.inject({
      method: 'GET',
      url: `/wholesale/api/order/detail?orderId=${MISSING_ORDER_NO}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(reply.json()).toEqual({ success: false, status: 1, message: '找不到指定的订单' });
  });

  it('yoshop: a product that does not exist is 商品不存在', async () => {
    const buyer = await yoshopBuyer(t);
    const reply = await yoshop(t, 'POST', 'cart/add', {
      token: buyer.token,
      body: { goodsId: 999_999_999, goodsSkuId: '0', goodsNum: 1 },
    });
    expect(reply.status).toBe(500);
    expect(reply.message).toMatch(CHINESE);
    expect(reply.message).not.toMatch(/not found/);
  });

  it('xxpay: a trade order that does not exist is 订单不存在', async () => {
    const cashier = DEMO.staff.find((s) => s.username === 'cashier')!;
    const login = await api(t, 'POST', '/xxpay/api/auth', {
      body: `username=cashier&password=${encodeURIComponent(cashier.password)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const reply = await api(t, 'POST', '/xxpay/api/trade_order/get', {
      body: `tradeOrderId=${MISSING_ORDER_NO}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: login.body.data.access_token },
    });
    expect(reply.body.code).not.toBe(0);
    expect(reply.body.msg).toBe('订单不存在');
  });
});
