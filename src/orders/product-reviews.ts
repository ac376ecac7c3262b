import { sql } from 'kysely';
import type { AppContext } from '../context.ts';

/**
 * Reviews of one product: the reviews buyers wrote of orders that hold it (a review is of a whole order, so it is
 * shown for each product the order bought). Reviews the system gave when the review window ran out carry no words
 * and are left out, as review pages show what buyers said.
 */

export interface ProductReview {
  id: number;
  memberId: number;
  rating: number;
  content: string;
  imageUrls: string[];
  createdAt: Date;
  /** the options the buyer chose on the order's line of this product */
  options: { id: number; title: string }[];
}

function reviewsOfProduct(ctx: AppContext, merchantId: number, productId: number) {
  return ctx.db
    .selectFrom('reviews as r')
    .innerJoin('orders as o', 'o.id', 'r.order_id')
    .where('o.merchant_id', '=', merchantId)
    .where('r.automatic', '=', false)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('order_lines as l')
          .select(sql`1`.as('one'))
          .whereRef('l.order_id', '=', 'r.order_id')
          .where('l.product_id', '=', productId),
      ),
    );
}

/** A page of the product's reviews, newest first, optionally only those rated within `ratings` (inclusive). */
export async function listProductReviews(
  ctx: AppContext,
  merchantId: number,
  productId: number,
  query: { ratings?: { min: number; max: number }; page: number; pageSize: number },
): Promise<{ items: ProductReview[]; total: number }> {
  let base = reviewsOfProduct(ctx, merchantId, productId);
  if (query.ratings) base = base.where('r.rating', '>=', query.ratings.min).where('r.rating', '<=', query.ratings.max);
  const [rows, count] = await Promise.all([
    base
      .select(['r.id', 'r.order_id', 'r.member_id', 'r.rating', 'r.content', 'r.image_urls', 'r.created_at'])
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const lines = rows.length
    ? await ctx.db
        .selectFrom('order_lines')
        .select(['order_id', 'options'])
        .where(
          'order_id',
          'in',
          rows.map((r) => r.order_id),
        )
        .where('product_id', '=', productId)
        .orderBy('line_no')
        .execute()
    : [];
  const optionsOf = new Map<number, { id: number; title: string }[]>();
  for (const l of lines)
    if (!optionsOf.has(l.order_id))
      optionsOf.set(
        l.order_id,
        l.options.map((o) => ({ id: o.id, title: o.title })),
      );
  return {
    items: rows.map((r) => ({
      id: r.id,
      memberId: r.member_id,
      rating: r.rating,
      content: r.content,
      imageUrls: r.image_urls,
      createdAt: r.created_at,
      options: optionsOf.get(r.order_id) ?? [],
    })),
    total: Number(count.n),
  };
}

/** How many reviews the product has, in all and by star rating (1 to 5). */
export async function productReviewCounts(
  ctx: AppContext,
  merchantId: number,
  productId: number,
): Promise<{ total: number; byRating: Record<'1' | '2' | '3' | '4' | '5', number> }> {
  const rows = await reviewsOfProduct(ctx, merchantId, productId)
    .select(['r.rating', (eb) => eb.fn.countAll<string | number>().as('n')])
    .groupBy('r.rating')
    .execute();
  const byRating = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const r of rows) byRating[String(r.rating) as keyof typeof byRating] = Number(r.n);
  return { total: Object.values(byRating).reduce((a, b) => a + b, 0), byRating };
}
