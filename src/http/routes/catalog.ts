import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { adjustStock } from '../../catalog/adjust-stock.ts';
import { createCategory, listCategories, updateCategory } from '../../catalog/categories.ts';
import { createProduct, getProduct, listProducts, updateProduct } from '../../catalog/products.ts';
import { MAX_SKUS, MAX_SPEC_GROUPS } from '../../catalog/specs.ts';
import type { AppContext } from '../../context.ts';
import { listStores } from '../../merchants/stores.ts';
import { requireStaff, staffOf } from '../authenticate.ts';
import { Changes, DateTime, Fen, Id, Nullable, replies, ShortText, Strict, Url } from '../schemas.ts';
import { StoreSchema } from './merchant-setup.ts';
import { lagTolerantReads, ReadPositionHeaders } from '../read-position.ts';

const Category = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  name: Type.String(),
  imageUrl: Type.String(),
  sort: Type.Integer(),
});
const ProductOption = Type.Object(
  {
    id: Type.Integer(),
    group: Type.String(),
    title: Type.String(),
    price: Fen,
    stock: Type.Integer(),
  },
  { description: 'a spec value as option clients read it: its group, add-on price and the stock of its SKUs' },
);
const SpecGroup = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  values: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), price: Fen })),
});
const Sku = Type.Object({
  id: Type.Integer(),
  specValueIds: Type.Array(Type.Integer(), { description: 'one value of each spec group, in their order' }),
  code: Type.String(),
  imageUrl: Type.String(),
  price: Fen,
  listPrice: Fen,
  stock: Type.Integer(),
  sold: Type.Integer(),
});
const Product = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  storeId: Nullable(Type.Integer()),
  categoryId: Nullable(Type.Integer()),
  title: Type.String(),
  subtitle: Type.String(),
  internalTitle: Type.String(),
  articleNo: Type.String(),
  coverUrl: Type.String(),
  imageUrls: Type.Array(Type.String()),
  detail: Type.String(),
  price: Fen,
  listPrice: Fen,
  stock: Type.Integer(),
  sold: Type.Integer(),
  onSale: Type.Boolean(),
  specs: Type.Array(SpecGroup),
  skus: Type.Array(Sku),
  options: Type.Array(ProductOption),
  createdAt: DateTime,
  updatedAt: DateTime,
});
const ProductPage = Type.Object({
  items: Type.Array(Product),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
const Stock = Type.Integer({ minimum: 0, maximum: 10_000_000 });
const ProductFields = {
  storeId: Type.Optional(Nullable(Id)),
  categoryId: Type.Optional(Nullable(Id)),
  title: ShortText(200, 1),
  subtitle: Type.Optional(ShortText(500)),
  internalTitle: Type.Optional(ShortText(200)),
  articleNo: Type.Optional(ShortText(64)),
  coverUrl: Type.Optional(Url),
  imageUrls: Type.Optional(Type.Array(Url, { maxItems: 20 })),
  detail: Type.Optional(ShortText(20_000)),
  price: Fen,
  listPrice: Type.Optional(Fen),
  onSale: Type.Optional(Type.Boolean()),
};
const ProductQuery = Type.Object(
  {
    categoryId: Type.Optional(Id),
    keyword: Type.Optional(ShortText(100)),
    page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  },
  { additionalProperties: false },
);
const MerchantQuery = Strict({ merchantId: Type.Optional(Id) });

export const catalogRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const shop = (merchantId?: number) => merchantId ?? ctx.config.defaultMerchantId;
    const security = [{ bearer: [] }];
    const admin = requireStaff('admin');

    app.get(
      '/v1/categories',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Product categories',
          querystring: MerchantQuery,
          headers: ReadPositionHeaders,
          response: replies({ 200: Type.Array(Category) }),
        },
      },
      async (request) => listCategories(await lagTolerantReads(ctx, request), shop(request.query.merchantId)),
    );
    app.get(
      '/v1/stores',
      {
        schema: {
          tags: ['catalog'],
          summary: 'The merchant stores',
          querystring: MerchantQuery,
          headers: ReadPositionHeaders,
          response: replies({ 200: Type.Array(StoreSchema) }),
        },
      },
      async (request) => listStores(await lagTolerantReads(ctx, request), shop(request.query.merchantId)),
    );
    app.get(
      '/v1/products',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Products on sale, by category or keyword, a page at a time',
          querystring: Type.Composite([ProductQuery, MerchantQuery], { additionalProperties: false }),
          headers: ReadPositionHeaders,
          response: replies({ 200: ProductPage }),
        },
      },
      async (request) => {
        const { merchantId, ...query } = request.query;
        const reads = await lagTolerantReads(ctx, request);
        return {
          ...(await listProducts(reads, shop(merchantId), { ...query, onSaleOnly: true })),
          page: query.page,
          pageSize: query.pageSize,
        };
      },
    );
    app.get(
      '/v1/products/:productId',
      {
        schema: {
          tags: ['catalog'],
          summary: 'One product with its spec groups and SKUs',
          params: Strict({ productId: Id }),
          querystring: MerchantQuery,
          headers: ReadPositionHeaders,
          response: replies({ 200: Product }),
        },
      },
      async (request) =>
        getProduct(await lagTolerantReads(ctx, request), shop(request.query.merchantId), request.params.productId, {
          onSaleOnly: true,
        }),
    );

    app.post(
      '/v1/admin/categories',
      {
        schema: {
          tags: ['admin'],
          summary: 'Create a category',
          security,
          body: Strict({
            name: ShortText(60, 1),
            parentId: Type.Optional(Nullable(Id)),
            imageUrl: Type.Optional(Url),
            sort: Type.Optional(Type.Integer({ minimum: -1e6, maximum: 1e6 })),
          }),
          response: replies({ 201: Category }),
        },
        preHandler: admin,
      },
      async (request, reply) =>
        reply.status(201).send(await createCategory(ctx, staffOf(request).merchantId, request.body)),
    );
    app.patch(
      '/v1/admin/categories/:categoryId',
      {
        schema: {
          tags: ['admin'],
          summary: 'Edit a category',
          security,
          params: Strict({ categoryId: Id }),
          body: Changes(
            Strict({
              name: ShortText(60, 1),
              parentId: Nullable(Id),
              imageUrl: Url,
              sort: Type.Integer({ minimum: -1e6, maximum: 1e6 }),
            }),
          ),
          response: replies({ 200: Category }),
        },
        preHandler: admin,
      },
      async (request) => updateCategory(ctx, staffOf(request).merchantId, request.params.categoryId, request.body),
    );
    app.get(
      '/v1/admin/products',
      {
        schema: {
          tags: ['admin'],
          summary: 'All products, on sale or not',
          security,
          querystring: ProductQuery,
          headers: ReadPositionHeaders,
          response: replies({ 200: ProductPage }),
        },
        preHandler: requireStaff(),
      },
      async (request) => ({
        ...(await listProducts(await lagTolerantReads(ctx, request), staffOf(request).merchantId, {
          ...request.query,
          onSaleOnly: false,
        })),
        page: request.query.page,
        pageSize: request.query.pageSize,
      }),
    );
    app.post(
      '/v1/admin/products',
      {
        schema: {
          tags: ['admin'],
          summary: 'Create a product, optionally with spec groups and one SKU per combination sold',
          security,
          body: Strict({
            ...ProductFields,
            stock: Type.Optional(Stock),
            specs: Type.Optional(
              Type.Array(
                Strict({
                  name: ShortText(40, 1),
                  values: Type.Array(Strict({ title: ShortText(60, 1), price: Type.Optional(Fen) }), {
                    minItems: 1,
                    maxItems: 50,
                  }),
                }),
                { maxItems: MAX_SPEC_GROUPS },
              ),
            ),
            skus: Type.Optional(
              Type.Array(
                Strict({
                  values: Type.Array(ShortText(60, 1), { maxItems: MAX_SPEC_GROUPS }),
                  price: Type.Optional(Fen),
                  listPrice: Type.Optional(Fen),
                  stock: Stock,
                  code: Type.Optional(ShortText(64)),
                  imageUrl: Type.Optional(Url),
                }),
                { maxItems: MAX_SKUS },
              ),
            ),
            options: Type.Optional(
              Type.Array(
                Strict({
                  group: Type.Optional(ShortText(40)),
                  title: ShortText(60, 1),
                  price: Type.Optional(Fen),
                  stock: Stock,
                }),
                { maxItems: 50 },
              ),
            ),
          }),
          response: replies({ 201: Product }),
        },
        preHandler: admin,
      },
      async (request, reply) =>
        reply.status(201).send(await createProduct(ctx, staffOf(request).merchantId, request.body)),
    );
    app.patch(
      '/v1/admin/products/:productId',
      {
        schema: {
          tags: ['admin'],
          summary: 'Edit a product (stock moves through stock adjustments)',
          security,
          params: Strict({ productId: Id }),
          body: Changes(Strict(ProductFields)),
          response: replies({ 200: Product }),
        },
        preHandler: admin,
      },
      async (request) => updateProduct(ctx, staffOf(request).merchantId, request.params.productId, request.body),
    );
    app.post(
      '/v1/admin/products/:productId/stock-adjustments',
      {
        schema: {
          tags: ['admin'],
          summary: 'Add or remove stock of a product, or of one of its SKUs (which moves the product’s stock too)',
          security,
          params: Strict({ productId: Id }),
          body: Strict({
            delta: Type.Integer({ minimum: -10_000_000, maximum: 10_000_000, not: { const: 0 } }),
            skuId: Type.Optional(Id),
          }),
          response: replies({ 200: Type.Object({ stock: Type.Integer() }) }),
        },
        preHandler: requireStaff(),
      },
      async (request) =>
        adjustStock(ctx, staffOf(request).merchantId, { productId: request.params.productId, ...request.body }),
    );
  };
