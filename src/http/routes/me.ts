import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { getMemberProfile, updateMemberProfile } from '../../members/member-profile.ts';
import { memberOf, requireMember } from '../authenticate.ts';
import { Changes, DateTime, Fen, Nullable, NullableDateTime, replies, ShortText, Strict, Url } from '../schemas.ts';

const Profile = Type.Object({
  id: Type.Integer(),
  merchantId: Type.Integer(),
  username: Nullable(Type.String()),
  mobile: Nullable(Type.String()),
  email: Type.String(),
  nickname: Type.String(),
  avatarUrl: Type.String(),
  gender: Type.Integer({ description: '0 unknown, 1 male, 2 female' }),
  regionCode: Type.String(),
  region: Type.String(),
  grade: Nullable(Type.Object({ id: Type.Integer(), name: Type.String(), discountPercent: Type.Integer() })),
  balance: Fen,
  points: Type.Integer(),
  payMoney: Fen,
  expendMoney: Fen,
  platform: Type.String(),
  lastLoginAt: NullableDateTime,
  createdAt: DateTime,
});

export const meRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const security = [{ bearer: [] }];
    app.get(
      '/v1/me',
      {
        schema: { tags: ['members'], summary: 'The signed-in member', security, response: replies({ 200: Profile }) },
        preHandler: requireMember,
      },
      async (request) => getMemberProfile(ctx, memberOf(request).memberId),
    );
    app.patch(
      '/v1/me',
      {
        schema: {
          tags: ['members'],
          summary: 'Edit the signed-in member profile',
          security,
          body: Changes(
            Strict({
              nickname: ShortText(40, 1),
              avatarUrl: Url,
              gender: Type.Integer({ minimum: 0, maximum: 2 }),
              regionCode: Type.String({ pattern: '^\\d{0,12}$' }),
              region: ShortText(100),
            }),
          ),
          response: replies({ 200: Profile }),
        },
        preHandler: requireMember,
      },
      async (request) => updateMemberProfile(ctx, memberOf(request).memberId, request.body),
    );
  };
