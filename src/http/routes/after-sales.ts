import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { listShipments, shipOrder } from '../../flows/ship-order.ts';
import { confirmReceipt, reviewOrder } from '../../flows/receive-and-complete.ts';
import { approveCancel, rejectCancel, requestCancel } from '../../flows/cancel-request.ts';
import { orderInScope } from '../../orders/order-in-scope.ts';
import { adjustPrice, setMerchantRemark } from '../../flows/staff-order-edits.ts';
import { listRefunds } from '../../refunds/list-refunds.ts';
import { requestRefund } from '../../flows/request-refund.ts';
import { approveRefund, rejectRefund } from '../../flows/review-refund.ts';
import { memberOf, requireMember, requireSignedIn, requireStaff, staffOf } from '../authenticate.ts';
import { DateTime, Fen, Id, NullableDateTime, OrderNo, Quantity, replies, ShortText, Strict, Url } from '../schemas.ts';

const OrderParams = Strict({ orderNo: OrderNo });
const RefundParams = Strict({ refundNo: Type.String({ pattern: '^R\\d{16,20}$' }) });
const Status = Type.Object({ status: Type.String() });
const ok = Type.Object({ ok: Type.Boolean() });
const Images = Type.Array(Url, { maxItems: 9 });
const Refund = Type.Object({
  refundNo: Type.String(),
  orderNo: Type.String(),
  kind: Type.String({ description: 'refund_only, return_and_refund, cancel' }),
  status: Type.String({ description: 'requested, rejected, refunding, refunded, failed' }),
  amount: Fen,
  shippingAmount: Fen,
  reason: Type.String(),
  imageUrls: Type.Array(Type.String()),
  reviewNote: Type.String(),
  lines: Type.Array(Type.Object({ lineId: Type.Integer(), amount: Fen })),
  createdAt: DateTime,
  completedAt: NullableDateTime,
  returnParcel: Type.Union(
    [Type.Object({ carrier: Type.String(), trackingNo: Type.String(), sentAt: DateTime }), Type.Null()],
    { description: 'how the buyer sent the goods of a return back (the YoShop refund page), or null' },
  ),
});
const Shipment = Type.Object({
  id: Type.Integer(),
  carrier: Type.String(),
  trackingNumbers: Type.Array(Type.String()),
  createdAt: DateTime,
  lines: Type.Array(Type.Object({ lineId: Type.Integer(), quantity: Type.Integer() })),
});

