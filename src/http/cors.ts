import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DIALECTS } from '../compat/dialects.ts';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

/**
 * Browsers on other origins (H5 shops, course front ends on their own dev servers and domains), the way the original
 * backends answered them. Callers that authenticate with a header token — `/v1` and the signed merchant API,
 * yoshop's `Access-Token`, xxpay's `Authorization`, storefront's `token`, wholesale — are answered for any origin
 * (`*`), never with credentials: a header token is not sent by the browser on its own, so `*` lets no other site act
 * as the user. The mall signs in with a cookie, which the browser does send on its own: it is answered only for the
 * origins in ORDO_CORS_ORIGINS, with credentials and the exact origin (browsers refuse `*` with credentials). A
 * non-empty ORDO_CORS_ORIGINS narrows every mount to those origins.
 *
 * A disallowed origin gets no Access-Control-* header: the browser then sends none of its non-simple requests, and
 * cannot read the answer to a simple one.
 */

/** Every header a mount's front ends send, so one preflight answer fits every dialect. */
export const CORS_ALLOWED_HEADERS = [
  'Content-Type',
  'Authorization', // /v1 and wholesale bearer tokens, xxpay's bare token
  'Idempotency-Key', // placing an order on /v1
  'X-Request-Id',
  'Access-Token', // yoshop
  'platform', // yoshop
  'storeId', // yoshop
  'token', // storefront
  'X-Ordo-App-Id', // the signed merchant API and wholesale
  'X-Ordo-Timestamp',
  'X-Ordo-Nonce',
  'X-Ordo-Signature',
  'X-Requested-With', // jQuery and axios-era clients (the mall)
  'Ordo-Read-Position', // read-your-writes on /v1 behind read replicas
];

/** Response headers a cross-origin page may read: the request id to quote, a rate limit's wait, a CSV's file name. */
export const CORS_EXPOSED_HEADERS = ['X-Request-Id', 'Retry-After', 'Content-Disposition', 'Ordo-Read-Position'];

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

interface Policy {
  origin: string;
  credentials: boolean;
}

/** Registers CORS on every route; call before the routes and the principal resolver (a preflight ends here). */
export async function installCors(app: FastifyInstance, config: Config): Promise<void> {
  const listed = new Set(config.corsOrigins);
  const mall = config.dialectPrefixes.mall;
  const pathOf = (request: FastifyRequest) => request.url.split('?')[0]!;
  const dialectAt = (path: string) =>
    DIALECTS.find(
      ({ name }) => path === config.dialectPrefixes[name] || path.startsWith(`${config.dialectPrefixes[name]}/`),
    );

  const policyFor = (request: FastifyRequest): Policy | null => {
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || origin === '') return null;
    const path = pathOf(request);
    if (path === mall || path.startsWith(`${mall}/`)) return listed.has(origin) ? { origin, credentials: true } : null;
    if (listed.size > 0) return listed.has(origin) ? { origin, credentials: false } : null;
    return { origin: '*', credentials: false };
  };

  // An OPTIONS that is no allowed preflight is refused as before CORS existed, in the mount's own envelope (the
  // plugin's catch-all OPTIONS route would answer the canonical one everywhere).
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'OPTIONS' || policyFor(request)) return;
    const path = pathOf(request);
    const origin = request.headers.origin;
    const dialect = dialectAt(path);
    if (dialect) {
      const message = origin ? `不允许来自 ${origin} 的跨域请求` : `接口不存在：OPTIONS ${path}`;
      return reply.status(origin ? 403 : 404).send(dialect.errorBody(message));
    }
    if (origin)
      throw new AppError('forbidden', `origin ${origin} may not call this API from a browser (ORDO_CORS_ORIGINS)`);
    throw new AppError('not_found', `no route OPTIONS ${path}`);
  });

  const common = {
    methods: METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: config.corsMaxAgeSeconds,
    strictPreflight: false,
  };
  await app.register(cors, {
    hook: 'onRequest',
    delegator: (request, callback) => {
      const policy = policyFor(request as FastifyRequest);
      callback(null, policy ? { ...common, ...policy } : { origin: false });
    },
  });
}
