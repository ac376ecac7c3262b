import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { applyPercent } from '../../src/domain/money.ts';
import {
  priceOrder,
  type CouponRule,
  type PricedOrder,
  type PricingInput,
  type PricingLineInput,
  type ShippingRule,
} from '../../src/domain/pricing.ts';

const flat = (fee: number): ShippingRule => ({ kind: 'flat', fee });
const line = (key: string, unitPrice: number, quantity = 1): PricingLineInput => ({ key, unitPrice, quantity });

describe('priceOrder: points', () => {
  it('takes points worth at most the merchant cap, after grade and coupon, and says how many it used', () => {
    // goods 10000; coupon 1000 → 9000 left; cap 50% → 4500; 3000 points at 100 per yuan are worth 3000 fen
    const order = priceOrder({
      lines: [line('a', 6000), line('b', 4000)],
      coupon: { kind: 'fixed', amountOff: 1000, minSpend: 0 },
      points: { available: 3000, perYuanOff: 100, maxPercent: 50 },
      shipping: flat(0),
    });
    expect(order).toMatchObject({
      pointsDiscount: 3000,
      pointsUsed: 3000,
      couponDiscount: 1000,
      discountAmount: 4000,
      payableAmount: 6000,
    });
    expect(order.lines.map((l) => l.pointsDiscount)).toEqual([1800, 1200]);
    const capped = priceOrder({
      lines: [line('a', 1000)],
      points: { available: 100_000, perYuanOff: 100, maxPercent: 50 },
      shipping: flat(0),
    });
    expect(capped).toMatchObject({ pointsDiscount: 500, pointsUsed: 500, payableAmount: 500 });
  });

  it('rounds the points used up, so a fen off is never free', () => {
    // 150 points per yuan: 1 point = 0.666… fen; 1001 points are worth 667 fen; 667 fen cost 1000.5 → 1001 points
    const order = priceOrder({
      lines: [line('a', 10_000)],
      points: { available: 1001, perYuanOff: 150, maxPercent: 100 },
      shipping: flat(0),
    });
    expect(order).toMatchObject({ pointsDiscount: 667, pointsUsed: 1001 });
  });
});

