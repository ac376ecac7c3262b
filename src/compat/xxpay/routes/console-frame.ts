import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { getMerchantSettings } from '../../../merchants/merchant-settings.ts';
import { ownStaffAccount } from '../../../staff/own-account.ts';
import { toXxpayCurrentUser, toXxpayMenu, toXxpayMerchant } from '../console-mapping.ts';
import { ok, type MappingEnv } from '../mapping.ts';
import { staffOf } from '../params.ts';

/**
 * The console's frame, for the signed-in staff member:
 * - `mch/get`: the merchant (`mchName` in the header).
 * - `mch/current`: the signed-in user (`currentUserRoleType`: superAdmin for ordo's admins, operator otherwise).
 * - `mch/menu_get`: the side menu, `[{resourceId, name, title, jump, icon, parentId, list}]`, listing exactly the
 *   screens whose routes ordo serves (console-mapping.ts CONSOLE_MENU); any other console route answers 「暂不支持」.
 */
export function registerConsoleFrameRoutes(app: FastifyInstance, ctx: AppContext, env: MappingEnv): void {
  // Which routes exist is known once every route file has registered: asked at the first menu request.
  const served = (route: string) => app.hasRoute({ method: 'GET', url: `${app.prefix}/api/${route}` });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/mch/get',
    handler: async (request) => {
      const staff = staffOf(request);
      const [merchant, signedIn] = await Promise.all([
        getMerchantSettings(ctx, staff.merchantId),
        ownStaffAccount(ctx, staff.staffId),
      ]);
      return ok(toXxpayMerchant(merchant, signedIn, env));
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/mch/current',
    handler: async (request) => ok(toXxpayCurrentUser(await ownStaffAccount(ctx, staffOf(request).staffId), env)),
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/mch/menu_get',
    handler: async (request) => {
      staffOf(request);
      return ok(toXxpayMenu(served));
    },
  });
}
