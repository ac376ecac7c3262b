import { createHash } from 'node:crypto';
import { getAddress } from '../addresses/address-book.ts';
import { reserveStock } from '../catalog/stock-reservation.ts';
import { couponRefused } from '../coupons/refusals.ts';
import { useCouponOnOrder } from '../coupons/use.ts';
import { specValueKey } from '../catalog/specs.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import { orderUpdateOf, type OrderUpdate } from '../events/order-updates.ts';
import { AppError } from '../errors.ts';
import { insufficientBalance, postLedgerEntry } from '../members/ledger.ts';
import { orderEventRow, type Actor } from '../orders/apply-order-transition.ts';
import { checkoutLines, type LineSource } from './checkout-lines.ts';
import type { Delivery } from '../orders/delivery.ts';
import { nextOrderNo } from '../orders/next-order-no.ts';
import { priceCheckout } from './price-checkout.ts';
import { snapshotOrderGoods } from './snapshot-order-goods.ts';
import { unpaidOrderDeadline } from '../merchants/order-timeout.ts';

export interface PlaceOrderInput {
  merchantId: number;
  memberId: number;
  source: LineSource;
  storeId?: number;
  /** how the goods reach the buyer: shipped to `addressId` (the default), or picked up at the order's store */
  delivery?: Delivery;
  addressId?: number;
  /** a coupon template's code: claims one into the wallet and uses it */
  couponCode?: string;
  /** a coupon from the member's wallet */
  memberCouponId?: number;
  usePoints?: boolean;
  buyerRemark?: string;
  client?: string;
  idempotencyKey?: string;
}

export interface PlacedOrder {
  orderId: number;
  orderNo: string;
  /** True when the idempotency key was seen before and the earlier order is returned. */
  replayed: boolean;
}

/**
 * Turns a cart selection or direct lines into a pending order in one transaction: price, take the coupon,
 * reserve stock with guarded updates, snapshot lines and address, record the event. With an idempotency key
 * the same request returns the same order; a concurrent duplicate waits on the key row and then sees it.
 */
export async function placeOrder(ctx: AppContext, input: PlaceOrderInput): Promise<PlacedOrder> {
  const now = ctx.clock.now();
  const actor: Actor = { kind: 'member', id: input.memberId };
  const { placed, update } = await ctx.db
    .transaction()
    .execute(async (trx): Promise<{ placed: PlacedOrder; update: OrderUpdate | null }> => {
      if (input.idempotencyKey) {
        const earlier = await claimIdempotencyKey(
          trx,
          `order:member:${input.memberId}`,
          input.idempotencyKey,
          requestHash(input),
          now,
        );
        if (earlier) return { placed: { ...earlier, replayed: true }, update: null };
      }
      const { lines: requested, cartItemIds } = await checkoutLines(trx, input.memberId, input.source);
      const checkout = await priceCheckout(trx, { ...input, lines: requested }, now);
      if ((input.couponCode || input.memberCouponId !== undefined) && !checkout.coupon)
        throw couponRefused(checkout.couponReason ?? 'not_found', {
          couponCode: input.couponCode,
          memberCouponId: input.memberCouponId,
        });
      await reserveStock(trx, checkout.lines);

      const address = await deliveryAddress(trx, input);
      const orderNo = await nextOrderNo(trx, now, ctx.config.timeZone);
      const { priced } = checkout;

      const order = await trx
        .insertInto('orders')
        .values({
          order_no: orderNo,
          merchant_id: input.merchantId,
          store_id: checkout.storeId,
          member_id: input.memberId,
          client: input.client,
          operator_id: null,
          status: 'pending_payment',
          goods_amount: priced.goodsAmount,
          grade_discount: priced.gradeDiscount,
          coupon_discount: priced.couponDiscount,
          points_discount: priced.pointsDiscount,
          points_used: priced.pointsUsed,
          discount_amount: priced.discountAmount,
          shipping_fee: priced.shippingFee,
          payable_amount: priced.payableAmount,
          coupon_id: checkout.coupon?.coupon.id ?? null,
          buyer_remark: input.buyerRemark,
          delivery: input.delivery ?? 'express',
          ...(address && {
            address_id: address.id,
            receiver_name: address.receiverName,
            receiver_mobile: address.mobile,
            receiver_phone: address.phone,
            receiver_province: address.province,
            receiver_city: address.city,
            receiver_district: address.district,
            receiver_district_code: address.districtCode,
            receiver_address: address.address,
            receiver_zip: address.zip,
          }),
          created_at: now,
          expires_at: unpaidOrderDeadline(now, input.merchantId),
          updated_at: now,
        })
        .returning(['id', 'order_no', 'merchant_id', 'status', 'payment_status'])
        .executeTakeFirstOrThrow();

      if (checkout.coupon)
        await useCouponOnOrder(
          trx,
          { merchantId: input.merchantId, memberId: input.memberId, orderId: order.id, ...checkout.coupon },
          now,
        );
      if (priced.pointsUsed > 0) {
        const debited = await postLedgerEntry(trx, {
          merchantId: input.merchantId,
          memberId: input.memberId,
          account: 'points',
          delta: -priced.pointsUsed,
          reason: 'order_points',
          orderId: order.id,
          note: orderNo,
          now,
        });
        if (!debited) throw insufficientBalance('points');
      }
      if (cartItemIds.length)
        await trx
          .deleteFrom('cart_items')
          .where('id', 'in', cartItemIds)
          .where('member_id', '=', input.memberId)
          .execute();
      // one statement: the lines, the idempotency key pointing at the order (a request without a key matches no
      // row) and the timeline event
      await trx
        .with('lines', (db) =>
          db.insertInto('order_lines').values(
            checkout.lines.map((line, i) => {
              const p = priced.lines[i]!;
              return {
                order_id: order.id,
                line_no: i + 1,
                product_id: line.productId,
                option_ids: specValueKey(line.optionIds),
                options: JSON.stringify(line.options),
                product_sku_id: line.skuId,
                title: line.title,
                internal_title: line.internalTitle,
                article_no: line.articleNo,
                image_url: line.imageUrl,
                spec: line.spec,
                list_price: line.listPrice,
                unit_price: line.unitPrice,
                quantity: line.quantity,
                goods_amount: p.goodsAmount,
                grade_discount: p.gradeDiscount,
                coupon_discount: p.couponDiscount,
                discount_amount: p.discountAmount,
                line_total: p.lineTotal,
              };
            }),
          ),
        )
        .with('idempotency_key', (db) =>
          db
            .updateTable('idempotency_keys')
            .set({ order_id: order.id })
            .where('scope', '=', `order:member:${input.memberId}`)
            .where('key', '=', input.idempotencyKey ?? null),
        )
        .insertInto('order_events')
        .values(
          orderEventRow(order.id, 'place', {
            actor,
            now,
            to: 'pending_payment',
            data: { payableAmount: priced.payableAmount },
          }),
        )
        .execute();
      await snapshotOrderGoods(ctx, trx, {
        id: order.id,
        merchantId: input.merchantId,
        storeId: checkout.storeId,
        lines: checkout.lines.map((line, i) => ({
          lineNo: i + 1,
          productId: line.productId,
          cartItemId: cartItemIds[i] ?? null,
        })),
      });
      return { placed: { orderId: order.id, orderNo, replayed: false }, update: orderUpdateOf(order) };
    });
  // the console's order list shows a new order as it comes in
  if (update) ctx.orderUpdates.publish(update);
  return placed;
}

