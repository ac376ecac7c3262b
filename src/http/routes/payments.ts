import multipart, { type Multipart } from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import QRCode from 'qrcode';
import type { AppContext } from '../../context.ts';
import { AppError, notFound } from '../../errors.ts';
import { listLedger } from '../../members/ledger.ts';
import { listRechargeRules } from '../../members/recharge-rules.ts';
import { MAX_RECHARGE, MIN_RECHARGE, startRecharge } from '../../flows/start-recharge.ts';
import { orderInScope } from '../../orders/order-in-scope.ts';
import { paymentByOutTradeNo } from '../../payments/payment-by-out-trade-no.ts';
import { paymentInScope } from '../../flows/payment-in-scope.ts';
import { CLIENTS, listMethodSettings } from '../../payments/payment-methods.ts';
import { toPaymentView } from '../../payments/payment-view.ts';
import { startPayment } from '../../flows/start-payment.ts';
import {
  MAX_VOUCHER_BYTES,
  MAX_VOUCHER_IMAGES,
  submitVoucher,
  VOUCHER_METHODS,
  type VoucherImage,
  type VoucherMethod,
} from '../../flows/submit-voucher.ts';
import { syncPayment } from '../../flows/sync-payment.ts';
import { memberOf, requireMember, requireSignedIn } from '../authenticate.ts';
import { openEventStream } from '../event-stream.ts';
import { Client, DateTime, Fen, Nullable, NullableDateTime, OrderNo, replies, ShortText, Strict } from '../schemas.ts';
import { afterWrite, ownWriteReads, ReadPositionHeaders, sendingReadPositions } from '../read-position.ts';

const OutTradeNo = Type.String({ pattern: '^[0-9A-Za-z_-]{6,32}$' });
const Action = Type.Union([
  Type.Object({ kind: Type.Literal('qr'), content: Type.String() }),
  Type.Object({ kind: Type.Literal('redirect'), url: Type.String() }),
  Type.Object({ kind: Type.Literal('form'), html: Type.String() }),
  Type.Object({ kind: Type.Literal('sdk_params'), params: Type.Record(Type.String(), Type.String()) }),
]);
export const Payment = Type.Object({
  outTradeNo: Type.String(),
  method: Type.String(),
  channel: Type.String(),
  status: Type.String({ description: 'processing, paid, closed, failed, partially_refunded, refunded' }),
  amount: Fen,
  refundedAmount: Fen,
  action: Nullable(Action),
  reviewNote: Type.String(),
  createdAt: DateTime,
  paidAt: NullableDateTime,
  closedAt: NullableDateTime,
});
const OrderParams = Strict({ orderNo: OrderNo });
const PaymentParams = Strict({ outTradeNo: OutTradeNo });

