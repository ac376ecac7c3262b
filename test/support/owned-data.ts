import { hashPassword } from '../../src/auth/passwords.ts';
import { issueToken } from '../../src/auth/tokens.ts';
import { api } from './api.ts';
import { createAddress, createMember, createProduct, placeOrder, staffToken } from './actors.ts';
import { createMerchantApp, merchantCall, type TestMerchantApp } from './merchant-api.ts';
import { multipartBody, PNG_1X1 } from './payments.ts';
import type { TestApp } from './test-app.ts';

type Member = { memberId: number; token: string };

/** One of everything a member, a shop or a merchant app owns, made through the API, with the ids to reach it. */
export interface OwnedData {
  adminToken: string;
  merchantApp: TestMerchantApp;
  /** the owner of everything below */
  buyer: Member;
  /** another member of the same shop, with an address of their own */
  other: Member;
  /** a member whose token was revoked by logging out */
  revoked: Member;
  product: { id: number; optionIds: number[] };
  otherProduct: { id: number; optionIds: number[] };
  addressId: number;
  otherAddressId: number;
  cartItemId: number;
  /** an unpaid order with an address */
  orderNo: string;
  /** a pending wechat payment of another unpaid order */
  payment: string;
  voucher: { outTradeNo: string; imageId: number };
  /** a requested refund of an order paid from the balance */
  refundNo: string;
  refundOrderNo: string;
  tradeOrderNo: string;
  deliveryId: number;
  cashierId: number;
  /** Real rows for every path parameter of the API, by parameter name. */
  pathValues: Record<string, string>;
}

const must = <T extends { status: number; body: any }>(reply: T, status: number, what: string): T => {
  if (reply.status !== status) throw new Error(`${what} failed: ${JSON.stringify(reply.body)}`);
  return reply;
};

