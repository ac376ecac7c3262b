import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { signedRequestOf, spendNonce, verifySignature } from '../../merchants/signed-requests.ts';
import { cancelOrder } from '../../flows/cancel-order.ts';
import { getOrder } from '../../orders/get-order.ts';
import { syncPayment } from '../../flows/sync-payment.ts';
import { createTradeOrder } from '../../flows/create-trade-order.ts';
import { endDeposit } from '../../flows/deposits.ts';
import { payTradeOrderByMethod } from '../../flows/pay-trade-order-by-method.ts';
import { refundTradeOrder } from '../../flows/refund-trade-order.ts';
import { tradeOrderExtras } from '../../orders/trade-order-view.ts';
import { Fen, Id, Nullable, NullableDateTime, OrderDetail, OrderNo, replies, ShortText, Strict } from '../schemas.ts';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

const TradeOrder = Type.Object({
  order: OrderDetail,
  merchantOrderNo: Nullable(Type.String()),
  appId: Nullable(Type.String()),
  tradeType: Type.String({ description: 'sale or recharge' }),
  depositStatus: Nullable(Type.String({ description: 'held, settled (consumed) or released (returned)' })),
  depositConsumed: Fen,
  subject: Type.String(),
  couponCode: Type.String(),
  clientIp: Type.String(),
  device: Type.String(),
  store: Type.Object({ id: Type.Integer(), name: Type.String() }),
  operator: Nullable(Type.Object({ id: Type.Integer(), name: Type.String() })),
  member: Nullable(Type.Object({ id: Type.Integer(), mobile: Nullable(Type.String()) })),
  payment: Nullable(
    Type.Object({
      outTradeNo: Type.String(),
      method: Type.String(),
      channel: Type.String(),
      status: Type.String(),
      providerTradeId: Nullable(Type.String()),
      paidAt: NullableDateTime,
    }),
  ),
});
const TradeParams = Strict({ tradeOrderNo: OrderNo });

/**
 * The signed server-to-server API for a merchant's own systems (tills, shop backends). Every request carries
 * X-Ordo-App-Id, X-Ordo-Timestamp, X-Ordo-Nonce and X-Ordo-Signature (HMAC-SHA256 over method, path, query,
 * timestamp, nonce and the raw body; see the README); bodies are kept raw for that.
 */