describe('priceOrder: worked examples', () => {
  it('allocates a fixed coupon over 1000/2000/3001 as 167/333/500', () => {
    const order = priceOrder({
      lines: [line('a', 1000), line('b', 2000), line('c', 3001)],
      coupon: { kind: 'fixed', amountOff: 1000, minSpend: 5000 },
      shipping: flat(800),
    });
    expect(order).toEqual<PricedOrder>({
      lines: [
        {
          key: 'a',
          unitPrice: 1000,
          quantity: 1,
          goodsAmount: 1000,
          gradeDiscount: 0,
          couponDiscount: 167,
          pointsDiscount: 0,
          discountAmount: 167,
          lineTotal: 833,
        },
        {
          key: 'b',
          unitPrice: 2000,
          quantity: 1,
          goodsAmount: 2000,
          gradeDiscount: 0,
          couponDiscount: 333,
          pointsDiscount: 0,
          discountAmount: 333,
          lineTotal: 1667,
        },
        {
          key: 'c',
          unitPrice: 3001,
          quantity: 1,
          goodsAmount: 3001,
          gradeDiscount: 0,
          couponDiscount: 500,
          pointsDiscount: 0,
          discountAmount: 500,
          lineTotal: 2501,
        },
      ],
      goodsAmount: 6001,
      gradeDiscount: 0,
      couponDiscount: 1000,
      pointsDiscount: 0,
      pointsUsed: 0,
      discountAmount: 1000,
      shippingFee: 800,
      payableAmount: 5801,
      coupon: { applied: true },
    });
  });

  it('stacks a 95% member grade and a capped 10%-off coupon, to the fen', () => {
    // goods 5997 + 900 + 1 = 6898; pays 95% → 6553.1 → 6553, so grade discount 345,
    //   allocated over 5997/900/1 → 299.93/45.01/0.05 → 300/45/0.
    // after grade 5697/855/1 = 6553 ≥ min spend 6000; pays 90% → 5897.7 → 5898, so coupon 655 (< maxOff),
    //   allocated over 5697/855/1 → 569.44/85.46/0.10 → 569/86/0.
    // discounted goods 5898 ≥ 5000 → free shipping.
    const order = priceOrder({
      lines: [line('a', 1999, 3), line('b', 450, 2), line('c', 1)],
      gradeDiscountPercent: 95,
      coupon: { kind: 'percent', percentOff: 10, minSpend: 6000, maxOff: 1000 },
      shipping: { kind: 'free_over', fee: 1000, freeOver: 5000 },
    });
    expect(
      order.lines.map((l) => [l.goodsAmount, l.gradeDiscount, l.couponDiscount, l.discountAmount, l.lineTotal]),
    ).toEqual([
      [5997, 300, 569, 869, 5128],
      [900, 45, 86, 131, 769],
      [1, 0, 0, 0, 1],
    ]);
    expect(order).toMatchObject({
      goodsAmount: 6898,
      gradeDiscount: 345,
      couponDiscount: 655,
      discountAmount: 1000,
      shippingFee: 0,
      payableAmount: 5898,
      coupon: { applied: true },
    });
  });

  it('leaves the half fen with the merchant when a grade discount lands on .5', () => {
    // 5 fen at 50% = 2.5 → buyer pays 3, discount 2.
    const order = priceOrder({ lines: [line('a', 5)], gradeDiscountPercent: 50, shipping: flat(0) });
    expect(order).toMatchObject({ gradeDiscount: 2, discountAmount: 2, payableAmount: 3 });
  });

  it('applies a grade percent with decimals', () => {
    // 1001 × 87.5% = 875.875 → 876, discount 125.
    const order = priceOrder({ lines: [line('a', 1001)], gradeDiscountPercent: 87.5, shipping: flat(0) });
    expect(order.gradeDiscount).toBe(125);
  });

  it('treats grade 100 and no grade as no discount', () => {
    for (const gradeDiscountPercent of [100, undefined]) {
      const order = priceOrder({ lines: [line('a', 999, 3)], gradeDiscountPercent, shipping: flat(0) });
      expect(order).toMatchObject({ goodsAmount: 2997, gradeDiscount: 0, discountAmount: 0, payableAmount: 2997 });
    }
  });

  it('multiplies unit price by quantity for line goods', () => {
    const order = priceOrder({ lines: [line('a', 1999, 9999)], shipping: flat(0) });
    expect(order.lines[0]?.goodsAmount).toBe(19_988_001);
    expect(order.payableAmount).toBe(19_988_001);
  });
});

