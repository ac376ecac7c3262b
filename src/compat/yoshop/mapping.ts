import type { Product } from '../../catalog/products.ts';
import type { Address } from '../../domain/address.ts';
import type { Cart } from '../../flows/manage-cart.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { localDateTime } from '../../domain/local-time.ts';
import type { ErrorCode } from '../../errors.ts';
import type { MemberProfile } from '../../members/member-profile.ts';
import type { Delivery } from '../../orders/delivery.ts';
import type { OrderView } from '../../orders/order-view.ts';
import type { PaymentMethodSetting } from '../../payments/payment-methods.ts';
import { priceRange, toGoodsSpecs } from './sku-mapping.ts';

/**
 * The yoshop dialect's one mapping table (seed 002, YoShop 2.0 / 萤火商城): canonical order, cart, address, member
 * and payment settings → YoShop's wire shapes. Pure functions; money is yuan strings ("0.98") made from integer
 * fen, times are `yyyy-MM-dd HH:mm:ss` local time, unix seconds where YoShop sends integers.
 */

// ── envelope ──────────────────────────────────────────────────────────────────────────────────────────────────

/** `status`: 200 ok, 401 not logged in (the client shows "去登录"), 500 an error whose `message` is toasted. */
export const YOSHOP_STATUS = { ok: 200, needLogin: 401, error: 500 } as const;
export type YoshopStatus = (typeof YOSHOP_STATUS)[keyof typeof YOSHOP_STATUS];

export interface YoshopEnvelope {
  status: YoshopStatus;
  message: string;
  data: unknown;
}

export const ok = (data: unknown, message = 'success'): YoshopEnvelope => ({ status: YOSHOP_STATUS.ok, message, data });
export const failure = (status: YoshopStatus, message: string): YoshopEnvelope => ({ status, message, data: [] });

/** Which envelope status each canonical error code becomes: only a missing login is 401, the rest is a toast. */
export const STATUS_BY_ERROR: Record<ErrorCode, YoshopStatus> = {
  validation_failed: YOSHOP_STATUS.error,
  invalid_auth_code: YOSHOP_STATUS.error,
  unauthorized: YOSHOP_STATUS.needLogin,
  // a wrong SMS code or an unknown number is a toast on the sign-in page, not "去登录"
  bad_sms_code: YOSHOP_STATUS.error,
  unknown_mobile: YOSHOP_STATUS.error,
  forbidden: YOSHOP_STATUS.error,
  refund_password: YOSHOP_STATUS.error,
  not_found: YOSHOP_STATUS.error,
  conflict: YOSHOP_STATUS.error,
  out_of_stock: YOSHOP_STATUS.error,
  invalid_state: YOSHOP_STATUS.error,
  settled: YOSHOP_STATUS.error,
  idempotency_key_reused: YOSHOP_STATUS.error,
  unprocessable: YOSHOP_STATUS.error,
  address_required: YOSHOP_STATUS.error,
  insufficient_balance: YOSHOP_STATUS.error,
  insufficient_points: YOSHOP_STATUS.error,
  exceeds_refundable: YOSHOP_STATUS.error,
  exceeds_deposit: YOSHOP_STATUS.error,
  method_not_available: YOSHOP_STATUS.error,
  provider_error: YOSHOP_STATUS.error,
  rate_limited: YOSHOP_STATUS.error,
};

/** The toast for a refusal the client can be told in its own words (the rest keep the use case's message). */
export const MESSAGE_BY_ERROR: Partial<Record<ErrorCode, string>> = {
  out_of_stock: '很抱歉，商品库存不足',
  address_required: '请先选择收货地址',
  insufficient_balance: '用户余额不足，无法使用余额支付',
  insufficient_points: '积分不足',
  exceeds_refundable: '退款金额超出可退金额',
  settled: '订单已结算，不能再申请售后',
  method_not_available: '很抱歉，当前不支持该支付方式',
  bad_sms_code: '短信验证码不正确',
  unknown_mobile: '该手机号尚未注册',
};

// ── status codes (as the YoShop client's common/enum/order/*.js names them) ──────────────────────────────────────────

