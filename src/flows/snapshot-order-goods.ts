import { listProductStock } from '../catalog/product-stock.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import { listStores } from '../merchants/stores.ts';
import { saveGoodsSnapshot } from '../orders/goods-snapshot.ts';

export interface OrderedLine {
  lineNo: number;
  productId: number;
  /** the cart line it was ordered from; null for lines sent directly */
  cartItemId: number | null;
}

/**
 * Keeps the store and the products of a new order as they are at this moment (after its stock was taken), inside
 * the transaction that places it: the storefront's order detail shows these, so a product edited or a store moved
 * later does not rewrite an order already placed.
 */
export async function snapshotOrderGoods(
  ctx: AppContext,
  trx: Db,
  order: { id: number; merchantId: number; storeId: number; lines: readonly OrderedLine[] },
): Promise<void> {
  const inTrx = { ...ctx, db: trx };
  const [stores, products] = await Promise.all([
    listStores(inTrx, order.merchantId),
    listProductStock(inTrx, order.merchantId, [...new Set(order.lines.map((l) => l.productId))]),
  ]);
  const store = stores.find((s) => s.id === order.storeId);
  await saveGoodsSnapshot(
    trx,
    order.id,
    {
      store: {
        id: order.storeId,
        name: store?.name ?? '',
        logoUrl: store?.logoUrl ?? '',
        phone: store?.phone ?? '',
        address: store ? `${store.province}${store.city}${store.district}${store.address}` : '',
        longitude: store?.longitude ?? '',
        latitude: store?.latitude ?? '',
      },
      lines: order.lines.map((l) => {
        const product = products.find((p) => p.id === l.productId);
        return {
          lineNo: l.lineNo,
          cartItemId: l.cartItemId,
          stock: product?.stock ?? 0,
          categoryId: product?.categoryId ?? null,
          optionStock: product?.options ?? [],
        };
      }),
    },
    ctx.clock.now(),
  );
}
