import type { ProductLike } from './mapping.ts';
import { yuan } from './mapping.ts';

/** YoShop's goods type: 10 实物商品 (shipped, can go in the cart), 20 虚拟商品. Every ordo product is shipped. */
export const GOODS_TYPE_PHYSICAL = 10;

/**
 * What the goods page reads besides the specs and SKUs (which the goods mapping gives): the goods type (only a
 * physical good offers 加入购物车), no main video, and no per-order purchase limit.
 */
export const toGoodsDetailExtras = (p: Pick<ProductLike, 'listPrice'>) => ({
  goods_type: GOODS_TYPE_PHYSICAL,
  line_price_max: yuan(p.listPrice),
  video: null,
  videoCover: null,
  is_restrict: 0,
  restrict_single: 0,
});
