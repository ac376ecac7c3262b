import Fastify from 'fastify';
import { DIALECTS, type Dialect } from '../../src/compat/dialects.ts';
import { YOSHOP_ROUTES } from '../../src/compat/yoshop/routes.ts';
import type { AppContext } from '../../src/context.ts';

/**
 * The routes each dialect registers, read from the dialect plugins themselves (an onRoute hook on a probe
 * instance), and how each is called: who may call it and which parameters name owned rows or amounts. The
 * YoShop dialect is one Fastify route dispatching on `?s=`; its actions are read from its dispatch tables.
 * A route missing from the tables below fails the fuzz test, so a new dialect route cannot go unfuzzed.
 */

export type Access = 'public-read' | 'public-write' | 'sign-out' | 'member' | 'staff';

export interface DialectRoute {
  dialect: Dialect['name'];
  method: string;
  /** the URL with `:name` path parameters, prefix included; for YoShop, `index.php?s=/api/<action>` */
  path: string;
  /** the table key: `mall POST /orders`, `yoshop order/detail` */
  key: string;
  access: Access;
  /** parameters that name owned rows (`id`) or amounts (`amount`): set to values that name nothing */
  params: Record<string, 'id' | 'amount'>;
  /** removing rows that do not exist succeeds (as the seed system did): parameters naming nothing need not be refused */
  idempotent: boolean;
}

/** Who may call each route, where it differs from the dialect's default. */
const DEFAULT_ACCESS: Record<Dialect['name'], Access> = {
  mall: 'member',
  storefront: 'member',
  wholesale: 'staff',
  xxpay: 'staff',
  yoshop: 'member',
};
const ACCESS: Record<string, Access> = {
  'mall POST /user/login': 'public-write',
  'mall POST /user/register': 'public-write',
  'mall POST /user/logout': 'sign-out',
  'mall GET /products': 'public-read',
  'mall GET /products/:productId': 'public-read',
  'xxpay POST /api/auth': 'public-write',
  // the console's sign-in answers any method; its picture is drawn for anyone (a row per key); logout ends a session
  ...Object.fromEntries(
    ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].flatMap((method) => [
      [`xxpay ${method} /api/auth`, 'public-write' as const],
      [`xxpay ${method} /api/auth/vercode`, 'public-write' as const],
      [`xxpay ${method} /api/logout`, 'sign-out' as const],
    ]),
  ),
};

const id = 'id' as const;
const amount = 'amount' as const;
/** Parameters naming owned rows or amounts, by route (path parameters, query or body fields). */
const PARAMS: Record<string, Record<string, 'id' | 'amount'>> = {
  'mall GET /products/:productId': { productId: id },
  'mall POST /carts': { productId: id },
  'mall PUT /carts/:productId': { productId: id },
  'mall DELETE /carts/:productId': { productId: id },
  'mall PUT /shippings/:shippingId': { shippingId: id },
  'mall DELETE /shippings/:shippingId': { shippingId: id },
  'mall POST /orders': { shippingId: id },
  'mall GET /orders/:orderNo': { orderNo: id },
  'mall PUT /orders/:orderNo': { orderNo: id },
  'mall POST /pay': { orderId: id },
  'storefront GET /api/order/detail': { order_id: id },
  'wholesale GET /api/order/detail': { orderId: id },
  'wholesale GET /api/order/voucher/:outTradeNo/:imageId': { outTradeNo: id, imageId: id },
  'xxpay GET /api/trade_order/get': { tradeOrderId: id },
  'xxpay GET /api/pay_order/get': { payOrderId: id },
  'xxpay GET /api/refund_order/get': { refundOrderId: id },
  'xxpay GET /api/memberPay/bar': { barCode: id, tradeOrderId: id, requiredAmount: amount },
  'xxpay GET /api/memberPay/cash': { tradeOrderId: id, requiredAmount: amount },
  'xxpay GET /api/memberPay/balance': { memberId: id, tradeOrderId: id, requiredAmount: amount },
  'xxpay GET /api/memberPay/queryStatus': { tradeOrderId: id },
  'xxpay GET /api/memberPay/refund': { tradeOrderId: id, refundAmount: amount },
  'xxpay GET /api/memberPay/refund2': { tradeOrderId: id, refundAmount: amount },
  'xxpay GET /api/memberPay/depositConsume': { tradeOrderId: id },
  'xxpay GET /api/memberPay/depositReverse': { tradeOrderId: id },
  'xxpay GET /api/member/get': { memberId: id },
  'xxpay GET /api/member/getAllMemberInfo': { memberId: id },
  'xxpay GET /api/member_recharge_rule/get': { ruleId: id },
  'xxpay GET /api/memberPay/recharge': { memberId: id, ruleId: id, amount },
  'xxpay GET /api/mch_qrcode/view_code_amount': { payAmount: amount },
  'xxpay GET /api/member_coupon/checkCoupon': { couponNo: id, amount },
  'yoshop goods/detail': { goodsId: id },
  'yoshop cart/add': { goodsId: id, goodsNum: amount },
  'yoshop cart/update': { goodsId: id, goodsNum: amount },
  'yoshop cart/clear': { cartIds: id },
  'yoshop address/detail': { addressId: id },
  'yoshop address/edit': { addressId: id },
  'yoshop address/setDefault': { addressId: id },
  'yoshop address/remove': { addressId: id },
  'yoshop cashier/orderInfo': { orderId: id },
  'yoshop cashier/orderPay': { orderId: id },
  'yoshop cashier/tradeQuery': { outTradeNo: id },
  'yoshop order/detail': { orderId: id },
  'yoshop order/cancel': { orderId: id },
  'yoshop order/receipt': { orderId: id },
  'yoshop order/express': { orderId: id },
  'yoshop refund/goods': { orderGoodsId: id },
  'yoshop refund/detail': { orderRefundId: id },
  'yoshop refund/apply': { orderGoodsId: id },
  'yoshop refund/delivery': { orderRefundId: id },
  'yoshop order/pay': { orderId: id },
  'yoshop order.comment/list': { orderId: id },
  'yoshop order.comment/submit': { orderId: id },
  'yoshop recharge/tradeQuery': { outTradeNo: id },
  'yoshop goods/basic': { goodsId: id },
  'yoshop goods/skuInfo': { goodsId: id },
  'yoshop goods/specData': { goodsId: id },
  'yoshop article/detail': { articleId: id },
};

