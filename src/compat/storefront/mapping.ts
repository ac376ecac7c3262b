import { absoluteUrl } from '../absolute-url.ts';
import { addressLine } from '../address-line.ts';
import { chosenPayment } from '../chosen-payment.ts';
import { localDateTime } from '../../domain/local-time.ts';
import { fenToYuanNumber } from '../../domain/money.ts';
import type { OrderStatus } from '../../domain/order-status.ts';
import type { Store } from '../../merchants/stores.ts';
import type { GoodsSnapshot, GoodsSnapshotStore } from '../../orders/goods-snapshot.ts';
import type { OrderLineView, OrderView } from '../../orders/order-view.ts';

/**
 * The storefront dialect (seed 003): how a canonical order reads in the multi-store shop's order detail.
 * Pure functions only; the routes gather the inputs. Where the seed's sample JSON and its field table disagree,
 * the sample wins: ids, counts and money are JSON numbers, money in yuan; `order_num`, coordinates and times are
 * strings; times are local `yyyy-MM-dd HH:mm:ss`, "" when unset.
 */

export type StorefrontStatus = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** The one mapping table of this dialect. */
export const STOREFRONT = {
  /** canonical order status → `status`, before the refund / cancel-request / failed-payment overrides in storefrontStatus */
  orderStatus: {
    pending_payment: 0,
    payment_review: 0, // the seed has no "under review": the buyer still sees 待支付
    paid: 1,
    shipped: 2,
    received: 3, // 待评价: received, the buyer may now review
    completed: 4,
    cancelled: 6,
    closed: 6, // expired unpaid: 取消支付 as well
  } satisfies Record<OrderStatus, StorefrontStatus>,
  statusMsg: {
    0: '待支付',
    1: '待发货',
    2: '待收货',
    3: '待评价',
    4: '订单完成',
    5: '支付失败',
    6: '取消支付',
    7: '退款中',
    8: '已退款',
  } satisfies Record<StorefrontStatus, string>,
  /**
   * payment method → `pay_method`; every other method (balance, vouchers, cash, …) is "" — the seed names only these
   * two. Before any attempt, the method the store offers first on the order's client (its default), as the seed's
   * unpaid order shows the method the buyer is about to pay with.
   */
  payMethod: { wechat: 'WeChat', alipay: 'Alipay' } as Record<string, string>,
  /** the order's client → `pay_type`; H5 (a phone browser) and the till are web clients like a PC: "pc" */
  payType: { APP: 'app', WXOFFICIAL: 'public', 'MP-WEIXIN': 'small', PC: 'pc', H5: 'pc', POS: 'pc' } as Record<
    string,
    string
  >,
  /** canonical refund status → `refund_status` (the seed gives no codes; ours) */
  refundStatus: { none: 0, requested: 1, partially_refunded: 2, refunded: 3 } as Record<string, number>,
  /** order payment statuses in which the money was received → `pay_status` 1 */
  moneyReceived: new Set(['paid', 'partially_refunded', 'refunded']),
} as const;

/** One payment attempt of the order, as far as this dialect needs it. */
export interface PaymentFact {
  id: number;
  method: string;
  status: string;
}

/** What the catalog says now about a product on a line (stock and category are not part of the order snapshot). */
export interface CatalogFact {
  stock: number;
  categoryId: number | null;
  optionStock: ReadonlyMap<number, number>;
}

/** Everything beside the canonical order that the seed's fields need. */
export interface StorefrontFacts {
  payments: readonly PaymentFact[];
  /** the methods the store offers on the order's client: its default first, then the others enabled, in order */
  offeredMethods: readonly string[];
  /** the store and products as they were when the order was placed; null for orders placed before snapshots */
  snapshot: GoodsSnapshot | null;
  /** the number of the order's latest refund, if any */
  latestRefundNo: string | null;
  /** the buyer (or the review window) left a review */
  reviewed: boolean;
  /** the store as it is now, for orders without a snapshot */
  store: Store | null;
  /** by product id, as the catalog has it now, for orders without a snapshot; products that no longer exist are absent */
  catalog: ReadonlyMap<number, CatalogFact>;
}

export interface Coordinates {
  lng: number;
  lat: number;
}

export interface StorefrontSettings {
  timeZone: string;
  /** ORDO_PUBLIC_URL, to make the logo and covers absolute */
  publicUrl: string;
  /** where the caller is (query `lng` / `lat`), for `distance` */
  caller: Coordinates | null;
}

