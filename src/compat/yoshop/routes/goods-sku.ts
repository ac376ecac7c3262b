import { getProduct } from '../../../catalog/products.ts';
import { toGoodsDetailExtras } from '../goods-extras-mapping.ts';
import { storeOf } from '../lookups.ts';
import { absoluteImage, ok, toGoodsDetail } from '../mapping.ts';
import { bad, reqInt, str } from '../params.ts';
import { refusedAs } from '../refusals.ts';
import type { OpenCall, OpenRoutes } from '../route-table.ts';
import { toGoodsSpecs } from '../sku-mapping.ts';

async function productOf({ ctx, p, storeId, member }: OpenCall) {
  const merchantId = (await storeOf(ctx, storeId, member)).merchantId;
  return getProduct(ctx, merchantId, reqInt(p, 'goodsId'), { onSaleOnly: true }).catch(
    refusedAs('not_found', '很抱歉，商品信息不存在或已下架'),
  );
}

/**
 * A good's basic data without its long description (goods/basic), its specs and SKUs alone (goods/specData: the
 * add-to-cart popup of a goods list reads `specData.specList` and `.skuList`), and one of its SKUs (goods/skuInfo).
 */
export const goodsSkuRoutes: OpenRoutes = {
  'goods/basic': async (call) => {
    const product = await productOf(call);
    const { content: _content, ...basic } = toGoodsDetail(product, call.env);
    return ok({ detail: { ...basic, ...toGoodsDetailExtras(product) } });
  },
  'goods/specData': async (call) => {
    const product = await productOf(call);
    const { specList, skuList } = toGoodsSpecs(product, (url) => absoluteImage(url, call.env.publicUrl));
    return ok({ specData: { specList, skuList } });
  },
  'goods/skuInfo': async (call) => {
    const product = await productOf(call);
    const goodsSkuId = str(call.p, 'goodsSkuId', { optional: true, max: 400 }) || '0';
    const { skuList } = toGoodsSpecs(product, (url) => absoluteImage(url, call.env.publicUrl));
    const skuInfo = skuList.find((s) => s.goods_sku_id === goodsSkuId);
    if (!skuInfo) throw bad('很抱歉，商品规格不存在');
    return ok({ skuInfo });
  },
};
