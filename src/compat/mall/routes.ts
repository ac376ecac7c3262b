import cookie from '@fastify/cookie';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { installDialectErrors } from '../dialect-errors.ts';
import { chineseMessage, requestErrorMessage, validationMessage } from '../messages-zh.ts';
import { failure, MALL_STATUS, STATUS_BY_ERROR, type MallEnvelope, type MappingEnv } from './mapping.ts';
import { MallError, parseJsonBody } from './params.ts';
import { cartRoutes } from './routes/cart.ts';
import { orderRoutes } from './routes/orders.ts';
import { productRoutes } from './routes/products.ts';
import { shippingRoutes } from './routes/shippings.ts';
import { userRoutes } from './routes/user.ts';
import { sessionResolver } from './session.ts';

/**
 * Seed 000: the REST API of the Vue Xiaomi-mall storefront (mmall conventions), mounted at the mall prefix
 * (default `/mall`, so the client's `/api/user/login` is `/mall/user/login`). The route groups of routes/ parse
 * the wire format and call ordo's flows and module reads; every shape and code comes from mapping.ts. Every
 * answer is HTTP 200 with `{status, msg, data}`, errors included, as mmall answers.
 */

/** The error as a mall envelope, in the catalogue's Chinese; null for an error nobody meant (logged, answered as a generic failure). */
function envelopeFor(err: Error): MallEnvelope | null {
  if (err instanceof MallError) return failure(err.status, err.message);
  if (err instanceof AppError) return failure(STATUS_BY_ERROR[err.code], chineseMessage(err));
  const fe = err as FastifyError;
  if (fe.validation) return failure(MALL_STATUS.illegalArgument, validationMessage(fe));
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return failure(
      fe.statusCode === 400 || fe.statusCode === 415 ? MALL_STATUS.illegalArgument : MALL_STATUS.error,
      requestErrorMessage(fe.statusCode, fe.message),
    );
  }
  return null;
}

export const mallDialect =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const env: MappingEnv = { timeZone: ctx.config.timeZone, publicUrl: ctx.config.publicUrl };

    await app.register(cookie);
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);
    app.addHook('onRequest', sessionResolver(ctx));

    installDialectErrors(app, {
      name: 'mall',
      refusal: envelopeFor,
      failure: (message) => failure(MALL_STATUS.error, message),
      busyMessage: '服务器繁忙,请稍后再试',
      unhandledStatus: 200,
      notFound: { status: 404, message: (method, path) => `no route ${method} ${path}` },
    });

    await app.register(userRoutes(ctx));
    await app.register(productRoutes(ctx, env));
    await app.register(cartRoutes(ctx, env));
    await app.register(shippingRoutes(ctx));
    await app.register(orderRoutes(ctx, env));
  };
