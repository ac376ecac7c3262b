import { afterAll, describe, expect, it } from 'vitest';
import { api, type ApiReply } from '../support/api.ts';
import { multipartBody, PNG_1X1 } from '../support/payments.ts';
import { staffToken } from '../support/actors.ts';
import { createMerchantApp, signedHeaders } from '../support/merchant-api.ts';
import { operationsOf, paramsIn, type Operation } from '../support/openapi-operations.ts';
import { createOwnedData, createRivalMerchant } from '../support/owned-data.ts';
import { toJson, validValue } from '../support/schema-samples.ts';
import { changedTables, snapshotTables, tableNames } from '../support/table-snapshot.ts';
import { startTestApp } from '../support/test-app.ts';
import { dialectRoutes, type DialectRoute } from '../fuzz/dialect-routes.ts';
import { DIALECT_ERROR } from '../support/error-envelopes.ts';

/**
 * The isolation matrix: every canonical route that reads or changes an order, payment, refund, address, cart
 * line, member or trade order (every operation of /openapi.json with one of those in its path), and every dialect
 * route that names one, is called by each outsider — another member, another merchant's staff (and app), an
 * operator without the role, a logged-out caller, a revoked token — on a real row, and on a row that does not
 * exist. Each must be refused, the same way for both (so the answer leaks nothing about existence), and nothing
 * may change; the owner, with the very same request, gets through (200 on reads).
 */

const t = await startTestApp();
afterAll(() => t.close());
const owned = await createOwnedData(t);
const rival = await createRivalMerchant(t);
const rivalApp = await createMerchantApp(t, rival.admin);
const operator = await staffToken(t, 'cashier');
const openapi = (await api(t, 'GET', '/openapi.json')).body;
// The audit trail records staff refusals too, and a validly signed request spends its nonce whatever it asks for.
const tables = (await tableNames(t.ctx.db)).filter((name) => name !== 'staff_audit' && name !== 'api_nonces');

/** Path parameters that name owned data, with the real row and one that does not exist (same shape). */
const OWNED_PARAMS: Record<string, { real: string; ghost: string }> = {
  orderNo: { real: owned.orderNo, ghost: `${owned.orderNo.slice(0, 8)}99999999` },
  outTradeNo: { real: owned.payment, ghost: `${owned.payment.slice(0, -6)}999999` },
  refundNo: { real: owned.refundNo, ghost: `${owned.refundNo.slice(0, -6)}999999` },
  tradeOrderNo: { real: owned.tradeOrderNo, ghost: `${owned.tradeOrderNo.slice(0, 8)}99999999` },
  addressId: { real: String(owned.addressId), ghost: '999999999' },
  itemId: { real: String(owned.cartItemId), ghost: '999999999' },
  memberId: { real: String(owned.buyer.memberId), ghost: '999999999' },
  imageId: { real: String(owned.voucher.imageId), ghost: '999999999' },
};
/** Voucher images, and the review of them, belong to the voucher payment. */
const REAL_FOR_ROUTE: Record<string, Record<string, string>> = {
  'POST /v1/admin/payments/{outTradeNo}/approve': { outTradeNo: owned.voucher.outTradeNo },
  'POST /v1/admin/payments/{outTradeNo}/reject': { outTradeNo: owned.voucher.outTradeNo },
  'GET /v1/payments/{outTradeNo}/vouchers/{imageId}': { outTradeNo: owned.voucher.outTradeNo },
  'GET /v1/payments/{outTradeNo}/vouchers': { outTradeNo: owned.voucher.outTradeNo },
};

/** Writes the owner is refused for a cause other than ownership, with the request this matrix sends. */
const OWNER_FORBIDDEN_FOR_CAUSE: Record<string, string> = {
  'POST /v1/merchant/trade-orders/{tradeOrderNo}/refund': 'refund_password', // a refund needs the operator's refund password
};

type Owner = 'member' | 'admin' | 'app';
const ownerOf = (op: Operation): Owner => (op.signed ? 'app' : op.path.startsWith('/v1/admin/') ? 'admin' : 'member');

