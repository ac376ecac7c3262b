import { addToCart, getCart, removeCartItem, updateCartItem } from '../../../flows/manage-cart.ts';
import { ok, toYoshopCart } from '../mapping.ts';
import { bad, idList, optionIds, reqInt } from '../params.ts';
import type { MemberRoutes } from '../route-table.ts';

/** The member's cart: a line is a good with its options (`goodsSkuId`). Its badge (cart/total) is in goods.ts. */
export const cartRoutes: MemberRoutes = {
  'cart/list': async ({ ctx, env, member }) => ok(toYoshopCart(await getCart(ctx, member), env)),
  'cart/add': async ({ ctx, member, p }) => {
    const cart = await addToCart(ctx, member, {
      productId: reqInt(p, 'goodsId'),
      optionIds: optionIds(p),
      quantity: reqInt(p, 'goodsNum', 1, 9999),
      selected: true,
    });
    return ok({ cartTotal: cart.totalQuantity }, '加入购物车成功');
  },
  'cart/update': async ({ ctx, member, p }) => {
    const productId = reqInt(p, 'goodsId');
    const ids = optionIds(p)
      .sort((a, b) => a - b)
      .join(',');
    const quantity = reqInt(p, 'goodsNum', 1, 9999);
    const line = (await getCart(ctx, member)).items.find(
      (i) => i.productId === productId && [...i.optionIds].sort((a, b) => a - b).join(',') === ids,
    );
    if (!line) throw bad('很抱歉，购物车中没有这件商品');
    const cart = await updateCartItem(ctx, member, line.id, { quantity });
    return ok({ cartTotal: cart.totalQuantity }, '更新成功');
  },
  'cart/clear': async ({ ctx, member, p }) => {
    let cart = await getCart(ctx, member);
    for (const id of idList(p, 'cartIds'))
      if (cart.items.some((i) => i.id === id)) cart = await removeCartItem(ctx, member, id);
    return ok({ cartTotal: cart.totalQuantity }, '操作成功');
  },
};
