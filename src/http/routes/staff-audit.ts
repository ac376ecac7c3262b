import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { listStaffAudit } from '../../staff/audit-trail.ts';
import { requireStaff, staffOf } from '../authenticate.ts';
import { DateTime, Id, replies, Strict } from '../schemas.ts';

const AuditEntry = Type.Object({
  id: Type.Integer(),
  staffId: Type.Integer(),
  staffName: Type.String(),
  at: DateTime,
  requestId: Type.String({ description: 'the request id on its log lines' }),
  method: Type.String(),
  route: Type.String({ description: 'the route pattern, e.g. /v1/admin/orders/:orderNo/ship' }),
  params: Type.Record(Type.String(), Type.String(), {
    description: 'the values of the route parameters: what was acted on',
  }),
  statusCode: Type.Integer({ description: 'the HTTP status the action got (refusals are recorded too)' }),
  ip: Type.String(),
});

/** The merchant's staff audit trail (admins only): every changing request a staff member made. */
export const staffAuditRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/admin/audit-log',
      {
        schema: {
          tags: ['admin'],
          security: [{ bearer: [] }],
          summary: 'Staff actions, newest first: who changed what, when, from where, and how it went',
          querystring: Strict({
            staffId: Type.Optional(Id),
            page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
            pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          }),
          response: replies({ 200: Type.Object({ items: Type.Array(AuditEntry), total: Type.Integer() }) }),
        },
        preHandler: requireStaff('admin'),
      },
      async (request) =>
        listStaffAudit(ctx, staffOf(request).merchantId, {
          staffId: request.query.staffId,
          page: request.query.page ?? 1,
          pageSize: request.query.pageSize ?? 20,
        }),
    );
  };
