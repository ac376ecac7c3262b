import { sql } from 'kysely';
import { hashPassword } from '../auth/passwords.ts';
import type { Db } from '../db/connect.ts';
import { insertProductSpecs } from '../catalog/specs.ts';
import { postLedgerEntry } from '../members/ledger.ts';
import { demoGallery, demoPictureUrl } from './demo-pictures.ts';

/** What the demo gives a newcomer to try; printed at start and named in the README. */
export const DEMO = {
  merchantId: 10001,
  storeId: 10001,
  member: {
    username: 'demo',
    mobile: '13800138000',
    password: 'demo123',
    openingBalance: 50_000,
    openingPoints: 1_200,
  },
  staff: [
    { username: 'admin', password: 'admin123', role: 'admin' as const, name: '店长' },
    { username: 'cashier', password: 'cashier123', role: 'operator' as const, name: '收银员' },
  ],
  /** A second merchant with its own store, product and member: a shop front end chooses it by its store (10002). */
  secondShop: {
    merchantId: 10002,
    storeId: 10002,
    member: { username: 'demo2', mobile: '13800138002', password: 'demo123' },
    staff: { username: 'admin2', password: 'admin123', role: 'admin' as const, name: '二号店店长' },
  },
};

const image = demoPictureUrl;

/**
 * Fills an empty database with a small shop: one merchant and store, categories (100012 is the mall client's
 * default), products with spec groups, SKUs and stock, member grades, a member, two staff accounts and three coupons.
 * A second merchant (store 10002) with one product, one member, an admin and sandbox payments shows that a store
 * chooses its merchant.
 * Returns false, changing nothing, when the database already has a merchant.
 */
