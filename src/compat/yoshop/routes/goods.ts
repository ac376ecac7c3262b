import { listCategories } from '../../../catalog/categories.ts';
import { getProduct, listProducts } from '../../../catalog/products.ts';
import { AppError } from '../../../errors.ts';
import { storeOf } from '../lookups.ts';
import { ok, paginator, toCategoryTree, toGoodsDetail, toGoodsListItem } from '../mapping.ts';
import { bad, int, PAGE_SIZE, pageOf, reqInt, str } from '../params.ts';
import type { OpenRoutes } from '../route-table.ts';

/** Browsing the store's catalog (no sign-in needed): goods, one good, the category tree. */
export const goodsRoutes: OpenRoutes = {
  'goods/list': async ({ ctx, env, p, storeId, member }) => {
    const merchantId = (await storeOf(ctx, storeId, member)).merchantId;
    const page = pageOf(p);
    const categoryId = int(p, 'categoryId', { optional: true, min: 0 }) || undefined;
    const keyword = str(p, 'goodsName', { optional: true, max: 100 })?.trim() || undefined;
    // sortType (all / sales / price) is accepted; ordo lists in catalog order.
    str(p, 'sortType', { optional: true, max: 20 });
    const { items, total } = await listProducts(ctx, merchantId, {
      categoryId,
      keyword,
      onSaleOnly: true,
      page,
      pageSize: PAGE_SIZE,
    });
    return ok({
      list: paginator(
        items.map((x) => toGoodsListItem(x, env)),
        page,
        PAGE_SIZE,
        total,
      ),
    });
  },
  'goods/detail': async ({ ctx, env, p, storeId, member }) => {
    const merchantId = (await storeOf(ctx, storeId, member)).merchantId;
    const product = await getProduct(ctx, merchantId, reqInt(p, 'goodsId'), { onSaleOnly: true }).catch(
      (err: unknown) => {
        throw err instanceof AppError && err.code === 'not_found' ? bad('很抱歉，商品信息不存在或已下架') : err;
      },
    );
    return ok({ detail: toGoodsDetail(product, env) });
  },
  'category/list': async ({ ctx, env, storeId, member }) => {
    const merchantId = (await storeOf(ctx, storeId, member)).merchantId;
    return ok({ list: toCategoryTree(await listCategories(ctx, merchantId), env) });
  },
};