/** The buyer-facing cashier: methods, starting a payment, its status, QR images, a live status stream, vouchers. */
export const paymentRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const base = { tags: ['cashier'], security: [{ bearer: [] }] };

    const orderFor = (request: Parameters<typeof requireSignedIn>[0], orderNo: string) =>
      orderInScope(ctx, request.principal!, orderNo);
    const paymentFor = async (request: Parameters<typeof requireSignedIn>[0], outTradeNo: string) => {
      const payment = await paymentInScope(ctx, request.principal!, outTradeNo);
      if (!payment) throw notFound('payment', { outTradeNo });
      return payment;
    };

    app.get(
      '/v1/orders/:orderNo/payment-methods',
      {
        schema: {
          ...base,
          summary: 'The payment methods this order can use on this client, default first',
          params: OrderParams,
          querystring: Strict({ client: Client }),
          response: replies({
            200: Type.Array(Type.Object({ method: Type.String(), channel: Type.String(), isDefault: Type.Boolean() })),
          }),
        },
        preHandler: requireSignedIn,
      },
      async (request) => {
        const order = await orderFor(request, request.params.orderNo);
        const settings = await listMethodSettings(ctx.db, order.store_id, request.query.client);
        return settings
          .filter(
            (s) => s.enabled && !(order.order_type === 'recharge' && s.method !== 'wechat' && s.method !== 'alipay'),
          )
          .sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
          .map((s) => ({ method: s.method, channel: s.channel, isDefault: s.isDefault }));
      },
    );

    app.post(
      '/v1/orders/:orderNo/payments',
      {
        schema: {
          ...base,
          summary:
            'Start paying: a QR / redirect / form / SDK action for WeChat and Alipay, or paid at once from the balance',
          description:
            'Starting again with the same method and channel shows the same attempt, also when starts arrive together (the others wait for the one asking the gateway, or get 409 conflict to retry); another method closes the earlier attempt first, once nothing can refuse the new payment (while an attempt is still being created, it gets 409 conflict).',
          params: OrderParams,
          body: Strict({
            method: Type.Union([Type.Literal('wechat'), Type.Literal('alipay'), Type.Literal('balance')]),
            channel: Type.Optional(
              Type.Union(
                ['native', 'jsapi', 'mini', 'h5', 'app', 'precreate', 'page', 'wap'].map((c) => Type.Literal(c)),
              ),
            ),
            client: Client,
            openId: Type.Optional(ShortText(128, 1)),
            returnUrl: Type.Optional(Type.String({ maxLength: 500, pattern: '^https?://' })),
          }),
          response: replies({ 200: afterWrite(Type.Object({ payment: Payment, action: Nullable(Action) })) }),
        },
        preHandler: requireSignedIn,
      },
      async (request) =>
        startPayment(ctx, request.principal!, {
          ...request.body,
          channel: request.body.channel as never,
          orderNo: request.params.orderNo,
          clientIp: request.ip,
        }),
    );

    app.get(
      '/v1/orders/:orderNo/payments',
      {
        schema: {
          ...base,
          summary: 'Every payment attempt of the order',
          params: OrderParams,
          headers: ReadPositionHeaders,
          response: replies({ 200: Type.Array(Payment) }),
        },
        preHandler: requireSignedIn,
      },
      async (request) => {
        const reads = await ownWriteReads(ctx, request);
        const order = await orderInScope(reads, request.principal!, request.params.orderNo);
        const rows = await reads.db
          .selectFrom('payments')
          .selectAll()
          .where('order_id', '=', order.id)
          .orderBy('id')
          .execute();
        return rows.map(toPaymentView);
      },
    );

    app.get(
      '/v1/payments/:outTradeNo',
      {
        schema: {
          ...base,
          summary: 'A payment attempt; with sync=true a waiting one is first checked with the gateway',
          params: PaymentParams,
          querystring: Strict({ sync: Type.Boolean({ default: false }) }),
          response: replies({ 200: Payment }),
        },
        preHandler: requireSignedIn,
      },
      async (request) => {
        const payment = await paymentFor(request, request.params.outTradeNo);
        if (request.query.sync) await syncPayment(ctx, payment);
        return toPaymentView((await paymentByOutTradeNo(ctx, payment.out_trade_no))!);
      },
    );

    app.get(
      '/v1/payments/:outTradeNo/qr.:format',
      {
        schema: {
          ...base,
          summary: 'The QR code of a waiting QR payment, as PNG or SVG (accepts ?access_token= for <img> tags)',
          params: Strict({ outTradeNo: OutTradeNo, format: Type.Union([Type.Literal('png'), Type.Literal('svg')]) }),
          querystring: Strict({ access_token: Type.Optional(Type.String({ maxLength: 100 })) }),
        },
        preHandler: requireSignedIn,
        config: { queryToken: true },
      },
      async (request, reply) => {
        const payment = await paymentFor(request, request.params.outTradeNo);
        const action = toPaymentView(payment).action;
        if (action?.kind !== 'qr') throw new AppError('not_found', 'this payment has no QR code to show');
        reply.header('cache-control', 'no-store');
        if (request.params.format === 'svg')
          return reply.type('image/svg+xml').send(await QRCode.toString(action.content, { type: 'svg', margin: 1 }));
        return reply
          .type('image/png')
          .send(await QRCode.toBuffer(action.content, { type: 'png', margin: 1, width: 320 }));
      },
    );

    app.get(
      '/v1/orders/:orderNo/stream',
      {
        schema: {
          ...base,
          summary:
            'Server-sent events with the order status, now and on every change (accepts ?access_token= for EventSource)',
          params: OrderParams,
          querystring: Strict({ access_token: Type.Optional(Type.String({ maxLength: 100 })) }),
        },
        preHandler: requireSignedIn,
        config: { queryToken: true },
      },
      async (request, reply) => {
        const order = await orderFor(request, request.params.orderNo);
        openEventStream(request, reply, 'status', (sendNow) => {
          const send = sendingReadPositions(ctx, sendNow);
          send({ orderNo: order.order_no, status: order.status, paymentStatus: order.payment_status });
          return ctx.orderUpdates.subscribe(order.order_no, ({ orderNo, status, paymentStatus }) =>
            send({ orderNo, status, paymentStatus }),
          );
        });
      },
    );

    // Multipart is parsed for the voucher upload only; everywhere else it stays an unsupported media type. Parts are
    // read into the body before any handler runs, so the boundary checks their text (request-boundary.ts).
    await app.register(async (scoped) => {
      await scoped.register(multipart, {
        attachFieldsToBody: true,
        limits: {
          files: MAX_VOUCHER_IMAGES,
          fileSize: MAX_VOUCHER_BYTES,
          fields: 5,
          fieldSize: 1000,
          parts: MAX_VOUCHER_IMAGES + 5,
        },
      });
      scoped.withTypeProvider<TypeBoxTypeProvider>().post(
        '/v1/orders/:orderNo/vouchers',
        {
          schema: {
            ...base,
            summary:
              'Pay offline: upload 1–9 pictures (PNG, JPEG, WebP, ≤ 5 MiB each) of the transfer proof as multipart fields `images`, with `method` and `client`',
            params: OrderParams,
            consumes: ['multipart/form-data'],
            response: replies({ 201: Payment }),
          },
          preHandler: requireSignedIn,
        },
        async (request, reply) => {
          if (!request.isMultipart())
            throw new AppError('validation_failed', 'send multipart/form-data with method, client and images');
          const fields: Record<string, string> = {};
          const images: VoucherImage[] = [];
          for (const part of Object.values((request.body ?? {}) as Record<string, Multipart | Multipart[]>).flat()) {
            if (part.type === 'file') images.push({ contentType: part.mimetype, data: await part.toBuffer() });
            else fields[part.fieldname] = String(part.value);
          }
          if (!(VOUCHER_METHODS as readonly string[]).includes(fields.method ?? ''))
            throw new AppError('validation_failed', `method must be one of ${VOUCHER_METHODS.join(', ')}`);
          if (!(CLIENTS as readonly string[]).includes(fields.client ?? ''))
            throw new AppError('validation_failed', `client must be one of ${CLIENTS.join(', ')}`);
          const payment = await submitVoucher(ctx, request.principal!, {
            orderNo: request.params.orderNo,
            method: fields.method as VoucherMethod,
            client: fields.client!,
            images,
            note: fields.note?.slice(0, 200),
          });
          return reply.status(201).send(payment);
        },
      );
    });

    app.get(
      '/v1/payments/:outTradeNo/vouchers',
      {
        schema: {
          ...base,
          summary: 'The voucher pictures of an offline payment (ids, types, sizes)',
          params: PaymentParams,
          response: replies({
            200: Type.Array(
              Type.Object({
                id: Type.Integer(),
                contentType: Type.String(),
                byteSize: Type.Integer(),
                createdAt: DateTime,
              }),
            ),
          }),
        },
        preHandler: requireSignedIn,
      },
      async (request) => {
        const payment = await paymentFor(request, request.params.outTradeNo);
        const rows = await ctx.db
          .selectFrom('voucher_images')
          .select(['id', 'content_type', 'byte_size', 'created_at'])
          .where('payment_id', '=', payment.id)
          .orderBy('id')
          .execute();
        return rows.map((r) => ({
          id: r.id,
          contentType: r.content_type,
          byteSize: r.byte_size,
          createdAt: r.created_at,
        }));
      },
    );

    app.get(
      '/v1/payments/:outTradeNo/vouchers/:imageId',
      {
        schema: {
          ...base,
          summary: 'One voucher picture (accepts ?access_token= for <img> tags)',
          params: Strict({ outTradeNo: OutTradeNo, imageId: Type.Integer({ minimum: 1 }) }),
          querystring: Strict({ access_token: Type.Optional(Type.String({ maxLength: 100 })) }),
        },
        preHandler: requireSignedIn,
        config: { queryToken: true },
      },
      async (request, reply) => {
        const payment = await paymentFor(request, request.params.outTradeNo);
        const image = await ctx.db
          .selectFrom('voucher_images')
          .selectAll()
          .where('id', '=', request.params.imageId)
          .where('payment_id', '=', payment.id)
          .executeTakeFirst();
        if (!image) throw notFound('voucher image', { imageId: request.params.imageId });
        return reply.type(image.content_type).header('cache-control', 'private, max-age=3600').send(image.data);
      },
    );

    app.get(
      '/v1/me/ledger',
      {
        schema: {
          tags: ['members'],
          security: base.security,
          summary: 'The member balance or points ledger, newest first',
          querystring: Strict({
            account: Type.Union([Type.Literal('balance'), Type.Literal('points')]),
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            before: Type.Optional(Type.Integer({ minimum: 1 })),
          }),
          response: replies({
            200: Type.Array(
              Type.Object({
                id: Type.Integer(),
                delta: Type.Integer(),
                balanceAfter: Type.Integer(),
                reason: Type.String(),
                orderId: Nullable(Type.Integer()),
                note: Type.String(),
                createdAt: DateTime,
              }),
            ),
          }),
        },
        preHandler: requireMember,
      },
      async (request) =>
        listLedger(
          ctx.db,
          memberOf(request).memberId,
          request.query.account,
          request.query.limit,
          request.query.before,
        ),
    );

    app.post(
      '/v1/recharges',
      {
        schema: {
          tags: ['members'],
          security: base.security,
          summary:
            'Top up the balance by an amount or by one of the merchant’s recharge rules (its amount, and its bonus credited with the payment): creates a recharge order to pay at the cashier with WeChat or Alipay',
          body: Strict({
            amount: Type.Optional(Type.Integer({ minimum: MIN_RECHARGE, maximum: MAX_RECHARGE })),
            ruleId: Type.Optional(Type.Integer({ minimum: 1, description: 'a rule of GET /v1/recharge-rules' })),
            client: Type.Optional(Client),
          }),
          response: replies({ 201: Type.Object({ orderNo: Type.String(), amount: Fen }) }),
        },
        preHandler: requireMember,
      },
      async (request, reply) => {
        if ((request.body.amount === undefined) === (request.body.ruleId === undefined))
          throw new AppError('validation_failed', 'send amount or ruleId (one of them)');
        return reply.status(201).send(await startRecharge(ctx, memberOf(request), request.body));
      },
    );

    app.get(
      '/v1/recharge-rules',
      {
        schema: {
          tags: ['members'],
          security: base.security,
          summary:
            'The recharge rules a member can top up by (pay rechargeAmount, get bonusAmount more balance or points)',
          response: replies({
            200: Type.Array(
              Type.Object({
                id: Type.Integer(),
                rechargeAmount: Fen,
                bonusKind: Type.Union([Type.Literal('balance'), Type.Literal('points')]),
                bonusAmount: Type.Integer({ description: 'fen of balance, or points' }),
                recommended: Type.Boolean(),
                remark: Type.String(),
              }),
            ),
          }),
        },
        preHandler: requireMember,
      },
      async (request) =>
        (await listRechargeRules(ctx, memberOf(request).merchantId, { enabled: true, page: 1, limit: null })).items,
    );
  };
