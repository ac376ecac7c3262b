/**
 * Prices one order for one store. Pure: the caller has already loaded products, options, the
 * member's grade and the coupon; this only does the arithmetic, all in integer fen.
 *
 * Rules, in order:
 * 1. Goods: each line's goodsAmount = unitPrice × quantity (unitPrice already includes chosen
 *    option prices). The order goodsAmount is their sum.
 * 2. Member grade: the buyer pays `gradeDiscountPercent` % of the goods. The discount is computed
 *    once on the order total (goods − applyPercent(goods, percent), so an exact half fen stays with
 *    the merchant) and then allocated to lines by largest remainder, weighted by line goods.
 *    Computing it per line instead would let per-line rounding drift from the advertised percent.
 * 3. Coupon: its min spend is compared with goods after the grade discount, because that is what
 *    the buyer actually spends.
 *    - fixed: min(amountOff, goods after grade);
 *    - percent: goods after grade − applyPercent(goods after grade, 100 − percentOff), capped by
 *      maxOff when given.
 *    The coupon discount is allocated by largest remainder weighted by each line's goods after grade,
 *    so a line can never be discounted below zero.
 *    A coupon scoped to some lines (`lineKeys`) does all of this on those lines only: its min spend and
 *    discount count their goods after grade, and only they carry a share; with none of them it does not apply.
 * 4. Points (when the buyer uses them): worth `available × 100 / perYuanOff` fen (rounded down), at most
 *    `maxPercent` % of the goods left after grade and coupon; allocated like the coupon, over what each line
 *    has left. `pointsUsed` is what that discount costs in points (rounded up, so a fen is never free).
 *    discountAmount = grade + coupon + points, per line and per order; lineTotal = goodsAmount − discountAmount.
 * 5. Shipping is charged per order. `free_over` waives the fee when the discounted goods total
 *    (goods − discount) is at least `freeOver`.
 * 6. payableAmount = goods − discount + shipping.
 *
 * Invariants (property-tested): Σ line discountAmount = order discountAmount,
 * Σ line lineTotal + shippingFee = payableAmount, every amount is an integer ≥ 0.
 *
 * Invalid input throws RangeError: no lines, quantity not an integer in 1..9999, a price that is not
 * fen, grade percent outside (0, 100], coupon percentOff outside 1..99, percents with more than
 * two decimals, or amounts beyond Number.MAX_SAFE_INTEGER.
 */
import { allocateByLargestRemainder } from './allocation.ts';
import { applyPercent, isFen, percentToBasisPoints, type Fen } from './money.ts';

export interface PricingLineInput {
  key: string;
  /** Product price plus chosen option prices, already summed by the caller. */
  unitPrice: Fen;
  quantity: number;
}

export type CouponRule = (
  | { kind: 'fixed'; amountOff: Fen; minSpend: Fen }
  | { kind: 'percent'; percentOff: number; minSpend: Fen; maxOff?: Fen } // percentOff 1..99, e.g. 10 = 10% off
) & {
  /** the keys of the lines the coupon covers (a coupon for some products or categories); absent = every line */
  lineKeys?: readonly string[];
};

export type ShippingRule = { kind: 'flat'; fee: Fen } | { kind: 'free_over'; fee: Fen; freeOver: Fen }; // fee unless discounted goods total >= freeOver

export interface PricingInput {
  lines: readonly PricingLineInput[];
  /** Member grade: pay this percent of the goods price, e.g. 95 → 5% off; undefined/100 = none. */
  gradeDiscountPercent?: number;
  coupon?: CouponRule;
  /** the member's points and the merchant's redemption rule, when the buyer chose to use points */
  points?: PointsRule;
  shipping: ShippingRule;
}

export interface PointsRule {
  available: number;
  /** points that make one yuan off, e.g. 100 */
  perYuanOff: number;
  /** at most this percent of the goods (after grade and coupon) can be paid with points */
  maxPercent: number;
}

