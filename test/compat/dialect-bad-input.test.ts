import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type ApiReply } from '../support/api.ts';
import { createMember, placeOrder, staffToken } from '../support/actors.ts';
import { DIALECT_ERROR } from '../support/error-envelopes.ts';
import { snapshotTables } from '../support/table-snapshot.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { MAX_URL_LENGTH } from '../../src/http/request-boundary.ts';

const longPad = `pad=${'x'.repeat(MAX_URL_LENGTH)}`;
const bigBody = () => JSON.stringify({ a: 'x'.repeat(t.ctx.config.bodyLimitBytes) });

let t: TestApp;
let admin: string;
let member: { memberId: number; token: string };
let cookie: string;
let orderNo: string;
let orderId: number;
let xxpayToken: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  member = await createMember(t);
  await t.ctx.db
    .updateTable('members')
    .set({ username: `bad${member.memberId}` })
    .where('id', '=', member.memberId)
    .execute();
  const login = await t.app.inject({
    method: 'POST',
    url: '/mall/user/login',
    payload: { username: `bad${member.memberId}`, password: 'secret123' },
  });
  cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const placed = await placeOrder(t, member.token, { lines: [{ productId: 10002, quantity: 1 }] });
  orderNo = placed.body.orderNo;
  orderId = placed.body.id;
  const auth = await t.app.inject({
    method: 'POST',
    url: '/xxpay/api/auth',
    payload: 'username=admin&password=admin123',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  xxpayToken = auth.json().data.access_token;
});
afterAll(() => t.close());

const fingerprint = async () => JSON.stringify(await snapshotTables(t.ctx.db));

interface Case {
  label: string;
  method: string;
  url: string;
  body?: string;
  contentType?: string;
  auth?: 'session' | 'token' | 'staff' | 'none';
}

