import { hashPassword } from '../../src/auth/passwords.ts';
import { issueToken } from '../../src/auth/tokens.ts';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { api } from './api.ts';
import type { TestApp } from './test-app.ts';

let sharedHash: Promise<string> | undefined;
let memberCounter = 0;

/** A fresh member of the demo merchant with a live token (inserted directly: scrypt per member would be slow). */
export async function createMember(
  t: TestApp,
  options: { gradeId?: number } = {},
): Promise<{ memberId: number; token: string }> {
  sharedHash ??= hashPassword('secret123');
  memberCounter += 1;
  const username = `m${process.pid}x${memberCounter}x${Math.random().toString(36).slice(2, 8)}`;
  const member = await t.ctx.db
    .insertInto('members')
    .values({
      merchant_id: DEMO.merchantId,
      username,
      mobile: null,
      password_hash: await sharedHash,
      grade_id: options.gradeId ?? null,
      last_login_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { token } = await issueToken(
    t.ctx.db,
    { kind: 'member', id: member.id, merchantId: DEMO.merchantId },
    t.clock.now(),
    24,
  );
  return { memberId: member.id, token };
}

/** A new token for an existing member (after a test moved the clock past the old one's lifetime). */
export async function memberToken(t: TestApp, memberId: number): Promise<string> {
  return (await issueToken(t.ctx.db, { kind: 'member', id: memberId, merchantId: DEMO.merchantId }, t.clock.now(), 24))
    .token;
}

export async function staffToken(t: TestApp, username: 'admin' | 'cashier' = 'admin'): Promise<string> {
  const account = DEMO.staff.find((s) => s.username === username)!;
  const reply = await api(t, 'POST', '/v1/staff/login', { body: { username, password: account.password } });
  if (reply.status !== 200) throw new Error(`staff login failed: ${JSON.stringify(reply.body)}`);
  return reply.body.token;
}

/** A product created through the admin API, so tests exercise the same path a shop does. */
export async function createProduct(
  t: TestApp,
  adminToken: string,
  input: {
    price: number;
    stock: number;
    title?: string;
    options?: { title: string; price?: number; stock: number; group?: string }[];
  },
): Promise<{ id: number; optionIds: number[]; skuIds: number[] }> {
  const reply = await api(t, 'POST', '/v1/admin/products', {
    token: adminToken,
    body: {
      title: input.title ?? 'Test product',
      categoryId: 100012,
      storeId: DEMO.storeId,
      price: input.price,
      stock: input.stock,
      options: input.options,
    },
  });
  if (reply.status !== 201) throw new Error(`product create failed: ${JSON.stringify(reply.body)}`);
  return {
    id: reply.body.id,
    optionIds: reply.body.options.map((o: { id: number }) => o.id),
    skuIds: reply.body.skus.map((s: { id: number }) => s.id),
  };
}

export async function createAddress(t: TestApp, token: string): Promise<number> {
  const reply = await api(t, 'POST', '/v1/addresses', {
    token,
    body: {
      receiverName: '李',
      mobile: '18600000000',
      province: '北京市',
      city: '北京市',
      district: '大兴区',
      districtCode: '110115',
      address: '地盛北街 1 号',
    },
  });
  if (reply.status !== 201) throw new Error(`address create failed: ${JSON.stringify(reply.body)}`);
  return reply.body.id;
}

let keyCounter = 0;
export const newIdempotencyKey = () => `test-${process.pid}-${++keyCounter}-${Math.random().toString(36).slice(2)}`;

const shippingAddresses = new WeakMap<TestApp, Map<string, Promise<number | undefined>>>();

/**
 * The address a helper ships to when a test does not name one (an order needs one): one per member, made once.
 * None when the token may not make one (a staff or revoked token): the order is then refused for that reason.
 * Concurrent orders of one member share the one address (an idempotent retry must send the same body).
 */
function shippingAddress(t: TestApp, token: string): Promise<number | undefined> {
  const byToken = shippingAddresses.get(t) ?? new Map<string, Promise<number | undefined>>();
  shippingAddresses.set(t, byToken);
  let address = byToken.get(token);
  if (!address) {
    address = api(t, 'POST', '/v1/addresses', {
      token,
      body: {
        receiverName: '王',
        mobile: '18600000001',
        province: '广东省',
        city: '深圳市',
        district: '龙华区',
        districtCode: '440309',
        address: '民治大道 2 号',
      },
    }).then((reply) => (reply.status === 201 ? (reply.body.id as number) : undefined));
    byToken.set(token, address);
  }
  return address;
}

/** POST /v1/orders; an order that names neither an address nor a delivery ships to the member's helper address. */
export async function placeOrder(t: TestApp, token: string, body: Record<string, unknown>, key = newIdempotencyKey()) {
  const shipped =
    'addressId' in body || 'delivery' in body ? body : { ...body, addressId: await shippingAddress(t, token) };
  return api(t, 'POST', '/v1/orders', { token, body: shipped, headers: { 'idempotency-key': key } });
}
