import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { handleNotification } from '../../payments/handle-notification.ts';

/**
 * Where WeChat Pay and Alipay post their notifications. Signatures cover the exact bytes, so this plugin keeps
 * every body as the raw string it arrived as, whatever its content type.
 */
export const paymentNotificationRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    app.post(
      '/v1/payments/notify/:provider/:accountId',
      {
        schema: {
          tags: ['payments'],
          summary: 'Gateway notifications (WeChat Pay v3 JSON, Alipay form): verified, then settled exactly once',
          params: Type.Object({ provider: Type.Union([Type.Literal('wechatpay'), Type.Literal('alipay')]), accountId: Type.Integer({ minimum: 1, maximum: 2 ** 31 }) }, { additionalProperties: false }),
        },
      },
      async (request, reply) => {
        const headers: Record<string, string | undefined> = {};
        for (const [key, value] of Object.entries(request.headers)) headers[key] = Array.isArray(value) ? value.join(',') : value;
        const answer = await handleNotification(ctx, request.params.provider, request.params.accountId, { headers, rawBody: typeof request.body === 'string' ? request.body : '' });
        return reply.status(answer.status).headers(answer.headers).send(answer.body);
      },
    );
  };