export interface StorefrontProductItem {
  number: number;
  cart_id: number;
  product: { id: number; cover: string; price: number; stock: number; cate_id: number; product_name: string };
  store_id: number;
  all_price: number;
  product_id: number;
  product_opt_ids: string;
  product_opt_list: { id: number; price: number; stock: number; title: string }[];
  product_opt_title: string;
}

export interface StorefrontOrder {
  order_id: number;
  order_num: string;
  uid: number;
  store_id: number;
  mobile: string;
  username: string;
  address: string;
  pay_method: string;
  pay_type: string;
  pay_status: number;
  send_status: number;
  received_status: number;
  evaluate_status: number;
  remark: string;
  paid_at: string;
  expire_at: string;
  close_at: string;
  pay_order_amount: number;
  total_amount: number;
  refund_status: number;
  refund_order_num: string;
  created_at: string;
  status_msg: string;
  status: StorefrontStatus;
  shipping_fee: number;
  goods_json: {
    store: {
      id: number;
      store_name: string;
      logo: string;
      mobile: string;
      address: string;
      lng: string;
      lat: string;
      distance: string;
    };
    store_id: number;
    product_list: StorefrontProductItem[];
    product_all_price: number;
    shipping_fee: number;
  };
}

export interface StorefrontEnvelope<T> {
  status: 200;
  msg: 'ok';
  data: T;
  other: [];
}

export interface StorefrontErrorBody {
  status: 0;
  msg: string;
}

export const storefrontOk = <T>(data: T): StorefrontEnvelope<T> => ({ status: 200, msg: 'ok', data, other: [] });

/** The seed's error shape; the message comes from the Chinese message catalogue (compat/messages-zh.ts). */
export const storefrontError = (message: string): StorefrontErrorBody => ({ status: 0, msg: message });

/**
 * `status`, by precedence: fully refunded 8; refund in progress or cancel requested 7; an unpaid order whose
 * payment failed (the gateway refused it, or staff rejected the voucher) 5; otherwise by the order status.
 */
export function storefrontStatus(order: OrderView, payments: readonly PaymentFact[]): StorefrontStatus {
  if (order.refundStatus === 'refunded') return 8;
  if (order.refundStatus === 'requested' || order.cancelRequested) return 7;
  const latest = payments.reduce<PaymentFact | null>((a, p) => (!a || p.id > a.id ? p : a), null);
  if (order.status === 'pending_payment' && (order.paymentStatus === 'failed' || latest?.status === 'failed')) return 5;
  const code = (STOREFRONT.orderStatus as Record<string, StorefrontStatus | undefined>)[order.status];
  if (code === undefined) throw new Error(`the storefront dialect has no status for order status ${order.status}`);
  return code;
}

export function toStorefrontOrder(
  order: OrderView,
  facts: StorefrontFacts,
  settings: StorefrontSettings,
): StorefrontOrder {
  const status = storefrontStatus(order, facts.payments);
  const payment = chosenPayment(facts.payments);
  const time = (at: Date | null) => (at ? localDateTime(at, settings.timeZone) : '');
  const a = order.address;
  const store = facts.snapshot?.store ?? (facts.store && liveStore(facts.store));
  const method = payment ? payment.method : facts.offeredMethods.find((m) => STOREFRONT.payMethod[m]);
  return {
    order_id: order.id,
    order_num: order.orderNo,
    uid: order.memberId ?? 0,
    store_id: order.storeId,
    mobile: a ? a.mobile || a.phone : '',
    username: a?.receiverName ?? '',
    address: addressLine(order),
    pay_method: (method && STOREFRONT.payMethod[method]) ?? '',
    pay_type: STOREFRONT.payType[order.client] ?? '',
    pay_status: STOREFRONT.moneyReceived.has(order.paymentStatus) ? 1 : 0,
    send_status: order.shippedAt ? 1 : 0,
    received_status: order.receivedAt ? 1 : 0,
    evaluate_status: facts.reviewed ? 1 : 0,
    remark: order.buyerRemark,
    paid_at: time(order.paidAt),
    expire_at: time(order.expiresAt),
    close_at: time(order.closedAt ?? order.cancelledAt),
    pay_order_amount: fenToYuanNumber(order.payableAmount),
    total_amount: fenToYuanNumber(order.goodsAmount + order.shippingFee),
    refund_status: STOREFRONT.refundStatus[order.refundStatus] ?? 0,
    refund_order_num: order.refundStatus === 'none' ? '' : (facts.latestRefundNo ?? ''),
    created_at: time(order.createdAt),
    status_msg: STOREFRONT.statusMsg[status],
    status,
    shipping_fee: fenToYuanNumber(order.shippingFee),
    goods_json: {
      store: {
        id: order.storeId,
        store_name: store?.name ?? '',
        logo: absoluteUrl(store?.logoUrl ?? '', settings.publicUrl),
        mobile: store?.phone ?? '',
        address: store?.address ?? '',
        lng: store?.longitude ?? '',
        lat: store?.latitude ?? '',
        distance: store ? formatDistance(settings.caller, store) : '',
      },
      store_id: order.storeId,
      product_list: order.lines.map((line) =>
        toProductItem(order, line, productFacts(line, facts), settings.publicUrl),
      ),
      product_all_price: fenToYuanNumber(order.goodsAmount),
      shipping_fee: fenToYuanNumber(order.shippingFee),
    },
  };
}