/** Removals that answer success for ids that name nothing, as their seed systems did. */
const IDEMPOTENT = new Set(['yoshop cart/clear']);

/**
 * Public YoShop actions that only read (the rest of its public table signs in); the picture captcha is drawn for
 * anyone who asks, whatever else they send, as the console's auth/vercode is.
 */
const YOSHOP_PUBLIC_READS = new Set([
  'captcha/image',
  'store/data',
  'goods/list',
  'goods/detail',
  'category/list',
  'setting/data',
  'page/detail',
  'comment/list',
  'comment/listRows',
  'comment/total',
  'goods.service/list',
  'cart/total',
  'coupon/list',
  'goods/basic',
  'goods/skuInfo',
  'goods/specData',
  'article.category/list',
  'article/list',
  'article/detail',
  'help/list',
  'region/all',
  'region/tree',
]);

export async function dialectRoutes(ctx: AppContext): Promise<DialectRoute[]> {
  const routes: DialectRoute[] = [];
  for (const dialect of DIALECTS) {
    const prefix = ctx.config.dialectPrefixes[dialect.name];
    const probe = Fastify();
    const found: { method: string; url: string }[] = [];
    probe.addHook('onRoute', (r) => {
      for (const method of [r.method].flat()) if (method !== 'HEAD') found.push({ method, url: r.url });
    });
    await probe.register(dialect.plugin(ctx), { prefix });
    await probe.ready();
    await probe.close();
    for (const { method, url } of found) {
      const local = url.slice(prefix.length);
      if (dialect.name === 'yoshop') {
        if (method === 'GET') routes.push(...yoshopActions(prefix, url));
        continue;
      }
      // xxpay answers GET and POST alike on its pay routes: both are fuzzed, under one table entry
      const key = `${dialect.name} ${method} ${local}`;
      const tableKey =
        dialect.name === 'xxpay' && method === 'POST' && PARAMS[`xxpay GET ${local}`] ? `xxpay GET ${local}` : key;
      routes.push({
        dialect: dialect.name,
        method,
        path: url,
        key,
        access: ACCESS[key] ?? DEFAULT_ACCESS[dialect.name],
        params: PARAMS[tableKey] ?? {},
        idempotent: IDEMPOTENT.has(key),
      });
    }
  }
  return routes;
}

/** YoShop's actions, from its two dispatch tables (open first, then member). */
function yoshopActions(prefix: string, url: string): DialectRoute[] {
  const out: DialectRoute[] = [];
  const tables = [
    ...Object.keys(YOSHOP_ROUTES.open).map((action) => ({ action, isPublic: true })),
    ...Object.keys(YOSHOP_ROUTES.member).map((action) => ({ action, isPublic: false })),
  ];
  for (const { action, isPublic } of tables) {
    const access: Access = !isPublic ? 'member' : YOSHOP_PUBLIC_READS.has(action) ? 'public-read' : 'public-write';
    out.push({
      dialect: 'yoshop',
      method: 'POST',
      path: `${url}?s=/api/${action}`,
      key: `yoshop ${action}`,
      access,
      params: PARAMS[`yoshop ${action}`] ?? {},
      idempotent: IDEMPOTENT.has(`yoshop ${action}`),
    });
  }
  if (out.length < 20)
    throw new Error(`found only ${out.length} YoShop actions under ${prefix}: have its route tables changed shape?`);
  return out;
}

/** Table entries that name no registered route: a renamed route would otherwise drop out of the fuzzing. */
export function staleTableEntries(routes: DialectRoute[]): string[] {
  const keys = new Set(routes.map((r) => r.key));
  return [...Object.keys(ACCESS), ...Object.keys(PARAMS), ...IDEMPOTENT].filter((k) => !keys.has(k));
}
