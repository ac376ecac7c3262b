import { hashPassword } from '../../src/auth/passwords.ts';
import { issueToken } from '../../src/auth/tokens.ts';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { postLedgerEntry } from '../../src/members/ledger.ts';
import { api } from './api.ts';
import { placeOrder, staffToken } from './actors.ts';
import { ship } from './after-sales.ts';
import { startPayment } from './payments.ts';
import type { TestApp } from './test-app.ts';

/**
 * A YoShop store made ready for a shopper's whole journey by its merchant's staff, through /v1 admin: a points rule,
 * a T-shirt in sizes × colours, a coupon to claim, and a review an earlier buyer wrote.
 */

/** A store of the demo data and the member who shops there (the demo seed's member of that merchant). */
export interface DemoStore {
  storeId: number;
  merchantId: number;
  member: { mobile: string; password: string };
  /** the `storeId` header the client sends: none for the default store (10001) */
  header: number | undefined;
}

export const DEMO_STORES: DemoStore[] = [
  { storeId: DEMO.storeId, merchantId: DEMO.merchantId, member: DEMO.member, header: undefined },
  {
    storeId: DEMO.secondShop.storeId,
    merchantId: DEMO.secondShop.merchantId,
    member: DEMO.secondShop.member,
    header: DEMO.secondShop.storeId,
  },
];

export interface JourneyStore extends DemoStore {
  /** an admin token of the store's merchant */
  staff: string;
  /** 尺码 S/M/L × 颜色 白/黑, ¥59 (L: ¥69), list price ¥79 */
  tee: { id: number; title: string };
  /** a claimable 满50减10, once per member, valid 7 days from claiming */
  couponId: number;
  /** the points rule: 100 points make ¥1, at most 10 % of the goods after the coupon */
  points: { perYuanOff: number; maxPercent: number };
  review: { content: string; nickname: string };
}

/** An admin of the store's merchant: the demo seed's (admin, or admin2 of the second merchant). */
export async function merchantAdmin(t: TestApp, merchantId: number): Promise<string> {
  if (merchantId === DEMO.merchantId) return staffToken(t);
  const { username, password } = DEMO.secondShop.staff;
  const login = await api(t, 'POST', '/v1/staff/login', { body: { username, password } });
  if (login.status !== 200) throw new Error(`staff login failed: ${JSON.stringify(login.body)}`);
  return login.body.token as string;
}

const must = <T extends { status: number; body: any }>(reply: T, status: number, what: string): T => {
  if (reply.status !== status) throw new Error(`${what} failed: ${JSON.stringify(reply.body)}`);
  return reply;
};

/** The shopper holds at least this many points (the second merchant's member starts with none). */
async function atLeastPoints(t: TestApp, store: DemoStore, points: number) {
  const member = await t.ctx.db
    .selectFrom('members')
    .select(['id', 'points'])
    .where('merchant_id', '=', store.merchantId)
    .where('mobile', '=', store.member.mobile)
    .executeTakeFirstOrThrow();
  if (member.points >= points) return;
  await postLedgerEntry(t.ctx.db, {
    merchantId: store.merchantId,
    memberId: member.id,
    account: 'points',
    delta: points - member.points,
    reason: 'opening',
    note: '演示账户开户',
    now: t.clock.now(),
  });
}

let sharedHash: Promise<string> | undefined;

