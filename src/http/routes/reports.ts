import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { exportOrdersCsv, MAX_EXPORT_ROWS } from '../../orders/export-orders-csv.ts';
import { MAX_REPORT_DAYS, summarizeSales } from '../../reports/summarize-sales.ts';
import { requireStaff, staffOf } from '../authenticate.ts';
import { openEventStream } from '../event-stream.ts';
import { orderFilterFields } from './orders.ts';
import { Fen, replies, Strict } from '../schemas.ts';
import { lagTolerantReads, ReadPositionHeaders, sendingReadPositions } from '../read-position.ts';

const LocalDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'a calendar date in the shop’s time zone, yyyy-MM-dd',
});
const SalesDay = Type.Object({
  date: Type.String(),
  orders: Type.Integer({ description: 'orders placed that day' }),
  paidOrders: Type.Integer({ description: 'orders paid that day' }),
  gmv: Fen,
});
const SalesSummary = Type.Object({
  from: Type.String(),
  to: Type.String(),
  timeZone: Type.String(),
  days: Type.Array(SalesDay),
  methods: Type.Array(Type.Object({ method: Type.String(), payments: Type.Integer(), amount: Fen })),
  totals: Type.Object({
    orders: Type.Integer(),
    paidOrders: Type.Integer(),
    gmv: Fen,
    refundedAmount: Fen,
    refundedOrders: Type.Integer(),
    refundRateBasisPoints: Type.Integer({
      description: 'refunded ÷ GMV of the orders paid in the range, in hundredths of a percent',
    }),
  }),
  today: SalesDay,
});

/**
 * What the console shows of the merchant's orders as a whole: the dashboard's sales summary, the CSV export of
 * the order list, and the stream that tells both when an order changes.
 */
export const reportRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const base = { tags: ['admin'], security: [{ bearer: [] }] };

    app.get(
      '/v1/admin/reports/sales',
      {
        schema: {
          ...base,
          summary:
            'Sales per day (orders placed, orders paid, GMV), payment-method split and refund rate over a date range, plus today',
          description: `Days are calendar days in the shop’s time zone, from and to included, at most ${MAX_REPORT_DAYS}; to defaults to today, from to six days before to. Balance top-ups are not sales and are left out.`,
          querystring: Strict({ from: Type.Optional(LocalDate), to: Type.Optional(LocalDate) }),
          headers: ReadPositionHeaders,
          response: replies({ 200: SalesSummary }),
        },
        preHandler: requireStaff(),
      },
      async (request) =>
        summarizeSales(await lagTolerantReads(ctx, request), staffOf(request).merchantId, request.query),
    );

    app.get(
      '/v1/admin/orders/stream',
      {
        schema: {
          ...base,
          summary:
            'Server-sent events: an `order` event ({orderNo, status, paymentStatus}) whenever one of the merchant’s orders is placed or changes (accepts ?access_token= for EventSource)',
          description:
            'Placement, a price change, payment, voucher submission and review, shipping, receipt, review, cancellation, expiry, the buyer’s refund and cancel requests and their rejection, and a refund’s money arriving back (or failing). An event says which order changed; read the order for the rest.',
          querystring: Strict({ access_token: Type.Optional(Type.String({ maxLength: 100 })) }),
        },
        preHandler: requireStaff(),
        config: { queryToken: true },
      },
      async (request, reply) => {
        const { merchantId } = staffOf(request);
        openEventStream(request, reply, 'order', (sendNow) => {
          const send = sendingReadPositions(ctx, sendNow);
          return ctx.orderUpdates.subscribeMerchant(merchantId, ({ orderNo, status, paymentStatus }) =>
            send({ orderNo, status, paymentStatus }),
          );
        });
      },
    );

    app.get(
      '/v1/admin/orders/export.csv',
      {
        schema: {
          ...base,
          summary: 'The orders the filters select, as CSV (UTF-8, amounts in yuan, times in the shop’s time zone)',
          description: `The same filters as GET /v1/orders; newest first, at most ${MAX_EXPORT_ROWS} rows (the header x-ordo-truncated says when more matched).`,
          querystring: Strict(orderFilterFields),
          headers: ReadPositionHeaders,
          produces: ['text/csv'],
          response: replies({ 200: Type.String({ description: 'CSV with a header row' }) }),
        },
        preHandler: requireStaff(),
        config: { audited: true },
      },
      async (request, reply) => {
        const { q, createdFrom, createdTo, ...rest } = request.query;
        const exported = await exportOrdersCsv(await lagTolerantReads(ctx, request), staffOf(request), {
          ...rest,
          search: q,
          createdFrom: createdFrom ? new Date(createdFrom) : undefined,
          createdTo: createdTo ? new Date(createdTo) : undefined,
        });
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="orders.csv"')
          .header('x-ordo-truncated', String(exported.truncated))
          .send(exported.csv);
      },
    );
  };
