import { Type } from '@sinclair/typebox';
import { Fen, Id, Nullable, NullableDateTime } from '../schemas.ts';

// The coupon templates' and wallets' shapes on the wire, shared by the admin and member routes.

const Scope = Type.Union([Type.Literal('all'), Type.Literal('products'), Type.Literal('categories')], {
  description: 'which goods it covers: all, or the products or categories in scopeIds',
});
const ScopeIds = Type.Array(Id, { maxItems: 200, description: 'the product or category ids of a scoped coupon' });

/** A template's fields beyond a code coupon's terms, in a request. */
export const couponTemplateInput = {
  validDays: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 3650, description: 'valid this many days from claiming (no startsAt then)' }),
  ),
  perMemberLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'claims per member' })),
  scope: Type.Optional(Scope),
  scopeIds: Type.Optional(ScopeIds),
  claimable: Type.Optional(Type.Boolean({ description: 'members can claim it from the coupon centre' })),
};

/** The same fields in an answer. */
export const couponTemplateFields = {
  claimedQuantity: Type.Integer({ description: 'coupons members claimed (typed codes included)' }),
  validDays: Nullable(Type.Integer()),
  perMemberLimit: Nullable(Type.Integer()),
  scope: Scope,
  scopeIds: ScopeIds,
  claimable: Type.Boolean(),
};

const terms = {
  couponId: Type.Integer({ description: 'the template' }),
  title: Type.String(),
  kind: Type.Union([Type.Literal('fixed'), Type.Literal('percent')]),
  amountOff: Fen,
  percentOff: Type.Integer(),
  maxOff: Nullable(Fen),
  minSpend: Fen,
  scope: Scope,
  scopeIds: ScopeIds,
};

export const ClaimableCoupon = Type.Object({
  ...terms,
  validDays: Nullable(Type.Integer()),
  startsAt: NullableDateTime,
  endsAt: NullableDateTime,
  perMemberLimit: Nullable(Type.Integer()),
  remaining: Nullable(Type.Integer({ description: 'left to claim; null = no limit' })),
  claimedByMe: Type.Integer(),
  claimState: Type.Union([Type.Literal('available'), Type.Literal('limit_reached'), Type.Literal('run_out')]),
});

export const WalletCoupon = Type.Object({
  id: Type.Integer({ description: 'the wallet coupon: placing an order takes it as memberCouponId' }),
  ...terms,
  validFrom: NullableDateTime,
  validUntil: NullableDateTime,
  claimedAt: Type.Unsafe<Date>({ type: 'string', format: 'date-time' }),
  orderId: Nullable(Type.Integer({ description: 'the order using it' })),
  state: Type.Union([Type.Literal('unused'), Type.Literal('used'), Type.Literal('expired')]),
});
