import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../context.ts';
import { mallDialect } from './mall/routes.ts';
import { storefrontRoutes } from './storefront/routes.ts';
import { wholesaleRoutes } from './wholesale/routes.ts';
import { yoshopDialect } from './yoshop/routes.ts';
import { xxpayDialect } from './xxpay/routes.ts';

/**
 * The seed systems' APIs ordo also serves, each under its own prefix (DESIGN §9; configurable with
 * ORDO_<NAME>_PREFIX). A dialect only translates: it parses its wire format, calls ordo's use cases, and maps the
 * canonical order to its own fields, codes, money and time formats through one mapping table.
 */
export interface Dialect {
  name: 'mall' | 'wholesale' | 'yoshop' | 'storefront' | 'xxpay';
  plugin: (ctx: AppContext) => FastifyPluginAsync;
}

export const DIALECTS: Dialect[] = [];
DIALECTS.push({ name: 'mall', plugin: mallDialect });
DIALECTS.push({ name: 'storefront', plugin: storefrontRoutes });
DIALECTS.push({ name: 'wholesale', plugin: wholesaleRoutes });
DIALECTS.push({ name: 'xxpay', plugin: xxpayDialect });
DIALECTS.push({ name: 'yoshop', plugin: yoshopDialect });