/** Each dialect's hostile requests and the test of its own error envelope. */
const DIALECTS: { name: string; isError: (reply: ApiReply) => boolean; cases: () => Case[] }[] = [
  {
    name: 'mall',
    isError: DIALECT_ERROR.mall,
    cases: () => [
      { label: 'malformed JSON', method: 'POST', url: '/mall/orders', body: '{"shippingId":', auth: 'session' },
      {
        label: 'shippingId as text',
        method: 'POST',
        url: '/mall/orders',
        body: '{"shippingId":"abc"}',
        auth: 'session',
      },
      { label: 'shippingId huge', method: 'POST', url: '/mall/orders', body: '{"shippingId":1e308}', auth: 'session' },
      {
        label: 'unknown shipping',
        method: 'POST',
        url: '/mall/orders',
        body: '{"shippingId":999999}',
        auth: 'session',
      },
      {
        label: 'mobile not 11 digits',
        method: 'POST',
        url: '/mall/shippings',
        body: '{"receiverName":"x","receiverMobile":"123","receiverProvince":"a","receiverCity":"b","receiverDistrict":"c","receiverAddress":"d"}',
        auth: 'session',
      },
      {
        label: 'cart product negative',
        method: 'POST',
        url: '/mall/carts',
        body: '{"productId":-1,"selected":true}',
        auth: 'session',
      },
      {
        label: 'cart quantity fractional',
        method: 'PUT',
        url: '/mall/carts/10002',
        body: '{"quantity":1.5,"selected":true}',
        auth: 'session',
      },
      { label: 'order number not a number', method: 'GET', url: "/mall/orders/' OR 1=1 --", auth: 'session' },
      {
        label: 'pay a missing order',
        method: 'POST',
        url: '/mall/pay',
        body: '{"orderId":"2099010100000001","payType":2}',
        auth: 'session',
      },
      {
        label: 'pay type unknown',
        method: 'POST',
        url: '/mall/pay',
        body: `{"orderId":"${orderNo}","payType":9}`,
        auth: 'session',
      },
      {
        label: 'form body',
        method: 'POST',
        url: '/mall/orders',
        body: 'shippingId=1',
        contentType: 'application/x-www-form-urlencoded',
        auth: 'session',
      },
      { label: 'not logged in', method: 'GET', url: '/mall/orders', auth: 'none' },
      {
        label: 'login without password',
        method: 'POST',
        url: '/mall/user/login',
        body: '{"username":"demo"}',
        auth: 'none',
      },
      {
        label: 'U+0000 in a receiver name',
        method: 'POST',
        url: '/mall/shippings',
        body: '{"receiverName":"a\\u0000b","receiverMobile":"13800138000","receiverProvince":"a","receiverCity":"b","receiverDistrict":"c","receiverAddress":"d"}',
        auth: 'session',
      },
      {
        label: 'a lone surrogate in a receiver address',
        method: 'POST',
        url: '/mall/shippings',
        body: '{"receiverName":"x","receiverMobile":"13800138000","receiverProvince":"a","receiverCity":"b","receiverDistrict":"c","receiverAddress":"\\ud800"}',
        auth: 'session',
      },
      { label: 'U+0000 in a search', method: 'GET', url: '/mall/products?keyword=%00', auth: 'none' },
      { label: 'an over-long query', method: 'GET', url: `/mall/products?${longPad}`, auth: 'none' },
      { label: 'a body over the limit', method: 'POST', url: '/mall/user/login', body: bigBody(), auth: 'none' },
    ],
  },
  {
    name: 'yoshop',
    isError: DIALECT_ERROR.yoshop,
    cases: () => [
      { label: 'unknown route', method: 'GET', url: '/yoshop/index.php?s=/api/nope', auth: 'token' },
      { label: 'orderId missing', method: 'GET', url: '/yoshop/index.php?s=/api/order/detail', auth: 'token' },
      {
        label: 'orderId as text',
        method: 'GET',
        url: '/yoshop/index.php?s=/api/order/detail&orderId=abc',
        auth: 'token',
      },
      {
        label: 'orderId of nobody',
        method: 'GET',
        url: '/yoshop/index.php?s=/api/order/detail&orderId=99999999',
        auth: 'token',
      },
      {
        label: 'malformed JSON',
        method: 'POST',
        url: '/yoshop/index.php?s=/api/cart/add',
        body: '{"goodsId":',
        auth: 'token',
      },
      {
        label: 'goodsNum negative',
        method: 'POST',
        url: '/yoshop/index.php?s=/api/cart/add',
        body: '{"goodsId":10002,"goodsSkuId":"0","goodsNum":-3}',
        auth: 'token',
      },
      {
        label: 'pay with an unknown method',
        method: 'POST',
        url: '/yoshop/index.php?s=/api/cashier/orderPay',
        body: `{"orderId":${orderId},"method":"bitcoin","client":"H5"}`,
        auth: 'token',
      },
      {
        label: 'Access-Token false',
        method: 'GET',
        url: '/yoshop/index.php?s=/api/order/list&dataType=all',
        auth: 'none',
      },
      {
        label: 'login with a wrong password',
        method: 'POST',
        url: '/yoshop/index.php?s=/api/passport/login',
        body: '{"form":{"mobile":"13800138000","password":"nope"}}',
        auth: 'none',
      },
      {
        label: 'U+0000 in a search',
        method: 'GET',
        url: '/yoshop/index.php?s=/api/goods/list&goodsName=%00',
        auth: 'none',
      },
      {
        label: 'a lone surrogate in a login',
        method: 'POST',
        url: '/yoshop/index.php?s=/api/passport/login',
        body: '{"form":{"mobile":"\\udfff","password":"x"}}',
        auth: 'none',
      },
      {
        label: 'an over-long query',
        method: 'GET',
        url: `/yoshop/index.php?s=/api/goods/list&${longPad}`,
        auth: 'none',
      },
      {
        label: 'a body over the limit',
        method: 'POST',
        url: '/yoshop/index.php?s=/api/cart/add',
        body: bigBody(),
        auth: 'token',
      },
    ],
  },
  {
    name: 'xxpay',
    isError: DIALECT_ERROR.xxpay,
    cases: () => [
      { label: 'get without tradeOrderId', method: 'GET', url: '/xxpay/api/trade_order/get', auth: 'staff' },
      {
        label: 'get an unknown trade order',
        method: 'GET',
        url: '/xxpay/api/trade_order/get?tradeOrderId=2099010100000001',
        auth: 'staff',
      },
      {
        label: 'get with injection',
        method: 'GET',
        url: `/xxpay/api/trade_order/get?tradeOrderId=${encodeURIComponent("1' OR '1'='1")}`,
        auth: 'staff',
      },
      {
        label: 'bar with a negative amount',
        method: 'POST',
        url: '/xxpay/api/memberPay/bar',
        body: 'barCode=134567890123456789&requiredAmount=-5',
        contentType: 'application/x-www-form-urlencoded',
        auth: 'staff',
      },
      {
        label: 'bar with three decimals',
        method: 'POST',
        url: '/xxpay/api/memberPay/bar',
        body: 'barCode=134567890123456789&requiredAmount=1.234',
        contentType: 'application/x-www-form-urlencoded',
        auth: 'staff',
      },
      {
        label: 'bar with a junk code',
        method: 'POST',
        url: '/xxpay/api/memberPay/bar',
        body: 'barCode=hello&requiredAmount=5',
        contentType: 'application/x-www-form-urlencoded',
        auth: 'staff',
      },
      {
        label: 'refund2 of a huge amount',
        method: 'POST',
        url: '/xxpay/api/memberPay/refund2',
        body: `tradeOrderId=${orderNo}&refundAmount=1e308&refundPassword=x`,
        contentType: 'application/x-www-form-urlencoded',
        auth: 'staff',
      },
      {
        label: 'malformed JSON',
        method: 'POST',
        url: '/xxpay/api/memberPay/cash',
        body: '{"tradeOrderId":',
        auth: 'staff',
      },
      { label: 'no token', method: 'GET', url: `/xxpay/api/trade_order/get?tradeOrderId=${orderNo}`, auth: 'none' },
      {
        label: 'auth with a wrong password',
        method: 'POST',
        url: '/xxpay/api/auth',
        body: 'username=admin&password=nope',
        contentType: 'application/x-www-form-urlencoded',
        auth: 'none',
      },
      {
        label: 'U+0000 in a form field',
        method: 'POST',
        url: '/xxpay/api/memberPay/cash',
        body: 'requiredAmount=1&subject=a%00b',
        contentType: 'application/x-www-form-urlencoded',
        auth: 'staff',
      },
      {
        label: 'a lone surrogate in JSON',
        method: 'POST',
        url: '/xxpay/api/memberPay/cash',
        body: '{"requiredAmount":"1","subject":"\\ud800"}',
        auth: 'staff',
      },
      { label: 'an over-long query', method: 'GET', url: `/xxpay/api/trade_order/list?${longPad}`, auth: 'staff' },
      {
        label: 'a body over the limit',
        method: 'POST',
        url: '/xxpay/api/memberPay/cash',
        body: bigBody(),
        auth: 'staff',
      },
    ],
  },
  {
    name: 'storefront',
    isError: DIALECT_ERROR.storefront,
    cases: () => [
      { label: 'order_id as text', method: 'GET', url: '/storefront/api/order/detail?order_id=abc', auth: 'token' },
      { label: 'order_id missing', method: 'GET', url: '/storefront/api/order/detail', auth: 'token' },
      {
        label: 'order_id injection',
        method: 'GET',
        url: `/storefront/api/order/detail?order_id=${encodeURIComponent("1' OR '1'='1")}`,
        auth: 'token',
      },
      {
        label: 'order_id huge',
        method: 'GET',
        url: '/storefront/api/order/detail?order_id=99999999999999999999999',
        auth: 'token',
      },
      {
        label: 'lng out of range',
        method: 'GET',
        url: `/storefront/api/order/detail?order_id=${orderId}&lng=999&lat=22`,
        auth: 'token',
      },
      {
        label: 'lat alone',
        method: 'GET',
        url: `/storefront/api/order/detail?order_id=${orderId}&lat=22`,
        auth: 'token',
      },
      { label: 'no token', method: 'GET', url: `/storefront/api/order/detail?order_id=${orderId}`, auth: 'none' },
      { label: 'staff token', method: 'GET', url: `/storefront/api/order/detail?order_id=${orderId}`, auth: 'staff' },
      { label: 'list page zero', method: 'GET', url: '/storefront/api/order/list?page=0', auth: 'token' },
      { label: 'U+0000 in a parameter', method: 'GET', url: '/storefront/api/order/list?status=%00', auth: 'token' },
      { label: 'an over-long query', method: 'GET', url: `/storefront/api/order/list?${longPad}`, auth: 'token' },
      {
        label: 'a body over the limit',
        method: 'POST',
        url: '/storefront/api/order/list',
        body: bigBody(),
        auth: 'token',
      },
    ],
  },
  {
    name: 'wholesale',
    isError: DIALECT_ERROR.wholesale,
    cases: () => [
      { label: 'orderId missing', method: 'GET', url: '/wholesale/api/order/detail', auth: 'staff' },
      {
        label: 'orderId too long',
        method: 'GET',
        url: `/wholesale/api/order/detail?orderId=${'9'.repeat(200)}`,
        auth: 'staff',
      },
      {
        label: 'orderId injection',
        method: 'GET',
        url: `/wholesale/api/order/detail?orderId=${encodeURIComponent("' OR 1=1 --")}`,
        auth: 'staff',
      },
      { label: 'member token', method: 'GET', url: `/wholesale/api/order/detail?orderId=${orderNo}`, auth: 'token' },
      { label: 'no token', method: 'GET', url: `/wholesale/api/order/detail?orderId=${orderNo}`, auth: 'none' },
      { label: 'pageSize zero', method: 'GET', url: '/wholesale/api/order/list?pageSize=0', auth: 'staff' },
      { label: 'page not a number', method: 'GET', url: '/wholesale/api/order/list?page=abc', auth: 'staff' },
      {
        label: 'forged app signature',
        method: 'GET',
        url: `/wholesale/api/order/detail?orderId=${orderNo}`,
        auth: 'none',
      },
      { label: 'U+0000 in a parameter', method: 'GET', url: '/wholesale/api/order/list?keyword=%00', auth: 'staff' },
      { label: 'an over-long query', method: 'GET', url: `/wholesale/api/order/list?${longPad}`, auth: 'staff' },
      {
        label: 'a body over the limit',
        method: 'POST',
        url: '/wholesale/api/order/list',
        body: bigBody(),
        auth: 'staff',
      },
    ],
  },
];