/** The live store in the snapshot's terms, for an order placed before snapshots were kept. */
function liveStore(s: Store): GoodsSnapshotStore {
  return {
    id: s.id,
    name: s.name,
    logoUrl: s.logoUrl,
    phone: s.phone,
    address: `${s.province}${s.city}${s.district}${s.address}`,
    longitude: s.longitude,
    latitude: s.latitude,
  };
}

/** What a line shows beside the order line itself: stock, category and its cart line, kept or (for old orders) live. */
interface LineFacts {
  cartId: number;
  catalog: CatalogFact | undefined;
}

function productFacts(line: OrderLineView, facts: StorefrontFacts): LineFacts {
  const kept = facts.snapshot?.lines.find((l) => l.lineNo === line.lineNo);
  if (kept)
    return {
      // 0 for a line sent directly (no cart line)
      cartId: kept.cartItemId ?? 0,
      catalog: {
        stock: kept.stock,
        categoryId: kept.categoryId,
        optionStock: new Map(kept.optionStock.map((o) => [o.id, o.stock])),
      },
    };
  // an order placed before snapshots were kept: the cart row is gone, the order line stands in for it
  return { cartId: line.id, catalog: line.productId === null ? undefined : facts.catalog.get(line.productId) };
}

function toProductItem(
  order: OrderView,
  line: OrderLineView,
  { cartId, catalog: now }: LineFacts,
  publicUrl: string,
): StorefrontProductItem {
  // The line's unit price is the product price plus its options' prices (both snapshotted at order time).
  const optionsPrice = line.options.reduce((sum, o) => sum + o.price, 0);
  return {
    number: line.quantity,
    cart_id: cartId,
    product: {
      id: line.productId ?? 0,
      cover: absoluteUrl(line.imageUrl, publicUrl),
      price: fenToYuanNumber(line.unitPrice - optionsPrice),
      stock: now?.stock ?? 0,
      cate_id: now?.categoryId ?? 0,
      product_name: line.title,
    },
    store_id: order.storeId,
    all_price: fenToYuanNumber(line.goodsAmount),
    product_id: line.productId ?? 0,
    product_opt_ids: line.options.map((o) => o.id).join(','),
    product_opt_list: line.options.map((o) => ({
      id: o.id,
      price: fenToYuanNumber(o.price),
      stock: now?.optionStock.get(o.id) ?? 0,
      title: o.title,
    })),
    product_opt_title: line.options.map((o) => o.title).join(','),
  };
}

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance (haversine) in kilometres. */
export function distanceKm(from: Coordinates, to: Coordinates): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(to.lat - from.lat);
  const dLng = rad(to.lng - from.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(from.lat)) * Math.cos(rad(to.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** "1.45km" (always kilometres with two decimals, as the seed shows), or "" without both ends. */
export function formatDistance(caller: Coordinates | null, store: Pick<Store, 'latitude' | 'longitude'>): string {
  const lng = Number(store.longitude);
  const lat = Number(store.latitude);
  if (
    !caller ||
    store.longitude.trim() === '' ||
    store.latitude.trim() === '' ||
    !Number.isFinite(lng) ||
    !Number.isFinite(lat)
  )
    return '';
  return `${distanceKm(caller, { lng, lat }).toFixed(2)}km`;
}
