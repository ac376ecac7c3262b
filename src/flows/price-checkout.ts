import { resolveLinesFrom, type LineRequest, type ResolvedLine } from '../catalog/resolve-lines.ts';
import type { Db } from '../db/connect.ts';
import { categoryIdsOf } from '../catalog/product-categories.ts';
import { COUPON_REASONS } from '../coupons/refusals.ts';
import { couponRuleOf } from '../coupons/scope.ts';
import { couponForCheckout, type CheckoutCoupon, type CouponChoice } from '../coupons/use.ts';
import { priceOrder, type PricedOrder, type ShippingRule } from '../domain/pricing.ts';
import { AppError } from '../errors.ts';
import { readCheckoutFacts, type CheckoutFacts, type StoreFacts } from './checkout-facts.ts';
import type { Delivery } from '../orders/delivery.ts';

export interface CheckoutRequest {
  merchantId: number;
  memberId: number;
  storeId?: number;
  lines: LineRequest[];
  /** a template's code (claimed and used at placement) */
  couponCode?: string;
  /** a coupon from the member's wallet */
  memberCouponId?: number;
  /** pay part of the order with the member's points, by the merchant's rule */
  usePoints?: boolean;
  /** a pickup at the store pays no shipping */
  delivery?: Delivery;
}

export interface PricedCheckout {
  /** the store whose shipping rule applies */
  store: StoreFacts;
  lines: ResolvedLine[];
  priced: PricedOrder;
  /** the coupon that applies, and the wallet coupon the order uses (null: a typed code claims one) */
  coupon: CheckoutCoupon | null;
  /** Why a requested coupon does not apply, if it does not. */
  couponProblem: string | null;
  couponReason: keyof typeof COUPON_REASONS | null;
}

/**
 * Everything checkout needs to know before it writes: the lines as they are in the catalog now, the store
 * whose shipping rule applies, the member's grade and the coupon, priced by the pure domain. The facts are read in
 * one statement (`readCheckoutFacts`) unless the caller read them already; a coupon adds its own reads.
 */
export async function priceCheckout(
  db: Db,
  request: CheckoutRequest,
  now: Date,
  facts?: CheckoutFacts,
): Promise<PricedCheckout> {
  if (request.lines.length === 0) throw new AppError('validation_failed', 'the order has no lines');
  const known =
    facts ??
    (await readCheckoutFacts(db, {
      merchantId: request.merchantId,
      memberId: request.memberId,
      productIds: request.lines.map((l) => l.productId),
    }));
  const lines = resolveLinesFrom(request.lines, known.products, known.specs);
  const offSale = lines.find((l) => !l.onSale);
  if (offSale) throw new AppError('unprocessable', 'a product is no longer on sale', { productId: offSale.productId });

  const storeIds = new Set(lines.map((l) => l.storeId).filter((id): id is number => id !== null));
  if (request.storeId !== undefined) storeIds.add(request.storeId);
  if (storeIds.size > 1)
    throw new AppError('validation_failed', 'all lines of an order must come from one store', {
      storeIds: [...storeIds],
    });
  const storeId = [...storeIds][0];
  // no store named: the merchant's first
  const store = known.stores.find((s) => storeId === undefined || s.id === storeId);
  if (!store) throw new AppError('not_found', 'store not found', { storeId });
  const { member } = known;

  const { found, reason } = await requestedCoupon(db, request, now);
  const coupon = found?.coupon;
  const categories =
    coupon?.scope === 'categories'
      ? await categoryIdsOf(
          db,
          request.merchantId,
          lines.map((l) => l.productId),
        )
      : null;
  const scoped = lines.map((l) => ({ productId: l.productId, categoryId: categories?.get(l.productId) ?? null }));

  const shipping: ShippingRule =
    request.delivery === 'pickup'
      ? { kind: 'flat', fee: 0 }
      : store.free_shipping_over === null
        ? { kind: 'flat', fee: store.shipping_fee }
        : { kind: 'free_over', fee: store.shipping_fee, freeOver: store.free_shipping_over };
  const priced = priceOrder({
    lines: lines.map((l, i) => ({ key: String(i), unitPrice: l.unitPrice, quantity: l.quantity })),
    gradeDiscountPercent: member?.discountPercent ?? undefined,
    coupon: coupon ? couponRuleOf(coupon, scoped) : undefined,
    points:
      request.usePoints && member
        ? { available: member.points, perYuanOff: known.pointsRule.perYuanOff, maxPercent: known.pointsRule.maxPercent }
        : undefined,
    shipping,
  });
  const couponReason = reason ?? (found && !priced.coupon.applied ? priced.coupon.reason : null);
  return {
    store,
    lines,
    priced,
    coupon: priced.coupon.applied ? found : null,
    couponProblem: couponReason && couponReason !== 'none' ? COUPON_REASONS[couponReason] : null,
    couponReason: couponReason === 'none' ? null : couponReason,
  };
}

async function requestedCoupon(db: Db, request: CheckoutRequest, now: Date) {
  if (request.couponCode !== undefined && request.memberCouponId !== undefined)
    throw new AppError('validation_failed', 'name one coupon: couponCode or memberCouponId, not both');
  const choice: CouponChoice | null =
    request.memberCouponId !== undefined
      ? { memberCouponId: request.memberCouponId }
      : request.couponCode
        ? { couponCode: request.couponCode }
        : null;
  if (!choice) return { found: null, reason: null };
  return couponForCheckout(db, { merchantId: request.merchantId, memberId: request.memberId }, choice, now);
}
