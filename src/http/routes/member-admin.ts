import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { listMemberLedger } from '../../members/list-member-ledger.ts';
import { listGrades } from '../../members/list-member-grades.ts';
import { listMembers } from '../../members/list-members.ts';
import { setMemberGrade } from '../../members/set-member-grade.ts';
import { requireStaff, staffOf } from '../authenticate.ts';
import { DateTime, Fen, Id, Nullable, NullableDateTime, replies, ShortText, Strict } from '../schemas.ts';
import { lagTolerantReads, ReadPositionHeaders } from '../read-position.ts';

const Grade = Type.Object({ id: Type.Integer(), name: Type.String(), discountPercent: Type.Integer() });
const Member = Type.Object({
  id: Type.Integer(),
  username: Nullable(Type.String()),
  mobile: Nullable(Type.String()),
  nickname: Type.String(),
  grade: Nullable(Grade),
  balance: Fen,
  points: Type.Integer(),
  payMoney: Type.Integer({
    minimum: 0,
    description: 'everything the member has paid (orders and top-ups, any method), less refunds; fen',
  }),
  expendMoney: Type.Integer({
    minimum: 0,
    description: 'what the member spent on completed orders, less refunds: the total that member grades go by; fen',
  }),
  createdAt: DateTime,
  lastLoginAt: NullableDateTime,
});
const LedgerEntry = Type.Object({
  id: Type.Integer(),
  delta: Type.Integer({ description: 'fen for the balance, points for points; negative for a debit' }),
  balanceAfter: Type.Integer(),
  reason: Type.String({
    description: 'order_payment, refund, recharge, order_points, points_returned, order_completed or opening',
  }),
  orderId: Nullable(Type.Integer({ description: 'internal id; routes take orderNo' })),
  orderNo: Nullable(Type.String({ description: 'the order this line belongs to, as every order route takes it' })),
  note: Type.String(),
  createdAt: DateTime,
});
const MemberParams = Strict({ memberId: Id });

/** Staff view of the merchant's members: the list, each one's balance and points ledgers, and their grade. */
export const memberAdminRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const base = { tags: ['admin'], security: [{ bearer: [] }] };

    app.get(
      '/v1/admin/members',
      {
        schema: {
          ...base,
          summary: 'Members, newest first: balance, points, grade; q finds by id, mobile, username or nickname',
          querystring: Strict({
            q: Type.Optional(ShortText(64, 1)),
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            cursor: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$' })),
          }),
          headers: ReadPositionHeaders,
          response: replies({ 200: Type.Object({ items: Type.Array(Member), nextCursor: Nullable(Type.String()) }) }),
        },
        preHandler: requireStaff(),
      },
      async (request) => listMembers(await lagTolerantReads(ctx, request), staffOf(request).merchantId, request.query),
    );
    app.get(
      '/v1/admin/members/:memberId/ledger',
      {
        schema: {
          ...base,
          summary: 'A member’s balance or points ledger, newest first (before = the last id seen, for the next page)',
          params: MemberParams,
          querystring: Strict({
            account: Type.Union([Type.Literal('balance'), Type.Literal('points')]),
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            before: Type.Optional(Id),
          }),
          response: replies({ 200: Type.Array(LedgerEntry) }),
        },
        preHandler: requireStaff(),
      },
      async (request) => listMemberLedger(ctx, staffOf(request).merchantId, request.params.memberId, request.query),
    );
    app.put(
      '/v1/admin/members/:memberId/grade',
      {
        schema: {
          ...base,
          summary: 'Put a member in a grade by hand (null for none)',
          params: MemberParams,
          body: Strict({ gradeId: Nullable(Id) }),
          response: replies({ 200: Type.Object({ ok: Type.Boolean() }) }),
        },
        preHandler: requireStaff('admin'),
      },
      async (request) => {
        await setMemberGrade(ctx, staffOf(request).merchantId, request.params.memberId, request.body.gradeId);
        return { ok: true };
      },
    );
    app.get(
      '/v1/admin/member-grades',
      {
        schema: {
          ...base,
          summary: 'The member grades, lowest first',
          response: replies({
            200: Type.Array(
              Type.Object({
                id: Type.Integer(),
                name: Type.String(),
                weight: Type.Integer(),
                spendThreshold: Fen,
                discountPercent: Type.Integer(),
              }),
            ),
          }),
        },
        preHandler: requireStaff(),
      },
      async (request) => listGrades(ctx, staffOf(request).merchantId),
    );
  };
