import multipart from '@fastify/multipart';
import type { FastifyError, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { CLIENTS } from '../../payments/payment-methods.ts';
import { installDialectErrors } from '../dialect-errors.ts';
import { chineseMessage, requestErrorMessage, validationMessage } from '../messages-zh.ts';
import {
  failure,
  MESSAGE_BY_ERROR,
  STATUS_BY_ERROR,
  YOSHOP_STATUS,
  type MappingEnv,
  type YoshopEnvelope,
} from './mapping.ts';
import { bad, parseJsonBody, YoshopError, type Params } from './params.ts';
import { memberAtStore } from './lookups.ts';
import { MAX_UPLOAD_BYTES } from '../../members/member-uploads.ts';
import type { MemberRoutes, OpenRoutes } from './route-table.ts';
import { addressRoutes } from './routes/address.ts';
import { captchaRoutes } from './routes/captcha.ts';
import { cartRoutes } from './routes/cart.ts';
import { cashierRoutes } from './routes/cashier.ts';
import { checkoutRoutes } from './routes/checkout.ts';
import { couponMemberRoutes, couponOpenRoutes } from './routes/coupon.ts';
import { commentRoutes } from './routes/comment.ts';
import { goodsRoutes } from './routes/goods.ts';
import { orderRoutes } from './routes/order.ts';
import { pageRoutes } from './routes/page.ts';
import { passportRoutes } from './routes/passport.ts';
import { refundRoutes } from './routes/refund.ts';
import { storeRoutes } from './routes/store.ts';
import { userRoutes } from './routes/user.ts';
import { contentRoutes } from './routes/content.ts';
import { goodsSkuRoutes } from './routes/goods-sku.ts';
import { orderActionRoutes } from './routes/order-actions.ts';
import { passportMpRoutes } from './routes/passport-mp.ts';
import { rechargeRoutes } from './routes/recharge.ts';
import { reviewRoutes } from './routes/review.ts';
import { uploadRoutes } from './routes/upload.ts';
import { userProfileRoutes } from './routes/user-profile.ts';
import { accessTokenResolver, sessionMember } from './session.ts';

/**
 * Seed 002: the YoShop 2.0 (萤火商城) uniapp API, mounted at the yoshop prefix (default `/yoshop`, so the client's
 * `index.php?s=/api/cart/list&k=v` is `/yoshop/index.php?s=/api/cart/list&k=v`). One route dispatches on `s` to
 * the actions of routes/ (one file per page family); each parses its parameters (params.ts) and calls ordo's flows
 * and module reads; every shape and code comes from mapping.ts. Every answer is HTTP 200 with
 * `{status, message, data}`, errors included.
 */

/** The actions by name: the open ones answer anyone, the member ones need a signed-in member. */
export const YOSHOP_ROUTES: { open: OpenRoutes; member: MemberRoutes } = {
  open: {
    ...passportRoutes,
    ...captchaRoutes,
    ...storeRoutes,
    ...goodsRoutes,
    ...pageRoutes,
    ...commentRoutes,
    ...couponOpenRoutes,
    ...passportMpRoutes,
    ...goodsSkuRoutes,
    ...contentRoutes,
  },
  member: {
    ...cartRoutes,
    ...addressRoutes,
    ...checkoutRoutes,
    ...cashierRoutes,
    ...orderRoutes,
    ...refundRoutes,
    ...userRoutes,
    ...couponMemberRoutes,
    ...rechargeRoutes,
    ...reviewRoutes,
    ...uploadRoutes,
    ...userProfileRoutes,
    ...orderActionRoutes,
  },
};

const DEFAULT_STORE_ID = 10001;

function envelopeFor(err: Error): YoshopEnvelope | null {
  if (err instanceof YoshopError) return failure(err.status, err.message);
  if (err instanceof AppError)
    return failure(STATUS_BY_ERROR[err.code], MESSAGE_BY_ERROR[err.code] ?? chineseMessage(err));
  const fe = err as FastifyError;
  if (fe.validation) return failure(YOSHOP_STATUS.error, validationMessage(fe));
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    return failure(YOSHOP_STATUS.error, requestErrorMessage(fe.statusCode, fe.message));
  return null;
}

/** The action `s` names, called with the query and JSON body as one set of parameters. */
async function dispatch(ctx: AppContext, env: MappingEnv, request: FastifyRequest): Promise<YoshopEnvelope> {
  const query = (request.query ?? {}) as Params;
  const s = typeof query.s === 'string' ? query.s : '';
  const route = s.replace(/^\/?(api\/)?/, '').replace(/\/+$/, '');
  // multipart is read for the picture upload only; elsewhere its parts would be silently dropped
  if (request.isMultipart() && !Object.hasOwn(uploadRoutes, route))
    throw bad('请求数据格式有误：只有上传图片时使用 multipart/form-data');
  const body = request.body;
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body)))
    throw bad('请求数据必须是 JSON 对象');
  const { s: _s, ...rest } = query;
  const p: Params = { ...rest, ...((body as Params | undefined) ?? {}) };
  const platformHeader = request.headers.platform;
  const platform =
    typeof platformHeader === 'string' && (CLIENTS as readonly string[]).includes(platformHeader)
      ? platformHeader
      : 'H5';
  const storeHeader = request.headers.storeid;
  const storeId =
    typeof storeHeader === 'string' && /^\d{1,9}$/.test(storeHeader) ? Number(storeHeader) : DEFAULT_STORE_ID;
  const member = await memberAtStore(ctx, sessionMember(request), storeId);
  const call = { ctx, env, request, p, platform, storeId, member };

  const open = Object.hasOwn(YOSHOP_ROUTES.open, route) ? YOSHOP_ROUTES.open[route] : undefined;
  if (open) return open(call);
  const handler = Object.hasOwn(YOSHOP_ROUTES.member, route) ? YOSHOP_ROUTES.member[route] : undefined;
  if (!handler) throw bad(`很抱歉，接口不存在: ${s || '(empty s)'}`);
  if (!member) throw new YoshopError(YOSHOP_STATUS.needLogin, '很抱歉，您还没有登录');
  return handler({ ...call, member });
}

export const yoshopDialect =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const env: MappingEnv = { timeZone: ctx.config.timeZone, publicUrl: ctx.config.publicUrl };

    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);
    app.addHook('onRequest', accessTokenResolver(ctx));
    // the picture upload (upload/image) is the one multipart request: one picture and a few small fields; a bigger
    // picture is cut short, and the route refuses it in the client's words
    await app.register(multipart, {
      attachFieldsToBody: true,
      throwFileSizeLimit: false,
      limits: { files: 1, fileSize: MAX_UPLOAD_BYTES + 1, fields: 5, fieldSize: 1000, parts: 6 },
    });

    installDialectErrors(app, {
      name: 'yoshop',
      refusal: envelopeFor,
      failure: (message) => failure(YOSHOP_STATUS.error, message),
      busyMessage: '服务器繁忙，请稍后再试',
      unhandledStatus: 200,
      notFound: { status: 200, message: (method, path) => `no route ${method} ${path}` },
    });

    app.route({ method: ['GET', 'POST'], url: '/index.php', handler: async (request) => dispatch(ctx, env, request) });
  };