export const PAY_STATUS = { unpaid: 10, paid: 20 } as const;
export const ORDER_STATUS = { normal: 10, cancelled: 20, cancelRequested: 21, completed: 30 } as const;
export const DELIVERY_STATUS = { notShipped: 10, shipped: 20 } as const;
export const RECEIPT_STATUS = { notReceived: 10, received: 20 } as const;
/** delivery type: 10 快递配送 (shipped to the address), 20 上门自提 (picked up at the store, no shipping fee). */
export const DELIVERY_TYPE = { express: 10, pickup: 20 } as const satisfies Record<Delivery, number>;

/** The client's `delivery` → ordo's; an absent one is express, as the client's default; anything else is no choice. */
export function deliveryOf(code: number | undefined): Delivery | undefined {
  if (code === undefined) return 'express';
  return (Object.keys(DELIVERY_TYPE) as Delivery[]).find((d) => DELIVERY_TYPE[d] === code);
}

export interface YoshopStatuses {
  pay_status: number;
  order_status: number;
  delivery_status: number;
  receipt_status: number;
  is_comment: number;
  state_text: string;
}

const PAID_STATUSES = new Set(['paid', 'shipped', 'received', 'completed']);
const SHIPPED_STATUSES = new Set(['shipped', 'received', 'completed']);
const RECEIVED_STATUSES = new Set(['received', 'completed']);

/**
 * Canonical order → YoShop's four status fields and state text. YoShop completes an order at receipt and then
 * offers the review (order_status 30, is_comment 0 → 待评价), so ordo's `received` shows as 30 too, and `completed`
 * as 30 with is_comment 1. Closed (expired) and fully refunded orders show as cancelled (20); a pending cancel
 * request as 21 (待取消). A voucher under review is still unpaid (10).
 */
export function yoshopStatuses(o: Pick<OrderView, 'status' | 'refundStatus' | 'cancelRequested'>): YoshopStatuses {
  const pay_status =
    PAID_STATUSES.has(o.status) || (o.refundStatus !== 'none' && o.status !== 'pending_payment')
      ? PAY_STATUS.paid
      : PAY_STATUS.unpaid;
  const delivery_status = SHIPPED_STATUSES.has(o.status) ? DELIVERY_STATUS.shipped : DELIVERY_STATUS.notShipped;
  const receipt_status = RECEIVED_STATUSES.has(o.status) ? RECEIPT_STATUS.received : RECEIPT_STATUS.notReceived;
  const is_comment = o.status === 'completed' ? 1 : 0;
  let order_status: number = ORDER_STATUS.normal;
  if (o.status === 'cancelled' || o.status === 'closed' || o.refundStatus === 'refunded')
    order_status = ORDER_STATUS.cancelled;
  else if (o.cancelRequested) order_status = ORDER_STATUS.cancelRequested;
  else if (RECEIVED_STATUSES.has(o.status)) order_status = ORDER_STATUS.completed;
  const cancelledPay =
    o.status === 'cancelled' || o.status === 'closed'
      ? o.refundStatus === 'none'
        ? PAY_STATUS.unpaid
        : PAY_STATUS.paid
      : pay_status;
  return {
    pay_status: cancelledPay,
    order_status,
    delivery_status,
    receipt_status,
    is_comment,
    state_text: stateText(order_status, cancelledPay, delivery_status, receipt_status, is_comment),
  };
}

/** YoShop's `state_text`, in its order of precedence. */
function stateText(
  orderStatus: number,
  payStatus: number,
  deliveryStatus: number,
  receiptStatus: number,
  isComment: number,
): string {
  if (orderStatus === ORDER_STATUS.cancelled) return '已取消';
  if (orderStatus === ORDER_STATUS.cancelRequested) return '待取消';
  if (orderStatus === ORDER_STATUS.completed) return isComment ? '已完成' : '待评价';
  if (payStatus === PAY_STATUS.unpaid) return '待付款';
  if (deliveryStatus === DELIVERY_STATUS.notShipped) return '待发货';
  if (receiptStatus === RECEIPT_STATUS.notReceived) return '待收货';
  return '已完成';
}

