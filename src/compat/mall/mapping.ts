import { absoluteUrl } from '../absolute-url.ts';
import { localDateTime } from '../../domain/local-time.ts';
import type { Cart, CartItem } from '../../flows/manage-cart.ts';
import type { Address } from '../../domain/address.ts';
import type { Product } from '../../catalog/products.ts';
import { fenToYuanNumber } from '../../domain/money.ts';
import type { OrderStatus } from '../../domain/order-status.ts';
import type { ErrorCode } from '../../errors.ts';
import type { MemberProfile } from '../../members/member-profile.ts';
import type { OrderView } from '../../orders/order-view.ts';

/**
 * The mall dialect's one mapping table (seed 000, mmall conventions): canonical order, cart, product, address and
 * member → the mall wire shapes. Pure functions; money is yuan numbers made from integer fen, times are
 * `yyyy-MM-dd HH:mm:ss` local time, and empty values are what the seed's sample shows ("" for times not reached,
 * null for `imageHost` and an absent `receiverPhone`).
 */

// ── envelope ──────────────────────────────────────────────────────────────────────────────────────────────────

/** Response `status`: 0 ok, 1 error (shown to the user), 2 illegal argument, 10 need login. */
export const MALL_STATUS = { ok: 0, error: 1, illegalArgument: 2, needLogin: 10 } as const;
export type MallStatus = (typeof MALL_STATUS)[keyof typeof MALL_STATUS];

/** Like mmall's ServerResponse (Jackson NON_NULL): `msg` and `data` appear only when they have a value. */
export interface MallEnvelope {
  status: MallStatus;
  msg?: string;
  data?: unknown;
}

export const ok = (data: unknown): MallEnvelope => ({ status: MALL_STATUS.ok, data });
export const okMessage = (msg: string): MallEnvelope => ({ status: MALL_STATUS.ok, msg });
export const failure = (status: MallStatus, msg: string): MallEnvelope => ({ status, msg });

/** Which envelope status each canonical error code becomes. */
export const STATUS_BY_ERROR: Record<ErrorCode, MallStatus> = {
  validation_failed: MALL_STATUS.illegalArgument,
  invalid_auth_code: MALL_STATUS.illegalArgument,
  unauthorized: MALL_STATUS.needLogin,
  bad_sms_code: MALL_STATUS.needLogin,
  unknown_mobile: MALL_STATUS.needLogin,
  forbidden: MALL_STATUS.error,
  refund_password: MALL_STATUS.error,
  not_found: MALL_STATUS.error,
  conflict: MALL_STATUS.error,
  out_of_stock: MALL_STATUS.error,
  invalid_state: MALL_STATUS.error,
  settled: MALL_STATUS.error,
  idempotency_key_reused: MALL_STATUS.error,
  unprocessable: MALL_STATUS.error,
  address_required: MALL_STATUS.error,
  insufficient_balance: MALL_STATUS.error,
  insufficient_points: MALL_STATUS.error,
  exceeds_refundable: MALL_STATUS.error,
  exceeds_deposit: MALL_STATUS.error,
  method_not_available: MALL_STATUS.error,
  provider_error: MALL_STATUS.error,
  rate_limited: MALL_STATUS.error,
};

// ── order status (ordo's order states as the mall names them) ────────────────────────────────────────────────────────

export const MALL_ORDER_STATUS = { cancelled: 0, unpaid: 10, paid: 20, shipped: 40, success: 50, closed: 60 } as const;
export type MallOrderStatus = (typeof MALL_ORDER_STATUS)[keyof typeof MALL_ORDER_STATUS];

/**
 * Canonical status → mall status. A failed payment or a voucher under review is still "unpaid" (10); a cancel
 * request keeps the paid order at 20 (the status stays `paid` canonically); received and completed are both 50.
 */
const STATUS_BY_CANONICAL: Record<OrderStatus, MallOrderStatus> = {
  pending_payment: MALL_ORDER_STATUS.unpaid,
  payment_review: MALL_ORDER_STATUS.unpaid,
  paid: MALL_ORDER_STATUS.paid,
  shipped: MALL_ORDER_STATUS.shipped,
  received: MALL_ORDER_STATUS.success,
  completed: MALL_ORDER_STATUS.success,
  cancelled: MALL_ORDER_STATUS.cancelled,
  closed: MALL_ORDER_STATUS.closed,
};

export const STATUS_DESC: Record<MallOrderStatus, string> = {
  0: '已取消',
  10: '未支付',
  20: '已付款',
  40: '已发货',
  50: '订单完成',
  60: '订单关闭',
};

/**
 * A fully refunded order shows as closed (60), except one that was cancelled, which stays cancelled (0). A paid
 * order with some of its goods in a parcel is shipped (40): mmall has no "partly shipped", and the buyer already
 * has goods on the way.
 */
export function mallOrderStatus(order: Pick<OrderView, 'status' | 'refundStatus' | 'lines'>): MallOrderStatus {
  const base = STATUS_BY_CANONICAL[order.status as OrderStatus] ?? MALL_ORDER_STATUS.unpaid;
  if (order.refundStatus === 'refunded' && base !== MALL_ORDER_STATUS.cancelled) return MALL_ORDER_STATUS.closed;
  if (base === MALL_ORDER_STATUS.paid && order.lines.some((l) => l.shippedQuantity > 0))
    return MALL_ORDER_STATUS.shipped;
  return base;
}

