import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { listAttempts, listDeliveries } from '../../webhooks/list-deliveries.ts';
import { redeliver } from '../../webhooks/redeliver.ts';
import { requireStaff, staffOf } from '../authenticate.ts';
import { DateTime, Id, Nullable, NullableDateTime, replies, Strict } from '../schemas.ts';
import { lagTolerantReads, ReadPositionHeaders } from '../read-position.ts';

const DeliveryStatus = Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]);

const Delivery = Type.Object({
  id: Type.Integer(),
  appId: Type.String({ description: 'the app whose webhook URL receives it' }),
  eventId: Type.Integer({ description: 'the event id, sent as `id` in the body and in x-ordo-event-id' }),
  topic: Type.String(),
  aggregateId: Type.String({ description: 'the order, payment, refund or trade the event is about' }),
  status: DeliveryStatus,
  attempts: Type.Integer(),
  lastStatus: Nullable(Type.Integer({ description: 'HTTP status of the last attempt; null when it got no answer' })),
  lastError: Type.String(),
  nextAttemptAt: NullableDateTime,
  deliveredAt: NullableDateTime,
  createdAt: DateTime,
});

const Attempt = Type.Object({
  id: Type.Integer(),
  at: DateTime,
  statusCode: Nullable(Type.Integer()),
  error: Type.String(),
  durationMs: Type.Integer(),
});

const DeliveryParams = Strict({ id: Id });

/** Staff view of the merchant's signed webhook deliveries, their attempts, and sending one again. */
export const webhookAdminRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const base = { tags: ['admin'], security: [{ bearer: [] }] };

    app.get(
      '/v1/admin/webhook-deliveries',
      {
        schema: {
          ...base,
          summary: "The merchant's webhook deliveries, newest first",
          querystring: Strict({
            status: Type.Optional(DeliveryStatus),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            cursor: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$' })),
          }),
          headers: ReadPositionHeaders,
          response: replies({ 200: Type.Object({ items: Type.Array(Delivery), nextCursor: Nullable(Type.String()) }) }),
        },
        preHandler: requireStaff(),
      },
      async (request) =>
        listDeliveries(await lagTolerantReads(ctx, request), staffOf(request).merchantId, request.query),
    );
    app.get(
      '/v1/admin/webhook-deliveries/:id/attempts',
      {
        schema: {
          ...base,
          summary: 'Every attempt of one delivery: when, HTTP status, error, duration',
          params: DeliveryParams,
          response: replies({ 200: Type.Array(Attempt) }),
        },
        preHandler: requireStaff(),
      },
      async (request) => listAttempts(ctx, staffOf(request).merchantId, request.params.id),
    );
    app.post(
      '/v1/admin/webhook-deliveries/:id/redeliver',
      {
        schema: {
          ...base,
          summary: 'Send a delivered or failed delivery again, now',
          description:
            'The delivery becomes pending and is due at once; its attempt history is kept. A pending delivery answers 409.',
          params: DeliveryParams,
          response: replies({ 200: Delivery }),
        },
        preHandler: requireStaff(),
      },
      async (request) => redeliver(ctx, staffOf(request).merchantId, request.params.id),
    );
  };
