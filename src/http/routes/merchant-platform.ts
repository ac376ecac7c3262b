import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { createApp, listApps, rotateAppSecret, updateApp } from '../../merchants/apps.ts';
import { listFeeRates, setFeeRate } from '../../merchants/fee-rates.ts';
import { createStore } from '../../merchants/stores.ts';
import { METHODS } from '../../payments/payment-methods.ts';
import { setRefundPassword } from '../../staff/manage-staff.ts';
import { requireStaff, staffOf } from '../authenticate.ts';
import { Changes, DateTime, Id, replies, ShortText, Strict } from '../schemas.ts';
import { StoreSchema } from './merchant-setup.ts';

const AppView = Type.Object({
  appId: Type.String(),
  name: Type.String(),
  webhookUrl: Type.String(),
  disabled: Type.Boolean(),
  createdAt: DateTime,
});
const WebhookUrl = Type.String({ maxLength: 500, pattern: '^(https?://.+)?$' });
const AppParams = Strict({ appId: Type.String({ pattern: '^app_[0-9a-f]{16}$' }) });

/** Admin set-up of the merchant platform: apps and their secrets, channel fee rates, stores, refund passwords. */
export const merchantPlatformRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const base = { tags: ['admin'], security: [{ bearer: [] }] };
    const admin = requireStaff('admin');

    app.post(
      '/v1/admin/apps',
      {
        schema: {
          ...base,
          summary: 'Create an app for the signed merchant API; its secret is shown only in this answer',
          body: Strict({ name: ShortText(60, 1), webhookUrl: Type.Optional(WebhookUrl) }),
          response: replies({ 201: Type.Object({ ...AppView.properties, secret: Type.String() }) }),
        },
        preHandler: admin,
      },
      async (request, reply) => reply.status(201).send(await createApp(ctx, staffOf(request).merchantId, request.body)),
    );
    app.get(
      '/v1/admin/apps',
      {
        schema: {
          ...base,
          summary: 'The merchant’s apps (secrets are never shown again)',
          response: replies({ 200: Type.Array(AppView) }),
        },
        preHandler: requireStaff(),
      },
      async (request) => listApps(ctx, staffOf(request).merchantId),
    );
    app.patch(
      '/v1/admin/apps/:appId',
      {
        schema: {
          ...base,
          summary: 'Rename an app, change its webhook URL, or disable it',
          params: AppParams,
          body: Changes(Strict({ name: ShortText(60, 1), webhookUrl: WebhookUrl, disabled: Type.Boolean() })),
          response: replies({ 200: AppView }),
        },
        preHandler: admin,
      },
      async (request) => updateApp(ctx, staffOf(request).merchantId, request.params.appId, request.body),
    );
    app.post(
      '/v1/admin/apps/:appId/rotate-secret',
      {
        schema: {
          ...base,
          summary: 'Replace an app’s secret (the old one stops working at once)',
          params: AppParams,
          response: replies({ 200: Type.Object({ appId: Type.String(), secret: Type.String() }) }),
        },
        preHandler: admin,
      },
      async (request) => rotateAppSecret(ctx, staffOf(request).merchantId, request.params.appId),
    );
    app.get(
      '/v1/admin/fee-rates',
      {
        schema: {
          ...base,
          summary: 'Channel fee rates per payment method (hundredths of a percent)',
          response: replies({ 200: Type.Array(Type.Object({ method: Type.String(), basisPoints: Type.Integer() })) }),
        },
        preHandler: requireStaff(),
      },
      async (request) => listFeeRates(ctx, staffOf(request).merchantId),
    );
    app.put(
      '/v1/admin/fee-rates',
      {
        schema: {
          ...base,
          summary: 'Set the channel fee rate of a method: 60 = 0.60 %',
          body: Strict({
            method: Type.Union(METHODS.map((m) => Type.Literal(m))),
            basisPoints: Type.Integer({ minimum: 0, maximum: 10000 }),
          }),
          response: replies({ 200: Type.Object({ ok: Type.Boolean() }) }),
        },
        preHandler: admin,
      },
      async (request) => {
        await setFeeRate(ctx, staffOf(request).merchantId, request.body.method, request.body.basisPoints);
        return { ok: true };
      },
    );
    app.post(
      '/v1/admin/stores',
      {
        schema: {
          ...base,
          summary: 'Open a store',
          body: Strict({
            name: ShortText(100, 1),
            phone: Type.Optional(ShortText(30)),
            address: Type.Optional(ShortText(200)),
          }),
          response: replies({ 201: StoreSchema }),
        },
        preHandler: admin,
      },
      async (request, reply) =>
        reply.status(201).send(await createStore(ctx, staffOf(request).merchantId, request.body)),
    );
    app.put(
      '/v1/admin/staff/:staffId/refund-password',
      {
        schema: {
          ...base,
          summary: 'Set the refund password a till operator types to authorise refunds',
          params: Strict({ staffId: Id }),
          body: Strict({ password: Type.String({ minLength: 6, maxLength: 64 }) }),
          response: replies({ 200: Type.Object({ ok: Type.Boolean() }) }),
        },
        preHandler: admin,
      },
      async (request) => {
        await setRefundPassword(ctx, staffOf(request).merchantId, request.params.staffId, request.body.password);
        return { ok: true };
      },
    );
  };
