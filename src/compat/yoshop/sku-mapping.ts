import type { Product } from '../../catalog/products.ts';
import { fenToYuanString as yuan } from '../../domain/money.ts';

/** What the spec and SKU mapping reads of a product. */
export type ProductSpecsLike = Pick<Product, 'id' | 'price' | 'listPrice' | 'stock' | 'specs' | 'skus'>;

/** `goods_sku_id`: the SKU's spec value ids in the groups' order, joined by `_` ("0" for a good without specs). */
export const goodsSkuIdOfValues = (specValueIds: readonly number[]): string =>
  specValueIds.length ? specValueIds.join('_') : '0';

/** The lowest and highest price a good sells at: its SKUs', or its own without specs. */
export function priceRange(p: ProductSpecsLike) {
  const prices = p.skus.length ? p.skus.map((s) => s.price) : [p.price];
  const listPrices = p.skus.length ? p.skus.map((s) => s.listPrice) : [p.listPrice];
  return {
    goods_price_min: yuan(Math.min(...prices)),
    goods_price_max: yuan(Math.max(...prices)),
    line_price_min: yuan(Math.min(...listPrices)),
  };
}

/**
 * goods/detail's specs as the client's SKU popup reads them (pages/goods/components/SkuPopup.vue): `specList[i]` is
 * spec group i with `valueList[].{spec_value_id, spec_value}`; each `skuList` item's `spec_value_ids[i]` is a value of
 * group i, and the popup names the SKU by those values in order; it adds to the cart or buys `goods_sku_id`. A SKU
 * the popup treats as chosen needs a truthy `id`, so a good without specs lists one SKU "0" whose id is the good's.
 * A SKU's stock is capped by the good's own, which all its SKUs share. `specData` is the same in YoShop 1.x's shape
 * (`spec_attr` groups with `spec_items`, `spec_list` SKUs), for pages that read that.
 */
export function toGoodsSpecs(p: ProductSpecsLike, absoluteImage: (url: string) => string) {
  const valueTitle = new Map(
    p.specs.flatMap((g) => g.values.map((v) => [v.id, { group: g, title: v.title }] as const)),
  );
  const skuList = p.skus.length
    ? p.skus.map((s) => ({
        id: s.id,
        goods_sku_id: goodsSkuIdOfValues(s.specValueIds),
        goods_id: p.id,
        goods_sku_no: s.code,
        image_id: 0,
        image_url: absoluteImage(s.imageUrl),
        goods_price: yuan(s.price),
        line_price: yuan(s.listPrice),
        stock_num: Math.min(s.stock, p.stock),
        spec_value_ids: s.specValueIds,
        goods_props: s.specValueIds.map((id) => {
          const { group, title } = valueTitle.get(id)!;
          return { group: { id: group.id, name: group.name }, value: { id, name: title } };
        }),
      }))
    : [
        {
          id: p.id,
          goods_sku_id: '0',
          goods_id: p.id,
          goods_sku_no: '',
          image_id: 0,
          image_url: '',
          goods_price: yuan(p.price),
          line_price: yuan(p.listPrice),
          stock_num: p.stock,
          spec_value_ids: [] as number[],
          goods_props: [] as { group: { id: number; name: string }; value: { id: number; name: string } }[],
        },
      ];
  const specList = p.specs.map((g) => ({
    spec_id: g.id,
    spec_name: g.name,
    valueList: g.values.map((v) => ({ spec_value_id: v.id, spec_value: v.title, spec_id: g.id })),
  }));
  return {
    spec_type: p.specs.length ? 20 : 10,
    specList,
    skuList,
    specData: {
      spec_attr: p.specs.map((g) => ({
        group_id: g.id,
        group_name: g.name,
        spec_items: g.values.map((v) => ({ item_id: v.id, spec_value: v.title })),
      })),
      spec_list: skuList.map((s) => ({
        goods_sku_id: s.goods_sku_id,
        spec_sku_id: s.goods_sku_id,
        rows: [],
        form: { goods_price: s.goods_price, line_price: s.line_price, stock_num: s.stock_num, image_url: s.image_url },
      })),
    },
  };
}