/** After payment: shipping, receipt, review, refunds, cancel requests, and the staff edits of an order. */
export const afterSalesRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const member = { tags: ['after-sales'], security: [{ bearer: [] }] };
    const admin = { tags: ['admin'], security: [{ bearer: [] }] };
    const ordered = (request: Parameters<typeof requireSignedIn>[0], orderNo: string) =>
      orderInScope(ctx, request.principal!, orderNo);

    app.post(
      '/v1/orders/:orderNo/receipt',
      {
        schema: {
          ...member,
          summary: 'The buyer confirms the parcel arrived',
          params: OrderParams,
          response: replies({ 200: Status }),
        },
        preHandler: requireMember,
      },
      async (request) => confirmReceipt(ctx, memberOf(request), request.params.orderNo),
    );
    app.post(
      '/v1/orders/:orderNo/review',
      {
        schema: {
          ...member,
          summary: 'The buyer reviews a received order, which completes it',
          params: OrderParams,
          body: Strict({
            rating: Type.Integer({ minimum: 1, maximum: 5 }),
            content: Type.Optional(ShortText(2000)),
            imageUrls: Type.Optional(Images),
          }),
          response: replies({ 200: Status }),
        },
        preHandler: requireMember,
      },
      async (request) => reviewOrder(ctx, memberOf(request), request.params.orderNo, request.body),
    );
    app.get(
      '/v1/orders/:orderNo/shipments',
      {
        schema: {
          ...member,
          summary: 'The parcels of an order',
          params: OrderParams,
          response: replies({ 200: Type.Array(Shipment) }),
        },
        preHandler: requireSignedIn,
      },
      async (request) => listShipments(ctx, (await ordered(request, request.params.orderNo)).id),
    );
    app.post(
      '/v1/orders/:orderNo/refunds',
      {
        schema: {
          ...member,
          summary: 'Ask for money back on chosen lines (each up to what can still be refunded for it)',
          params: OrderParams,
          body: Strict({
            kind: Type.Union([Type.Literal('refund_only'), Type.Literal('return_and_refund')]),
            reason: ShortText(500, 1),
            imageUrls: Type.Optional(Images),
            lines: Type.Array(
              Strict({ lineId: Id, amount: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 })) }),
              { minItems: 1, maxItems: 50 },
            ),
          }),
          response: replies({ 201: Type.Object({ refundNo: Type.String(), amount: Fen }) }),
        },
        preHandler: requireMember,
      },
      async (request, reply) =>
        reply.status(201).send(await requestRefund(ctx, memberOf(request), request.params.orderNo, request.body)),
    );
    app.get(
      '/v1/orders/:orderNo/refunds',
      {
        schema: {
          ...member,
          summary: 'The refunds of an order',
          params: OrderParams,
          response: replies({ 200: Type.Array(Refund) }),
        },
        preHandler: requireSignedIn,
      },
      async (request) => listRefunds(ctx.db, { orderId: (await ordered(request, request.params.orderNo)).id }),
    );
    app.post(
      '/v1/orders/:orderNo/cancel-request',
      {
        schema: {
          ...member,
          summary: 'Ask to cancel a paid order that has not shipped; staff decide',
          params: OrderParams,
          body: Strict({ reason: ShortText(500, 1) }),
          response: replies({ 200: ok }),
        },
        preHandler: requireMember,
      },
      async (request) => {
        await requestCancel(ctx, memberOf(request), request.params.orderNo, request.body.reason);
        return { ok: true };
      },
    );

    app.post(
      '/v1/admin/orders/:orderNo/shipments',
      {
        schema: {
          ...admin,
          summary: 'Ship an order, wholly or partly, with a carrier and tracking numbers',
          params: OrderParams,
          body: Strict({
            carrier: ShortText(40, 1),
            trackingNumbers: Type.Array(Type.String({ pattern: '^[A-Za-z0-9-]{4,40}$' }), {
              minItems: 1,
              maxItems: 10,
            }),
            lines: Type.Optional(Type.Array(Strict({ lineId: Id, quantity: Quantity }), { minItems: 1, maxItems: 50 })),
          }),
          response: replies({ 201: Type.Object({ shipmentId: Type.Integer(), status: Type.String() }) }),
        },
        preHandler: requireStaff(),
      },
      async (request, reply) =>
        reply.status(201).send(await shipOrder(ctx, staffOf(request), request.params.orderNo, request.body)),
    );
    app.get(
      '/v1/admin/refunds',
      {
        schema: {
          ...admin,
          summary: 'Refunds of the merchant, newest first',
          querystring: Strict({
            status: Type.Optional(
              Type.Union(['requested', 'rejected', 'refunding', 'refunded', 'failed'].map((s) => Type.Literal(s))),
            ),
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
          }),
          response: replies({ 200: Type.Array(Refund) }),
        },
        preHandler: requireStaff(),
      },
      async (request) =>
        listRefunds(ctx.db, {
          merchantId: staffOf(request).merchantId,
          status: request.query.status,
          limit: request.query.limit,
        }),
    );
    app.post(
      '/v1/admin/refunds/:refundNo/approve',
      {
        schema: {
          ...admin,
          summary: 'Approve a refund: the money goes back the way it came',
          params: RefundParams,
          body: Strict({ note: Type.Optional(ShortText(200)) }),
          response: replies({ 200: Status }),
        },
        preHandler: requireStaff(),
      },
      async (request) => approveRefund(ctx, staffOf(request), request.params.refundNo, request.body.note),
    );
    app.post(
      '/v1/admin/refunds/:refundNo/reject',
      {
        schema: {
          ...admin,
          summary: 'Reject a refund with a reason',
          params: RefundParams,
          body: Strict({ reason: ShortText(200, 1) }),
          response: replies({ 200: ok }),
        },
        preHandler: requireStaff(),
      },
      async (request) => {
        await rejectRefund(ctx, staffOf(request), request.params.refundNo, request.body.reason);
        return { ok: true };
      },
    );
    app.post(
      '/v1/admin/orders/:orderNo/cancel-request/approve',
      {
        schema: {
          ...admin,
          summary: 'Approve the buyer’s cancel request: full refund, stock back, order cancelled',
          params: OrderParams,
          body: Strict({ note: Type.Optional(ShortText(200)) }),
          response: replies({ 200: ok }),
        },
        preHandler: requireStaff(),
      },
      async (request) => {
        await approveCancel(ctx, staffOf(request), request.params.orderNo, request.body.note);
        return { ok: true };
      },
    );
    app.post(
      '/v1/admin/orders/:orderNo/cancel-request/reject',
      {
        schema: {
          ...admin,
          summary: 'Reject the buyer’s cancel request: the order stays paid',
          params: OrderParams,
          body: Strict({ reason: ShortText(200, 1) }),
          response: replies({ 200: ok }),
        },
        preHandler: requireStaff(),
      },
      async (request) => {
        await rejectCancel(ctx, staffOf(request), request.params.orderNo, request.body.reason);
        return { ok: true };
      },
    );
    app.post(
      '/v1/admin/orders/:orderNo/price',
      {
        schema: {
          ...admin,
          summary: 'Change what an unpaid order costs (recorded with the reason)',
          params: OrderParams,
          body: Strict({
            payableAmount: Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 }),
            reason: ShortText(200, 1),
          }),
          response: replies({ 200: ok }),
        },
        preHandler: requireStaff('admin'),
      },
      async (request) => {
        await adjustPrice(
          ctx,
          staffOf(request),
          request.params.orderNo,
          request.body.payableAmount,
          request.body.reason,
        );
        return { ok: true };
      },
    );
    app.put(
      '/v1/admin/orders/:orderNo/remark',
      {
        schema: {
          ...admin,
          summary: 'The merchant’s own remark on an order',
          params: OrderParams,
          body: Strict({ remark: ShortText(500) }),
          response: replies({ 200: ok }),
        },
        preHandler: requireStaff(),
      },
      async (request) => {
        await setMerchantRemark(ctx, staffOf(request), request.params.orderNo, request.body.remark);
        return { ok: true };
      },
    );
  };