describe('priceOrder: coupons', () => {
  const tenThousand = [line('a', 4000), line('b', 6000)];

  it('compares the min spend with goods after the grade discount', () => {
    const base = { lines: tenThousand, gradeDiscountPercent: 95, shipping: flat(0) } as const;
    const missed = priceOrder({ ...base, coupon: { kind: 'fixed', amountOff: 500, minSpend: 10_000 } });
    expect(missed.coupon).toEqual({ applied: false, reason: 'min_spend_not_met' });
    expect(missed).toMatchObject({ gradeDiscount: 500, couponDiscount: 0, discountAmount: 500, payableAmount: 9500 });
    expect(missed.lines.every((l) => l.couponDiscount === 0)).toBe(true);

    const met = priceOrder({ ...base, coupon: { kind: 'fixed', amountOff: 500, minSpend: 9500 } });
    expect(met.coupon).toEqual({ applied: true });
    expect(met).toMatchObject({ couponDiscount: 500, discountAmount: 1000, payableAmount: 9000 });
  });

  it('reports no coupon as reason none', () => {
    const order = priceOrder({ lines: tenThousand, shipping: flat(0) });
    expect(order.coupon).toEqual({ applied: false, reason: 'none' });
    expect(order.couponDiscount).toBe(0);
  });

  it('caps a fixed coupon at the goods so nothing goes negative', () => {
    const order = priceOrder({
      lines: [line('a', 100), line('b', 200)],
      coupon: { kind: 'fixed', amountOff: 500, minSpend: 0 },
      shipping: flat(600),
    });
    expect(order).toMatchObject({ couponDiscount: 300, discountAmount: 300, shippingFee: 600, payableAmount: 600 });
    expect(order.lines.map((l) => l.lineTotal)).toEqual([0, 0]);
  });

  it('caps a percent coupon by maxOff', () => {
    const coupon: CouponRule = { kind: 'percent', percentOff: 20, minSpend: 0, maxOff: 1500 };
    const order = priceOrder({ lines: tenThousand, coupon, shipping: flat(0) });
    expect(order.couponDiscount).toBe(1500);
    expect(order.lines.map((l) => l.couponDiscount)).toEqual([600, 900]);
  });

  it('applies an uncapped percent coupon with decimals without float drift', () => {
    // 100 − 12.34 would be 87.66 only by luck in floats; 10000 × 87.66% = 8766, so 1234 off.
    const order = priceOrder({
      lines: tenThousand,
      coupon: { kind: 'percent', percentOff: 12.34, minSpend: 0 },
      shipping: flat(0),
    });
    expect(order.couponDiscount).toBe(1234);
  });

  it('rounds a percent coupon so the buyer pays the half fen', () => {
    // 15 fen at 10% off: pays 13.5 → 14, so 1 fen off.
    const order = priceOrder({
      lines: [line('a', 15)],
      coupon: { kind: 'percent', percentOff: 10, minSpend: 0 },
      shipping: flat(0),
    });
    expect(order).toMatchObject({ couponDiscount: 1, payableAmount: 14 });
  });

  it('applies a coupon to a free order without discounting anything', () => {
    const order = priceOrder({
      lines: [line('gift', 0, 2)],
      gradeDiscountPercent: 95,
      coupon: { kind: 'fixed', amountOff: 100, minSpend: 0 },
      shipping: flat(500),
    });
    expect(order).toMatchObject({
      goodsAmount: 0,
      discountAmount: 0,
      shippingFee: 500,
      payableAmount: 500,
      coupon: { applied: true },
    });
  });

  it('gives free lines no share of any discount', () => {
    const order = priceOrder({
      lines: [line('gift', 0), line('a', 1000)],
      gradeDiscountPercent: 90,
      coupon: { kind: 'fixed', amountOff: 100, minSpend: 0 },
      shipping: flat(0),
    });
    expect(order.lines.map((l) => l.discountAmount)).toEqual([0, 200]);
  });
});

describe('priceOrder: shipping', () => {
  const freeOver: ShippingRule = { kind: 'free_over', fee: 600, freeOver: 10_000 };

  it('compares free_over with the discounted goods total', () => {
    const order = priceOrder({
      lines: [line('a', 10_000)],
      coupon: { kind: 'fixed', amountOff: 500, minSpend: 0 },
      shipping: freeOver,
    });
    expect(order).toMatchObject({ shippingFee: 600, payableAmount: 10_100 });
  });

  it('waives the fee at exactly the threshold', () => {
    expect(priceOrder({ lines: [line('a', 10_000)], shipping: freeOver }).shippingFee).toBe(0);
    expect(priceOrder({ lines: [line('a', 9_999)], shipping: freeOver }).shippingFee).toBe(600);
  });

  it('charges a flat fee once per order', () => {
    const order = priceOrder({ lines: [line('a', 100, 3), line('b', 50)], shipping: flat(800) });
    expect(order).toMatchObject({ shippingFee: 800, payableAmount: 1150 });
  });
});

