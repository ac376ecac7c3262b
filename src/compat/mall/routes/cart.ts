import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { MemberPrincipal } from '../../../auth/tokens.ts';
import { getProduct } from '../../../catalog/products.ts';
import type { AppContext } from '../../../context.ts';
import {
  addToCart,
  getCart,
  removeCartItem,
  selectAllCartItems,
  updateCartItem,
  type Cart,
} from '../../../flows/manage-cart.ts';
import { MALL_STATUS, ok, toMallCart, type MappingEnv } from '../mapping.ts';
import { Flag, Id, IdOrDigits, MallError, QuantityOrDigits, toFlag, toInt } from '../params.ts';
import { requireLogin, signedIn } from '../session.ts';

/** The member's cart, one line per product: the mall has no product options. */
export const cartRoutes =
  (ctx: AppContext, env: MappingEnv): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addHook('onRequest', requireLogin);

    /** The cart as the mall shows it, with each product's subtitle as the catalog has it now. */
    async function mallCart(m: MemberPrincipal, cart: Cart) {
      const ids = [...new Set(cart.items.map((i) => i.productId))];
      const subtitles = new Map<number, string>();
      for (const id of ids) {
        const product = await getProduct(ctx, m.merchantId, id, { onSaleOnly: false }).catch(() => null);
        if (product) subtitles.set(id, product.subtitle);
      }
      return ok(toMallCart(cart, m.memberId, subtitles, env));
    }

    /** The cart line a mall `productId` means: the one without options (lines with options come from other clients). */
    async function cartLineOf(m: MemberPrincipal, productId: number): Promise<number> {
      const cart = await getCart(ctx, m);
      const line =
        cart.items.find((i) => i.productId === productId && i.optionIds.length === 0) ??
        cart.items.find((i) => i.productId === productId);
      if (!line) throw new MallError(MALL_STATUS.error, '购物车中没有这件商品');
      return line.id;
    }

    app.get('/carts', async (request) => mallCart(signedIn(request), await getCart(ctx, signedIn(request))));

    app.post(
      '/carts',
      {
        schema: {
          body: Type.Object({
            productId: IdOrDigits,
            selected: Type.Optional(Flag),
            count: Type.Optional(QuantityOrDigits),
          }),
        },
      },
      async (request) => {
        const m = signedIn(request);
        const { productId, selected, count } = request.body;
        return mallCart(
          m,
          await addToCart(ctx, m, {
            productId: toInt(productId),
            optionIds: [],
            quantity: count === undefined ? 1 : toInt(count),
            selected: selected === undefined ? true : toFlag(selected),
          }),
        );
      },
    );

    app.put('/carts/selectAll', async (request) =>
      mallCart(signedIn(request), await selectAllCartItems(ctx, signedIn(request), true)),
    );
    app.put('/carts/unSelectAll', async (request) =>
      mallCart(signedIn(request), await selectAllCartItems(ctx, signedIn(request), false)),
    );

    app.get('/carts/products/sum', async (request) => ok((await getCart(ctx, signedIn(request))).totalQuantity));

    app.put(
      '/carts/:productId',
      {
        schema: {
          params: Type.Object({ productId: Id }),
          body: Type.Object({ quantity: Type.Optional(QuantityOrDigits), selected: Type.Optional(Flag) }),
        },
      },
      async (request) => {
        const m = signedIn(request);
        const line = await cartLineOf(m, request.params.productId);
        const { quantity, selected } = request.body;
        return mallCart(
          m,
          await updateCartItem(ctx, m, line, {
            quantity: quantity === undefined ? undefined : toInt(quantity),
            selected: selected === undefined ? undefined : toFlag(selected),
          }),
        );
      },
    );

    app.delete('/carts/:productId', { schema: { params: Type.Object({ productId: Id }) } }, async (request) => {
      const m = signedIn(request);
      return mallCart(m, await removeCartItem(ctx, m, await cartLineOf(m, request.params.productId)));
    });
  };
