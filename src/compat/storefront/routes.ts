import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { principalOfToken } from '../../auth/principal-of-token.ts';
import type { Principal } from '../../auth/tokens.ts';
import { listProductStock } from '../../catalog/product-stock.ts';
import type { AppContext } from '../../context.ts';
import { codedRefusal, installDialectErrors } from '../dialect-errors.ts';
import { AppError } from '../../errors.ts';
import { listStores } from '../../merchants/stores.ts';
import { getOrder } from '../../orders/get-order.ts';
import { listOrderPage } from '../../orders/list-orders.ts';
import { orderNoOfId } from '../../orders/order-no-of-id.ts';
import type { OrderView } from '../../orders/order-view.ts';
import { reviewedOrderIds } from '../../orders/reviewed-orders.ts';
import { goodsSnapshots } from '../../orders/goods-snapshot.ts';
import { listOrderPayments } from '../../payments/list-order-payments.ts';
import type { Client } from '../../payments/payment-methods.ts';
import { storePaymentMethods } from '../../payments/store-payment-methods.ts';
import { latestRefundNumbers } from '../../refunds/latest-refund-numbers.ts';
import {
  storefrontError,
  storefrontOk,
  toStorefrontOrder,
  type CatalogFact,
  type Coordinates,
  type PaymentFact,
  type StorefrontFacts,
} from './mapping.ts';

/**
 * The storefront dialect (seed 003), read-only: `GET /api/order/detail?order_id=` and `GET /api/order/list?page&limit`
 * under its prefix (default /storefront). The buyer signs in with an ordo member token in the `token` header.
 * Every answer is HTTP 200 with the seed's envelope: `{status:200,msg:"ok",data,other:[]}` or `{status:0,msg}`.
 * The list answers `data: {list: [<the detail's data>…], total, page}`, newest first.
 */

// Query strings are text; the patterns keep "abc" or "1e3" from ever reaching a query.
const Coordinate = Type.Optional(Type.String({ pattern: '^$|^-?\\d{1,3}(\\.\\d{1,12})?$' }));
const DetailQuery = Type.Object({
  order_id: Type.String({ pattern: '^[1-9]\\d{0,14}$' }),
  lng: Coordinate,
  lat: Coordinate,
});
const ListQuery = Type.Object({
  page: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,5}$' })),
  limit: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,1}$' })),
  lng: Coordinate,
  lat: Coordinate,
});
const MAX_LIMIT = 50;
const DEFAULT_LIMIT = 10;