describe('priceOrder: invalid input', () => {
  const ok: PricingInput = { lines: [line('a', 100)], shipping: flat(0) };
  const rejects = (input: PricingInput) => expect(() => priceOrder(input)).toThrow(RangeError);

  it('rejects an order without lines', () => rejects({ ...ok, lines: [] }));

  it.each([0, -1, 1.5, 10_000, NaN, Infinity])('rejects quantity %d', (quantity) => {
    rejects({ ...ok, lines: [line('a', 100, quantity)] });
  });

  it.each([-1, 1.5, NaN, Infinity])('rejects unit price %d', (unitPrice) => {
    rejects({ ...ok, lines: [line('a', unitPrice)] });
  });

  it('rejects goods totals beyond safe integers', () => {
    rejects({ ...ok, lines: [line('a', Number.MAX_SAFE_INTEGER, 2)] });
    rejects({ ...ok, lines: [line('a', Number.MAX_SAFE_INTEGER), line('b', 1)] });
  });

  it.each([0, -5, 100.01, 101, 95.123, NaN])('rejects grade percent %d', (gradeDiscountPercent) => {
    rejects({ ...ok, gradeDiscountPercent });
  });

  it.each([0, 0.99, 99.01, 100, -10, 10.555, NaN])('rejects coupon percentOff %d', (percentOff) => {
    rejects({ ...ok, coupon: { kind: 'percent', percentOff, minSpend: 0 } });
  });

  it('accepts coupon percentOff at the edges 1 and 99', () => {
    for (const percentOff of [1, 99]) {
      expect(() => priceOrder({ ...ok, coupon: { kind: 'percent', percentOff, minSpend: 0 } })).not.toThrow();
    }
  });

  it('rejects coupon and shipping amounts that are not fen', () => {
    rejects({ ...ok, coupon: { kind: 'fixed', amountOff: -1, minSpend: 0 } });
    rejects({ ...ok, coupon: { kind: 'fixed', amountOff: 100, minSpend: 1.5 } });
    rejects({ ...ok, coupon: { kind: 'percent', percentOff: 10, minSpend: 0, maxOff: -1 } });
    rejects({ ...ok, shipping: flat(-1) });
    rejects({ ...ok, shipping: { kind: 'free_over', fee: 100, freeOver: NaN } });
  });

  it('rejects a bad coupon even when its min spend is not met', () => {
    rejects({ ...ok, coupon: { kind: 'fixed', amountOff: -1, minSpend: 1_000_000 } });
  });
});

