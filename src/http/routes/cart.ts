import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { addToCart, getCart, removeCartItem, selectAllCartItems, updateCartItem } from '../../flows/manage-cart.ts';
import type { AppContext } from '../../context.ts';
import { memberOf, requireMember } from '../authenticate.ts';
import { Changes, ChosenOption, Fen, Id, Nullable, Quantity, replies, Strict } from '../schemas.ts';

const CartItem = Type.Object({
  id: Type.Integer(),
  productId: Type.Integer(),
  skuId: Nullable(Type.Integer()),
  optionIds: Type.Array(Type.Integer()),
  options: Type.Array(ChosenOption),
  storeId: Nullable(Type.Integer()),
  title: Type.String(),
  imageUrl: Type.String(),
  spec: Type.String(),
  unitPrice: Fen,
  quantity: Type.Integer(),
  lineTotal: Fen,
  stock: Type.Integer(),
  onSale: Type.Boolean(),
  selected: Type.Boolean(),
});
const Cart = Type.Object({
  items: Type.Array(CartItem),
  totalQuantity: Type.Integer(),
  selectedQuantity: Type.Integer(),
  selectedTotal: Fen,
  allSelected: Type.Boolean(),
});
export const OptionIds = Type.Array(Id, {
  maxItems: 20,
  uniqueItems: true,
  description: 'the spec value ids of the SKU (one of each group), another way to name it than skuId',
});
export const SkuId = { ...Id, description: 'the SKU of a product with specs; without it the product as listed' };

export const cartRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const base = { tags: ['cart'], security: [{ bearer: [] }] };
    app.addHook('preHandler', requireMember);
    app.get(
      '/v1/cart',
      { schema: { ...base, summary: 'The member cart with totals', response: replies({ 200: Cart }) } },
      async (request) => getCart(ctx, memberOf(request)),
    );
    app.post(
      '/v1/cart/items',
      {
        schema: {
          ...base,
          summary: 'Add a product (one of its SKUs) to the cart',
          body: Strict({
            productId: Id,
            skuId: Type.Optional(SkuId),
            optionIds: Type.Optional(OptionIds),
            quantity: Quantity,
            selected: Type.Optional(Type.Boolean()),
          }),
          response: replies({ 201: Cart }),
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await addToCart(ctx, memberOf(request), { ...request.body, optionIds: request.body.optionIds ?? [] })),
    );
    app.patch(
      '/v1/cart/items/:itemId',
      {
        schema: {
          ...base,
          summary: 'Change the quantity or selection of a cart line',
          params: Strict({ itemId: Id }),
          body: Changes(Strict({ quantity: Quantity, selected: Type.Boolean() })),
          response: replies({ 200: Cart }),
        },
      },
      async (request) => updateCartItem(ctx, memberOf(request), request.params.itemId, request.body),
    );
    app.delete(
      '/v1/cart/items/:itemId',
      {
        schema: {
          ...base,
          summary: 'Remove a cart line',
          params: Strict({ itemId: Id }),
          response: replies({ 200: Cart }),
        },
      },
      async (request) => removeCartItem(ctx, memberOf(request), request.params.itemId),
    );
    app.put(
      '/v1/cart/selection',
      {
        schema: {
          ...base,
          summary: 'Select or unselect every cart line',
          body: Strict({ selected: Type.Boolean() }),
          response: replies({ 200: Cart }),
        },
      },
      async (request) => selectAllCartItems(ctx, memberOf(request), request.body.selected),
    );
  };
