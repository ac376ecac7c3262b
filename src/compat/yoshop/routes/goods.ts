import { listCategories } from '../../../catalog/categories.ts';
import { getProduct, listProducts } from '../../../catalog/products.ts';
import { AppError } from '../../../errors.ts';
import { getCart } from '../../../flows/manage-cart.ts';
import { toGoodsDetailExtras } from '../goods-extras-mapping.ts';
import { storeOf } from '../lookups.ts';
import { ok, paginator, toCategoryTree, toGoodsDetail, toGoodsListItem } from '../mapping.ts';
import { bad, int, PAGE_SIZE, pageOf, reqInt, str } from '../params.ts';
import type { OpenRoutes } from '../route-table.ts';

/**
 * Browsing the store's catalog (no sign-in needed): goods, one good with its services and the cart badge, the
 * category tree.
 */
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
    return ok({ detail: { ...toGoodsDetail(product, env), ...toGoodsDetailExtras(product) } });
  },
  // ordo has no service promises (包邮, 七天无理由…) attached to products: the goods page shows none
  'goods.service/list': async ({ p }) => {
    reqInt(p, 'goodsId');
    return ok({ list: [] });
  },
  // the goods page asks for the badge before anyone signs in: a guest's cart is empty, not a reason to log in
  'cart/total': async ({ ctx, member }) => ok({ cartTotal: member ? (await getCart(ctx, member)).totalQuantity : 0 }),
  'category/list': async ({ ctx, env, storeId, member }) => {
    const merchantId = (await storeOf(ctx, storeId, member)).merchantId;
    return ok({ list: toCategoryTree(await listCategories(ctx, merchantId), env) });
  },
};