interface Outsider {
  name: string;
  /** headers for a request, given method, URL and body (signed requests need them) */
  headers(method: string, url: string, body: string): Record<string, string>;
  /** only outsiders to these owners */
  against: Owner[];
}
const bearer = (token: string) => () => ({ authorization: `Bearer ${token}` });
const OUTSIDERS: Outsider[] = [
  { name: 'another member', headers: bearer(owned.other.token), against: ['member', 'admin', 'app'] },
  { name: "another merchant's member", headers: bearer(rival.member.token), against: ['member'] },
  { name: "another merchant's staff", headers: bearer(rival.admin), against: ['member', 'admin', 'app'] },
  { name: "another merchant's app", headers: (m, u, b) => signedHeaders(t, rivalApp, m, u, b), against: ['app'] },
  { name: 'an operator without the role', headers: bearer(operator), against: ['admin'] },
  { name: 'a logged-out caller', headers: () => ({}), against: ['member', 'admin', 'app'] },
  { name: 'a revoked token', headers: bearer(owned.revoked.token), against: ['member', 'admin', 'app'] },
];

const operations = operationsOf(openapi).filter((op) => paramsIn(op, 'path').some((p) => p.name in OWNED_PARAMS));

function requestFor(op: Operation, which: 'real' | 'ghost') {
  const values = Object.fromEntries(
    paramsIn(op, 'path').map((p) => {
      const owned_ = OWNED_PARAMS[p.name];
      const real = REAL_FOR_ROUTE[op.label]?.[p.name] ?? owned_?.real ?? owned.pathValues[p.name]!;
      return [p.name, which === 'ghost' && owned_ ? owned_.ghost : real];
    }),
  );
  let url = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name]!));
  const query = paramsIn(op, 'query').filter((p) => p.required && p.schema.default === undefined);
  if (query.length)
    url += `?${query.map((p) => `${p.name}=${encodeURIComponent(String(validValue(p.schema)))}`).join('&')}`;
  // required headers only (an Idempotency-Key, unique per variant); optional ones such as a read position stay out
  const headers: Record<string, string> = Object.fromEntries(
    paramsIn(op, 'header')
      .filter((p) => p.required)
      .map((p) => [p.name, `${String(validValue(p.schema))}-${which}`]),
  );
  if (op.label === VOUCHER_UPLOAD) {
    const form = multipartBody({ method: 'voucher_bank', client: 'PC' }, [
      { name: 'images', filename: 'p.png', type: 'image/png', data: PNG_1X1 },
    ]);
    return { url, headers: { ...headers, 'content-type': form.contentType }, body: form.payload };
  }
  const body = op.bodySchema ? toJson(validValue(op.bodySchema)) : undefined;
  return { url, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, body };
}

const VOUCHER_UPLOAD = 'POST /v1/orders/{orderNo}/vouchers';
const LIVE_STREAM = 'GET /v1/orders/{orderNo}/stream';

async function send(
  op: Operation,
  which: 'real' | 'ghost',
  auth: (method: string, url: string, body: string) => Record<string, string>,
): Promise<ApiReply> {
  const r = requestFor(op, which);
  const signed = auth(op.method, r.url, typeof r.body === 'string' ? r.body : '');
  const { 'content-type': _signedType, ...authHeaders } = signed;
  const response = await t.app.inject({
    method: op.method as 'GET',
    url: r.url,
    headers: { ...r.headers, ...authHeaders },
    ...(r.body === undefined ? {} : { payload: r.body }),
  });
  let body: unknown = response.body;
  try {
    body = JSON.parse(response.body);
  } catch {
    // not JSON
  }
  return { status: response.statusCode, body, headers: response.headers };
}

/** A live stream never ends: its owner is checked over a socket, by the status line alone. */
async function streamStatus(url: string, token: string): Promise<number> {
  const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const abort = new AbortController();
  try {
    return (await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal }))
      .status;
  } finally {
    abort.abort();
  }
}
const outcome = (reply: ApiReply) => ({ status: reply.status, code: reply.body?.error?.code });