export async function seedDemoIfEmpty(db: Db): Promise<boolean> {
  // every start but the first finds data: it is answered before hashing the demo passwords (scrypt, costly by design)
  if (await db.selectFrom('merchants').select('id').limit(1).executeTakeFirst()) return false;
  const [memberHash, secondMemberHash, secondStaffHash, ...staffHashes] = await Promise.all(
    [DEMO.member, DEMO.secondShop.member, DEMO.secondShop.staff, ...DEMO.staff].map((a) => hashPassword(a.password)),
  );
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('merchants').select('id').limit(1).executeTakeFirst();
    if (existing) return false;
    await trx
      .insertInto('merchants')
      .values({ id: DEMO.merchantId, name: '乐购示范商城 ordo demo shop', order_timeout_minutes: 30 })
      .execute();
    await trx
      .insertInto('stores')
      .values({
        id: DEMO.storeId,
        merchant_id: DEMO.merchantId,
        name: '5号乐馆-深圳北站店',
        logo_url: image('store-logo'),
        phone: '0755-88886666',
        province: '广东省',
        city: '深圳市',
        district: '龙岗区',
        address: '深圳北站站前广场 1 号',
        latitude: '22.616197',
        longitude: '114.035734',
        shipping_fee: 1000,
        free_shipping_over: 9900,
      })
      .execute();
    await trx
      .insertInto('categories')
      .values([
        {
          id: 100012,
          merchant_id: DEMO.merchantId,
          parent_id: null,
          name: '手机',
          image_url: image('phones'),
          sort: 1,
        },
        {
          id: 100013,
          merchant_id: DEMO.merchantId,
          parent_id: null,
          name: '乐器',
          image_url: image('instruments'),
          sort: 2,
        },
        {
          id: 100014,
          merchant_id: DEMO.merchantId,
          parent_id: null,
          name: '服饰',
          image_url: image('clothes'),
          sort: 3,
        },
      ])
      .execute();
    const products = [
      {
        category_id: 100012,
        title: 'Xiaomi 14 12GB+256GB 黑色',
        internal_title: '小米14 黑',
        article_no: 'MI14-BK',
        price: 399900,
        list_price: 429900,
        stock: 200,
        slug: 'phone-black',
      },
      {
        category_id: 100012,
        title: 'Redmi Note 13 8GB+128GB',
        internal_title: '红米Note13',
        article_no: 'RN13-128',
        price: 109900,
        list_price: 119900,
        stock: 500,
        slug: 'phone-redmi',
      },
      {
        category_id: 100013,
        title: '雅马哈(YAMAHA)F310NT 原声款 云杉木初学者入门',
        internal_title: '雅马哈 F310',
        article_no: 'YMH-F310',
        price: 79900,
        list_price: 89900,
        stock: 992,
        slug: 'guitar',
      },
      {
        category_id: 100014,
        title: '纯棉条纹t恤蝙蝠袖文艺短袖打底衫上衣女潮',
        internal_title: '蝙蝠袖打底衫上衣',
        article_no: '11',
        price: 2900,
        list_price: 3900,
        stock: 1000,
        slug: 'tshirt',
      },
      {
        category_id: 100014,
        title: '刺绣宽松加绒运动裤女春装新款小脚裤卫裤哈伦长裤子',
        internal_title: '加绒运动裤',
        article_no: '22',
        price: 5300,
        list_price: 6900,
        stock: 600,
        slug: 'trousers',
      },
      {
        category_id: 100014,
        title: '纯棉圆领短袖T恤 男女同款',
        internal_title: '圆领T恤',
        article_no: 'TEE-01',
        price: 5900,
        list_price: 7900,
        stock: 300,
        slug: 'tshirt',
      },
    ];
    const inserted = await trx
      .insertInto('products')
      .values(
        products.map(({ slug, ...p }) => ({
          ...p,
          merchant_id: DEMO.merchantId,
          store_id: DEMO.storeId,
          cover_url: image(slug),
          image_urls: JSON.stringify(demoGallery(slug)),
          detail: p.title,
        })),
      )
      .returning(['id', 'article_no', 'price', 'list_price'])
      .execute();
    const catalogPrices = (articleNo: string) => {
      const p = inserted.find((row) => row.article_no === articleNo)!;
      return { id: p.id, price: p.price, listPrice: p.list_price };
    };
    // Value ids follow insertion: the guitar's 普通款 1 and 加厚款 2 (the README's example), the striped T-shirt's
    // M 3, XL 4, 红色 5, the plain T-shirt's S 6, M 7, L 8, 白 9, 黑 10.
    await insertProductSpecs(trx, catalogPrices('YMH-F310'), {
      specs: [
        { name: '款式', values: [{ title: '普通款', price: 1000 }] },
        { name: '琴弦', values: [{ title: '加厚款', price: 3000 }] },
      ],
      skus: [{ values: ['普通款', '加厚款'], stock: 92, code: 'YMH-F310-STD-H' }],
    });
    await insertProductSpecs(trx, catalogPrices('11'), {
      specs: [
        { name: '尺码', values: [{ title: 'M' }, { title: 'XL' }] },
        { name: '颜色', values: [{ title: '红色' }] },
      ],
      skus: [
        { values: ['M', '红色'], stock: 300, code: '11-M-RED', imageUrl: image('tshirt-red') },
        { values: ['XL', '红色'], stock: 300, code: '11-XL-RED', imageUrl: image('tshirt-red') },
      ],
    });
    const sizes = ['S', 'M', 'L'];
    const colours = [
      { title: '白', code: 'WH' },
      { title: '黑', code: 'BK' },
    ];
    await insertProductSpecs(trx, catalogPrices('TEE-01'), {
      specs: [
        { name: '尺码', values: sizes.map((title) => ({ title })) },
        { name: '颜色', values: colours.map(({ title }) => ({ title })) },
      ],
      skus: sizes.flatMap((size) =>
        colours.map((colour) => ({
          values: [size, colour.title],
          stock: 50,
          code: `TEE-01-${size}-${colour.code}`,
          price: size === 'L' ? 6900 : 5900,
          listPrice: 7900,
        })),
      ),
    });
    const grades = await trx
      .insertInto('member_grades')
      .values([
        { merchant_id: DEMO.merchantId, name: '普通会员', weight: 1, spend_threshold: 0, discount_percent: 100 },
        { merchant_id: DEMO.merchantId, name: '黄金会员', weight: 2, spend_threshold: 100000, discount_percent: 98 },
        { merchant_id: DEMO.merchantId, name: '钻石会员', weight: 3, spend_threshold: 1000000, discount_percent: 95 },
      ])
      .returning(['id', 'weight'])
      .execute();
    const member = await trx
      .insertInto('members')
      .values({
        merchant_id: DEMO.merchantId,
        username: DEMO.member.username,
        mobile: DEMO.member.mobile,
        password_hash: memberHash!,
        nickname: '演示用户',
        grade_id: grades.find((g) => g.weight === 1)!.id,
        platform: 'H5',
        last_login_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // a default address, so the demo shop's "buy now" has somewhere to ship (a physical order needs one)
    await trx
      .insertInto('addresses')
      .values({
        member_id: member.id,
        receiver_name: '演示用户',
        mobile: DEMO.member.mobile,
        province: '广东省',
        city: '深圳市',
        district: '龙华区',
        district_code: '440309',
        address: '民治街道 1 号',
        is_default: true,
      })
      .execute();
    // the demo member's money and points come in through the ledger like any other, so each total equals its ledger
    const now = new Date();
    for (const [account, delta] of [
      ['balance', DEMO.member.openingBalance],
      ['points', DEMO.member.openingPoints],
    ] as const) {
      await postLedgerEntry(trx, {
        merchantId: DEMO.merchantId,
        memberId: member.id,
        account,
        delta,
        reason: 'opening',
        note: '演示账户开户',
        now,
      });
    }
    await trx
      .insertInto('staff')
      .values(
        DEMO.staff.map((s, i) => ({
          merchant_id: DEMO.merchantId,
          username: s.username,
          password_hash: staffHashes[i]!,
          name: s.name,
          role: s.role,
          last_login_at: null,
        })),
      )
      .execute();
    await trx
      .insertInto('coupons')
      .values([
        {
          merchant_id: DEMO.merchantId,
          code: 'WELCOME10',
          title: '新人满50减10',
          kind: 'fixed',
          amount_off: 1000,
          min_spend: 5000,
          max_off: null,
          starts_at: null,
          ends_at: null,
          total_quantity: 1000,
          // a welcome: once per member
          per_member_limit: 1,
        },
        {
          merchant_id: DEMO.merchantId,
          code: 'SAVE5',
          title: '全场95折',
          kind: 'percent',
          percent_off: 5,
          max_off: 5000,
          min_spend: 0,
          starts_at: null,
          ends_at: null,
          total_quantity: null,
        },
        {
          merchant_id: DEMO.merchantId,
          code: null,
          title: '领券满100减15',
          kind: 'fixed',
          amount_off: 1500,
          min_spend: 10000,
          max_off: null,
          starts_at: null,
          ends_at: null,
          total_quantity: 500,
          valid_days: 30,
          per_member_limit: 1,
          claimable: true,
        },
      ])
      .execute();
    await seedPaymentSettings(trx, DEMO.merchantId, DEMO.storeId);
    await seedSecondShop(trx, secondMemberHash!, secondStaffHash!);
    // Explicit ids above did not advance the identity sequences; move them past, so later inserts cannot collide.
    for (const table of ['merchants', 'stores'] as const) {
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(
        trx,
      );
    }
    return true;
  });
}