export interface PricedLine {
  key: string;
  unitPrice: Fen;
  quantity: number;
  goodsAmount: Fen;
  gradeDiscount: Fen;
  couponDiscount: Fen;
  pointsDiscount: Fen;
  discountAmount: Fen;
  lineTotal: Fen;
}

export interface PricedOrder {
  lines: PricedLine[];
  goodsAmount: Fen;
  gradeDiscount: Fen;
  couponDiscount: Fen;
  pointsDiscount: Fen;
  pointsUsed: number;
  discountAmount: Fen;
  shippingFee: Fen;
  payableAmount: Fen;
  coupon: { applied: true } | { applied: false; reason: 'none' | 'min_spend_not_met' | 'not_in_scope' };
}

export const MAX_LINE_QUANTITY = 9999;

export function priceOrder(input: PricingInput): PricedOrder {
  validateLines(input.lines);

  const lineGoods = input.lines.map((line) => checkedFen(line.unitPrice * line.quantity, 'line goods amount'));
  const goodsAmount = checkedFen(sum(lineGoods), 'order goods amount');

  const gradeDiscount = computeGradeDiscount(goodsAmount, input.gradeDiscountPercent);
  const lineGrade = allocateByLargestRemainder(gradeDiscount, lineGoods);

  const lineAfterGrade = lineGoods.map((goods, i) => goods - at(lineGrade, i));
  const goodsAfterGrade = goodsAmount - gradeDiscount;
  const covered = input.lines.map((line) => input.coupon?.lineKeys?.includes(line.key) ?? true);
  const lineCovered = lineAfterGrade.map((amount, i) => (covered[i] ? amount : 0));
  const { couponDiscount, coupon } = computeCouponDiscount(
    sum(lineCovered),
    covered.some(Boolean) ? input.coupon : undefined,
    input.coupon !== undefined,
  );
  const lineCoupon = allocateByLargestRemainder(couponDiscount, lineCovered);

  const lineAfterCoupon = lineAfterGrade.map((amount, i) => amount - at(lineCoupon, i));
  const { pointsDiscount, pointsUsed } = computePointsDiscount(goodsAfterGrade - couponDiscount, input.points);
  const linePoints = allocateByLargestRemainder(pointsDiscount, lineAfterCoupon);

  const discountAmount = gradeDiscount + couponDiscount + pointsDiscount;
  const shippingFee = computeShippingFee(goodsAmount - discountAmount, input.shipping);
  const payableAmount = checkedFen(goodsAmount - discountAmount + shippingFee, 'payable amount');

  const lines = input.lines.map((line, i): PricedLine => {
    const goods = at(lineGoods, i);
    const grade = at(lineGrade, i);
    const couponShare = at(lineCoupon, i);
    const pointsShare = at(linePoints, i);
    return {
      key: line.key,
      unitPrice: line.unitPrice,
      quantity: line.quantity,
      goodsAmount: goods,
      gradeDiscount: grade,
      couponDiscount: couponShare,
      pointsDiscount: pointsShare,
      discountAmount: grade + couponShare + pointsShare,
      lineTotal: goods - grade - couponShare - pointsShare,
    };
  });

  return {
    lines,
    goodsAmount,
    gradeDiscount,
    couponDiscount,
    pointsDiscount,
    pointsUsed,
    discountAmount,
    shippingFee,
    payableAmount,
    coupon,
  };
}

function validateLines(lines: readonly PricingLineInput[]): void {
  if (lines.length === 0) throw new RangeError('an order needs at least one line');
  for (const line of lines) {
    if (!isFen(line.unitPrice)) {
      throw new RangeError(`line ${line.key}: unit price is not a non-negative integer fen amount: ${line.unitPrice}`);
    }
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_LINE_QUANTITY) {
      throw new RangeError(
        `line ${line.key}: quantity must be an integer from 1 to ${MAX_LINE_QUANTITY}: ${line.quantity}`,
      );
    }
  }
}

function computeGradeDiscount(goodsAmount: Fen, payPercent: number | undefined): Fen {
  if (payPercent === undefined) return 0;
  const basisPoints = percentToBasisPoints(payPercent);
  if (basisPoints <= 0 || basisPoints > 100_00) {
    throw new RangeError(`grade percent must be above 0 and at most 100: ${payPercent}`);
  }
  return goodsAmount - applyPercent(goodsAmount, payPercent);
}