const ownerAuth: Record<Owner, (m: string, u: string, b: string) => Record<string, string>> = {
  member: bearer(owned.buyer.token),
  admin: bearer(owned.adminToken),
  app: (m, u, b) => signedHeaders(t, owned.merchantApp, m, u, b),
};

describe('isolation matrix: canonical routes that touch owned data', () => {
  it('covers every such route of /openapi.json', () => {
    expect(operations.length).toBeGreaterThanOrEqual(35);
    for (const name of ['orderNo', 'outTradeNo', 'refundNo', 'tradeOrderNo', 'addressId', 'memberId'])
      expect(operations.some((op) => op.path.includes(`{${name}}`))).toBe(true);
  });

  const rows = operations.flatMap((op) =>
    OUTSIDERS.filter((o) => o.against.includes(ownerOf(op))).map((o) => [op.label, o.name, op, o] as const),
  );
  it.for(rows)('%s as %s: refused like a row that does not exist, nothing changed', async ([, , op, outsider]) => {
    const before = await snapshotTables(t.ctx.db, tables);
    const ghost = await send(op, 'ghost', outsider.headers);
    if (outsider.name === 'an operator without the role' && ghost.status !== 403) {
      // the operator has this route's role (it reached the lookup): it is the shop's own staff, not an outsider here
      expect(ghost.status, JSON.stringify(ghost.body)).toBe(404);
      return;
    }
    const real = await send(op, 'real', outsider.headers);
    expect(ghost.status, JSON.stringify(ghost.body)).toBeGreaterThanOrEqual(400);
    expect(ghost.status).toBeLessThan(500);
    expect(outcome(real), `real: ${JSON.stringify(real.body)}; ghost: ${JSON.stringify(ghost.body)}`).toEqual(
      outcome(ghost),
    );
    // refused before the lookup (400, 401, 403) or by it (404), and the same for both rows
    expect([400, 401, 403, 404]).toContain(real.status);
    expect(changedTables(before, await snapshotTables(t.ctx.db, tables))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Dialect routes: the ones the fuzz tables list as naming owned rows, each called here with a real and a missing row.

const orderIdOf = async (orderNo: string) =>
  (await t.ctx.db.selectFrom('orders').select('id').where('order_no', '=', orderNo).executeTakeFirstOrThrow()).id;
const orderId = await orderIdOf(owned.orderNo);
const refundLineId = (
  await t.ctx.db
    .selectFrom('order_lines')
    .select('id')
    .where('order_id', '=', await orderIdOf(owned.refundOrderNo))
    .executeTakeFirstOrThrow()
).id;

// a recharge rule of the owner's merchant, for the till's rule routes
const ruleId = (
  await t.ctx.db
    .insertInto('member_recharge_rules')
    .values({ merchant_id: 10001, recharge_amount: 10_000, bonus_kind: 'balance', bonus_amount: 1_000 })
    .returning('id')
    .executeTakeFirstOrThrow()
).id;

// a sale at the owner's till, partly refunded there: a pay order and a refund order of the owner's merchant
const ownerAdminId = (
  await t.ctx.db.selectFrom('staff').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()
).id;
await api(t, 'PUT', `/v1/admin/staff/${ownerAdminId}/refund-password`, {
  token: owned.adminToken,
  body: { password: '888888' },
});
const ownerTill = async (route: string, body: Record<string, string>) =>
  (
    await api(t, 'POST', `/xxpay/api/${route}`, {
      headers: { authorization: owned.adminToken, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  ).body.data;
const tillSale = (await ownerTill('memberPay/cash', { requiredAmount: '5.00' })).tradeOrderId as string;
const tillRefundNo = (
  await ownerTill('memberPay/refund2', { tradeOrderId: tillSale, refundAmount: '1.00', refundPassword: '888888' })
).refundOrderId as string;
const ghostRefundNo = `${tillRefundNo.slice(0, -6)}999999`;

// a coupon in the owned buyer's wallet, for the till's coupon check
const walletTemplate = await api(t, 'POST', '/v1/admin/coupons', {
  token: owned.adminToken,
  body: { kind: 'fixed', amountOff: 100, minSpend: 0, claimable: true },
});
const walletCouponNo = (
  await api(t, 'POST', `/v1/coupons/${walletTemplate.body.id}/claim`, { token: owned.buyer.token })
).body.id as number;

type Which = 'real' | 'ghost';
const pick = (which: Which, real: unknown, ghost: unknown) => (which === 'real' ? real : ghost);
/** How to call each dialect route on the owned row (or on one that does not exist). */
const DIALECT_CALLS: Record<string, (w: Which) => Record<string, unknown>> = {
  'mall GET /orders/:orderNo': (w) => ({ orderNo: pick(w, owned.orderNo, OWNED_PARAMS.orderNo!.ghost) }),
  'mall PUT /orders/:orderNo': (w) => ({ orderNo: pick(w, owned.orderNo, OWNED_PARAMS.orderNo!.ghost) }),
  'mall PUT /shippings/:shippingId': (w) => ({ shippingId: pick(w, owned.addressId, 999_999_999), receiverName: 'x' }),
  'mall DELETE /shippings/:shippingId': (w) => ({ shippingId: pick(w, owned.addressId, 999_999_999) }),
  'mall POST /orders': (w) => ({ shippingId: pick(w, owned.addressId, 999_999_999) }),
  'mall POST /pay': (w) => ({ orderId: pick(w, owned.orderNo, OWNED_PARAMS.orderNo!.ghost), payType: 1 }),
  'storefront GET /api/order/detail': (w) => ({ order_id: String(pick(w, orderId, 999_999_999)) }),
  'wholesale GET /api/order/detail': (w) => ({ orderId: pick(w, owned.orderNo, OWNED_PARAMS.orderNo!.ghost) }),
  ...Object.fromEntries(
    [
      'trade_order/get',
      'memberPay/queryStatus',
      'memberPay/refund',
      'memberPay/refund2',
      'memberPay/depositConsume',
      'memberPay/depositReverse',
      'memberPay/cash',
      'memberPay/bar',
      'memberPay/balance',
    ].map((route) => [
      `xxpay GET /api/${route}`,
      (w: Which) => ({
        tradeOrderId: pick(w, owned.tradeOrderNo, OWNED_PARAMS.tradeOrderNo!.ghost),
        refundPassword: 'x',
        barCode: '134567890123456789',
        memberId: owned.buyer.memberId,
      }),
    ]),
  ),
  ...Object.fromEntries(
    ['address/detail', 'address/edit', 'address/setDefault', 'address/remove'].map((a) => [
      `yoshop ${a}`,
      (w: Which) => ({
        addressId: pick(w, owned.addressId, 999_999_999),
        form: { name: 'x', phone: '13800138000', region: [], detail: 'x' },
      }),
    ]),
  ),
  ...Object.fromEntries(
    ['cashier/orderInfo', 'cashier/orderPay', 'order/detail', 'order/cancel', 'order/receipt', 'order/express'].map(
      (a) => [`yoshop ${a}`, (w: Which) => ({ orderId: pick(w, orderId, 999_999_999), method: 'balance' })],
    ),
  ),
  'yoshop cashier/tradeQuery': (w) => ({ outTradeNo: pick(w, owned.payment, OWNED_PARAMS.outTradeNo!.ghost) }),
  'yoshop refund/goods': (w) => ({ orderGoodsId: pick(w, refundLineId, 999_999_999) }),
  'yoshop refund/apply': (w) => ({
    orderGoodsId: pick(w, refundLineId, 999_999_999),
    form: { type: 10, content: 'x' },
  }),
  'yoshop refund/detail': (w) => ({ orderRefundId: pick(w, owned.refundNo, OWNED_PARAMS.refundNo!.ghost) }),
  'yoshop refund/delivery': (w) => ({
    orderRefundId: pick(w, owned.refundNo, OWNED_PARAMS.refundNo!.ghost),
    expressId: 1,
    expressNo: 'SF1234567890',
  }),
  ...Object.fromEntries(
    ['order/pay', 'order.comment/list', 'order.comment/submit'].map((a) => [
      `yoshop ${a}`,
      (w: Which) => ({ orderId: pick(w, orderId, 999_999_999), payType: 10, method: 'balance', client: 'H5' }),
    ]),
  ),
  'yoshop recharge/tradeQuery': (w) => ({ outTradeNo: pick(w, owned.payment, OWNED_PARAMS.outTradeNo!.ghost) }),
  'wholesale GET /api/order/voucher/:outTradeNo/:imageId': (w) => ({
    outTradeNo: pick(w, owned.voucher.outTradeNo, OWNED_PARAMS.outTradeNo!.ghost),
    imageId: pick(w, owned.voucher.imageId, 999_999_999),
  }),
  'xxpay GET /api/member/get': (w) => ({ memberId: pick(w, owned.buyer.memberId, 999_999_999) }),
  'xxpay GET /api/member/getAllMemberInfo': (w) => ({ type: 1, memberId: pick(w, owned.buyer.memberId, 999_999_999) }),
  'xxpay GET /api/member_recharge_rule/get': (w) => ({ ruleId: pick(w, ruleId, 999_999_999) }),
  'xxpay GET /api/memberPay/recharge': (w) => ({
    memberId: pick(w, owned.buyer.memberId, 999_999_999),
    ruleId: pick(w, ruleId, 999_999_999),
    barCode: '134567890123456789',
  }),
  'xxpay GET /api/member_coupon/checkCoupon': (w) => ({ couponNo: pick(w, walletCouponNo, 999_999_998), amount: 100 }),
  'xxpay GET /api/pay_order/get': (w) => ({ payOrderId: pick(w, owned.payment, OWNED_PARAMS.outTradeNo!.ghost) }),
  'xxpay GET /api/refund_order/get': (w) => ({ refundOrderId: pick(w, tillRefundNo, ghostRefundNo) }),
};
/** Parameters of dialect routes that name something nobody owns (a product) or nothing at all (paging). */
const NOT_OWNED = new Set(['productId', 'goodsId', 'goodsNum', 'page', 'limit', 'cartIds', 'payAmount']);

// xxpay answers GET and POST alike on each route (one handler): it is called once, with a form-less JSON POST.
const routes = (await dialectRoutes(t.ctx)).filter(
  (r) =>
    (r.access === 'member' || r.access === 'staff') &&
    Object.keys(r.params).some((p) => !NOT_OWNED.has(p)) &&
    !(r.dialect === 'xxpay' && r.method === 'POST'),
);

function dialectCredential(dialect: DialectRoute['dialect'], token: string | null): Record<string, string> {
  if (token === null) return dialect === 'yoshop' ? { 'access-token': 'false' } : {};
  if (dialect === 'mall') return { cookie: `MALL_SESSION=${token}` };
  if (dialect === 'yoshop') return { 'access-token': token };
  if (dialect === 'storefront') return { token };
  if (dialect === 'xxpay') return { authorization: token };
  return { authorization: `Bearer ${token}` };
}

async function callDialect(route: DialectRoute, which: Which, token: string | null): Promise<ApiReply> {
  const params = { ...DIALECT_CALLS[route.key]!(which) };
  const method = route.dialect === 'xxpay' ? 'POST' : route.method;
  const url = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = params[name];
    delete params[name];
    return encodeURIComponent(String(value));
  });
  const headers = dialectCredential(route.dialect, token);
  if (method === 'GET' || method === 'DELETE')
    return api(
      t,
      method,
      `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`,
      { headers },
    );
  return api(t, method, url, {
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
}

/** A dialect answer with the row's own identifiers taken out of its texts: two of these must not tell the rows apart. */
const ID_PAIRS = [
  [owned.orderNo, OWNED_PARAMS.orderNo!.ghost],
  [owned.tradeOrderNo, OWNED_PARAMS.tradeOrderNo!.ghost],
  [owned.payment, OWNED_PARAMS.outTradeNo!.ghost],
  [owned.refundNo, OWNED_PARAMS.refundNo!.ghost],
  [String(orderId), '999999999'],
  [String(owned.addressId), '999999999'],
  [String(refundLineId), '999999999'],
  [owned.voucher.outTradeNo, OWNED_PARAMS.outTradeNo!.ghost],
  [String(owned.voucher.imageId), '999999999'],
  [String(owned.buyer.memberId), '999999999'],
  [String(ruleId), '999999999'],
  [String(walletCouponNo), '999999998'],
  [tillRefundNo, ghostRefundNo],
];
const withoutIds = (value: unknown): unknown => {
  if (typeof value === 'string')
    return ID_PAIRS.flat().reduce((text, id) => text.replace(new RegExp(`\\b${id}\\b`, 'g'), '<id>'), value);
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutIds(v)]));
  return value;
};
const anonymous = (reply: ApiReply) => ({ status: reply.status, body: withoutIds(reply.body) });

describe('isolation matrix: dialect routes that touch owned data', () => {
  it('has a way to call every dialect route that names an owned row', () => {
    expect(routes.map((r) => r.key).filter((key) => !DIALECT_CALLS[key])).toEqual([]);
    expect(routes.length).toBeGreaterThanOrEqual(25);
  });

  const outsidersFor = (route: DialectRoute): [string, string | null][] =>
    route.access === 'staff'
      ? [
          ["another merchant's staff", rival.admin],
          ['a member', owned.buyer.token],
          ['a logged-out caller', null],
          ['a revoked token', owned.revoked.token],
        ]
      : [
          ['another member', owned.other.token],
          ["another merchant's member", rival.member.token],
          ['a staff token', owned.adminToken],
          ['a logged-out caller', null],
          ['a revoked token', owned.revoked.token],
        ];
  const rows = routes.flatMap((route) =>
    outsidersFor(route).map(([name, token]) => [route.key, name, route, token] as const),
  );
  it.for(rows)('%s as %s: refused like a row that does not exist, nothing changed', async ([, , route, token]) => {
    const before = await snapshotTables(t.ctx.db, tables);
    const ghost = await callDialect(route, 'ghost', token);
    const real = await callDialect(route, 'real', token);
    expect(DIALECT_ERROR[route.dialect](ghost), JSON.stringify(ghost.body)).toBe(true);
    expect(ghost.status).toBeLessThan(500);
    expect(anonymous(real)).toEqual(anonymous(ghost));
    expect(changedTables(before, await snapshotTables(t.ctx.db, tables))).toEqual([]);
  });

  const readRoutes = routes
    .filter((r) => r.method === 'GET' && r.dialect !== 'yoshop' && r.dialect !== 'xxpay')
    .concat(
      routes.filter((r) =>
        [
          'yoshop order/detail',
          'yoshop address/detail',
          'yoshop cashier/orderInfo',
          'xxpay GET /api/trade_order/get',
          'xxpay GET /api/pay_order/get',
          'xxpay GET /api/refund_order/get',
        ].includes(r.key),
      ),
    );
  it.for(readRoutes.map((r) => [r.key, r] as const))('%s as its owner: the same request answers', async ([, route]) => {
    const reply = await callDialect(route, 'real', route.access === 'staff' ? owned.adminToken : owned.buyer.token);
    expect(DIALECT_ERROR[route.dialect](reply), JSON.stringify(reply.body)).toBe(false);
    expect(reply.status).toBe(200);
  });
});

// The owners last (their writes end orders and delete addresses others act on): writes after reads, deletions at the end.
describe('isolation matrix: the owners of the rows above', () => {
  const rank = (op: Operation) => (op.method === 'GET' ? 0 : op.method === 'DELETE' ? 2 : 1);
  const ownerRows = [...operations].sort((a, b) => rank(a) - rank(b)).map((op) => [op.label, op] as const);
  it.for(ownerRows)('%s as its owner: the same request gets through', async ([, op]) => {
    if (op.label === LIVE_STREAM)
      return expect(await streamStatus(requestFor(op, 'real').url, owned.buyer.token)).toBe(200);
    const reply = await send(op, 'real', ownerAuth[ownerOf(op)]);
    if (op.method === 'GET') return expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    // a write may still be refused for what it asks (a state, an amount), never for who asks
    expect([401, 404], JSON.stringify(reply.body)).not.toContain(reply.status);
    if (reply.status === 403) expect(OWNER_FORBIDDEN_FOR_CAUSE[op.label]).toBe(reply.body.error.code);
  });
});
