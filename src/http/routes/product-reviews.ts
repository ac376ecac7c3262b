import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { getProduct } from '../../catalog/products.ts';
import type { AppContext } from '../../context.ts';
import { productReviewPage } from '../../flows/product-review-page.ts';
import { DateTime, Id, replies, Strict } from '../schemas.ts';

const Stars = Type.Integer({ minimum: 1, maximum: 5 });
const Review = Type.Object({
  id: Type.Integer(),
  rating: Stars,
  content: Type.String(),
  imageUrls: Type.Array(Type.String()),
  createdAt: DateTime,
  options: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String() }), {
    description: 'what the buyer chose on the order’s line of this product',
  }),
  author: Type.Object({ nickname: Type.String(), avatarUrl: Type.String() }),
});
const Counts = Type.Object({
  total: Type.Integer(),
  byRating: Type.Object(
    Object.fromEntries(['1', '2', '3', '4', '5'].map((n) => [n, Type.Integer()])) as Record<
      '1' | '2' | '3' | '4' | '5',
      ReturnType<typeof Type.Integer>
    >,
    { description: 'reviews with each number of stars' },
  ),
});
const ReviewPage = Type.Object({
  items: Type.Array(Review),
  total: Type.Integer({ description: 'reviews matching the filter' }),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  counts: Counts,
});

/** A product's reviews, as buyers wrote them when completing their orders: anyone may read them. */
export const productReviewRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/products/:productId/reviews',
      {
        schema: {
          tags: ['catalog'],
          summary: 'A product’s reviews, newest first, a page at a time, with counts by star rating',
          params: Strict({ productId: Id }),
          querystring: Strict({
            merchantId: Type.Optional(Id),
            minRating: Type.Optional(Stars),
            maxRating: Type.Optional(Stars),
            page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          }),
          response: replies({ 200: ReviewPage }),
        },
      },
      async (request) => {
        const { merchantId = ctx.config.defaultMerchantId, minRating, maxRating, page, pageSize } = request.query;
        await getProduct(ctx, merchantId, request.params.productId, { onSaleOnly: true });
        const ratings =
          minRating === undefined && maxRating === undefined ? undefined : { min: minRating ?? 1, max: maxRating ?? 5 };
        const result = await productReviewPage(ctx, merchantId, request.params.productId, { ratings, page, pageSize });
        return { ...result, page, pageSize };
      },
    );
  };