function computeCouponDiscount(
  goodsAfterGrade: Fen,
  rule: CouponRule | undefined,
  requested: boolean,
): { couponDiscount: Fen; coupon: PricedOrder['coupon'] } {
  if (rule === undefined)
    return { couponDiscount: 0, coupon: { applied: false, reason: requested ? 'not_in_scope' : 'none' } };
  validateCoupon(rule);
  if (goodsAfterGrade < rule.minSpend) {
    return { couponDiscount: 0, coupon: { applied: false, reason: 'min_spend_not_met' } };
  }
  return { couponDiscount: couponAmount(goodsAfterGrade, rule), coupon: { applied: true } };
}

function couponAmount(goodsAfterGrade: Fen, rule: CouponRule): Fen {
  if (rule.kind === 'fixed') return Math.min(rule.amountOff, goodsAfterGrade);
  // 100 − percentOff is done in basis points so 12.34% off cannot become 87.66000000000001%.
  const payPercent = (100_00 - percentToBasisPoints(rule.percentOff)) / 100;
  const off = goodsAfterGrade - applyPercent(goodsAfterGrade, payPercent);
  return rule.maxOff === undefined ? off : Math.min(off, rule.maxOff);
}

function validateCoupon(rule: CouponRule): void {
  requireFen(rule.minSpend, 'coupon minSpend');
  if (rule.kind === 'fixed') {
    requireFen(rule.amountOff, 'coupon amountOff');
    return;
  }
  const basisPoints = percentToBasisPoints(rule.percentOff);
  if (basisPoints < 1_00 || basisPoints > 99_00) {
    throw new RangeError(`coupon percentOff must be from 1 to 99: ${rule.percentOff}`);
  }
  if (rule.maxOff !== undefined) requireFen(rule.maxOff, 'coupon maxOff');
}

function computePointsDiscount(
  goodsLeft: Fen,
  rule: PointsRule | undefined,
): { pointsDiscount: Fen; pointsUsed: number } {
  if (rule === undefined || rule.available <= 0) return { pointsDiscount: 0, pointsUsed: 0 };
  if (!Number.isInteger(rule.available) || !Number.isInteger(rule.perYuanOff) || rule.perYuanOff < 1)
    throw new RangeError('points rule needs whole numbers and perYuanOff ≥ 1');
  if (!Number.isInteger(rule.maxPercent) || rule.maxPercent < 0 || rule.maxPercent > 100)
    throw new RangeError(`points maxPercent must be 0 to 100: ${rule.maxPercent}`);
  const worth = Math.floor((rule.available * 100) / rule.perYuanOff);
  const cap = Math.floor((goodsLeft * rule.maxPercent) / 100);
  const pointsDiscount = Math.min(worth, cap);
  return { pointsDiscount, pointsUsed: Math.ceil((pointsDiscount * rule.perYuanOff) / 100) };
}

function computeShippingFee(discountedGoods: Fen, rule: ShippingRule): Fen {
  requireFen(rule.fee, 'shipping fee');
  if (rule.kind === 'flat') return rule.fee;
  requireFen(rule.freeOver, 'shipping freeOver');
  return discountedGoods >= rule.freeOver ? 0 : rule.fee;
}

function requireFen(value: unknown, what: string): void {
  if (!isFen(value)) throw new RangeError(`${what} is not a non-negative integer fen amount: ${String(value)}`);
}

/** Guards sums and products that could pass Number.MAX_SAFE_INTEGER and silently lose fen. */
function checkedFen(value: number, what: string): Fen {
  requireFen(value, what);
  return value;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Index into arrays built in step with `input.lines`; noUncheckedIndexedAccess cannot see that. */
function at(values: readonly number[], index: number): number {
  const value = values[index];
  if (value === undefined) throw new Error(`internal: no value at index ${index}`);
  return value;
}
