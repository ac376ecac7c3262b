import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { listMethodSettings, METHODS, saveMethodSettings } from '../../payments/payment-methods.ts';
import { recordCashPayment } from '../../flows/record-cash-payment.ts';
import { approveVoucher, rejectVoucher } from '../../flows/review-voucher.ts';
import { requireStaff, staffOf } from '../authenticate.ts';
import { Client, Fen, Id, Nullable, OrderNo, replies, ShortText, Strict } from '../schemas.ts';
import { Payment } from './payments.ts';

const MethodSetting = Type.Object({
  method: Type.String(),
  channel: Type.String(),
  accountId: Nullable(Type.Integer()),
  enabled: Type.Boolean(),
  isDefault: Type.Boolean(),
});
const OutTradeNo = Strict({ outTradeNo: Type.String({ pattern: '^[0-9A-Za-z_-]{6,32}$' }) });

/** Staff side of payments: voucher review, cash at the till, and which methods each store offers per client. */
export const paymentAdminRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const base = { tags: ['admin'], security: [{ bearer: [] }] };
    const ok = Type.Object({ ok: Type.Boolean() });

    app.post(
      '/v1/admin/payments/:outTradeNo/approve',
      {
        schema: {
          ...base,
          summary: 'Approve an offline payment voucher: the order is paid',
          params: OutTradeNo,
          body: Strict({ note: Type.Optional(ShortText(200)) }),
          response: replies({ 200: ok }),
        },
        preHandler: requireStaff(),
      },
      async (request) => {
        await approveVoucher(ctx, staffOf(request), request.params.outTradeNo, request.body.note);
        return { ok: true };
      },
    );
    app.post(
      '/v1/admin/payments/:outTradeNo/reject',
      {
        schema: {
          ...base,
          summary: 'Reject an offline payment voucher with a reason: the order waits for payment again',
          params: OutTradeNo,
          body: Strict({ reason: ShortText(200, 1) }),
          response: replies({ 200: ok }),
        },
        preHandler: requireStaff(),
      },
      async (request) => {
        await rejectVoucher(ctx, staffOf(request), request.params.outTradeNo, request.body.reason);
        return { ok: true };
      },
    );
    app.post(
      '/v1/admin/orders/:orderNo/cash',
      {
        schema: {
          ...base,
          summary: 'Record a cash payment taken at the till (POS)',
          params: Strict({ orderNo: OrderNo }),
          body: Strict({ amount: Fen }),
          response: replies({ 201: Payment }),
        },
        preHandler: requireStaff(),
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await recordCashPayment(ctx, staffOf(request), request.params.orderNo, request.body.amount)),
    );
    app.get(
      '/v1/admin/payment-methods',
      {
        schema: {
          ...base,
          summary: 'The payment methods of a store for one client',
          querystring: Strict({ storeId: Id, client: Client }),
          response: replies({ 200: Type.Array(MethodSetting) }),
        },
        preHandler: requireStaff(),
      },
      async (request) => {
        const owned = await ctx.db
          .selectFrom('stores')
          .select('id')
          .where('id', '=', request.query.storeId)
          .where('merchant_id', '=', staffOf(request).merchantId)
          .executeTakeFirst();
        return owned ? listMethodSettings(ctx.db, owned.id, request.query.client) : [];
      },
    );
    app.put(
      '/v1/admin/payment-methods',
      {
        schema: {
          ...base,
          summary: 'Set the payment methods of a store for one client (replaces the list)',
          body: Strict({
            storeId: Id,
            client: Client,
            methods: Type.Array(
              Strict({
                method: Type.Union(METHODS.map((m) => Type.Literal(m))),
                channel: Type.String({ maxLength: 20, default: '' }),
                accountId: Nullable(Id),
                enabled: Type.Boolean(),
                isDefault: Type.Boolean(),
              }),
              { maxItems: METHODS.length, uniqueItems: true },
            ),
          }),
          response: replies({ 200: Type.Array(MethodSetting) }),
        },
        preHandler: requireStaff('admin'),
      },
      async (request) =>
        saveMethodSettings(
          ctx,
          staffOf(request).merchantId,
          request.body.storeId,
          request.body.client,
          request.body.methods,
        ),
    );
    app.get(
      '/v1/admin/provider-accounts',
      {
        schema: {
          ...base,
          summary: 'Payment gateway accounts (credentials are never shown)',
          response: replies({
            200: Type.Array(
              Type.Object({ id: Type.Integer(), provider: Type.String(), name: Type.String(), mode: Type.String() }),
            ),
          }),
        },
        preHandler: requireStaff(),
      },
      async (request) =>
        ctx.db
          .selectFrom('provider_accounts')
          .select(['id', 'provider', 'name', 'mode'])
          .where('merchant_id', '=', staffOf(request).merchantId)
          .orderBy('id')
          .execute(),
    );
  };
