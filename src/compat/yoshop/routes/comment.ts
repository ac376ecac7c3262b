import { productReviewPage } from '../../../flows/product-review-page.ts';
import { productReviewCounts } from '../../../orders/product-reviews.ts';
import { SCORE_BANDS, toCommentTotal, toYoshopComment } from '../comment-mapping.ts';
import { storeOf } from '../lookups.ts';
import { ok, paginator } from '../mapping.ts';
import { bad, int, PAGE_SIZE, pageOf, reqInt } from '../params.ts';
import type { OpenCall, OpenRoutes } from '../route-table.ts';

async function reviewsOf(call: OpenCall, query: { scoreType?: number; page: number; pageSize: number }) {
  const { ctx, p, storeId, member } = call;
  const merchantId = (await storeOf(ctx, storeId, member)).merchantId;
  const ratings = query.scoreType && query.scoreType > 0 ? SCORE_BANDS[query.scoreType] : undefined;
  if (query.scoreType && query.scoreType > 0 && !ratings) throw bad('参数 scoreType 无效');
  return productReviewPage(ctx, merchantId, reqInt(p, 'goodsId'), { ...query, ratings });
}

/** A good's comments (ordo's reviews of the orders that bought it), on the goods page and the comment page. */
export const commentRoutes: OpenRoutes = {
  'comment/listRows': async (call) => {
    const limit = int(call.p, 'limit', { optional: true, max: 20 }) ?? 5;
    const { items, counts } = await reviewsOf(call, { page: 1, pageSize: limit });
    return ok({ list: items.map((r) => toYoshopComment(r, call.env)), total: counts.total });
  },
  'comment/list': async (call) => {
    const page = pageOf(call.p);
    const scoreType = int(call.p, 'scoreType', { optional: true, min: -1, max: 30 });
    const { items, total } = await reviewsOf(call, { scoreType, page, pageSize: PAGE_SIZE });
    return ok({
      list: paginator(
        items.map((r) => toYoshopComment(r, call.env)),
        page,
        PAGE_SIZE,
        total,
      ),
    });
  },
  'comment/total': async ({ ctx, p, storeId, member }) => {
    const merchantId = (await storeOf(ctx, storeId, member)).merchantId;
    const counts = await productReviewCounts(ctx, merchantId, reqInt(p, 'goodsId'));
    return ok({ total: toCommentTotal(counts.byRating) });
  },
};
