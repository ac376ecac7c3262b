import type { Address } from '../domain/address.ts';
import type { Delivery } from './delivery.ts';
import type { OrderEventRow, OrderLineRow, OrderRow } from '../db/schema.ts';

/** The canonical order as use cases hand it to the HTTP layer and the dialects. Money in fen. */
export interface OrderView {
  id: number;
  orderNo: string;
  merchantId: number;
  storeId: number;
  memberId: number | null;
  orderType: string;
  client: string;
  operatorId: number | null;
  status: string;
  paymentStatus: string;
  refundStatus: string;
  cancelRequested: boolean;
  cancelReason: string;
  currency: string;
  goodsAmount: number;
  gradeDiscount: number;
  couponDiscount: number;
  pointsDiscount: number;
  discountAmount: number;
  shippingFee: number;
  priceAdjustment: number;
  payableAmount: number;
  paidAmount: number;
  refundedAmount: number;
  merchantIncome: number;
  pointsUsed: number;
  pointsAwarded: number;
  couponId: number | null;
  buyerRemark: string;
  merchantRemark: string;
  /** shipped to `address`, picked up at the store, or null for a till sale or top-up (no shipment) */
  delivery: Delivery | null;
  address: AddressSnapshot | null;
  /** the address-book entry the snapshot came from, while it exists */
  addressId: number | null;
  depositMode: boolean;
  createdAt: Date;
  expiresAt: Date | null;
  paidAt: Date | null;
  paymentReviewedAt: Date | null;
  shippedAt: Date | null;
  receivedAt: Date | null;
  completedAt: Date | null;
  closedAt: Date | null;
  cancelledAt: Date | null;
  settledAt: Date | null;
  updatedAt: Date;
  lines: OrderLineView[];
}

/** The receiver as it was when the order was placed; later edits of the address book do not change it. */
export type AddressSnapshot = Omit<Address, 'id' | 'isDefault'>;

export interface OrderLineView {
  id: number;
  lineNo: number;
  productId: number | null;
  skuId: string;
  options: { id: number; group?: string; title: string; price: number }[];
  title: string;
  internalTitle: string;
  articleNo: string;
  imageUrl: string;
  spec: string;
  kind: string;
  listPrice: number;
  unitPrice: number;
  quantity: number;
  shippedQuantity: number;
  goodsAmount: number;
  discountAmount: number;
  lineTotal: number;
  refundPendingAmount: number;
  refundedAmount: number;
  refunding: boolean;
}

export interface OrderEventView {
  at: Date;
  actor: { kind: string; id: number | null };
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string;
}

export function toOrderView(o: OrderRow, lines: OrderLineRow[]): OrderView {
  return {
    id: o.id,
    orderNo: o.order_no,
    merchantId: o.merchant_id,
    storeId: o.store_id,
    memberId: o.member_id,
    orderType: o.order_type,
    client: o.client,
    operatorId: o.operator_id,
    status: o.status,
    paymentStatus: o.payment_status,
    refundStatus: o.refund_status,
    cancelRequested: o.cancel_requested,
    cancelReason: o.cancel_reason,
    currency: o.currency,
    goodsAmount: o.goods_amount,
    gradeDiscount: o.grade_discount,
    couponDiscount: o.coupon_discount,
    pointsDiscount: o.points_discount,
    discountAmount: o.discount_amount,
    shippingFee: o.shipping_fee,
    priceAdjustment: o.price_adjustment,
    payableAmount: o.payable_amount,
    paidAmount: o.paid_amount,
    refundedAmount: o.refunded_amount,
    merchantIncome: o.merchant_income,
    pointsUsed: o.points_used,
    pointsAwarded: o.points_awarded,
    couponId: o.coupon_id,
    buyerRemark: o.buyer_remark,
    merchantRemark: o.merchant_remark,
    delivery: o.delivery,
    address: o.receiver_name
      ? {
          receiverName: o.receiver_name,
          mobile: o.receiver_mobile,
          phone: o.receiver_phone,
          province: o.receiver_province,
          city: o.receiver_city,
          district: o.receiver_district,
          districtCode: o.receiver_district_code,
          address: o.receiver_address,
          zip: o.receiver_zip,
        }
      : null,
    addressId: o.address_id,
    depositMode: o.deposit_mode,
    createdAt: o.created_at,
    expiresAt: o.expires_at,
    paidAt: o.paid_at,
    paymentReviewedAt: o.payment_reviewed_at,
    shippedAt: o.shipped_at,
    receivedAt: o.received_at,
    completedAt: o.completed_at,
    closedAt: o.closed_at,
    cancelledAt: o.cancelled_at,
    settledAt: o.settled_at,
    updatedAt: o.updated_at,
    lines: lines
      .filter((l) => l.order_id === o.id)
      .sort((a, b) => a.line_no - b.line_no)
      .map((l) => ({
        id: l.id,
        lineNo: l.line_no,
        productId: l.product_id,
        skuId: l.sku_id,
        options: l.options,
        title: l.title,
        internalTitle: l.internal_title,
        articleNo: l.article_no,
        imageUrl: l.image_url,
        spec: l.spec,
        kind: l.kind,
        listPrice: l.list_price,
        unitPrice: l.unit_price,
        quantity: l.quantity,
        shippedQuantity: l.shipped_quantity,
        goodsAmount: l.goods_amount,
        discountAmount: l.discount_amount,
        lineTotal: l.line_total,
        refundPendingAmount: l.refund_pending_amount,
        refundedAmount: l.refunded_amount,
        refunding: l.refunding,
      })),
  };
}

export const toEventView = (
  e: Pick<OrderEventRow, 'at' | 'actor_kind' | 'actor_id' | 'action' | 'from_status' | 'to_status' | 'note'>,
): OrderEventView => ({
  at: e.at,
  actor: { kind: e.actor_kind, id: e.actor_id },
  action: e.action,
  fromStatus: e.from_status,
  toStatus: e.to_status,
  note: e.note,
});