describe('bad input to the dialects', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect.name}: every hostile request gets the dialect's own error envelope, never a 5xx, and changes nothing`, async () => {
      const before = await fingerprint();
      const problems: string[] = [];
      for (const c of dialect.cases()) {
        const headers: Record<string, string> = {};
        if (c.body !== undefined) headers['content-type'] = c.contentType ?? 'application/json';
        if (c.auth === 'session') headers.cookie = cookie;
        if (c.auth === 'token') Object.assign(headers, { token: member.token, 'access-token': member.token });
        if (c.auth === 'none' && c.url.startsWith('/yoshop')) headers['access-token'] = 'false';
        if (c.label === 'forged app signature')
          Object.assign(headers, {
            'x-ordo-app-id': 'app_0000000000000000',
            'x-ordo-timestamp': '1',
            'x-ordo-nonce': 'nonce-123',
            'x-ordo-signature': '0'.repeat(64),
          });
        if (c.auth === 'staff' && c.url.startsWith('/xxpay')) headers.authorization = xxpayToken;
        const reply = await api(t, c.method, c.url, {
          body: c.body,
          headers,
          token: c.auth === 'staff' && !c.url.startsWith('/xxpay') ? admin : undefined,
        });
        if (reply.status >= 500) problems.push(`${c.label}: HTTP ${reply.status}`);
        else if (!dialect.isError(reply))
          problems.push(
            `${c.label}: not the ${dialect.name} error envelope: ${JSON.stringify(reply.body).slice(0, 200)}`,
          );
      }
      expect(problems).toEqual([]);
      expect(await fingerprint()).toBe(before);
    });
  }
});
