import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../../context.ts';
import { cancelOrder } from '../../../flows/cancel-order.ts';
import { getCart } from '../../../flows/manage-cart.ts';
import { placeOrder } from '../../../flows/place-order.ts';
import { startPayment } from '../../../flows/start-payment.ts';
import { getOrder } from '../../../orders/get-order.ts';
import { listOrderPage } from '../../../orders/list-orders.ts';
import { firstParcelTimes } from '../../../orders/first-parcel-times.ts';
import type { OrderView } from '../../../orders/order-view.ts';
import { lastRefundTimes } from '../../../refunds/last-refund-times.ts';
import { MALL_STATUS, ok, pageInfo, PAY_TYPES, toMallOrder, type MappingEnv } from '../mapping.ts';
import { CLIENT, IdOrDigits, MallError, PageQuery, Text, toInt } from '../params.ts';
import { requireLogin, signedIn } from '../session.ts';

const OrderNoParam = Type.Object({ orderNo: Type.String({ pattern: '^\\d{1,20}$' }) });
const PayBody = Type.Object({
  orderId: Type.Union([Type.String({ pattern: '^\\d{1,20}$' }), Type.Integer({ minimum: 1 })]),
  // The client sends a fixed name and amount (0.01): the order decides what is paid, so both are ignored.
  orderName: Type.Optional(Text(200)),
  amount: Type.Optional(Type.Union([Type.Number(), Type.String({ maxLength: 20 })])),
  payType: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal('1'), Type.Literal('2')]),
});

/** Ordering the cart's selected lines, the member's orders, cancelling one, and paying it. */
export const orderRoutes =
  (ctx: AppContext, env: MappingEnv): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addHook('onRequest', requireLogin);

    /** The orders as the mall shows them, with their first parcel's and last refund's times. */
    async function mallOrders(orders: OrderView[]) {
      const ids = orders.map((o) => o.id);
      const [parcels, refunds] = await Promise.all([firstParcelTimes(ctx, ids), lastRefundTimes(ctx, ids)]);
      return orders.map((o) =>
        toMallOrder(o, { firstParcelAt: parcels.get(o.id) ?? null, lastRefundAt: refunds.get(o.id) ?? null }, env),
      );
    }
    const mallOrder = async (order: OrderView) => (await mallOrders([order]))[0]!;

    app.post('/orders', { schema: { body: Type.Object({ shippingId: IdOrDigits }) } }, async (request) => {
      const m = signedIn(request);
      const shippingId = toInt(request.body.shippingId);
      // The client sends no idempotency key. The selected cart lines (their ids are never reused: ordering deletes
      // them) and the address name one checkout, so a retried or doubled submit returns the same order.
      const selected = (await getCart(ctx, m)).items.filter((i) => i.selected).map((i) => i.id);
      const idempotencyKey = selected.length
        ? `mall:${createHash('sha256')
            .update(`${selected.join(',')}|${shippingId}`)
            .digest('hex')}`
        : undefined;
      const placed = await placeOrder(ctx, {
        merchantId: m.merchantId,
        memberId: m.memberId,
        source: { from: 'cart' },
        addressId: shippingId,
        client: CLIENT,
        idempotencyKey,
      });
      return ok(await mallOrder(await getOrder(ctx, m, placed.orderNo)));
    });

    app.get('/orders', { schema: { querystring: PageQuery } }, async (request) => {
      const { pageNum, pageSize } = request.query;
      const { items, total } = await listOrderPage(ctx, signedIn(request), {}, pageNum, pageSize);
      return ok(pageInfo(await mallOrders(items), { pageNum, pageSize, total }));
    });

    app.get('/orders/:orderNo', { schema: { params: OrderNoParam } }, async (request) =>
      ok(await mallOrder(await getOrder(ctx, signedIn(request), request.params.orderNo))),
    );

    app.put('/orders/:orderNo', { schema: { params: OrderNoParam } }, async (request) => {
      const m = signedIn(request);
      await cancelOrder(ctx, m, request.params.orderNo, '用户取消');
      return ok(await mallOrder(await getOrder(ctx, m, request.params.orderNo)));
    });

    app.post('/pay', { schema: { body: PayBody } }, async (request) => {
      const { method, channel } = PAY_TYPES[toInt(request.body.payType) as keyof typeof PAY_TYPES];
      const started = await startPayment(ctx, signedIn(request), {
        orderNo: String(request.body.orderId),
        method,
        channel,
        client: CLIENT,
        clientIp: request.ip,
      });
      const action = started.action;
      if (action?.kind === 'qr') return ok({ content: action.content });
      if (action?.kind === 'form') return ok({ content: action.html });
      if (action?.kind === 'redirect') return ok({ content: action.url });
      throw new MallError(MALL_STATUS.error, '支付方式暂不可用');
    });
  };
