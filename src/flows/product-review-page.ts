import type { AppContext } from '../context.ts';
import { memberFaces } from '../members/member-faces.ts';
import { listProductReviews, productReviewCounts, type ProductReview } from '../orders/product-reviews.ts';

export interface ReviewWithAuthor extends ProductReview {
  author: { nickname: string; avatarUrl: string };
}

/**
 * A page of a product's reviews with each author's nickname and avatar, and the counts by star rating: what a
 * product's review list shows (its tabs count all, good, middling and poor reviews).
 */
export async function productReviewPage(
  ctx: AppContext,
  merchantId: number,
  productId: number,
  query: { ratings?: { min: number; max: number }; page: number; pageSize: number },
) {
  const [page, counts] = await Promise.all([
    listProductReviews(ctx, merchantId, productId, query),
    productReviewCounts(ctx, merchantId, productId),
  ]);
  const faces = await memberFaces(
    ctx,
    page.items.map((r) => r.memberId),
  );
  const items: ReviewWithAuthor[] = page.items.map((r) => ({
    ...r,
    author: faces.get(r.memberId) ?? { nickname: '', avatarUrl: '' },
  }));
  return { items, total: page.total, counts };
}