/** order/list `dataType` → canonical statuses (undefined: all). */
export const DATA_TYPES: Record<string, string[] | undefined> = {
  all: undefined,
  payment: ['pending_payment', 'payment_review'],
  delivery: ['paid'],
  received: ['shipped'],
  comment: ['received'],
};

/** refund/apply `form.type`: 10 退货退款 (20 换货 has no canonical counterpart). */
export const REFUND_TYPES: Record<number, 'return_and_refund' | undefined> = { 10: 'return_and_refund', 20: undefined };
/** Canonical refund kind → YoShop type. */
export const REFUND_TYPE_OF: Record<string, number> = { return_and_refund: 10, refund_only: 10, cancel: 10 };
/** Payment methods the YoShop cashier knows. */
export const YOSHOP_METHODS = ['wechat', 'alipay', 'balance'] as const;
export type YoshopMethod = (typeof YOSHOP_METHODS)[number];

/** The gateway channel each client pays through when the store's setting does not say (H5 → WeChat H5 / Alipay wap). */
export const DEFAULT_CHANNELS: Record<string, { wechat: string; alipay: string }> = {
  H5: { wechat: 'h5', alipay: 'wap' },
  WXOFFICIAL: { wechat: 'jsapi', alipay: 'wap' },
  'MP-WEIXIN': { wechat: 'mini', alipay: 'wap' },
  APP: { wechat: 'app', alipay: 'app' },
};

// ── formats ───────────────────────────────────────────────────────────────────────────────────────────────────

export const yuan = (fen: number): string => fenToYuanString(fen);
export const yoshopTime = (at: Date | null | undefined, timeZone: string): string =>
  at ? localDateTime(at, timeZone) : '';
export const unixSeconds = (at: Date | null | undefined): number => (at ? Math.floor(at.getTime() / 1000) : 0);

/** `153****7807`: the first three and last four digits. */
export function maskMobile(mobile: string | null): string {
  if (!mobile) return '';
  return mobile.length >= 7 ? `${mobile.slice(0, 3)}****${mobile.slice(-4)}` : mobile;
}

const GENDERS: Record<number, string> = { 0: '未知', 1: '男', 2: '女' };

export interface MappingEnv {
  timeZone: string;
  publicUrl: string;
}

export function absoluteImage(url: string, publicUrl: string): string {
  if (!url) return '';
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) return url;
  return `${publicUrl}${url.startsWith('/') ? '' : '/'}${url}`;
}

/**
 * `goodsSkuId` "1_2" (a SKU's spec value ids in its groups' order, joined by `_`) ↔ ordo spec value ids; "0" or ""
 * is a good without specs.
 */
export function optionIdsOf(goodsSkuId: string): number[] | null {
  if (goodsSkuId === '' || goodsSkuId === '0') return [];
  if (!/^\d{1,15}(_\d{1,15}){0,19}$/.test(goodsSkuId)) return null;
  return goodsSkuId.split('_').map(Number);
}
export const goodsSkuIdOf = (optionIds: readonly number[]): string => (optionIds.length ? optionIds.join('_') : '0');

// ── shapes ────────────────────────────────────────────────────────────────────────────────────────────────────

/** cashier/orderInfo `personal`: the seed's member fields (mobile masked, money as yuan strings). */
export function toPersonal(p: MemberProfile, defaultAddressId: number) {
  return {
    user_id: p.id,
    mobile: maskMobile(p.mobile),
    nick_name: p.nickname,
    avatar_id: 0,
    gender: GENDERS[p.gender] ?? '未知',
    country: '',
    province: '',
    city: '',
    address_id: defaultAddressId,
    balance: yuan(p.balance),
    points: p.points,
    pay_money: yuan(p.payMoney),
    expend_money: yuan(p.expendMoney),
    grade_id: p.grade?.id ?? 0,
    platform: p.platform,
    last_login_time: unixSeconds(p.lastLoginAt),
  };
}

/** The store's settings for one client, limited to the methods the YoShop cashier can show. */
export function toPaymentMethods(settings: (PaymentMethodSetting & { client: string })[]) {
  return settings
    .filter((s) => s.enabled && (YOSHOP_METHODS as readonly string[]).includes(s.method))
    .map((s, i) => ({
      key: i + 1,
      method: s.method,
      is_must_template: s.method !== 'balance',
      template_id: s.accountId ?? 0,
      is_enable: s.enabled,
      is_default: s.isDefault,
      others: [] as unknown[],
      client: s.client,
    }));
}

