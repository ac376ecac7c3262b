import type { Selectable } from 'kysely';
import type { CouponsTable } from '../db/schema.ts';
import type { CouponRule } from '../domain/pricing.ts';

/** What a coupon's scope needs to know of an order line. */
export interface ScopedLine {
  productId: number;
  categoryId: number | null;
}

type Terms = Pick<
  Selectable<CouponsTable>,
  'kind' | 'amount_off' | 'percent_off' | 'max_off' | 'min_spend' | 'scope' | 'scope_ids'
>;

/** Whether a coupon covers a line: every line, or those of its products, or of its categories. */
export function couponCovers(coupon: Pick<Terms, 'scope' | 'scope_ids'>, line: ScopedLine): boolean {
  if (coupon.scope === 'products') return coupon.scope_ids.includes(line.productId);
  if (coupon.scope === 'categories') return line.categoryId !== null && coupon.scope_ids.includes(line.categoryId);
  return true;
}

/** The coupon as the pricing domain takes it, covering the lines of its scope (keyed by their index). */
export function couponRuleOf(coupon: Terms, lines: readonly ScopedLine[]): CouponRule {
  const lineKeys =
    coupon.scope === 'all' ? undefined : lines.flatMap((line, i) => (couponCovers(coupon, line) ? [String(i)] : []));
  return coupon.kind === 'fixed'
    ? { kind: 'fixed', amountOff: coupon.amount_off, minSpend: coupon.min_spend, lineKeys }
    : {
        kind: 'percent',
        percentOff: coupon.percent_off,
        minSpend: coupon.min_spend,
        maxOff: coupon.max_off ?? undefined,
        lineKeys,
      };
}