/** Another member of the merchant, with a live token for /v1. */
async function anotherMember(t: TestApp, merchantId: number, nickname: string) {
  sharedHash ??= hashPassword('secret123');
  const row = await t.ctx.db
    .insertInto('members')
    .values({
      merchant_id: merchantId,
      username: `r${process.pid}x${merchantId}x${Math.random().toString(36).slice(2, 8)}`,
      nickname,
      mobile: null,
      password_hash: await sharedHash,
      grade_id: null,
      last_login_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { token } = await issueToken(t.ctx.db, { kind: 'member', id: row.id, merchantId }, t.clock.now(), 24);
  return { memberId: row.id, token };
}

/**
 * A buyer orders one unit (of a SKU when given) through /v1, pays from the balance, gets it shipped by the staff,
 * confirms receipt and reviews it.
 */
export async function reviewedPurchase(
  t: TestApp,
  staff: string,
  buyer: { memberId: number; token: string },
  line: { productId: number; skuId?: number },
  review: { rating: number; content: string; imageUrls?: string[] },
) {
  const placed = must(await placeOrder(t, buyer.token, { lines: [{ ...line, quantity: 1 }] }), 201, 'order');
  const orderNo = placed.body.orderNo as string;
  await t.ctx.db
    .updateTable('members')
    .set({ balance: placed.body.payableAmount })
    .where('id', '=', buyer.memberId)
    .execute();
  must(await startPayment(t, buyer.token, orderNo, { method: 'balance', client: 'H5' }), 200, 'payment');
  must(await ship(t, staff, orderNo), 201, 'shipment');
  must(await api(t, 'POST', `/v1/orders/${orderNo}/receipt`, { token: buyer.token }), 200, 'receipt');
  must(
    await api(t, 'POST', `/v1/orders/${orderNo}/review`, {
      token: buyer.token,
      body: { imageUrls: [], ...review },
    }),
    200,
    'review',
  );
  return { orderNo, orderId: placed.body.id as number };
}

/** Everything a shopper's journey at this store needs, made by the merchant's staff (and one earlier buyer). */
export async function prepareJourneyStore(t: TestApp, store: DemoStore): Promise<JourneyStore> {
  const staff = await merchantAdmin(t, store.merchantId);
  const points = { perYuanOff: 100, maxPercent: 10 };
  must(
    await api(t, 'PATCH', '/v1/admin/merchant', {
      token: staff,
      body: { pointsPerYuanOff: points.perYuanOff, pointsMaxPercent: points.maxPercent },
    }),
    200,
    'points rule',
  );
  await atLeastPoints(t, store, 1_000);

  const category = must(
    await api(t, 'POST', '/v1/admin/categories', { token: staff, body: { name: 'T恤' } }),
    201,
    'category',
  );
  const title = `纯棉短袖T恤 ${store.storeId}`;
  const sizes = ['S', 'M', 'L'];
  const colours = ['白', '黑'];
  const tee = must(
    await api(t, 'POST', '/v1/admin/products', {
      token: staff,
      body: {
        title,
        categoryId: category.body.id,
        storeId: store.storeId,
        price: 5_900,
        listPrice: 7_900,
        specs: [
          { name: '尺码', values: sizes.map((s) => ({ title: s })) },
          { name: '颜色', values: colours.map((c) => ({ title: c })) },
        ],
        skus: sizes.flatMap((size) =>
          colours.map((colour) => ({
            values: [size, colour],
            price: size === 'L' ? 6_900 : 5_900,
            listPrice: 7_900,
            stock: 20,
          })),
        ),
      },
    }),
    201,
    'product',
  ).body as { id: number; skus: { id: number }[] };

  const coupon = must(
    await api(t, 'POST', '/v1/admin/coupons', {
      token: staff,
      body: {
        title: `满50减10 ${store.storeId}`,
        kind: 'fixed',
        amountOff: 1_000,
        minSpend: 5_000,
        validDays: 7,
        perMemberLimit: 1,
        claimable: true,
      },
    }),
    201,
    'coupon',
  );

  const review = { content: '版型很正，面料舒服', nickname: `老顾客${store.storeId}` };
  const reviewer = await anotherMember(t, store.merchantId, review.nickname);
  await reviewedPurchase(
    t,
    staff,
    reviewer,
    { productId: tee.id, skuId: tee.skus[0]!.id },
    {
      rating: 5,
      content: review.content,
    },
  );
  return { ...store, staff, tee: { id: tee.id, title }, couponId: coupon.body.id as number, points, review };
}
