import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { getProduct, listProducts } from '../../../catalog/products.ts';
import type { AppContext } from '../../../context.ts';
import { ok, pageInfo, toMallProductDetail, toMallProductListItem, type MappingEnv } from '../mapping.ts';
import { Id, productQuery } from '../params.ts';
import { sessionMember } from '../session.ts';

/** Browsing (no sign-in needed): the signed-in member's merchant's products, else the default merchant's. */
export const productRoutes =
  (ctx: AppContext, env: MappingEnv): FastifyPluginAsyncTypebox =>
  async (app) => {
    const merchantOf = (request: Parameters<typeof sessionMember>[0]) =>
      sessionMember(request)?.merchantId ?? ctx.config.defaultMerchantId;

    app.get('/products', async (request) => {
      const q = productQuery(request.query as Record<string, unknown>);
      const { items, total } = await listProducts(ctx, merchantOf(request), {
        categoryId: q.categoryId,
        keyword: q.keyword,
        onSaleOnly: true,
        page: q.pageNum,
        pageSize: q.pageSize,
      });
      return ok(
        pageInfo(
          items.map((p) => toMallProductListItem(p, env)),
          { pageNum: q.pageNum, pageSize: q.pageSize, total },
        ),
      );
    });

    app.get('/products/:productId', { schema: { params: Type.Object({ productId: Id }) } }, async (request) =>
      ok(
        toMallProductDetail(
          await getProduct(ctx, merchantOf(request), request.params.productId, { onSaleOnly: true }),
          env,
        ),
      ),
    );
  };