export const merchantApiRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Fastify's own JSON parser (refusing __proto__ poisoning and empty bodies), keeping the raw text to verify.
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      request.rawBody = body as string;
      parseJson(request, body as string, done);
    });
    // Before validation: an unsigned request is told so, whatever its body looks like.
    app.addHook('preValidation', async (request: FastifyRequest) => {
      const principal = await verifySignature(
        ctx,
        signedRequestOf(request, request.rawBody ?? (typeof request.body === 'string' ? request.body : '')),
      );
      request.principal = { kind: 'app', ...principal };
    });
    // The nonce is spent once the request is valid: a refused request writes nothing, and replaying it is refused again.
    app.addHook('preHandler', async (request: FastifyRequest) => {
      await spendNonce(
        ctx,
        appOf(request).appId,
        String(request.headers['x-ordo-nonce']),
        String(request.headers['x-ordo-timestamp']),
      );
    });
    const appOf = (request: FastifyRequest) =>
      request.principal as Extract<NonNullable<FastifyRequest['principal']>, { kind: 'app' }>;
    const base = { tags: ['merchant API'], security: [{ signed: [] }] };
    const view = async (request: FastifyRequest, orderNo: string) => {
      const order = await getOrder(ctx, appOf(request), orderNo);
      if (order.orderType !== 'pos' && order.orderType !== 'recharge') throw notFound('trade order', { orderNo });
      return { order, ...(await tradeOrderExtras(ctx.db, order)) };
    };

    const Line = Strict({
      productId: Nullable(Id),
      title: ShortText(120, 1),
      spec: Type.Optional(ShortText(120)),
      listPrice: Fen,
      price: Fen,
      quantity: Type.Integer({ minimum: 1, maximum: 9999 }),
      discount: Type.Optional(Fen),
    });
    app.post(
      '/v1/merchant/trade-orders',
      {
        schema: {
          ...base,
          summary: 'Record a till sale or member recharge; the same merchantOrderNo returns the same trade order',
          body: Strict({
            merchantOrderNo: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
            tradeType: Type.Union([Type.Literal('sale'), Type.Literal('recharge')]),
            depositMode: Type.Optional(Type.Boolean()),
            storeId: Id,
            operatorId: Type.Optional(Id),
            memberId: Type.Optional(Id),
            couponCode: Type.Optional(ShortText(64)),
            orderDiscount: Type.Optional(Fen),
            subject: Type.Optional(ShortText(120)),
            clientIp: Type.Optional(ShortText(45)),
            device: Type.Optional(ShortText(64)),
            lines: Type.Array(Line, { minItems: 1, maxItems: 100 }),
          }),
          response: replies({ 200: TradeOrder, 201: TradeOrder }),
        },
      },
      async (request, reply) => {
        const created = await createTradeOrder(ctx, appOf(request), request.body);
        return reply.status(created.created ? 201 : 200).send(await view(request, created.orderNo));
      },
    );
    app.get(
      '/v1/merchant/trade-orders/:tradeOrderNo',
      {
        schema: {
          ...base,
          summary: 'A trade order; a payment the customer is still confirming is checked with the gateway first',
          params: TradeParams,
          response: replies({ 200: TradeOrder }),
        },
      },
      async (request) => {
        const order = await ctx.db
          .selectFrom('orders')
          .select('id')
          .where('order_no', '=', request.params.tradeOrderNo)
          .where('merchant_id', '=', appOf(request).merchantId)
          .executeTakeFirst();
        const waiting =
          order &&
          (await ctx.db
            .selectFrom('payments')
            .selectAll()
            .where('order_id', '=', order.id)
            .where('status', '=', 'processing')
            .executeTakeFirst());
        if (waiting) await syncPayment(ctx, waiting);
        return view(request, request.params.tradeOrderNo);
      },
    );
    app.post(
      '/v1/merchant/trade-orders/:tradeOrderNo/pay',
      {
        schema: {
          ...base,
          summary: 'Collect: a scanned payment code, cash, the member balance, or a QR for the customer to scan',
          params: TradeParams,
          body: Type.Union([
            Strict({ method: Type.Literal('code'), authCode: Type.String({ pattern: '^\\d{16,24}$' }) }),
            Strict({ method: Type.Literal('cash'), amount: Fen, operatorId: Id }),
            Strict({ method: Type.Literal('balance') }),
            Strict({ method: Type.Union([Type.Literal('wechat'), Type.Literal('alipay')]) }),
          ]),
          response: replies({
            200: Type.Object({
              result: Type.String({ description: 'paid, paying, failed, or qr' }),
              qrContent: Type.Optional(Type.String()),
              tradeOrder: TradeOrder,
            }),
          }),
        },
      },
      async (request) => {
        const body = request.body;
        const no = request.params.tradeOrderNo;
        const paid = await payTradeOrderByMethod(
          ctx,
          appOf(request),
          no,
          body.method === 'code' || body.method === 'wechat' || body.method === 'alipay'
            ? { ...body, clientIp: request.ip }
            : body,
        );
        return { ...paid, tradeOrder: await view(request, no) };
      },
    );
    app.post(
      '/v1/merchant/trade-orders/:tradeOrderNo/refund',
      {
        schema: {
          ...base,
          summary: 'Give money back, partly or fully, with an operator’s refund password',
          params: TradeParams,
          body: Strict({
            amount: Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 }),
            operatorId: Id,
            refundPassword: ShortText(64, 1),
            reason: Type.Optional(ShortText(200)),
          }),
          response: replies({
            200: Type.Object({ refundNo: Type.String(), status: Type.String(), tradeOrder: TradeOrder }),
          }),
        },
      },
      async (request) => {
        const refund = await refundTradeOrder(ctx, appOf(request), request.params.tradeOrderNo, request.body);
        return { ...refund, tradeOrder: await view(request, request.params.tradeOrderNo) };
      },
    );
    app.post(
      '/v1/merchant/trade-orders/:tradeOrderNo/close',
      {
        schema: {
          ...base,
          summary: 'Close an unpaid trade order (a waiting payment is closed at the gateway first)',
          params: TradeParams,
          response: replies({ 200: TradeOrder }),
        },
      },
      async (request) => {
        await view(request, request.params.tradeOrderNo);
        await cancelOrder(ctx, appOf(request), request.params.tradeOrderNo, 'closed by the till');
        return view(request, request.params.tradeOrderNo);
      },
    );
    app.post(
      '/v1/merchant/trade-orders/:tradeOrderNo/deposit/consume',
      {
        schema: {
          ...base,
          summary: 'Keep part or all of a held deposit; the rest goes back the way it was paid',
          params: TradeParams,
          body: Strict({ amount: Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 }) }),
          response: replies({ 200: Type.Object({ status: Type.String(), returned: Fen, tradeOrder: TradeOrder }) }),
        },
      },
      async (request) => ({
        ...(await endDeposit(ctx, appOf(request), request.params.tradeOrderNo, request.body.amount)),
        tradeOrder: await view(request, request.params.tradeOrderNo),
      }),
    );
    app.post(
      '/v1/merchant/trade-orders/:tradeOrderNo/deposit/release',
      {
        schema: {
          ...base,
          summary: 'Return a held deposit in full',
          params: TradeParams,
          response: replies({ 200: Type.Object({ status: Type.String(), returned: Fen, tradeOrder: TradeOrder }) }),
        },
      },
      async (request) => ({
        ...(await endDeposit(ctx, appOf(request), request.params.tradeOrderNo, 0)),
        tradeOrder: await view(request, request.params.tradeOrderNo),
      }),
    );
  };
