import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { createAddress, createMember, createProduct, placeOrder, staffToken } from '../support/actors.ts';
import { startPayment } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { createRivalMerchant } from '../support/owned-data.ts';

// Staff-only reads the console needs besides the order list: the CSV export of the list and the members with their
// ledgers and grade. Each is the merchant's own: another merchant's staff see nothing.

let t: TestApp;
let admin: string;
let rival: string;
let buyer: { memberId: number; token: string };
let orderNo: string;
let rivalMemberId: number;

beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
  const rivalMerchant = await createRivalMerchant(t);
  rival = rivalMerchant.admin;
  rivalMemberId = rivalMerchant.member.memberId;
  buyer = await createMember(t);
  await t.ctx.db
    .updateTable('members')
    .set({ balance: 50_000, mobile: '13911112222' })
    .where('id', '=', buyer.memberId)
    .execute();
  t.clock.set(new Date('2025-05-06T03:04:05Z'));
  const product = await createProduct(t, admin, { price: 12_345, stock: 5, title: '吉他, "特别版"' });
  const placed = await placeOrder(t, buyer.token, {
    lines: [{ productId: product.id, quantity: 1 }],
    addressId: await createAddress(t, buyer.token),
    buyerRemark: '=HYPERLINK("http://x")',
  });
  expect(placed.status).toBe(201);
  orderNo = placed.body.orderNo;
  expect((await startPayment(t, buyer.token, orderNo, { method: 'balance', client: 'H5' })).status).toBe(200);
});
afterAll(() => t.close());

describe('orders CSV export', () => {
  it('writes the filtered orders with exact yuan amounts, local times, quoted text and defused formulas', async () => {
    const reply = await t.app.inject({
      method: 'GET',
      url: `/v1/admin/orders/export.csv?q=${orderNo}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(reply.headers['x-ordo-truncated']).toBe('false');
    const [header, row, end, ...rest] = reply.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toBe(
      'order_no,created_at,status,payment_status,refund_status,store_id,member_id,client,delivery,receiver_name,receiver_mobile,items,goods_yuan,discount_yuan,shipping_yuan,payable_yuan,paid_yuan,refunded_yuan,paid_at,buyer_remark,merchant_remark',
    );
    expect(row).toBe(
      `${orderNo},2025-05-06 11:04:05,paid,paid,none,10001,${buyer.memberId},H5,express,李,18600000000,"吉他, ""特别版"" ×1",123.45,0.00,0.00,123.45,123.45,0.00,2025-05-06 11:04:05,"'=HYPERLINK(""http://x"")",`,
    );
    expect([end, rest]).toEqual(['', []]);
  });

  it('applies the list filters, and another merchant exports only the header', async () => {
    const unpaid = await api(t, 'GET', '/v1/admin/orders/export.csv?status=pending_payment&status=closed', {
      token: admin,
    });
    expect(unpaid.body).not.toContain(orderNo);
    // the payment-method filter: the order was paid from the balance
    expect(
      (await api(t, 'GET', `/v1/admin/orders/export.csv?method=balance&q=${orderNo}`, { token: admin })).body,
    ).toContain(orderNo);
    expect(
      (await api(t, 'GET', `/v1/admin/orders/export.csv?method=wechat&q=${orderNo}`, { token: admin })).body,
    ).not.toContain(orderNo);
    const theirs = await t.app.inject({
      method: 'GET',
      url: '/v1/admin/orders/export.csv',
      headers: { authorization: `Bearer ${rival}` },
    });
    expect(theirs.body.split('\r\n').filter(Boolean)).toHaveLength(1);
    expect((await api(t, 'GET', '/v1/admin/orders/export.csv', { token: buyer.token })).status).toBe(403);
  });
});

describe('members for staff', () => {
  it('finds a member by mobile with balance, points and grade, and pages by cursor', async () => {
    const found = await api(t, 'GET', '/v1/admin/members?q=13911112222', { token: admin });
    expect(found.status).toBe(200);
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]).toMatchObject({
      id: buyer.memberId,
      mobile: '13911112222',
      balance: 50_000 - 12_345,
      points: 0,
      grade: null,
    });
    const first = await api(t, 'GET', '/v1/admin/members?limit=1', { token: admin });
    expect(first.body.items).toHaveLength(1);
    const second = await api(t, 'GET', `/v1/admin/members?limit=1&cursor=${first.body.nextCursor}`, { token: admin });
    expect(second.body.items[0].id).toBeLessThan(first.body.items[0].id);
  });

  it('shows the balance ledger with the payment, and sets the grade', async () => {
    const ledger = await api(t, 'GET', `/v1/admin/members/${buyer.memberId}/ledger?account=balance`, { token: admin });
    expect(ledger.status).toBe(200);
    expect(ledger.body.map((e: { delta: number; balanceAfter: number }) => [e.delta, e.balanceAfter])).toEqual([
      [-12_345, 50_000 - 12_345],
    ]);
    const grades = await api(t, 'GET', '/v1/admin/member-grades', { token: admin });
    const gold = grades.body.find((g: { discountPercent: number }) => g.discountPercent === 98);
    expect(
      (await api(t, 'PUT', `/v1/admin/members/${buyer.memberId}/grade`, { token: admin, body: { gradeId: gold.id } }))
        .status,
    ).toBe(200);
    expect(
      (await api(t, 'GET', `/v1/admin/members?q=${buyer.memberId}`, { token: admin })).body.items[0].grade,
    ).toEqual({ id: gold.id, name: gold.name, discountPercent: 98 });
    // operators read but do not change grades
    expect(
      (
        await api(t, 'PUT', `/v1/admin/members/${buyer.memberId}/grade`, {
          token: await staffToken(t, 'cashier'),
          body: { gradeId: null },
        })
      ).status,
    ).toBe(403);
  });

  it('another merchant’s staff see none of them and cannot touch them', async () => {
    // only the rival merchant's own member
    expect(
      (await api(t, 'GET', '/v1/admin/members', { token: rival })).body.items.map((m: { id: number }) => m.id),
    ).toEqual([rivalMemberId]);
    expect(
      (await api(t, 'GET', `/v1/admin/members/${buyer.memberId}/ledger?account=balance`, { token: rival })).status,
    ).toBe(404);
    expect(
      (await api(t, 'PUT', `/v1/admin/members/${buyer.memberId}/grade`, { token: rival, body: { gradeId: null } }))
        .status,
    ).toBe(404);
    const gold = (await api(t, 'GET', '/v1/admin/member-grades', { token: admin })).body[1];
    const rivalGrades = await api(t, 'GET', '/v1/admin/member-grades', { token: rival });
    expect(rivalGrades.body).toEqual([]);
    expect(
      (await api(t, 'GET', `/v1/admin/members?q=${buyer.memberId}`, { token: admin })).body.items[0].grade.id,
    ).toBe(gold.id);
  });
});
