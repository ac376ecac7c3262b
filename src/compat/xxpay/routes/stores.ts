import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { listStorePage } from '../../../merchants/store-list.ts';
import { merchantIncome } from '../../../reports/merchant-income.ts';
import { listStaff } from '../../../staff/manage-staff.ts';
import { ok, type MappingEnv } from '../mapping.ts';
import { int, paramsOf, staffOf, text } from '../params.ts';
import { tablePage, toXxpayAccount, toXxpayStore, toXxpaySubuser } from '../till-mapping.ts';
import { layuiPage } from './till-params.ts';

/**
 * Stores and sub-users (staff) for the console's tables and drop-downs:
 * - `store/list`: `page`, `limit` (-1 all), `storeId`, `storeNo` (ordo's store id), `storeName` (part of it).
 * - `subuser/list`: `page`, `limit` (-1 all), `storeId` (accepted; ordo's staff serve every store, so it does not
 *   narrow the list), `userId`, `loginUserName` (part of it).
 * - `account/get`: the merchant's income as the account page's balances.
 */
export function registerStoreRoutes(app: FastifyInstance, ctx: AppContext, env: MappingEnv): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/store/list',
    handler: async (request) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      const storeId = int(p, 'storeId', 1, Number.MAX_SAFE_INTEGER) ?? int(p, 'storeNo', 1, Number.MAX_SAFE_INTEGER);
      const { items, total } = await listStorePage(ctx, staff.merchantId, {
        storeId,
        name: text(p, 'storeName', { max: 64 }),
        ...layuiPage(p),
      });
      return tablePage(
        items.map((s) => toXxpayStore(s, staff.merchantId, env)),
        total,
      );
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/subuser/list',
    handler: async (request) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      int(p, 'storeId', 1, Number.MAX_SAFE_INTEGER);
      const userId = int(p, 'userId', 1, Number.MAX_SAFE_INTEGER);
      const name = text(p, 'loginUserName', { max: 64 })?.toLowerCase();
      const { page, limit } = layuiPage(p);
      const all = (await listStaff(ctx, staff.merchantId)).filter(
        (s) => (userId === undefined || s.id === userId) && (!name || s.username.toLowerCase().includes(name)),
      );
      const shown = limit === null ? all : all.slice((page - 1) * limit, page * limit);
      return tablePage(
        shown.map((s) => toXxpaySubuser(s, env)),
        all.length,
      );
    },
  });
}

/** `account/get`: the merchant's income, settled and not yet (reports/merchant-income.ts). */
export function registerAccountRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/account/get',
    handler: async (request) => {
      const staff = staffOf(request);
      return ok(toXxpayAccount(staff.merchantId, await merchantIncome(ctx, staff.merchantId)));
    },
  });
}
