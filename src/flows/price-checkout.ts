import { resolveLines, type LineRequest, type ResolvedLine } from '../catalog/resolve-lines.ts';
import type { Db } from '../db/connect.ts';
import type { Selectable } from 'kysely';
import type { CouponsTable } from '../db/schema.ts';
import { priceOrder, type CouponRule, type PricedOrder, type ShippingRule } from '../domain/pricing.ts';
import { AppError } from '../errors.ts';
import type { Delivery } from '../orders/delivery.ts';

export interface CheckoutRequest {
  merchantId: number;
  memberId: number;
  storeId?: number;
  lines: LineRequest[];
  couponCode?: string;
  /** pay part of the order with the member's points, by the merchant's rule */
  usePoints?: boolean;
  /** a pickup at the store pays no shipping */
  delivery?: Delivery;
}

export interface PricedCheckout {
  storeId: number;
  lines: ResolvedLine[];
  priced: PricedOrder;
  coupon: Selectable<CouponsTable> | null;
  /** Why a requested coupon does not apply, if it does not. */
  couponProblem: string | null;
}

/**
 * Everything checkout needs to know before it writes: the lines as they are in the catalog now, the store
 * whose shipping rule applies, the member's grade and the coupon, priced by the pure domain.
 */
export async function priceCheckout(db: Db, request: CheckoutRequest, now: Date): Promise<PricedCheckout> {
  if (request.lines.length === 0) throw new AppError('validation_failed', 'the order has no lines');
  const lines = await resolveLines(db, request.merchantId, request.lines);
  const offSale = lines.find((l) => !l.onSale);
  if (offSale) throw new AppError('unprocessable', 'a product is no longer on sale', { productId: offSale.productId });

  const storeIds = new Set(lines.map((l) => l.storeId).filter((id): id is number => id !== null));
  if (request.storeId !== undefined) storeIds.add(request.storeId);
  if (storeIds.size > 1)
    throw new AppError('validation_failed', 'all lines of an order must come from one store', {
      storeIds: [...storeIds],
    });
  const { member, ...store } = await findStoreAndMember(db, request.merchantId, [...storeIds][0], request.memberId);

  const { coupon, problem } = request.couponCode
    ? await findCoupon(db, request.merchantId, request.couponCode, now)
    : { coupon: null, problem: null };

  const shipping: ShippingRule =
    request.delivery === 'pickup'
      ? { kind: 'flat', fee: 0 }
      : store.free_shipping_over === null
        ? { kind: 'flat', fee: store.shipping_fee }
        : { kind: 'free_over', fee: store.shipping_fee, freeOver: store.free_shipping_over };
  const rules = request.usePoints
    ? await db
        .selectFrom('merchants')
        .select(['points_per_yuan_off', 'points_max_percent'])
        .where('id', '=', request.merchantId)
        .executeTakeFirstOrThrow()
    : null;
  const priced = priceOrder({
    lines: lines.map((l, i) => ({ key: String(i), unitPrice: l.unitPrice, quantity: l.quantity })),
    gradeDiscountPercent: member?.discount_percent ?? undefined,
    coupon: coupon ? toCouponRule(coupon) : undefined,
    points:
      rules && member
        ? { available: member.points, perYuanOff: rules.points_per_yuan_off, maxPercent: rules.points_max_percent }
        : undefined,
    shipping,
  });
  const minSpendProblem = coupon && !priced.coupon.applied ? 'the order does not reach the coupon minimum spend' : null;
  return {
    storeId: store.id,
    lines,
    priced,
    coupon: priced.coupon.applied ? coupon : null,
    couponProblem: problem ?? minSpendProblem,
  };
}

/** The store whose shipping rule applies and the buyer's grade discount and points, in one round trip. */
async function findStoreAndMember(db: Db, merchantId: number, storeId: number | undefined, memberId: number) {
  let query = db
    .selectFrom('stores')
    .select((eb) => [
      'stores.id',
      'stores.shipping_fee',
      'stores.free_shipping_over',
      eb.selectFrom('members').select('points').where('members.id', '=', memberId).as('member_points'),
      eb
        .selectFrom('members')
        .innerJoin('member_grades', 'member_grades.id', 'members.grade_id')
        .select('member_grades.discount_percent')
        .where('members.id', '=', memberId)
        .as('grade_discount_percent'),
    ])
    .where('stores.merchant_id', '=', merchantId);
  query = storeId === undefined ? query.orderBy('stores.id').limit(1) : query.where('stores.id', '=', storeId);
  const row = await query.executeTakeFirst();
  if (!row) throw new AppError('not_found', 'store not found', { storeId });
  const { member_points, grade_discount_percent, ...store } = row;
  return {
    ...store,
    member: member_points === null ? null : { points: member_points, discount_percent: grade_discount_percent },
  };
}

async function findCoupon(db: Db, merchantId: number, code: string, now: Date) {
  const coupon = await db
    .selectFrom('coupons')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!coupon) return { coupon: null, problem: 'no such coupon' };
  if ((coupon.starts_at && coupon.starts_at > now) || (coupon.ends_at && coupon.ends_at <= now))
    return { coupon: null, problem: 'the coupon is not valid now' };
  if (coupon.total_quantity !== null && coupon.used_quantity >= coupon.total_quantity)
    return { coupon: null, problem: 'the coupon has run out' };
  return { coupon, problem: null };
}

function toCouponRule(coupon: Selectable<CouponsTable>): CouponRule {
  return coupon.kind === 'fixed'
    ? { kind: 'fixed', amountOff: coupon.amount_off, minSpend: coupon.min_spend }
    : {
        kind: 'percent',
        percentOff: coupon.percent_off,
        minSpend: coupon.min_spend,
        maxOff: coupon.max_off ?? undefined,
      };
}
