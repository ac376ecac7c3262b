import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { AppError, ERROR_STATUS } from '../../errors.ts';
import { handleNotification } from '../../flows/handle-notification.ts';
import { notificationRefusal } from '../../providers/notification-refusal.ts';

/**
 * Where WeChat Pay and Alipay post their notifications. Signatures cover the exact bytes, so this plugin keeps
 * every body as the raw string it arrived as, whatever its content type.
 */
export const paymentNotificationRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Whatever is refused here (no such account, a body over the limit, text that cannot be stored) is answered in
    // the sender's protocol; a 4xx tells the gateway not to retry, a 5xx (ordo's own fault) that it should.
    app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
      const status =
        err instanceof AppError
          ? ERROR_STATUS[err.code]
          : err.statusCode && err.statusCode >= 400 && err.statusCode < 500
            ? err.statusCode
            : 500;
      if (status >= 500) request.log.error({ err }, 'notification failed');
      const provider = request.url.startsWith('/v1/payments/notify/alipay') ? 'alipay' : 'wechatpay';
      const refusal = notificationRefusal(provider, status, status >= 500 ? 'internal error' : err.message);
      return reply.status(refusal.status).headers(refusal.headers).send(refusal.body);
    });
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    app.post(
      '/v1/payments/notify/:provider/:accountId',
      {
        schema: {
          tags: ['payments'],
          summary: 'Gateway notifications (WeChat Pay v3 JSON, Alipay form): verified, then settled exactly once',
          params: Type.Object(
            {
              provider: Type.Union([Type.Literal('wechatpay'), Type.Literal('alipay')]),
              accountId: Type.Integer({ minimum: 1, maximum: 2 ** 31 }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const headers: Record<string, string | undefined> = {};
        for (const [key, value] of Object.entries(request.headers))
          headers[key] = Array.isArray(value) ? value.join(',') : value;
        const answer = await handleNotification(ctx, request.params.provider, request.params.accountId, {
          headers,
          rawBody: typeof request.body === 'string' ? request.body : '',
        });
        return reply.status(answer.status).headers(answer.headers).send(answer.body);
      },
    );
  };