/** ordo's orders are all paid online (WeChat, Alipay, balance, vouchers); mmall's paymentType 1. */
export const PAYMENT_TYPE = { online: 1 } as const;
export const PAYMENT_TYPE_DESC: Record<number, string> = { 1: '在线支付' };

/** POST /pay `payType` → the canonical method and channel a PC storefront uses. */
export const PAY_TYPES = {
  1: { method: 'alipay', channel: 'page' },
  2: { method: 'wechat', channel: 'native' },
} as const;

// ── formats ───────────────────────────────────────────────────────────────────────────────────────────────────

/** `yyyy-MM-dd HH:mm:ss` in `timeZone`; "" for a time not reached yet (as the seed's samples show). */
export const mallTime = (at: Date | null | undefined, timeZone: string): string =>
  at ? localDateTime(at, timeZone) : '';

export const yuan = (fen: number): number => fenToYuanNumber(fen);

export interface MappingEnv {
  timeZone: string;
  publicUrl: string;
}

/** The order number as a JSON number, as the client keeps it (16 digits fit a safe integer). */
export function orderNoNumber(orderNo: string): number {
  const n = Number(orderNo);
  if (!Number.isSafeInteger(n)) throw new RangeError(`order number ${orderNo} is not a safe integer`);
  return n;
}

// ── paginator (PageHelper PageInfo) ───────────────────────────────────────────────────────────────────────────

const NAVIGATE_PAGES = 8;

export function pageInfo<T>(list: T[], page: { pageNum: number; pageSize: number; total: number }) {
  const { pageNum, pageSize, total } = page;
  const pages = pageSize > 0 ? Math.ceil(total / pageSize) : 0;
  const startRow = list.length === 0 ? 0 : (pageNum - 1) * pageSize + 1;
  let nums: number[];
  if (pages <= NAVIGATE_PAGES) nums = Array.from({ length: pages }, (_, i) => i + 1);
  else {
    let first = pageNum - NAVIGATE_PAGES / 2;
    if (first < 1) first = 1;
    else if (pageNum + NAVIGATE_PAGES / 2 > pages) first = pages - NAVIGATE_PAGES + 1;
    nums = Array.from({ length: NAVIGATE_PAGES }, (_, i) => first + i);
  }
  return {
    pageNum,
    pageSize,
    size: list.length,
    orderBy: null,
    startRow,
    endRow: list.length === 0 ? 0 : startRow + list.length - 1,
    total,
    pages,
    list,
    firstPage: nums[0] ?? 0,
    prePage: pageNum > 1 ? pageNum - 1 : 0,
    nextPage: pageNum < pages ? pageNum + 1 : 0,
    lastPage: nums[nums.length - 1] ?? 0,
    isFirstPage: pageNum === 1,
    isLastPage: pageNum >= pages,
    hasPreviousPage: pageNum > 1,
    hasNextPage: pageNum < pages,
    navigatePages: NAVIGATE_PAGES,
    navigatepageNums: nums,
  };
}

// ── member ────────────────────────────────────────────────────────────────────────────────────────────────────

/** mmall's role 0 is a customer (1 is an administrator); only members sign in here. */
export const ROLE_CUSTOMER = 0;

/** mmall's user without password or security question. Times are epoch ms as mmall's User. */
export function toMallUser(m: MemberProfile) {
  return {
    id: m.id,
    username: m.username ?? m.mobile ?? '',
    email: m.email,
    phone: m.mobile ?? '',
    role: ROLE_CUSTOMER,
    createTime: m.createdAt.getTime(),
    updateTime: (m.lastLoginAt ?? m.createdAt).getTime(),
  };
}

// ── products ──────────────────────────────────────────────────────────────────────────────────────────────────

/** mmall product status: 1 on sale, 2 off the shelf. */
export const productStatus = (onSale: boolean) => (onSale ? 1 : 2);

export function toMallProductListItem(p: Product, env: MappingEnv) {
  return {
    id: p.id,
    categoryId: p.categoryId,
    name: p.title,
    subtitle: p.subtitle,
    mainImage: absoluteUrl(p.coverUrl, env.publicUrl),
    price: yuan(p.price),
    status: productStatus(p.onSale),
    imageHost: '',
  };
}

export function toMallProductDetail(p: Product, env: MappingEnv) {
  return {
    ...toMallProductListItem(p, env),
    // mmall keeps the pictures as one comma-separated string
    subImages: p.imageUrls.map((u) => absoluteUrl(u, env.publicUrl)).join(','),
    detail: p.detail,
    stock: p.stock,
    createTime: mallTime(p.createdAt, env.timeZone),
    updateTime: mallTime(p.updatedAt, env.timeZone),
  };
}

// ── cart ──────────────────────────────────────────────────────────────────────────────────────────────────────

