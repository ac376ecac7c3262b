import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { ORDER_STATUSES } from '../../domain/order-status.ts';
import { AppError } from '../../errors.ts';
import { cancelOrder } from '../../flows/cancel-order.ts';
import type { LineSource } from '../../flows/checkout-lines.ts';
import { getOrder } from '../../orders/get-order.ts';
import { listOrders } from '../../orders/list-orders.ts';
import { METHODS } from '../../payments/payment-methods.ts';
import { placeOrder } from '../../flows/place-order.ts';
import { previewCheckout } from '../../flows/preview-checkout.ts';
import { memberOf, requireMember, requireSignedIn } from '../authenticate.ts';
import {
  ChosenOption,
  Client,
  DateTime,
  DeliveryChoice,
  Fen,
  Id,
  Nullable,
  OrderDetail,
  OrderNo,
  OrderSummary,
  Quantity,
  replies,
  ShortText,
  Strict,
} from '../schemas.ts';
import { OptionIds, SkuId } from './cart.ts';
import { afterWrite, lagTolerantReads, ownWriteReads, ReadPositionHeaders } from '../read-position.ts';

const LineInput = Strict({
  productId: Id,
  skuId: Type.Optional(SkuId),
  optionIds: Type.Optional(OptionIds),
  quantity: Quantity,
});
const checkoutFields = {
  lines: Type.Optional(
    Type.Array(LineInput, {
      minItems: 1,
      maxItems: 50,
      description: 'order these lines; without it the selected cart lines are ordered',
    }),
  ),
  storeId: Type.Optional(Id),
  couponCode: Type.Optional(ShortText(32, 1)),
  memberCouponId: Type.Optional({
    ...Id,
    description: 'a coupon from the member’s wallet (GET /v1/me/coupons), instead of a couponCode',
  }),
  usePoints: Type.Optional(
    Type.Boolean({
      description: 'pay part with points, by the merchant’s rule (e.g. 100 points = 1 yuan, at most 50%)',
    }),
  ),
  delivery: Type.Optional(DeliveryChoice),
};
const PlaceOrderBody = Strict({
  ...checkoutFields,
  addressId: Type.Optional({
    ...Id,
    description: 'the member’s address to ship to: required unless delivery is "pickup"',
  }),
  buyerRemark: Type.Optional(ShortText(500)),
  client: Type.Optional(Client),
});
const Preview = Type.Object({
  storeId: Type.Integer(),
  lines: Type.Array(
    Type.Object({
      productId: Type.Integer(),
      skuId: Nullable(Type.Integer()),
      optionIds: Type.Array(Type.Integer()),
      options: Type.Array(ChosenOption),
      title: Type.String(),
      imageUrl: Type.String(),
      spec: Type.String(),
      unitPrice: Fen,
      quantity: Type.Integer(),
      goodsAmount: Fen,
      discountAmount: Fen,
      lineTotal: Fen,
      inStock: Type.Boolean(),
    }),
  ),
  goodsAmount: Fen,
  gradeDiscount: Fen,
  couponDiscount: Fen,
  pointsDiscount: Fen,
  pointsUsed: Type.Integer(),
  discountAmount: Fen,
  shippingFee: Fen,
  payableAmount: Fen,
  couponApplied: Type.Boolean(),
  couponProblem: Nullable(Type.String()),
});
/** The filters of the order list, which the CSV export takes too. */
export const orderFilterFields = {
  status: Type.Optional(
    Type.Array(Type.Union(ORDER_STATUSES.map((s) => Type.Literal(s))), {
      maxItems: 8,
      description: 'repeat the parameter for several',
    }),
  ),
  createdFrom: Type.Optional(DateTime),
  createdTo: Type.Optional(DateTime),
  memberId: Type.Optional(Id),
  storeId: Type.Optional(Id),
  method: Type.Optional(
    Type.Union(
      METHODS.map((m) => Type.Literal(m)),
      { description: 'orders paid by this payment method (refunded ones included)' },
    ),
  ),
  q: Type.Optional(ShortText(64, 1)),
};
const ListQuery = Strict({
  ...orderFilterFields,
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' })),
});
const OrderParams = Strict({ orderNo: OrderNo });

