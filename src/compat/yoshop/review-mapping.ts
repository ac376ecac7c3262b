import type { OrderView } from '../../orders/order-view.ts';

/**
 * The order review page (pages/order/comment) rates each good 好评 10 / 中评 20 / 差评 30 with words and pictures;
 * ordo keeps one review per order, 1 to 5 stars. A band counts as 5, 3 or 1 stars (as the goods page draws it), the
 * order's rating is the mean of the goods the buyer wrote about, and each good's words keep its name in front.
 */
export const STARS_OF_SCORE: Record<number, number | undefined> = { 10: 5, 20: 3, 30: 1 };

/** A review holds at most this many pictures, as a review through the canonical API. */
export const MAX_REVIEW_PICTURES = 9;

export interface GoodsReview {
  lineId: number;
  score: number;
  content: string;
  pictures: string[];
}

/** The one order review the goods' reviews make: stars, words, pictures. */
export function orderReviewOf(order: OrderView, reviews: readonly GoodsReview[]) {
  const written = reviews.filter((r) => r.content !== '');
  const stars = written.map((r) => STARS_OF_SCORE[r.score]!);
  const rating = Math.round(stars.reduce((a, b) => a + b, 0) / stars.length);
  const titleOf = new Map(order.lines.map((l) => [l.id, l.title]));
  const content =
    written.length === 1
      ? written[0]!.content
      : written.map((r) => `【${titleOf.get(r.lineId) ?? ''}】${r.content}`).join('\n');
  return { rating, content, pictures: written.flatMap((r) => r.pictures) };
}
