import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every accepted request that changes something, made by a signed-in staff member (canonical admin routes, the
 * xxpay console, sign-out), is written to `staff_audit` before its answer leaves: who, when, which route and on
 * what (the route's parameters), from where, the request id (to find its log lines) and the status. Reads a route
 * marks `audited` (the CSV export: customer names and mobiles leaving the system) are entries too, with their
 * query string as the parameter `query`. Refused
 * requests (an error, whatever status a dialect gives it) are not entries: they changed nothing, and bad input must
 * leave every table as it was; their request log lines remain. Bodies are not kept: they can carry refund
 * passwords and personal data. Written here rather than in each use case's transaction so no staff route can
 * forget it; the cost is that a crash between the use case's commit and this insert loses that one entry (the
 * request's log line still has it).
 */
export function installStaffAudit(app: FastifyInstance, ctx: AppContext): void {
  const refused = new WeakSet<FastifyRequest>();
  app.addHook('onError', async (request: FastifyRequest) => {
    refused.add(request);
  });
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply) => {
    const staff = request.principal;
    const audited = request.routeOptions.config.audited === true;
    if (
      staff?.kind !== 'staff' ||
      !(MUTATING.has(request.method) || audited) ||
      refused.has(request) ||
      reply.statusCode >= 400
    )
      return;
    const params = {
      ...(request.params as Record<string, string>),
      ...(audited && { query: request.url.split('?')[1] ?? '' }),
    };
    try {
      await ctx.db
        .insertInto('staff_audit')
        .values({
          merchant_id: staff.merchantId,
          staff_id: staff.staffId,
          at: ctx.clock.now(),
          request_id: String(request.id),
          method: request.method,
          route: request.routeOptions.url ?? request.url.split('?')[0]!,
          params: JSON.stringify(params),
          status_code: reply.statusCode,
          ip: request.ip,
        })
        .execute();
    } catch (err) {
      request.log.error({ err }, 'could not write the staff audit entry');
    }
  });
}

export interface AuditEntry {
  id: number;
  staffId: number;
  staffName: string;
  at: Date;
  requestId: string;
  method: string;
  route: string;
  params: Record<string, string>;
  statusCode: number;
  ip: string;
}

/** The merchant's audit trail, newest first. */
export async function listStaffAudit(
  ctx: AppContext,
  merchantId: number,
  query: { staffId?: number; page: number; pageSize: number },
): Promise<{ items: AuditEntry[]; total: number }> {
  let base = ctx.db.selectFrom('staff_audit as a').where('a.merchant_id', '=', merchantId);
  if (query.staffId) base = base.where('a.staff_id', '=', query.staffId);
  const [rows, count] = await Promise.all([
    base
      .innerJoin('staff as s', 's.id', 'a.staff_id')
      .select([
        'a.id',
        'a.staff_id',
        's.name',
        'a.at',
        'a.request_id',
        'a.method',
        'a.route',
        'a.params',
        'a.status_code',
        'a.ip',
      ])
      .orderBy('a.id', 'desc')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((r) => ({
      id: r.id,
      staffId: r.staff_id,
      staffName: r.name,
      at: r.at,
      requestId: r.request_id,
      method: r.method,
      route: r.route,
      params: r.params,
      statusCode: r.status_code,
      ip: r.ip,
    })),
  };
}
