import { createHash } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import { optionStockOf } from '../catalog/product-stock.ts';
import { specValueKey } from '../catalog/specs.ts';
import { outOfStock, sumPerUnit, type StockUnit } from '../catalog/stock-reservation.ts';
import { couponRefused } from '../coupons/refusals.ts';
import { useCouponOnOrder, type CheckoutCoupon } from '../coupons/use.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import { orderNoDate } from '../domain/order-number.ts';
import { AppError, notFound } from '../errors.ts';
import { insufficientBalance, postLedgerEntry } from '../members/ledger.ts';
import type { Delivery } from '../orders/delivery.ts';
import { readCheckoutFacts, type CheckoutFacts } from './checkout-facts.ts';
import { checkoutLinesFrom, type LineSource } from './checkout-lines.ts';
import { priceCheckout, type PricedCheckout } from './price-checkout.ts';
import { sqlRefusal } from './sql-refusals.ts';

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

// the write, compiled once: one statement, so one transaction of its own unless a coupon joins it
const placeStatement = (args: PlaceArguments) =>
  CompiledQuery.raw('select ordo_place_order($1::jsonb) as placed', [JSON.stringify(args)]);

/**
 * Turns a cart selection or direct lines into a pending order: read and price (one statement, a coupon adds its
 * reads), then write it all in one statement (place-order.sql): the idempotency key, the stock reserved by guarded
 * updates, the order, its lines, timeline event and goods snapshot, the points paid with, the cart lines ordered and
 * the live update for other processes. With an idempotency key the same request returns the same order; a
 * concurrent duplicate waits on the key row and then sees it. A coupon is taken in the same transaction, after.
 */
export async function placeOrder(ctx: AppContext, input: PlaceOrderInput): Promise<PlacedOrder> {
  const now = ctx.clock.now();
  const idempotency = input.idempotencyKey
    ? { scope: `order:member:${input.memberId}`, key: input.idempotencyKey, hash: requestHash(input) }
    : null;
  const facts = await readCheckoutFacts(ctx.db, factsRequest(input, idempotency));
  if (facts.earlier) return replayOf(facts.earlier, idempotency!);
  let placement: Placement;
  try {
    placement = await placementOf(ctx, input, facts, idempotency, now);
  } catch (err) {
    // a duplicate that committed after the read (its coupon is taken, its cart lines are gone): its order, not a refusal
    const earlier = idempotency && (await readCheckoutFacts(ctx.db, factsRequest(input, idempotency))).earlier;
    if (earlier) return replayOf(earlier, idempotency);
    throw err;
  }
  const { args, coupon, pointsDebit } = placement;
  const placed = coupon
    ? await ctx.db.transaction().execute(async (trx) => {
        const placed = await place(trx, args);
        if (placed.replayed) return placed;
        await useCouponOnOrder(
          trx,
          { merchantId: input.merchantId, memberId: input.memberId, orderId: placed.orderId, ...coupon },
          now,
        );
        if (pointsDebit) await debitPoints(trx, input, placed, pointsDebit.delta, now);
        return placed;
      })
    : await place(ctx.db, args);
  if (placed.replayed) return replayOf(placed, idempotency!);
  // the console's order list shows a new order as it comes in
  ctx.orderUpdates.notified({ ...NEW_ORDER, orderNo: placed.orderNo, merchantId: input.merchantId });
  return { orderId: placed.orderId, orderNo: placed.orderNo, replayed: false };
}

const NEW_ORDER = { status: 'pending_payment', paymentStatus: 'unpaid' } as const;

type Idempotency = { scope: string; key: string; hash: string } | null;

const factsRequest = (input: PlaceOrderInput, idempotency: Idempotency) => ({
  merchantId: input.merchantId,
  memberId: input.memberId,
  productIds: input.source.from === 'lines' ? input.source.lines.map((l) => l.productId) : [],
  cart: input.source.from === 'cart' ? { itemIds: input.source.cartItemIds } : undefined,
  addressId: input.delivery === 'pickup' ? undefined : input.addressId,
  idempotency: idempotency ?? undefined,
});

interface Placement {
  /** what place-order.sql writes */
  args: PlaceArguments;
  /** the coupon the order uses, taken after the write in its transaction */
  coupon: CheckoutCoupon | null;
  pointsDebit: { delta: number } | null;
}