/**
 * The region ids of an address: ordo keeps the district's administrative code (110105), whose first digits name
 * its city (110100) and province (110000). Without one they are 0, and the edit page asks for the region again.
 */
function regionIdsOf(districtCode: string) {
  if (!/^\d{6}$/.test(districtCode)) return { province_id: 0, city_id: 0, region_id: 0 };
  return {
    province_id: Number(`${districtCode.slice(0, 2)}0000`),
    city_id: Number(`${districtCode.slice(0, 4)}00`),
    region_id: Number(districtCode),
  };
}

export function toYoshopAddress(a: Address) {
  return {
    address_id: a.id,
    name: a.receiverName,
    phone: a.mobile,
    ...regionIdsOf(a.districtCode),
    detail: a.address,
    region: { province: a.province, city: a.city, region: a.district },
    is_default: a.isDefault ? 1 : 0,
  };
}

function snapshotAddress(a: OrderView['address']) {
  if (!a) return null;
  return {
    name: a.receiverName,
    phone: a.mobile,
    detail: a.address,
    region: { province: a.province, city: a.city, region: a.district },
  };
}

export function toOrderGoods(o: OrderView, env: MappingEnv) {
  return o.lines.map((l) => ({
    order_goods_id: l.id,
    goods_id: l.productId ?? 0,
    goods_name: l.title,
    goods_image: absoluteImage(l.imageUrl, env.publicUrl),
    goods_sku_id: goodsSkuIdOf(l.options.map((x) => x.id)),
    goods_props: l.options.map((x) => ({ group: { name: x.group ?? '规格' }, value: { name: x.title } })),
    goods_price: yuan(l.unitPrice),
    line_price: yuan(l.listPrice),
    total_num: l.quantity,
    total_price: yuan(l.goodsAmount),
    total_pay_price: yuan(l.lineTotal),
    refund: l.refunding || l.refundedAmount > 0 ? { is_refund: true } : null,
  }));
}

/** order/list and order/detail item. */
export function toYoshopOrder(o: OrderView, env: MappingEnv) {
  const s = yoshopStatuses(o);
  const refundable = PAID_STATUSES.has(o.status) && s.order_status !== ORDER_STATUS.cancelled;
  return {
    order_id: o.id,
    order_no: o.orderNo,
    total_price: yuan(o.goodsAmount),
    order_price: yuan(o.goodsAmount - o.discountAmount),
    coupon_money: yuan(o.couponDiscount),
    points_money: yuan(o.pointsDiscount),
    points_num: o.pointsUsed,
    pay_price: yuan(o.payableAmount),
    update_price: { symbol: o.priceAdjustment < 0 ? '-' : '+', value: yuan(Math.abs(o.priceAdjustment)) },
    buyer_remark: o.buyerRemark,
    pay_status: s.pay_status,
    pay_time: unixSeconds(o.paidAt),
    delivery_type: DELIVERY_TYPE[o.delivery ?? 'express'],
    express_price: yuan(o.shippingFee),
    delivery_status: s.delivery_status,
    delivery_time: unixSeconds(o.shippedAt),
    receipt_status: s.receipt_status,
    receipt_time: unixSeconds(o.receivedAt),
    order_status: s.order_status,
    is_comment: s.is_comment,
    state_text: s.state_text,
    isAllowRefund: refundable,
    create_time: yoshopTime(o.createdAt, env.timeZone),
    update_time: yoshopTime(o.updatedAt, env.timeZone),
    address: snapshotAddress(o.address),
    goods: toOrderGoods(o, env),
  };
}

/** ThinkPHP's paginator as JSON. */
export function paginator<T>(data: T[], page: number, perPage: number, total: number) {
  return { total, per_page: perPage, current_page: page, last_page: Math.max(1, Math.ceil(total / perPage)), data };
}

