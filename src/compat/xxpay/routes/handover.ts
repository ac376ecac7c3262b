import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { instantOfLocalDateTime } from '../../../domain/local-time.ts';
import { listOperatorDayTotals } from '../../../reports/operator-day-totals.ts';
import type { MappingEnv } from '../mapping.ts';
import { bad, int, paramsOf, staffOf, text, type Params } from '../params.ts';
import { tablePage, toXxpayHandover } from '../till-mapping.ts';
import { layuiPage } from './till-params.ts';

/**
 * `handover_history/list`: what each operator took, per store and day (ordo keeps no shifts; the web cashier never
 * hands over, so a day stands for a shift). `page`, `limit` (-1 all), `userId`, `userName` (part of it), `storeId`,
 * `workStartTime` / `workEndTime` (`yyyy-MM-dd HH:mm:ss`, shop time: days that ended in that window). An operator
 * (not an admin) sees only their own days, as in XxPay.
 */
export function registerHandoverRoutes(app: FastifyInstance, ctx: AppContext, env: MappingEnv): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/handover_history/list',
    handler: async (request) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      const asked = int(p, 'userId', 1, Number.MAX_SAFE_INTEGER);
      const { items, total } = await listOperatorDayTotals(ctx, staff.merchantId, {
        operatorId: staff.role === 'admin' ? asked : staff.staffId,
        operatorName: text(p, 'userName', { max: 64 }),
        storeId: int(p, 'storeId', 1, Number.MAX_SAFE_INTEGER),
        from: timeOf(p, 'workStartTime', env),
        to: timeOf(p, 'workEndTime', env),
        ...layuiPage(p),
      });
      return tablePage(
        items.map((d) => toXxpayHandover(d, staff.merchantId, env)),
        total,
      );
    },
  });
}

function timeOf(p: Params, name: string, env: MappingEnv): Date | undefined {
  const s = text(p, name, { max: 19 });
  if (s === undefined) return undefined;
  const at = instantOfLocalDateTime(s, env.timeZone);
  if (!at) throw bad(`${name} must be a time (yyyy-MM-dd HH:mm:ss)`);
  return at;
}