const lineSource = (lines: Static<typeof PlaceOrderBody>['lines']): LineSource =>
  lines ? { from: 'lines', lines: lines.map((l) => ({ ...l, optionIds: l.optionIds ?? [] })) } : { from: 'cart' };

export const orderRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const base = { tags: ['orders'], security: [{ bearer: [] }] };

    app.post(
      '/v1/checkout/preview',
      {
        schema: {
          ...base,
          summary: 'Price the cart selection or given lines: discounts, shipping, payable',
          body: Strict(checkoutFields),
          response: replies({ 200: Preview }),
        },
        preHandler: requireMember,
      },
      async (request) => {
        const member = memberOf(request);
        return previewCheckout(ctx, { ...member, ...request.body, source: lineSource(request.body.lines) });
      },
    );

    app.post(
      '/v1/orders',
      {
        schema: {
          ...base,
          summary: 'Place an order; stock is reserved until it is paid, cancelled or expires',
          description:
            'Send a unique Idempotency-Key per order attempt: a retry with the same key returns the same order (200) instead of placing another. ' +
            'Every order is a physical shipment: send `addressId`, or `delivery: "pickup"` to collect it at the store (no address, no shipping fee). ' +
            'Neither is refused with 422 `address_required`, and nothing is held.',
          headers: Type.Object({
            'idempotency-key': Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\x21-\\x7e]+$' }),
          }),
          body: PlaceOrderBody,
          response: replies({ 200: afterWrite(OrderDetail), 201: afterWrite(OrderDetail) }),
        },
        preHandler: requireMember,
      },
      async (request, reply) => {
        const member = memberOf(request);
        const placed = await placeOrder(ctx, {
          ...member,
          ...request.body,
          source: lineSource(request.body.lines),
          idempotencyKey: request.headers['idempotency-key'],
        });
        const order = await getOrder(ctx, member, placed.orderNo);
        return reply
          .status(placed.replayed ? 200 : 201)
          .header('idempotent-replayed', String(placed.replayed))
          .send(order);
      },
    );

    app.get(
      '/v1/orders',
      {
        schema: {
          ...base,
          summary: 'Orders, newest first: a member sees their own, staff their merchant',
          querystring: ListQuery,
          headers: ReadPositionHeaders,
          response: replies({
            200: Type.Object({ items: Type.Array(OrderSummary), nextCursor: Nullable(Type.String()) }),
          }),
        },
        preHandler: requireSignedIn,
      },
      async (request) => {
        const { q, memberId, createdFrom, createdTo, ...rest } = request.query;
        if (memberId !== undefined && request.principal!.kind === 'member')
          throw new AppError('forbidden', 'members cannot filter by member');
        // the console's list may be a moment late; a buyer's own list sees their last change
        const reads =
          request.principal!.kind === 'staff'
            ? await lagTolerantReads(ctx, request)
            : await ownWriteReads(ctx, request);
        return listOrders(reads, request.principal!, {
          ...rest,
          memberId,
          search: q,
          createdFrom: createdFrom ? new Date(createdFrom) : undefined,
          createdTo: createdTo ? new Date(createdTo) : undefined,
        });
      },
    );

    app.get(
      '/v1/orders/:orderNo',
      {
        schema: {
          ...base,
          summary: 'One order with lines, address snapshot, amounts and its event timeline',
          params: OrderParams,
          headers: ReadPositionHeaders,
          response: replies({ 200: OrderDetail }),
        },
        preHandler: requireSignedIn,
      },
      async (request) => getOrder(await ownWriteReads(ctx, request), request.principal!, request.params.orderNo),
    );

    app.post(
      '/v1/orders/:orderNo/cancel',
      {
        schema: {
          ...base,
          summary: 'Cancel an unpaid order (buyer or staff); its stock is released',
          params: OrderParams,
          body: Strict({ reason: Type.Optional(ShortText(200)) }),
          response: replies({ 200: afterWrite(OrderDetail) }),
        },
        preHandler: requireSignedIn,
      },
      async (request) => {
        await cancelOrder(ctx, request.principal!, request.params.orderNo, request.body?.reason);
        return getOrder(ctx, request.principal!, request.params.orderNo);
      },
    );
  };