export async function createOwnedData(t: TestApp): Promise<OwnedData> {
  const adminToken = await staffToken(t);
  // an app with a webhook URL first, so the set-up below leaves webhook deliveries to point at
  const merchantApp = await createMerchantApp(t, adminToken, 'http://127.0.0.1:9/never-listening');
  const buyer = await createMember(t);
  const other = await createMember(t);
  const revoked = await createMember(t);
  must(await api(t, 'POST', '/v1/auth/logout', { token: revoked.token }), 204, 'logout');
  const product = await createProduct(t, adminToken, {
    price: 1999,
    stock: 5,
    options: [
      { title: 'A', stock: 5 },
      { title: 'B', stock: 5 },
    ],
  });
  const otherProduct = await createProduct(t, adminToken, {
    price: 500,
    stock: 50,
    options: [{ title: 'X', stock: 50 }],
  });
  const addressId = await createAddress(t, buyer.token);
  const otherAddressId = await createAddress(t, other.token);
  const cart = must(
    await api(t, 'POST', '/v1/cart/items', {
      token: buyer.token,
      body: { productId: otherProduct.id, optionIds: otherProduct.optionIds, quantity: 1 },
    }),
    201,
    'cart add',
  );
  const order = must(
    await placeOrder(t, buyer.token, {
      lines: [{ productId: otherProduct.id, optionIds: otherProduct.optionIds, quantity: 1 }],
      addressId,
    }),
    201,
    'order',
  );

  const unpaid = async () =>
    must(await placeOrder(t, buyer.token, { lines: [{ productId: otherProduct.id, quantity: 1 }] }), 201, 'order');
  const payment = must(
    await api(t, 'POST', `/v1/orders/${(await unpaid()).body.orderNo}/payments`, {
      token: buyer.token,
      body: { method: 'wechat', channel: 'native', client: 'PC' },
    }),
    200,
    'payment',
  );

  const form = multipartBody({ method: 'voucher_bank', client: 'PC' }, [
    { name: 'images', filename: 'p.png', type: 'image/png', data: PNG_1X1 },
  ]);
  const voucherOrder = await unpaid();
  const uploaded = await t.app.inject({
    method: 'POST',
    url: `/v1/orders/${voucherOrder.body.orderNo}/vouchers`,
    payload: form.payload,
    headers: { 'content-type': form.contentType, authorization: `Bearer ${buyer.token}` },
  });
  if (uploaded.statusCode !== 201) throw new Error(`voucher failed: ${uploaded.body}`);
  const voucherNo: string = uploaded.json().outTradeNo;
  const images = await api(t, 'GET', `/v1/payments/${voucherNo}/vouchers`, { token: buyer.token });

  const paidOrder = await unpaid();
  await t.ctx.db
    .updateTable('members')
    .set({ balance: paidOrder.body.payableAmount })
    .where('id', '=', buyer.memberId)
    .execute();
  must(
    await api(t, 'POST', `/v1/orders/${paidOrder.body.orderNo}/payments`, {
      token: buyer.token,
      body: { method: 'balance', client: 'H5' },
    }),
    200,
    'balance payment',
  );
  const refund = must(
    await api(t, 'POST', `/v1/orders/${paidOrder.body.orderNo}/refunds`, {
      token: buyer.token,
      body: { kind: 'refund_only', reason: 'set-up', lines: [{ lineId: paidOrder.body.lines[0].id, amount: 1 }] },
    }),
    201,
    'refund request',
  );

  const trade = must(
    await merchantCall(t, merchantApp, 'POST', '/v1/merchant/trade-orders', {
      merchantOrderNo: 'OWNED-DATA-1',
      tradeType: 'sale',
      storeId: 10001,
      lines: [{ productId: null, title: 'x', listPrice: 100, price: 100, quantity: 1 }],
    }),
    201,
    'trade order',
  );
  const deliveryId = (
    await t.ctx.db.selectFrom('webhook_deliveries').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()
  ).id;
  const cashierId = (
    await t.ctx.db.selectFrom('staff').select('id').where('username', '=', 'cashier').executeTakeFirstOrThrow()
  ).id;
  const coupon = must(
    await api(t, 'POST', '/v1/admin/coupons', {
      token: adminToken,
      body: { code: `OWNED${Math.random().toString(36).slice(2, 8)}`, kind: 'fixed', amountOff: 100, minSpend: 0 },
    }),
    201,
    'coupon',
  );

  const data = {
    adminToken,
    merchantApp,
    buyer,
    other,
    revoked,
    product,
    otherProduct,
    addressId,
    otherAddressId,
    cartItemId: cart.body.items[0].id as number,
    orderNo: order.body.orderNo as string,
    payment: payment.body.payment.outTradeNo as string,
    voucher: { outTradeNo: voucherNo, imageId: images.body[0].id as number },
    refundNo: refund.body.refundNo as string,
    refundOrderNo: paidOrder.body.orderNo as string,
    tradeOrderNo: trade.body.order.orderNo as string,
    deliveryId,
    cashierId,
  };
  return {
    ...data,
    pathValues: {
      productId: String(product.id),
      categoryId: '100012',
      storeId: '10001',
      addressId: String(addressId),
      itemId: String(data.cartItemId),
      orderNo: data.orderNo,
      outTradeNo: data.payment,
      refundNo: data.refundNo,
      tradeOrderNo: data.tradeOrderNo,
      appId: merchantApp.appId,
      staffId: String(cashierId),
      couponId: String(coupon.body.id),
      memberId: String(buyer.memberId),
      id: String(deliveryId),
      imageId: String(data.voucher.imageId),
      format: 'png',
    },
  };
}

/** A second merchant with a store, an admin signed in through the API, a member with a live token, and a merchant app. */
export async function createRivalMerchant(t: TestApp) {
  const merchant = await t.ctx.db
    .insertInto('merchants')
    .values({ name: 'Rival shop' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const store = await t.ctx.db
    .insertInto('stores')
    .values({ merchant_id: merchant.id, name: 'Rival store' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const username = `rival${process.pid}${Math.random().toString(36).slice(2, 8)}`;
  await t.ctx.db
    .insertInto('staff')
    .values({
      merchant_id: merchant.id,
      username,
      password_hash: await hashPassword('rival-pass-1'),
      name: 'Rival admin',
      role: 'admin',
      last_login_at: null,
    })
    .execute();
  const login = must(
    await api(t, 'POST', '/v1/staff/login', { body: { username, password: 'rival-pass-1' } }),
    200,
    'rival staff login',
  );
  const rivalMember = await t.ctx.db
    .insertInto('members')
    .values({
      merchant_id: merchant.id,
      username: `${username}m`,
      mobile: null,
      password_hash: 'x',
      grade_id: null,
      last_login_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const memberToken = await issueToken(
    t.ctx.db,
    { kind: 'member', id: rivalMember.id, merchantId: merchant.id },
    t.clock.now(),
    24,
  );
  return {
    merchantId: merchant.id,
    storeId: store.id,
    admin: login.body.token as string,
    member: { memberId: rivalMember.id, token: memberToken.token },
  };
}
