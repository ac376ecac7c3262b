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
  if (query.length) url += `?${query.map((p) => `${p.name}=${encodeURIComponent(String(validValue(p.schema)))}`).join('&')}`;
  const headers: Record<string, string> = Object.fromEntries(paramsIn(op, 'header').map((p) => [p.name, `${String(validValue(p.schema))}-${which}`]));
  if (op.label === VOUCHER_UPLOAD) {
    const form = multipartBody({ method: 'voucher_bank', client: 'PC' }, [{ name: 'images', filename: 'p.png', type: 'image/png', data: PNG_1X1 }]);
    return { url, headers: { ...headers, 'content-type': form.contentType }, body: form.payload };
  }
  const body = op.bodySchema ? toJson(validValue(op.bodySchema)) : undefined;
  return { url, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, body };
}

const VOUCHER_UPLOAD = 'POST /v1/orders/{orderNo}/vouchers';
const LIVE_STREAM = 'GET /v1/orders/{orderNo}/stream';

async function send(op: Operation, which: 'real' | 'ghost', auth: (method: string, url: string, body: string) => Record<string, string>): Promise<ApiReply> {
  const r = requestFor(op, which);
  const signed = auth(op.method, r.url, typeof r.body === 'string' ? r.body : '');
  const { 'content-type': _signedType, ...authHeaders } = signed;
  const response = await t.app.inject({ method: op.method as 'GET', url: r.url, headers: { ...r.headers, ...authHeaders }, ...(r.body === undefined ? {} : { payload: r.body }) });
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
    return (await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal })).status;
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
    for (const name of ['orderNo', 'outTradeNo', 'refundNo', 'tradeOrderNo', 'addressId', 'memberId']) expect(operations.some((op) => op.path.includes(`{${name}}`))).toBe(true);
  });

  const rows = operations.flatMap((op) => OUTSIDERS.filter((o) => o.against.includes(ownerOf(op))).map((o) => [op.label, o.name, op, o] as const));
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
    expect(outcome(real), `real: ${JSON.stringify(real.body)}; ghost: ${JSON.stringify(ghost.body)}`).toEqual(outcome(ghost));
    // refused before the lookup (400, 401, 403) or by it (404), and the same for both rows
    expect([400, 401, 403, 404]).toContain(real.status);
    expect(changedTables(before, await snapshotTables(t.ctx.db, tables))).toEqual([]);
  });

  // The owner last, writes after reads (a write may end the order others act on), deletions at the very end.
  const rank = (op: Operation) => (op.method === 'GET' ? 0 : op.method === 'DELETE' ? 2 : 1);
  const ownerRows = [...operations].sort((a, b) => rank(a) - rank(b)).map((op) => [op.label, op] as const);
  it.for(ownerRows)('%s as its owner: the same request gets through', async ([, op]) => {
    if (op.label === LIVE_STREAM) return expect(await streamStatus(requestFor(op, 'real').url, owned.buyer.token)).toBe(200);
    const reply = await send(op, 'real', ownerAuth[ownerOf(op)]);
    if (op.method === 'GET') return expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    // a write may still be refused for what it asks (a state, an amount), never for who asks
    expect([401, 404], JSON.stringify(reply.body)).not.toContain(reply.status);
    if (reply.status === 403) expect(OWNER_FORBIDDEN_FOR_CAUSE[op.label]).toBe(reply.body.error.details.code);
  });
});
