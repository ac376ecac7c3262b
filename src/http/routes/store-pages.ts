import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { storePageLayout } from '../../flows/store-home-page.ts';
import { storeById } from '../../merchants/store-by-id.ts';
import { resetPageLayout, savePageLayout } from '../../merchants/store-pages.ts';
import { requireStaff, staffOf } from '../authenticate.ts';
import { Id, Nullable, NullableDateTime, replies, ShortText, Strict, Url } from '../schemas.ts';

const Block = Type.Union([
  Strict({ type: Type.Literal('search'), placeholder: ShortText(30) }),
  Strict({
    type: Type.Literal('banner'),
    slides: Type.Array(Strict({ imageUrl: Url, productId: Nullable(Id) }), { minItems: 1, maxItems: 10 }),
  }),
  Strict({ type: Type.Literal('notice'), text: ShortText(200, 1) }),
  Strict({
    type: Type.Literal('navigation'),
    entries: Type.Array(Strict({ text: ShortText(10, 1), imageUrl: Url, categoryId: Nullable(Id) }), {
      minItems: 1,
      maxItems: 10,
    }),
  }),
  Strict({
    type: Type.Literal('products'),
    title: ShortText(30),
    source: Type.Union([Type.Literal('newest'), Type.Literal('chosen')], {
      description: 'newest: the newest products on sale; chosen: productIds in their order',
    }),
    productIds: Type.Array(Id, { maxItems: 20 }),
    count: Type.Integer({ minimum: 1, maximum: 20, description: 'at most this many products shown' }),
  }),
]);
const Layout = Strict({
  title: ShortText(30, 1),
  blocks: Type.Array(Block, { maxItems: 20, description: 'drawn top to bottom' }),
});
const PageReply = Type.Object({
  storeId: Type.Integer(),
  isDefault: Type.Boolean({ description: 'true: nothing saved yet, the page is built from the catalog' }),
  updatedAt: NullableDateTime,
  layout: Layout,
});
const StoreParams = Strict({ storeId: Id });

/**
 * A store's home page layout for staff: read it (the default built from the catalog until one is saved), replace
 * it, or drop it to go back to the default. The shop front ends (YoShop's `page/detail`) draw it.
 */
export const storePageRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const base = { tags: ['admin'], security: [{ bearer: [] }], params: StoreParams };
    const ownStore = async (merchantId: number, storeId: number) => {
      const store = await storeById(ctx, storeId);
      if (!store || store.merchantId !== merchantId) throw notFound('store', { storeId });
    };
    const pageOf = async (merchantId: number, storeId: number) => ({
      storeId,
      ...(await storePageLayout(ctx, merchantId, storeId)),
    });

    app.get(
      '/v1/admin/stores/:storeId/page',
      {
        schema: { ...base, summary: 'The store’s home page layout', response: replies({ 200: PageReply }) },
        preHandler: requireStaff(),
      },
      async (request) => {
        const { merchantId } = staffOf(request);
        await ownStore(merchantId, request.params.storeId);
        return pageOf(merchantId, request.params.storeId);
      },
    );
    app.put(
      '/v1/admin/stores/:storeId/page',
      {
        schema: {
          ...base,
          summary: 'Replace the store’s home page layout',
          body: Layout,
          response: replies({ 200: PageReply }),
        },
        preHandler: requireStaff('admin'),
      },
      async (request) => {
        const { merchantId, staffId } = staffOf(request);
        await savePageLayout(ctx, merchantId, request.params.storeId, request.body, staffId);
        return pageOf(merchantId, request.params.storeId);
      },
    );
    app.delete(
      '/v1/admin/stores/:storeId/page',
      {
        schema: {
          ...base,
          summary: 'Drop the saved layout: the store shows its default page again',
          response: replies({ 204: Type.Null() }),
        },
        preHandler: requireStaff('admin'),
      },
      async (request, reply) => {
        const { merchantId } = staffOf(request);
        await ownStore(merchantId, request.params.storeId);
        await resetPageLayout(ctx, merchantId, request.params.storeId);
        return reply.status(204).send(null);
      },
    );
  };