/**
 * The second merchant: a store, one category and product, a member with 100 yuan (an opening ledger entry), an
 * admin, and sandbox payments as the demo store has them, so its shop can be bought in and run end to end.
 */
async function seedSecondShop(trx: Db, memberHash: string, staffHash: string): Promise<void> {
  const { merchantId, storeId, member, staff } = DEMO.secondShop;
  await trx.insertInto('merchants').values({ id: merchantId, name: '第二示范商城 ordo second shop' }).execute();
  await trx
    .insertInto('stores')
    .values({ id: storeId, merchant_id: merchantId, name: '二号店-广州天河店', logo_url: image('store-logo') })
    .execute();
  const category = await trx
    .insertInto('categories')
    .values({ merchant_id: merchantId, parent_id: null, name: '乐器', image_url: image('instruments'), sort: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('products')
    .values({
      merchant_id: merchantId,
      store_id: storeId,
      category_id: category.id,
      title: '尤克里里 23寸 桃花心木',
      article_no: 'UKE-23',
      price: 29900,
      list_price: 35900,
      stock: 50,
      cover_url: image('guitar'),
      image_urls: JSON.stringify(demoGallery('guitar')),
      detail: '尤克里里 23寸 桃花心木',
    })
    .execute();
  const { id: memberId } = await trx
    .insertInto('members')
    .values({
      merchant_id: merchantId,
      username: member.username,
      mobile: member.mobile,
      password_hash: memberHash,
      nickname: '二号店用户',
      grade_id: null,
      platform: 'H5',
      last_login_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await postLedgerEntry(trx, {
    merchantId,
    memberId,
    account: 'balance',
    delta: 10_000,
    reason: 'opening',
    note: '演示账户开户',
    now: new Date(),
  });
  await trx
    .insertInto('staff')
    .values({
      merchant_id: merchantId,
      username: staff.username,
      password_hash: staffHash,
      name: staff.name,
      role: staff.role,
      last_login_at: null,
    })
    .execute();
  await seedPaymentSettings(trx, merchantId, storeId);
}

/**
 * A merchant's sandbox gateway accounts (the simulator's generated keys stand behind them) and, for its store, the
 * methods each client offers: QR on PC and at the till, H5 / in-app / official-account flows on phones,
 * balance everywhere, offline vouchers where a wholesale buyer pays by transfer, cash at the till.
 */
async function seedPaymentSettings(trx: Db, merchantId: number, storeId: number): Promise<void> {
  const accounts = await trx
    .insertInto('provider_accounts')
    .values([
      {
        merchant_id: merchantId,
        provider: 'wechatpay',
        name: '微信支付 (sandbox)',
        mode: 'sandbox',
        credentials: '{}',
      },
      {
        merchant_id: merchantId,
        provider: 'alipay',
        name: '支付宝 (sandbox)',
        mode: 'sandbox',
        credentials: '{}',
      },
    ])
    .returning(['id', 'provider'])
    .execute();
  const wechat = accounts.find((a) => a.provider === 'wechatpay')!.id;
  const alipay = accounts.find((a) => a.provider === 'alipay')!.id;
  const vouchers = ['voucher_alipay', 'voucher_wechat', 'voucher_bank'].map((method) => ({
    method,
    channel: '',
    account: null,
  }));
  const perClient: Record<string, { method: string; channel: string; account: number | null; isDefault?: boolean }[]> =
    {
      H5: [
        { method: 'wechat', channel: 'h5', account: wechat, isDefault: true },
        { method: 'alipay', channel: 'wap', account: alipay },
        { method: 'balance', channel: '', account: null },
        ...vouchers,
      ],
      WXOFFICIAL: [
        { method: 'wechat', channel: 'jsapi', account: wechat, isDefault: true },
        { method: 'balance', channel: '', account: null },
      ],
      'MP-WEIXIN': [
        { method: 'wechat', channel: 'mini', account: wechat, isDefault: true },
        { method: 'balance', channel: '', account: null },
      ],
      APP: [
        { method: 'wechat', channel: 'app', account: wechat, isDefault: true },
        { method: 'alipay', channel: 'app', account: alipay },
        { method: 'balance', channel: '', account: null },
      ],
      PC: [
        { method: 'wechat', channel: 'native', account: wechat, isDefault: true },
        { method: 'alipay', channel: 'precreate', account: alipay },
        { method: 'balance', channel: '', account: null },
        ...vouchers,
      ],
      POS: [
        { method: 'cash', channel: '', account: null, isDefault: true },
        { method: 'wechat', channel: 'native', account: wechat },
        { method: 'alipay', channel: 'precreate', account: alipay },
        { method: 'balance', channel: '', account: null },
      ],
    };
  await trx
    .insertInto('payment_methods')
    .values(
      Object.entries(perClient).flatMap(([client, methods]) =>
        methods.map((m, i) => ({
          merchant_id: merchantId,
          store_id: storeId,
          client,
          method: m.method,
          channel: m.channel,
          account_id: m.account,
          is_default: m.isDefault ?? false,
          sort: i,
        })),
      ),
    )
    .execute();
}
