import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { principalOfToken } from '../../auth/principal-of-token.ts';
import type { Principal } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';
import { codedRefusal, installDialectErrors } from '../dialect-errors.ts';
import { AppError, notFound } from '../../errors.ts';
import { bearerToken } from '../../auth/bearer-token.ts';
import { signedRequestOf, spendNonce, verifySignature } from '../../merchants/signed-requests.ts';
import { getMemberProfile } from '../../members/member-profile.ts';
import { getOrder } from '../../orders/get-order.ts';
import { listOrderPage } from '../../orders/list-orders.ts';
import { listTrackingNumbers } from '../../orders/list-tracking-numbers.ts';
import type { OrderView } from '../../orders/order-view.ts';
import { listOrderPayments } from '../../payments/list-order-payments.ts';
import { paymentInScope } from '../../flows/payment-in-scope.ts';
import { listVoucherImageIds } from '../../payments/list-voucher-image-ids.ts';
import { voucherImage } from '../../payments/voucher-image.ts';
import {
  toWholesaleOrder,
  WHOLESALE,
  wholesaleError,
  wholesaleOk,
  type PaymentFact,
  type WholesaleEnv,
  type WholesaleFacts,
} from './mapping.ts';

/**
 * The wholesale dialect (seed 001), read-only: `GET /api/order/detail?orderId=<order no>` and
 * `GET /api/order/list?page&pageSize` (→ `data: {list, total}`, newest first) under its prefix (default
 * /wholesale), and the voucher pictures `payImgs` names (`GET /api/order/voucher/<out_trade_no>/<image id>`), read
 * with the same credentials as the order. Callers are the merchant's own systems. Every answer is HTTP 200 with the seed's envelope:
 * `{success:true,status:0,data}` or `{success:false,status:1,message}`.
 */

/**
 * One way a caller proves who they are: the principal, or null when the request carries no credentials of this
 * kind (or ones that are not valid). The first authenticator that answers wins; a request none accepts is refused.
 */
type Authenticator = (ctx: AppContext, request: FastifyRequest) => Promise<Principal | null>;

/** A staff member's bearer token (`POST /v1/staff/login`); a member's token is not enough to read wholesale orders. */
const staffBearerToken: Authenticator = async (ctx, request) => {
  const principal = await principalOfToken(ctx, bearerToken(request));
  return principal?.kind === 'staff' ? principal : null;
};

/**
 * A merchant app's signed request (the X-Ordo-* headers of the merchant API, see the README): the platform's
 * own systems read their orders this way, server to server. A request that tries and fails is refused outright.
 */
const signedApp: Authenticator = async (ctx, request) => {
  if (request.headers['x-ordo-app-id'] === undefined) return null;
  const signed = signedRequestOf(request, '');
  const app = await verifySignature(ctx, signed);
  await spendNonce(ctx, app.appId, signed.nonce, signed.timestamp);
  return { kind: 'app', ...app };
};

const AUTHENTICATORS: readonly Authenticator[] = [signedApp, staffBearerToken];

const DetailQuery = Type.Object({ orderId: Type.String({ minLength: 1, maxLength: 64 }) });
const ListQuery = Type.Object({
  page: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,5}$' })),
  pageSize: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,2}$' })),
});
const VoucherParams = Type.Object({
  outTradeNo: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  imageId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
});
const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 20;

