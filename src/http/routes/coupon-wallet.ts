import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { claimableCoupons, getWalletCoupon, listWallet } from '../../coupons/wallet.ts';
import { claimCoupon } from '../../flows/claim-coupon.ts';
import { memberOf, requireMember } from '../authenticate.ts';
import { Id, replies, Strict } from '../schemas.ts';
import { ClaimableCoupon, WalletCoupon } from './coupon-schemas.ts';

/** A member's coupons: the templates they can claim, claiming one, and their wallet. */
export const couponWalletRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const base = { tags: ['coupons'], security: [{ bearer: [] }] };

    app.get(
      '/v1/coupons',
      {
        schema: {
          ...base,
          summary: 'The coupon centre: templates the member can claim, with how many are left and their own claims',
          response: replies({ 200: Type.Array(ClaimableCoupon) }),
        },
        preHandler: requireMember,
      },
      async (request) => {
        const member = memberOf(request);
        return claimableCoupons(ctx, member.merchantId, member.memberId);
      },
    );

    app.post(
      '/v1/coupons/:couponId/claim',
      {
        schema: {
          ...base,
          summary:
            'Claim a coupon into the wallet; 422 with details.couponReason run_out, ended or limit_reached when not',
          params: Strict({ couponId: Id }),
          response: replies({ 201: WalletCoupon }),
        },
        preHandler: requireMember,
      },
      async (request, reply) => {
        const member = memberOf(request);
        const { walletCouponId } = await claimCoupon(ctx, member, request.params.couponId);
        return reply.status(201).send(await getWalletCoupon(ctx, member, walletCouponId));
      },
    );

    app.get(
      '/v1/me/coupons',
      {
        schema: {
          ...base,
          summary: 'The member’s wallet: unused (soonest to expire first), used or expired coupons, or all',
          querystring: Strict({
            state: Type.Optional(Type.Union([Type.Literal('unused'), Type.Literal('used'), Type.Literal('expired')])),
            page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          }),
          response: replies({ 200: Type.Object({ items: Type.Array(WalletCoupon), total: Type.Integer() }) }),
        },
        preHandler: requireMember,
      },
      async (request) => listWallet(ctx, memberOf(request), request.query),
    );
  };
