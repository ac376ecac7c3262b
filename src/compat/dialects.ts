import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../context.ts';
import { failure as mallFailure, MALL_STATUS } from './mall/mapping.ts';
import { mallDialect } from './mall/routes.ts';
import { storefrontError } from './storefront/mapping.ts';
import { wholesaleError } from './wholesale/mapping.ts';
import { failure as xxpayFailure, XXPAY_CODE } from './xxpay/mapping.ts';
import { failure as yoshopFailure, YOSHOP_STATUS } from './yoshop/mapping.ts';
import { storefrontDialect } from './storefront/routes.ts';
import { wholesaleDialect } from './wholesale/routes.ts';
import { yoshopDialect } from './yoshop/routes.ts';
import { xxpayDialect } from './xxpay/routes.ts';

/**
 * The seed systems' APIs ordo also serves, each under its own prefix (configurable with
 * ORDO_<NAME>_PREFIX). A dialect only translates: it parses its wire format, calls ordo's use cases, and maps the
 * canonical order to its own fields, codes, money and time formats through one mapping table. Adding one:
 * docs/ARCHITECTURE.md, "Where new work goes".
 */
export interface Dialect {
  name: 'mall' | 'wholesale' | 'yoshop' | 'storefront' | 'xxpay';
  plugin: (ctx: AppContext) => FastifyPluginAsync;
  /** its error envelope, for errors the router raises before any of its routes runs (an over-long URL) */
  errorBody: (message: string) => unknown;
}

export const DIALECTS: Dialect[] = [];
DIALECTS.push({ name: 'mall', plugin: mallDialect, errorBody: (message) => mallFailure(MALL_STATUS.error, message) });
DIALECTS.push({
  name: 'storefront',
  plugin: storefrontDialect,
  errorBody: storefrontError,
});
DIALECTS.push({ name: 'wholesale', plugin: wholesaleDialect, errorBody: (message) => wholesaleError(null, message) });
DIALECTS.push({
  name: 'xxpay',
  plugin: xxpayDialect,
  errorBody: (message) => xxpayFailure(XXPAY_CODE.failure, message),
});
DIALECTS.push({
  name: 'yoshop',
  plugin: yoshopDialect,
  errorBody: (message) => yoshopFailure(YOSHOP_STATUS.error, message),
});