export const wholesaleDialect =
  (ctx: AppContext): FastifyPluginAsync =>
  async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    installDialectErrors(app, {
      name: 'wholesale',
      refusal: codedRefusal(wholesaleError),
      failure: (message) => wholesaleError(null, message),
      busyMessage: '系统繁忙，请稍后再试',
      unhandledStatus: 500,
      notFound: { status: 404, message: (method, path) => `接口不存在：${method} ${path}` },
    });

    // Checked before the parameters, so an unauthenticated caller learns nothing else.
    const authenticate = async (request: FastifyRequest) => {
      for (const authenticator of AUTHENTICATORS) {
        const principal = await authenticator(ctx, request);
        if (principal) {
          request.principal = principal;
          return;
        }
      }
      throw new AppError('unauthorized', 'send a staff token: Authorization: Bearer <token>');
    };
    const hidden = { hide: true };
    const env: WholesaleEnv = {
      timeZone: ctx.config.timeZone,
      publicUrl: ctx.config.publicUrl,
      voucherPath: (outTradeNo, imageId) => `${plugin.prefix}/api/order/voucher/${outTradeNo}/${imageId}`,
    };

    app.get(
      '/api/order/detail',
      { schema: { ...hidden, querystring: DetailQuery }, preValidation: authenticate },
      async (request) => {
        const principal = request.principal!;
        const order = await getOrder(ctx, principal, request.query.orderId);
        const facts = await loadFacts(ctx, [order]);
        return wholesaleOk(toWholesaleOrder(order, facts.get(order.id)!, env));
      },
    );

    app.get(
      '/api/order/list',
      { schema: { ...hidden, querystring: ListQuery }, preValidation: authenticate },
      async (request) => {
        const principal = request.principal!;
        const page = Number(request.query.page ?? 1);
        const pageSize = Math.min(Number(request.query.pageSize ?? DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
        const { items: orders, total } = await listOrderPage(ctx, principal, {}, page, pageSize);
        const facts = await loadFacts(ctx, orders);
        return wholesaleOk({
          list: orders.map((o) => toWholesaleOrder(o, facts.get(o.id)!, env)),
          total,
        });
      },
    );

    // A voucher picture of an order the caller may read (the same token, or a freshly signed request of the app);
    // one outside the caller's scope is not found, as an unknown one.
    app.get(
      '/api/order/voucher/:outTradeNo/:imageId',
      { schema: { ...hidden, params: VoucherParams }, preValidation: authenticate },
      async (request, reply) => {
        const { outTradeNo, imageId } = request.params;
        const payment = await paymentInScope(ctx, request.principal!, outTradeNo);
        const image =
          payment && WHOLESALE.voucher.has(payment.method) ? await voucherImage(ctx, payment.id, imageId) : null;
        if (!image) throw notFound('voucher image', { imageId });
        return reply.type(image.contentType).header('cache-control', 'private, max-age=3600').send(image.data);
      },
    );
  };

/** The payment attempts (with their voucher picture ids), the parcels' tracking numbers and the buyer's name, per order id. */
async function loadFacts(ctx: AppContext, orders: OrderView[]): Promise<Map<number, WholesaleFacts>> {
  const ids = orders.map((o) => o.id);
  const payments = await listOrderPayments(ctx, ids);
  const voucherPaymentIds = payments.filter((p) => WHOLESALE.voucher.has(p.method)).map((p) => p.id);
  const memberIds = [...new Set(orders.map((o) => o.memberId).filter((id): id is number => id !== null))];
  const [images, trackingNumbers, members] = await Promise.all([
    listVoucherImageIds(ctx, voucherPaymentIds),
    listTrackingNumbers(ctx, ids),
    Promise.all(memberIds.map((id) => getMemberProfile(ctx, id).catch(ignoreNotFound))),
  ]);
  const buyerName = (memberId: number | null) => {
    const m = members.find((p) => p !== null && p.id === memberId);
    return m ? m.nickname || m.username || m.mobile || '' : '';
  };
  return new Map(
    orders.map((o) => [
      o.id,
      {
        payments: payments
          .filter((p) => p.orderId === o.id)
          .map((p): PaymentFact => ({
            id: p.id,
            method: p.method,
            status: p.status,
            outTradeNo: p.outTradeNo,
            createdAt: p.createdAt,
            reviewedAt: p.reviewedAt,
            voucherImageIds: images.get(p.id) ?? [],
          })),
        buyerName: buyerName(o.memberId),
        trackingNumbers: trackingNumbers.get(o.id) ?? [],
      },
    ]),
  );
}

function ignoreNotFound(err: unknown): null {
  if (err instanceof AppError && err.code === 'not_found') return null;
  throw err;
}