/** The order priced from what was read, and everything the write needs; whatever can refuse it is checked here. */
async function placementOf(
  ctx: AppContext,
  input: PlaceOrderInput,
  facts: CheckoutFacts,
  idempotency: Idempotency,
  now: Date,
): Promise<Placement> {
  const { lines: requested, cartItemIds } = checkoutLinesFrom(input.source, facts.cart);
  const checkout = await priceCheckout(ctx.db, { ...input, lines: requested }, now, facts);
  if ((input.couponCode || input.memberCouponId !== undefined) && !checkout.coupon)
    throw couponRefused(checkout.couponReason ?? 'not_found', {
      couponCode: input.couponCode,
      memberCouponId: input.memberCouponId,
    });
  const address = deliveryAddress(input, facts.address);
  const { priced, coupon } = checkout;
  const pointsDebit = priced.pointsUsed > 0 ? { delta: -priced.pointsUsed } : null;
  const args: PlaceArguments = {
    idempotency,
    orderNoDate: orderNoDate(now, ctx.config.timeZone),
    order: {
      merchant_id: input.merchantId,
      store_id: checkout.store.id,
      member_id: input.memberId,
      client: input.client,
      goods_amount: priced.goodsAmount,
      grade_discount: priced.gradeDiscount,
      coupon_discount: priced.couponDiscount,
      points_discount: priced.pointsDiscount,
      points_used: priced.pointsUsed,
      discount_amount: priced.discountAmount,
      shipping_fee: priced.shippingFee,
      payable_amount: priced.payableAmount,
      coupon_id: coupon?.coupon.id ?? null,
      buyer_remark: input.buyerRemark,
      delivery: input.delivery ?? 'express',
      ...(address && {
        address_id: address.id,
        receiver_name: address.receiver_name,
        receiver_mobile: address.mobile,
        receiver_phone: address.phone,
        receiver_province: address.province,
        receiver_city: address.city,
        receiver_district: address.district,
        receiver_district_code: address.district_code,
        receiver_address: address.address,
        receiver_zip: address.zip,
      }),
      created_at: now,
    },
    lines: checkout.lines.map((line, i) => {
      const p = priced.lines[i]!;
      return {
        line_no: i + 1,
        product_id: line.productId,
        option_ids: specValueKey(line.optionIds),
        options: line.options,
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
    stock: sumPerUnit(checkout.lines),
    // with a coupon, the points follow it, in the order placing always took them
    points: coupon ? null : pointsDebit,
    cartItemIds,
    event: {
      at: now,
      actor_kind: 'member',
      actor_id: input.memberId,
      action: 'place',
      to_status: NEW_ORDER.status,
      note: '',
      data: { payableAmount: priced.payableAmount },
    },
    snapshot: goodsSnapshot(checkout, facts, cartItemIds),
    notify: ctx.orderUpdates.notification({ ...NEW_ORDER, merchantId: input.merchantId }),
  };
  return { args, coupon, pointsDebit };
}

type PlaceArguments = Record<string, unknown>;
type PlaceResult =
  | { replayed: false; orderId: number; orderNo: string }
  | { replayed: true; orderId: number; orderNo: string; requestHash: string };

async function place(db: Db, args: PlaceArguments): Promise<PlaceResult> {
  try {
    const { rows } = await db.executeQuery<{ placed: PlaceResult }>(placeStatement(args));
    return rows[0]!.placed;
  } catch (err) {
    const refusal = sqlRefusal(err);
    if (refusal?.code === 'out_of_stock') throw outOfStock(refusal.details as unknown as StockUnit);
    if (refusal?.code === 'insufficient_points') throw insufficientBalance('points');
    throw err;
  }
}

async function debitPoints(trx: Db, input: PlaceOrderInput, order: PlaceResult, delta: number, now: Date) {
  const debited = await postLedgerEntry(trx, {
    merchantId: input.merchantId,
    memberId: input.memberId,
    account: 'points',
    delta,
    reason: 'order_points',
    orderId: order.orderId,
    note: order.orderNo,
    now,
  });
  if (!debited) throw insufficientBalance('points');
}

/** The order an earlier request with the same key placed, if it was the same request. */
function replayOf(
  earlier: { requestHash: string; orderId: number; orderNo: string },
  key: { key: string; hash: string },
) {
  if (earlier.requestHash !== key.hash) {
    throw new AppError('idempotency_key_reused', 'this Idempotency-Key was used for a different request', {
      idempotencyKey: key.key,
    });
  }
  return { orderId: earlier.orderId, orderNo: earlier.orderNo, replayed: true };
}

/**
 * The store and the products as they are when the order is placed: the storefront's order detail shows these, so a
 * product edited or a store moved later does not rewrite an order already placed. Stock is as read for pricing, less
 * what this order takes.
 */
function goodsSnapshot(checkout: PricedCheckout, facts: CheckoutFacts, cartItemIds: readonly number[]) {
  const units = sumPerUnit(checkout.lines);
  const taken = (table: StockUnit['table'], id: number) =>
    units.find((u) => u.table === table && u.id === id)?.quantity ?? 0;
  const { store } = checkout;
  return {
    store: {
      id: store.id,
      name: store.name,
      logoUrl: store.logo_url,
      phone: store.phone,
      address: `${store.province}${store.city}${store.district}${store.address}`,
      longitude: store.longitude,
      latitude: store.latitude,
    },
    lines: checkout.lines.map((line, i) => {
      const product = facts.products.find((p) => p.id === line.productId)!;
      const specs = facts.specs.get(line.productId)!;
      const skusNow = specs.skus.map((s) => ({ ...s, stock: s.stock - taken('product_skus', s.id) }));
      return {
        lineNo: i + 1,
        cartItemId: cartItemIds[i] ?? null,
        stock: product.stock - taken('products', product.id),
        categoryId: product.category_id,
        optionStock: optionStockOf({ specs: specs.specs, skus: skusNow }),
      };
    }),
  };
}

/**
 * The receiver of a shipped order. Every order placed here is a physical shipment, so one without an address would
 * reach the console as "to ship" with nobody to ship to: it needs an address, or an explicit pickup at the store
 * (no address, no shipping fee). Checked before anything is written.
 */
function deliveryAddress(input: PlaceOrderInput, address: CheckoutFacts['address']) {
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
  if (!address) throw notFound('address', { id: input.addressId });
  return address;
}

function requestHash(input: PlaceOrderInput): string {
  const { idempotencyKey: _key, ...request } = input;
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}
