import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { deleteCoupon, updateCoupon } from '../../coupons/coupons.ts';
import { requireStaff, staffOf } from '../authenticate.ts';
import { Changes, Fen, Id, Nullable, replies, ShortText, Strict } from '../schemas.ts';
import { Coupon } from './merchant-setup.ts';

const NullableTime = Nullable(Type.String({ format: 'date-time' }));
const CouponParams = Strict({ couponId: Id });

/** Admins change a coupon's terms or delete an unused one (listing and creating are with the merchant set-up routes). */
export const couponAdminRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const base = { tags: ['admin'], security: [{ bearer: [] }] };
    const admin = requireStaff('admin');

    app.patch(
      '/v1/admin/coupons/:couponId',
      {
        schema: {
          ...base,
          summary: 'Change a coupon’s terms (its code stays); null clears maxOff, startsAt, endsAt or totalQuantity',
          params: CouponParams,
          body: Changes(
            Strict({
              title: ShortText(60),
              kind: Type.Union([Type.Literal('fixed'), Type.Literal('percent')]),
              amountOff: Fen,
              percentOff: Type.Integer({ minimum: 1, maximum: 99 }),
              maxOff: Nullable(Fen),
              minSpend: Fen,
              startsAt: NullableTime,
              endsAt: NullableTime,
              totalQuantity: Nullable(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
            }),
          ),
          response: replies({ 200: Coupon }),
        },
        preHandler: admin,
      },
      async (request) => {
        const { startsAt, endsAt, ...rest } = request.body;
        const asDate = (value: string | null | undefined) =>
          value === undefined ? undefined : value === null ? null : new Date(value);
        const changes = { ...rest, startsAt: asDate(startsAt), endsAt: asDate(endsAt) };
        for (const key of ['startsAt', 'endsAt'] as const) if (changes[key] === undefined) delete changes[key];
        return updateCoupon(ctx, staffOf(request).merchantId, request.params.couponId, changes);
      },
    );
    app.delete(
      '/v1/admin/coupons/:couponId',
      {
        schema: {
          ...base,
          summary: 'Delete a coupon no order has used (one that orders used: end it with endsAt)',
          params: CouponParams,
          response: replies({ 204: Type.Null() }),
        },
        preHandler: admin,
      },
      async (request, reply) => {
        await deleteCoupon(ctx, staffOf(request).merchantId, request.params.couponId);
        return reply.status(204).send(null);
      },
    );
  };
