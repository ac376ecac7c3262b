import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { ERROR_CODES, REQUEST_ERROR_CODES } from '../errors.ts';
import { DELIVERIES } from '../orders/delivery.ts';
import { CLIENTS } from '../payments/payment-methods.ts';

// Shared pieces of the canonical API's schemas: they validate requests, shape responses and feed /openapi.json.

export const Fen = Type.Integer({
  minimum: 0,
  maximum: 1_000_000_000_000,
  description: 'amount in fen (1 yuan = 100 fen)',
});
export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const Quantity = Type.Integer({ minimum: 1, maximum: 9999 });
export const OrderNo = Type.String({ pattern: '^\\d{16}$', description: '16 digits: yyyyMMdd + sequence' });
export const ShortText = (maxLength = 200, minLength = 0) => Type.String({ minLength, maxLength });
export const Url = Type.String({ maxLength: 1000 });

/** A Date in code, an RFC 3339 UTC string on the wire. */
export const DateTime = Type.Unsafe<Date>({ type: 'string', format: 'date-time' });
export const NullableDateTime = Type.Unsafe<Date | null>({ type: ['string', 'null'], format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Request objects reject fields they do not know. */
export const Strict = <T extends Parameters<typeof Type.Object>[0]>(properties: T) =>
  Type.Object(properties, { additionalProperties: false });

/** A PATCH body: any of the fields, at least one, nothing unknown. */
export const Changes = <T extends TObject>(schema: T) =>
  Type.Partial(schema, { additionalProperties: false, minProperties: 1 });

const everyErrorCode = Object.entries({ ...ERROR_CODES, ...REQUEST_ERROR_CODES }).sort(
  ([, a], [, b]) => a.status - b.status,
);

/** The one rule: the specific code is always `error.code`; each code, its status and meaning are listed here. */
const ErrorCodeSchema = Type.String({
  enum: everyErrorCode.map(([code]) => code),
  'x-enumDescriptions': Object.fromEntries(everyErrorCode.map(([code, { description }]) => [code, description])),
  description: [
    'the specific refusal; each code always comes with the same HTTP status',
    '',
    '| code | status | meaning |',
    '|---|---|---|',
    ...everyErrorCode.map(([code, { status, description }]) => `| \`${code}\` | ${status} | ${description} |`),
  ].join('\n'),
});

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: ErrorCodeSchema,
      message: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  },
  { $id: 'Error', description: 'every error, with the HTTP status that fits it' },
);

// every route refers to the one Error schema (registered with app.addSchema), so the document lists the codes once
const ErrorRef = Type.Unsafe<Static<typeof ErrorResponse>>(Type.Ref(ErrorResponse));
const errorReplies = { 400: ErrorRef, 401: ErrorRef, 403: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef };

/** Response map for a route: the success body plus the error envelope for every client error. */
export const replies = <T extends Record<number, TSchema>>(ok: T) => ({ ...ok, ...errorReplies });

export const DeliveryChoice = Type.Union(
  DELIVERIES.map((d) => Type.Literal(d)),
  {
    description:
      'express (the default): shipped to the address; pickup: the buyer collects it at the order’s store, no address and no shipping fee',
  },
);

/** A chosen spec value of a line's SKU (`group` its spec group's name; lines from before SKUs have none). */
export const ChosenOption = Type.Object({
  id: Type.Integer(),
  group: Type.Optional(Type.String()),
  title: Type.String(),
  price: Fen,
});

export const AddressSnapshot = Type.Object(
  {
    receiverName: Type.String(),
    mobile: Type.String(),
    phone: Type.String(),
    province: Type.String(),
    city: Type.String(),
    district: Type.String(),
    districtCode: Type.String(),
    address: Type.String(),
    zip: Type.String(),
  },
  { title: 'Address' },
);

export const OrderLine = Type.Object(
  {
    id: Type.Integer(),
    lineNo: Type.Integer(),
    productId: Nullable(Type.Integer()),
    skuId: Type.String(),
    options: Type.Array(ChosenOption),
    title: Type.String(),
    internalTitle: Type.String(),
    articleNo: Type.String(),
    imageUrl: Type.String(),
    spec: Type.String(),
    kind: Type.String({ description: 'normal or gift' }),
    listPrice: Fen,
    unitPrice: Fen,
    quantity: Type.Integer(),
    shippedQuantity: Type.Integer(),
    goodsAmount: Fen,
    discountAmount: Fen,
    lineTotal: Fen,
    refundPendingAmount: Fen,
    refundedAmount: Fen,
    refunding: Type.Boolean(),
  },
  { title: 'OrderLine' },
);

export const OrderEvent = Type.Object(
  {
    at: DateTime,
    actor: Type.Object({ kind: Type.String(), id: Nullable(Type.Integer()) }),
    action: Type.String(),
    fromStatus: Nullable(Type.String()),
    toStatus: Nullable(Type.String()),
    note: Type.String(),
  },
  { title: 'OrderEvent' },
);

const orderFields = {
  id: Type.Integer(),
  orderNo: Type.String(),
  merchantId: Type.Integer(),
  storeId: Type.Integer(),
  memberId: Nullable(Type.Integer()),
  orderType: Type.String(),
  client: Type.String(),
  operatorId: Nullable(Type.Integer()),
  status: Type.String({
    description: 'pending_payment, payment_review, paid, shipped, received, completed, cancelled, closed',
  }),
  paymentStatus: Type.String(),
  refundStatus: Type.String({ description: 'none, requested, partially_refunded, refunded' }),
  cancelRequested: Type.Boolean(),
  cancelReason: Type.String(),
  currency: Type.String(),
  goodsAmount: Fen,
  gradeDiscount: Fen,
  couponDiscount: Fen,
  pointsDiscount: Fen,
  discountAmount: Fen,
  shippingFee: Fen,
  priceAdjustment: Type.Integer({ description: 'what staff changed the price by (fen, negative for a discount)' }),
  payableAmount: Fen,
  paidAmount: Fen,
  refundedAmount: Fen,
  merchantIncome: Type.Integer(),
  pointsUsed: Type.Integer(),
  pointsAwarded: Type.Integer({
    description:
      'points the member holds from this order: those of what it keeps (0 until credited, 0 after a full refund)',
  }),
  couponId: Nullable(Type.Integer()),
  buyerRemark: Type.String(),
  merchantRemark: Type.String(),
  delivery: Type.Union([...DELIVERIES.map((d) => Type.Literal(d)), Type.Null()], {
    description:
      'express: shipped to address; pickup: collected at the store; null: a till sale or top-up, no shipment',
  }),
  address: Nullable(AddressSnapshot),
  addressId: Nullable(Type.Integer()),
  depositMode: Type.Boolean(),
  createdAt: DateTime,
  expiresAt: NullableDateTime,
  paidAt: NullableDateTime,
  paymentReviewedAt: NullableDateTime,
  shippedAt: NullableDateTime,
  receivedAt: NullableDateTime,
  completedAt: NullableDateTime,
  closedAt: NullableDateTime,
  cancelledAt: NullableDateTime,
  settledAt: NullableDateTime,
  updatedAt: DateTime,
  lines: Type.Array(OrderLine),
};

export const OrderSummary = Type.Object(orderFields, { title: 'Order' });
export const OrderDetail = Type.Object(
  { ...orderFields, merchantName: Type.String(), storeName: Type.String(), events: Type.Array(OrderEvent) },
  { title: 'OrderDetail' },
);

/** The kind of front end an order or a sign-in comes from (H5, WeChat official account, mini program, app, PC, till). */
export const Client = Type.Union(CLIENTS.map((c) => Type.Literal(c)));