/**
 * The receiver of a shipped order. Every order placed here is a physical shipment, so one without an address would
 * reach the console as "to ship" with nobody to ship to: it needs an address, or an explicit pickup at the store
 * (no address, no shipping fee). Checked in the transaction, after stock: a refusal rolls back everything held.
 */
async function deliveryAddress(trx: Db, input: PlaceOrderInput) {
  if (input.delivery === 'pickup') {
    if (input.addressId !== undefined)
      throw new AppError(
        'validation_failed',
        'a pickup order takes no address: leave out addressId, or ship it (delivery "express")',
        { addressId: input.addressId },
      );
    return null;
  }
  if (input.addressId === undefined)
    throw new AppError(
      'address_required',
      'the order needs an address to ship to (addressId), or pickup at the store (delivery "pickup")',
    );
  return getAddress(trx, input.memberId, input.addressId);
}

function requestHash(input: PlaceOrderInput): string {
  const { idempotencyKey: _key, ...request } = input;
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

/**
 * Inserts the key, or returns the order an earlier request with the same key made. A second transaction that
 * races on the same key blocks on the insert until the first commits, then finds its order.
 */
async function claimIdempotencyKey(
  trx: Db,
  scope: string,
  key: string,
  hash: string,
  now: Date,
): Promise<{ orderId: number; orderNo: string } | null> {
  const claimed = await trx
    .insertInto('idempotency_keys')
    .values({ scope, key, request_hash: hash, order_id: null, created_at: now })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (claimed) return null;
  const earlier = await trx
    .selectFrom('idempotency_keys as k')
    .innerJoin('orders as o', 'o.id', 'k.order_id')
    .select(['k.request_hash', 'o.id', 'o.order_no'])
    .where('k.scope', '=', scope)
    .where('k.key', '=', key)
    .executeTakeFirstOrThrow();
  if (earlier.request_hash !== hash) {
    throw new AppError('idempotency_key_reused', 'this Idempotency-Key was used for a different request', {
      idempotencyKey: key,
    });
  }
  return { orderId: earlier.id, orderNo: earlier.order_no };
}