export function toMallCartLine(item: CartItem, memberId: number, subtitle: string, env: MappingEnv) {
  return {
    id: item.id,
    userId: memberId,
    productId: item.productId,
    quantity: item.quantity,
    productName: item.title,
    productSubtitle: subtitle,
    productMainImage: absoluteUrl(item.imageUrl, env.publicUrl),
    productPrice: yuan(item.unitPrice),
    productStatus: productStatus(item.onSale),
    productTotalPrice: yuan(item.lineTotal),
    productStock: item.stock,
    productSelected: item.selected,
    limitQuantity: item.quantity <= item.stock ? 'LIMIT_NUM_SUCCESS' : 'LIMIT_NUM_FAIL',
  };
}

/** `cartTotalPrice` is what the selected lines cost (mmall sums only checked lines); `cartTotalQuantity` counts every unit. */
export function toMallCart(cart: Cart, memberId: number, subtitles: ReadonlyMap<number, string>, env: MappingEnv) {
  return {
    cartProductVoList: cart.items.map((i) => toMallCartLine(i, memberId, subtitles.get(i.productId) ?? '', env)),
    selectedAll: cart.allSelected,
    cartTotalPrice: yuan(cart.selectedTotal),
    cartTotalQuantity: cart.totalQuantity,
    imageHost: '',
  };
}

// ── shipping addresses ────────────────────────────────────────────────────────────────────────────────────────

export function toMallShipping(a: Address, memberId: number) {
  return {
    id: a.id,
    userId: memberId,
    receiverName: a.receiverName,
    receiverPhone: a.phone,
    receiverMobile: a.mobile,
    receiverProvince: a.province,
    receiverCity: a.city,
    receiverDistrict: a.district,
    receiverAddress: a.address,
    receiverZip: a.zip,
  };
}

export interface MallShippingInput {
  receiverName?: string;
  receiverPhone?: string;
  receiverMobile?: string;
  receiverProvince?: string;
  receiverCity?: string;
  receiverDistrict?: string;
  receiverAddress?: string;
  receiverZip?: string;
}

/** Mall field names → the canonical address book's (only the fields that were sent). */
export function fromMallShipping(s: MallShippingInput) {
  return {
    receiverName: s.receiverName,
    phone: s.receiverPhone,
    mobile: s.receiverMobile,
    province: s.receiverProvince,
    city: s.receiverCity,
    district: s.receiverDistrict,
    address: s.receiverAddress,
    zip: s.receiverZip,
  };
}

// ── orders ────────────────────────────────────────────────────────────────────────────────────────────────────

/** What the order row does not say: when its first parcel left and when money last went back. */
export interface MallOrderFacts {
  firstParcelAt: Date | null;
  lastRefundAt: Date | null;
}

/**
 * The order exactly as the seed's sample: `payment` is what the buyer pays (goods − discounts + postage),
 * `postage` the shipping fee, lines at their unit price × quantity, and the address snapshot as `shippingVo`.
 * `sendTime` is when the first parcel left; a refunded order closed (60) when its last refund went back.
 */
export function toMallOrder(o: OrderView, facts: MallOrderFacts, env: MappingEnv) {
  const orderNo = orderNoNumber(o.orderNo);
  const status = mallOrderStatus(o);
  const createTime = mallTime(o.createdAt, env.timeZone);
  const refundClosedAt = status === MALL_ORDER_STATUS.closed && !o.closedAt ? facts.lastRefundAt : null;
  const a = o.address;
  return {
    orderNo,
    payment: yuan(o.payableAmount),
    paymentType: PAYMENT_TYPE.online,
    paymentTypeDesc: PAYMENT_TYPE_DESC[PAYMENT_TYPE.online]!,
    postage: yuan(o.shippingFee),
    status,
    statusDesc: STATUS_DESC[status],
    paymentTime: mallTime(o.paidAt, env.timeZone),
    sendTime: mallTime(facts.firstParcelAt ?? o.shippedAt, env.timeZone),
    endTime: mallTime(o.completedAt ?? o.receivedAt, env.timeZone),
    closeTime: mallTime(o.closedAt ?? o.cancelledAt ?? refundClosedAt, env.timeZone),
    createTime,
    orderItemVoList: o.lines.map((l) => ({
      orderNo,
      productId: l.productId,
      productName: l.title,
      productImage: absoluteUrl(l.imageUrl, env.publicUrl),
      currentUnitPrice: yuan(l.unitPrice),
      quantity: l.quantity,
      totalPrice: yuan(l.goodsAmount),
      createTime,
    })),
    // the seed sends null here: the line pictures are already whole URLs
    imageHost: null,
    shippingId: o.addressId,
    receiverName: a?.receiverName ?? '',
    shippingVo: {
      receiverName: a?.receiverName ?? '',
      receiverPhone: a?.phone ? a.phone : null,
      receiverMobile: a?.mobile ?? '',
      receiverProvince: a?.province ?? '',
      receiverCity: a?.city ?? '',
      receiverDistrict: a?.district ?? '',
      receiverAddress: a?.address ?? '',
      receiverZip: a?.zip ?? '',
    },
  };
}

export type MallOrder = ReturnType<typeof toMallOrder>;
