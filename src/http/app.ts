import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { DIALECTS } from '../compat/dialects.ts';
import { clientErrorReply } from './client-error-reply.ts';
import { refusalEnvelopes } from './refusal-envelope.ts';
import { installRequestBoundary, MAX_HEADER_BYTES } from './request-boundary.ts';
import { DEFAULT_BODY_LIMIT_BYTES } from '../config.ts';
import { installStaffAudit } from '../staff/audit-trail.ts';
import { installAbuseLimits } from './abuse-limits.ts';
import { installCors } from './cors.ts';
import { installMetrics } from './metrics.ts';
import { installRequestIds, requestIdFor } from './request-ids.ts';
import { staffAuditRoutes } from './routes/staff-audit.ts';
import { principalResolver } from './authenticate.ts';
import { frameworkErrorReply, installErrorReplies } from './error-reply.ts';
import { addressRoutes } from './routes/addresses.ts';
import { afterSalesRoutes } from './routes/after-sales.ts';
import { authRoutes } from './routes/auth.ts';
import { cartRoutes } from './routes/cart.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { healthRoutes } from './routes/health.ts';
import { meRoutes } from './routes/me.ts';
import { mediaRoutes } from './routes/media.ts';
import { memberUploadRoutes } from './routes/member-uploads.ts';
import { orderRoutes } from './routes/orders.ts';
import { paymentAdminRoutes } from './routes/payment-admin.ts';
import { paymentNotificationRoutes } from './routes/payment-notifications.ts';
import { paymentRoutes } from './routes/payments.ts';
import { merchantApiRoutes } from './routes/merchant-api.ts';
import { merchantPlatformRoutes } from './routes/merchant-platform.ts';
import { webhookAdminRoutes } from './routes/webhooks.ts';
import { sandboxRoutes } from '../sandbox/sandbox-routes.ts';
import { merchantSetupRoutes } from './routes/merchant-setup.ts';
import { webRoutes } from './routes/web.ts';
import { reportRoutes } from './routes/reports.ts';
import { memberAdminRoutes } from './routes/member-admin.ts';
import { couponAdminRoutes } from './routes/coupon-admin.ts';
import { couponWalletRoutes } from './routes/coupon-wallet.ts';
import { localAdminRoutes } from './routes/local-admin.ts';
import { productReviewRoutes } from './routes/product-reviews.ts';
import { storePageRoutes } from './routes/store-pages.ts';
import { ErrorResponse } from './schemas.ts';
import { installValidators } from './validation.ts';
import { deferValidatorCompilation, lazySerializerOption } from './lazy-schemas.ts';
import { withDemoExamples } from './docs/demo-examples.ts';
import { swaggerUiDocument } from './docs/swagger-ui-document.ts';
import { installReadPositions } from './read-position.ts';

/** the default body limit (ORDO_BODY_LIMIT_BYTES) */
export const BODY_LIMIT_BYTES = DEFAULT_BODY_LIMIT_BYTES;
const GATEWAY_PROTOCOL_ROUTES = /^\/(sandbox\/(wechatpay|alipay)\/|v1\/payments\/notify\/)/;

export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const dialectPrefixes = Object.values(ctx.config.dialectPrefixes);
  const isForeignProtocol = (url: string) =>
    GATEWAY_PROTOCOL_ROUTES.test(url) ||
    dialectPrefixes.some((prefix) => url === prefix || url.startsWith(`${prefix}/`));
  const refusalFor = refusalEnvelopes(ctx.config.dialectPrefixes);
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimitBytes,
    // slow clients (a body that trickles in, a silent connection) cannot hold sockets forever
    requestTimeout: ctx.config.requestTimeoutSeconds * 1000,
    connectionTimeout: ctx.config.connectionTimeoutSeconds * 1000,
    // Node reads the request timeout when the server is made, and checks it on an interval (30 s by default)
    http: {
      maxHeaderSize: MAX_HEADER_BYTES,
      requestTimeout: ctx.config.requestTimeoutSeconds * 1000,
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, (ctx.config.requestTimeoutSeconds * 1000) / 4)),
    },
    trustProxy: ctx.config.trustProxy,
    // Requests can carry a request id from a proxy; otherwise ordo makes one. It is on every log line.
    requestIdHeader: false,
    genReqId: requestIdFor,
    schemaController: lazySerializerOption(),
    frameworkErrors: (err, request, reply) =>
      frameworkErrorReply(err, request as FastifyRequest, reply as FastifyReply, refusalFor),
    clientErrorHandler: clientErrorReply(ctx.log as FastifyBaseLogger),
  }).withTypeProvider<TypeBoxTypeProvider>();

  installValidators(app);
  installRequestBoundary(app);
  deferValidatorCompilation(app);
  installErrorReplies(app);
  await installCors(app, ctx.config);
  app.decorateRequest('principal', null);
  app.addHook('onRequest', principalResolver(ctx));
  app.addSchema(ErrorResponse);
  installRequestIds(app);
  await installAbuseLimits(app, ctx.config);
  installMetrics(app, ctx);
  installReadPositions(app, ctx);
  installStaffAudit(app, ctx);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ordo',
        version: '0.1.0',
        description: 'Canonical order API. Money is integer fen; times are RFC 3339 UTC.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          signed: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Ordo-Signature',
            description:
              'HMAC-SHA256 request signature with X-Ordo-App-Id, X-Ordo-Timestamp and X-Ordo-Nonce (see the README)',
          },
        },
      },
    },
    // shared schemas keep their own name in the document: components.schemas.Error lists every error code once
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
    // Routes that speak a payment gateway's protocol or a seed system's dialect have their own envelopes: they are
    // not part of ordo's canonical API document.
    transform: ({ schema, url }) => ({ schema: isForeignProtocol(url) ? { ...schema, hide: true } : schema, url }),
    transformObject: (document) =>
      withDemoExamples('openapiObject' in document ? document.openapiObject : document.swaggerObject),
  });
  const uiDocuments = new WeakMap<object, object>();
  const uiDocument = (document: Record<string, unknown>) =>
    uiDocuments.get(document) ?? uiDocuments.set(document, swaggerUiDocument(document)).get(document)!;
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    transformSpecificationClone: false,
    transformSpecification: uiDocument,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const routes of [
    healthRoutes,
    authRoutes,
    meRoutes,
    catalogRoutes,
    merchantSetupRoutes,
    addressRoutes,
    cartRoutes,
    orderRoutes,
    paymentRoutes,
    paymentAdminRoutes,
    paymentNotificationRoutes,
    afterSalesRoutes,
    webhookAdminRoutes,
    merchantPlatformRoutes,
    merchantApiRoutes,
    reportRoutes,
    memberAdminRoutes,
    staffAuditRoutes,
    couponAdminRoutes,
    couponWalletRoutes,
    localAdminRoutes,
    productReviewRoutes,
    storePageRoutes,
    memberUploadRoutes,
  ]) {
    await app.register(routes(ctx));
  }
  await app.register(mediaRoutes);
  await app.register(webRoutes, { demo: ctx.config.seedDemo });
  for (const dialect of DIALECTS)
    await app.register(dialect.plugin(ctx), { prefix: ctx.config.dialectPrefixes[dialect.name] });
  if (ctx.sandbox) await app.register(sandboxRoutes(ctx.sandbox));
  return app;
}