describe('priceOrder: properties over random carts', () => {
  const percentWithTwoDecimals = (minBasisPoints: number, maxBasisPoints: number) =>
    fc.integer({ min: minBasisPoints, max: maxBasisPoints }).map((basisPoints) => basisPoints / 100);

  const lineArb = fc.record({
    key: fc.string({ maxLength: 8 }),
    unitPrice: fc.oneof(fc.nat({ max: 10_000_000 }), fc.constantFrom(0, 1, 99)),
    quantity: fc.integer({ min: 1, max: 99 }),
  });

  const couponArb: fc.Arbitrary<CouponRule> = fc.oneof(
    fc.record({
      kind: fc.constant('fixed' as const),
      amountOff: fc.nat({ max: 100_000_000 }),
      minSpend: fc.nat({ max: 100_000_000 }),
    }),
    fc.record(
      {
        kind: fc.constant('percent' as const),
        percentOff: fc.oneof(fc.integer({ min: 1, max: 99 }), percentWithTwoDecimals(1_00, 99_00)),
        minSpend: fc.nat({ max: 100_000_000 }),
        maxOff: fc.nat({ max: 100_000_000 }),
      },
      { requiredKeys: ['kind', 'percentOff', 'minSpend'] },
    ),
  );

  const shippingArb: fc.Arbitrary<ShippingRule> = fc.oneof(
    fc.record({ kind: fc.constant('flat' as const), fee: fc.nat({ max: 10_000 }) }),
    fc.record({
      kind: fc.constant('free_over' as const),
      fee: fc.nat({ max: 10_000 }),
      freeOver: fc.nat({ max: 1_000_000_000 }),
    }),
  );

  const inputArb: fc.Arbitrary<PricingInput> = fc.record(
    {
      lines: fc.array(lineArb, { minLength: 1, maxLength: 20 }),
      gradeDiscountPercent: fc.oneof(fc.integer({ min: 50, max: 100 }), percentWithTwoDecimals(1, 100_00)),
      coupon: couponArb,
      points: fc.record({
        available: fc.nat({ max: 10_000_000 }),
        perYuanOff: fc.integer({ min: 1, max: 1000 }),
        maxPercent: fc.integer({ min: 0, max: 100 }),
      }),
      shipping: shippingArb,
    },
    { requiredKeys: ['lines', 'shipping'] },
  );

  const total = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  const isNonNegativeInteger = (n: number) => Number.isSafeInteger(n) && n >= 0;

  it('keeps line and order amounts consistent to the fen', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const order = priceOrder(input);
        const { lines } = order;

        expect(total(lines.map((l) => l.discountAmount))).toBe(order.discountAmount);
        expect(total(lines.map((l) => l.gradeDiscount))).toBe(order.gradeDiscount);
        expect(total(lines.map((l) => l.couponDiscount))).toBe(order.couponDiscount);
        expect(total(lines.map((l) => l.pointsDiscount))).toBe(order.pointsDiscount);
        expect(total(lines.map((l) => l.lineTotal)) + order.shippingFee).toBe(order.payableAmount);
        expect(total(lines.map((l) => l.goodsAmount))).toBe(order.goodsAmount);
        expect(order.discountAmount).toBe(order.gradeDiscount + order.couponDiscount + order.pointsDiscount);
        // points never cost more than the buyer has, and are worth no more than they pay for
        if (input.points) {
          expect(order.pointsUsed).toBeLessThanOrEqual(input.points.available);
          expect(order.pointsDiscount * input.points.perYuanOff).toBeLessThanOrEqual(order.pointsUsed * 100);
        }
        expect(order.payableAmount).toBe(order.goodsAmount - order.discountAmount + order.shippingFee);

        lines.forEach((priced, i) => {
          const source = input.lines[i];
          expect(priced.key).toBe(source?.key);
          expect(priced.goodsAmount).toBe((source?.unitPrice ?? NaN) * (source?.quantity ?? NaN));
          expect(priced.discountAmount).toBe(priced.gradeDiscount + priced.couponDiscount + priced.pointsDiscount);
          expect(priced.lineTotal).toBe(priced.goodsAmount - priced.discountAmount);
          for (const amount of [
            priced.goodsAmount,
            priced.gradeDiscount,
            priced.couponDiscount,
            priced.discountAmount,
            priced.lineTotal,
          ]) {
            expect(isNonNegativeInteger(amount)).toBe(true);
          }
        });
        for (const amount of [
          order.goodsAmount,
          order.gradeDiscount,
          order.couponDiscount,
          order.discountAmount,
          order.shippingFee,
          order.payableAmount,
        ]) {
          expect(isNonNegativeInteger(amount)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('follows the grade, coupon and shipping rules', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const order = priceOrder(input);
        const percent = input.gradeDiscountPercent ?? 100;
        expect(order.gradeDiscount).toBe(order.goodsAmount - applyPercent(order.goodsAmount, percent));

        const afterGrade = order.goodsAmount - order.gradeDiscount;
        const coupon = input.coupon;
        if (coupon === undefined) {
          expect(order.coupon).toEqual({ applied: false, reason: 'none' });
        } else if (afterGrade < coupon.minSpend) {
          expect(order.coupon).toEqual({ applied: false, reason: 'min_spend_not_met' });
          expect(order.couponDiscount).toBe(0);
        } else {
          expect(order.coupon).toEqual({ applied: true });
          expect(order.couponDiscount).toBeLessThanOrEqual(afterGrade);
          if (coupon.kind === 'fixed') expect(order.couponDiscount).toBe(Math.min(coupon.amountOff, afterGrade));
          if (coupon.kind === 'percent' && coupon.maxOff !== undefined) {
            expect(order.couponDiscount).toBeLessThanOrEqual(coupon.maxOff);
          }
        }

        const discounted = order.goodsAmount - order.discountAmount;
        const waived = input.shipping.kind === 'free_over' && discounted >= input.shipping.freeOver;
        expect(order.shippingFee).toBe(waived ? 0 : input.shipping.fee);
      }),
      { numRuns: 500 },
    );
  });
});