export function toYoshopCart(cart: Cart, env: MappingEnv) {
  return {
    list: cart.items.map((i) => ({
      id: i.id,
      goods_id: i.productId,
      goods_sku_id: goodsSkuIdOf(i.optionIds),
      goods_num: i.quantity,
      goods: {
        goods_id: i.productId,
        goods_name: i.title,
        goods_image: absoluteImage(i.imageUrl, env.publicUrl),
        goods_price_min: yuan(i.unitPrice),
        line_price_min: yuan(i.listPrice),
        stock_total: i.stock,
        skuInfo: {
          goods_sku_id: goodsSkuIdOf(i.optionIds),
          goods_price: yuan(i.unitPrice),
          line_price: yuan(i.listPrice),
          stock_num: i.stock,
          goods_props: i.options.map((x) => ({ group: { name: x.group ?? '规格' }, value: { name: x.title } })),
        },
        is_user_grade: false,
      },
    })),
    cartTotal: cart.totalQuantity,
  };
}

// ── browsing: goods, categories (seed 002 "Browsing in the YoShop client") ──────────────────────────────────

/** What the goods routes read of a product: the catalog's own view. */
export type ProductLike = Pick<
  Product,
  | 'id'
  | 'categoryId'
  | 'title'
  | 'subtitle'
  | 'coverUrl'
  | 'imageUrls'
  | 'detail'
  | 'price'
  | 'listPrice'
  | 'stock'
  | 'sold'
  | 'options'
  | 'specs'
  | 'skus'
>;

/** goods/list item: the prices range over the good's SKUs. */
export function toGoodsListItem(p: ProductLike, env: MappingEnv) {
  return {
    goods_id: p.id,
    goods_name: p.title,
    selling_point: p.subtitle,
    goods_image: absoluteImage(p.coverUrl, env.publicUrl),
    ...priceRange(p),
    goods_sales: p.sold,
    stock_total: p.stock,
  };
}

/** goods/detail: the list item's fields, the pictures, the content and the specs and SKUs (sku-mapping.ts). */
export function toGoodsDetail(p: ProductLike, env: MappingEnv) {
  const images = (p.imageUrls.length ? p.imageUrls : p.coverUrl ? [p.coverUrl] : []).map((u, i) => ({
    image_id: i + 1,
    preview_url: absoluteImage(u, env.publicUrl),
    external_url: absoluteImage(u, env.publicUrl),
  }));
  return {
    ...toGoodsListItem(p, env),
    category_id: p.categoryId ?? 0,
    goods_images: images,
    content: p.detail,
    ...toGoodsSpecs(p, (url) => absoluteImage(url, env.publicUrl)),
    is_user_grade: false,
  };
}

export interface CategoryLike {
  id: number;
  parentId: number | null;
  name: string;
  imageUrl: string;
}

/** category/list tree: roots first, children nested in their parent's `children`. */
export function toCategoryTree(categories: CategoryLike[], env: MappingEnv) {
  type Node = {
    category_id: number;
    name: string;
    parent_id: number;
    image: { preview_url: string; external_url: string };
    image_url: string;
    children: Node[];
  };
  const nodes = new Map<number, Node>();
  for (const c of categories) {
    const url = absoluteImage(c.imageUrl, env.publicUrl);
    nodes.set(c.id, {
      category_id: c.id,
      name: c.name,
      parent_id: c.parentId ?? 0,
      image: { preview_url: url, external_url: url },
      image_url: url,
      children: [],
    });
  }
  const roots: Node[] = [];
  for (const c of categories) {
    const node = nodes.get(c.id)!;
    const parent = c.parentId !== null ? nodes.get(c.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** refund/goods: the order line as the refund page shows it; `refundable_money` is what may still be asked for. */
export function toRefundGoods(o: OrderView, line: OrderView['lines'][number], env: MappingEnv) {
  const goods = toOrderGoods({ ...o, lines: [line] }, env)[0]!;
  return {
    ...goods,
    order_id: o.id,
    order_no: o.orderNo,
    refunded_money: yuan(line.refundedAmount),
    refund_pending_money: yuan(line.refundPendingAmount),
    refundable_money: yuan(Math.max(0, line.lineTotal - line.refundedAmount - line.refundPendingAmount)),
  };
}