export const storefrontDialect =
  (ctx: AppContext): FastifyPluginAsync =>
  async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    installDialectErrors(app, {
      name: 'storefront',
      refusal: codedRefusal((_code, message) => storefrontError(message)),
      failure: storefrontError,
      busyMessage: '系统繁忙，请稍后再试',
      unhandledStatus: 500,
      notFound: { status: 404, message: (method, path) => `接口不存在：${method} ${path}` },
    });

    // The member behind the `token` header, checked before the parameters (a signed-out client is told so first).
    const requireMember = async (request: FastifyRequest) => {
      const raw = request.headers.token;
      const principal = await principalOfToken(ctx, typeof raw === 'string' ? raw.trim() : null);
      if (principal?.kind !== 'member')
        throw new AppError('unauthorized', 'sign in first: send the member token in the token header');
      request.principal = principal;
    };
    const hidden = { hide: true };

    app.get(
      '/api/order/detail',
      { schema: { ...hidden, querystring: DetailQuery }, preValidation: requireMember },
      async (request) => {
        const principal = request.principal!;
        const caller = callerCoordinates(request.query);
        // order_id is ordo's order id; the canonical read takes the order number, found within the member's scope.
        const order = await getOrder(ctx, principal, await orderNoOfId(ctx, principal, Number(request.query.order_id)));
        const facts = await loadFacts(ctx, principal, [order]);
        const settings = { timeZone: ctx.config.timeZone, publicUrl: ctx.config.publicUrl, caller };
        return storefrontOk(toStorefrontOrder(order, facts.get(order.id)!, settings));
      },
    );

    app.get(
      '/api/order/list',
      { schema: { ...hidden, querystring: ListQuery }, preValidation: requireMember },
      async (request) => {
        const principal = request.principal!;
        const caller = callerCoordinates(request.query);
        const page = Number(request.query.page ?? 1);
        const limit = Math.min(Number(request.query.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
        const { items: orders, total } = await listOrderPage(ctx, principal, {}, page, limit);
        const facts = await loadFacts(ctx, principal, orders);
        const settings = { timeZone: ctx.config.timeZone, publicUrl: ctx.config.publicUrl, caller };
        return storefrontOk({ list: orders.map((o) => toStorefrontOrder(o, facts.get(o.id)!, settings)), total, page });
      },
    );
  };

function callerCoordinates(query: { lng?: string; lat?: string }): Coordinates | null {
  const lng = query.lng ?? '';
  const lat = query.lat ?? '';
  if (lng === '' && lat === '') return null;
  if (lng === '' || lat === '') throw new AppError('validation_failed', '参数错误：lng 和 lat 需同时提供');
  const coordinates = { lng: Number(lng), lat: Number(lat) };
  if (Math.abs(coordinates.lng) > 180) throw new AppError('validation_failed', '参数错误：lng');
  if (Math.abs(coordinates.lat) > 90) throw new AppError('validation_failed', '参数错误：lat');
  return coordinates;
}

/**
 * The payments, latest refund number, review and goods snapshot the mapping needs, per order id; the store's
 * payment methods for orders not paid yet; the store and catalog as they are now only for orders placed before
 * snapshots were kept.
 */
async function loadFacts(
  ctx: AppContext,
  principal: Principal,
  orders: OrderView[],
): Promise<Map<number, StorefrontFacts>> {
  const ids = orders.map((o) => o.id);
  const [payments, refundNos, reviewed, snapshots] = await Promise.all([
    listOrderPayments(ctx, ids),
    latestRefundNumbers(ctx, ids),
    reviewedOrderIds(ctx, ids),
    goodsSnapshots(ctx, ids),
  ]);
  const unsnapshotted = orders.filter((o) => !snapshots.has(o.id));
  const productIds = [
    ...new Set(unsnapshotted.flatMap((o) => o.lines.map((l) => l.productId)).filter((id): id is number => id !== null)),
  ];
  const [stores, products] = await Promise.all([
    unsnapshotted.length ? listStores(ctx, principal.merchantId) : [],
    listProductStock(ctx, principal.merchantId, productIds),
  ]);
  const offered = new Map<string, string[]>();
  for (const o of orders) {
    const key = `${o.storeId}|${o.client}`;
    if (offered.has(key) || payments.some((p) => p.orderId === o.id)) continue;
    const settings = (await storePaymentMethods(ctx, o.storeId, o.client as Client)).filter((s) => s.enabled);
    offered.set(
      key,
      [...settings.filter((s) => s.isDefault), ...settings.filter((s) => !s.isDefault)].map((s) => s.method),
    );
  }
  const catalog = new Map<number, CatalogFact>(
    products.map((p) => [
      p.id,
      { stock: p.stock, categoryId: p.categoryId, optionStock: new Map(p.options.map((o) => [o.id, o.stock])) },
    ]),
  );
  return new Map(
    orders.map((o) => [
      o.id,
      {
        payments: payments
          .filter((p) => p.orderId === o.id)
          .map((p): PaymentFact => ({ id: p.id, method: p.method, status: p.status })),
        offeredMethods: offered.get(`${o.storeId}|${o.client}`) ?? [],
        snapshot: snapshots.get(o.id) ?? null,
        latestRefundNo: refundNos.get(o.id) ?? null,
        reviewed: reviewed.has(o.id),
        store: stores.find((s) => s.id === o.storeId) ?? null,
        catalog,
      },
    ]),
  );
}
