import { createHash } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { createAddress, deleteAddress, listAddresses, updateAddress } from '../../addresses/address-book.ts';
import { revokeToken } from '../../auth/tokens.ts';
import { addToCart, getCart, removeCartItem, selectAllCartItems, updateCartItem, type Cart } from '../../flows/manage-cart.ts';
import { getProduct, listProducts } from '../../catalog/products.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { MemberPrincipal } from '../../auth/tokens.ts';
import { logInMember } from '../../members/log-in-member.ts';
import { getMemberProfile } from '../../members/member-profile.ts';
import { registerMember } from '../../members/register-member.ts';
import { cancelOrder } from '../../flows/cancel-order.ts';
import { getOrder } from '../../orders/get-order.ts';
import { listOrderPage } from '../../orders/list-orders.ts';
import type { OrderView } from '../../orders/order-view.ts';
import { placeOrder } from '../../flows/place-order.ts';
import { installDialectErrors } from '../dialect-errors.ts';
import { startPayment } from '../../flows/start-payment.ts';
import {
  failure,
  fromMallShipping,
  MALL_STATUS,
  ok,
  okMessage,
  pageInfo,
  PAY_TYPES,
  STATUS_BY_ERROR,
  MESSAGE_BY_ERROR,
  toMallCart,
  toMallOrder,
  toMallProductDetail,
  toMallProductListItem,
  toMallShipping,
  toMallUser,
  type MallEnvelope,
  type MallStatus,
  type MappingEnv,
} from './mapping.ts';
import { clearSession, sessionMember, sessionResolver, sessionToken, setSession } from './session.ts';

/**
 * Seed 000: the REST API of the Vue Xiaomi-mall storefront (mmall conventions), mounted at the mall prefix
 * (default `/mall`, so the client's `/api/user/login` is `/mall/user/login`). Routes parse the wire format and call
 * ordo's use cases; every shape and code comes from mapping.ts. Every answer is HTTP 200 with `{status, msg, data}`,
 * errors included, as mmall answers.
 */

/** An answer the dialect itself decides (need login, a mall-specific message). */
class MallError extends Error {
  constructor(
    readonly status: MallStatus,
    message: string,
  ) {
    super(message);
    this.name = 'MallError';
  }
}

const NEED_LOGIN = '用户未登录,请登录';
const CLIENT = 'PC';

const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Quantity = Type.Integer({ minimum: 1, maximum: 9999 });
const Text = (maxLength: number, minLength = 0) => Type.String({ minLength, maxLength });
const OrderNoParam = Type.Object({ orderNo: Type.String({ pattern: '^\\d{1,20}$' }) });
const PageQuery = Type.Object({
  pageNum: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
});
const shippingFields = {
  receiverName: Text(50, 1),
  receiverPhone: Type.Union([Text(20), Type.Null()]),
  receiverMobile: Type.String({ pattern: '^\\d{11}$' }),
  receiverProvince: Text(50, 1),
  receiverCity: Text(50, 1),
  receiverDistrict: Text(50),
  receiverAddress: Text(200, 1),
  receiverZip: Type.String({ pattern: '^(\\d{6})?$' }),
};
const NewShipping = Type.Object({
  receiverName: shippingFields.receiverName,
  receiverPhone: Type.Optional(shippingFields.receiverPhone),
  receiverMobile: shippingFields.receiverMobile,
  receiverProvince: shippingFields.receiverProvince,
  receiverCity: shippingFields.receiverCity,
  receiverDistrict: Type.Optional(shippingFields.receiverDistrict),
  receiverAddress: shippingFields.receiverAddress,
  receiverZip: Type.Optional(shippingFields.receiverZip),
});
const ShippingChanges = Type.Partial(Type.Object(shippingFields));

/** Bodies like `{"a":1}` as Fastify reads them, but an empty JSON body is no body (axios sends none on PUT/DELETE without data). */
function parseJsonBody(_request: FastifyRequest, body: string, done: (err: Error | null, body?: unknown) => void) {
  if (body.trim() === '') return done(null, undefined);
  try {
    done(null, JSON.parse(body, (key, value) => (key === '__proto__' || key === 'constructor' ? undefined : value)));
  } catch {
    done(Object.assign(new Error('the body is not valid JSON'), { statusCode: 400 }));
  }
}

/** The error as a mall envelope; null for an error nobody meant (logged, answered as a generic failure). */
function envelopeFor(err: unknown): MallEnvelope | null {
  if (err instanceof MallError) return failure(err.status, err.message);
  if (err instanceof AppError) return failure(STATUS_BY_ERROR[err.code], MESSAGE_BY_ERROR[err.code] ?? err.message);
  const fe = err as FastifyError;
  if (fe.validation) {
    const first = fe.validation[0];
    return failure(MALL_STATUS.illegalArgument, `参数错误: ${fe.validationContext ?? 'request'}${first?.instancePath ?? ''} ${first?.message ?? 'is invalid'}`);
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return failure(fe.statusCode === 400 || fe.statusCode === 415 ? MALL_STATUS.illegalArgument : MALL_STATUS.error, fe.message);
  }
  return null;
}

/** An integer from a query value or the `params` JSON ("100012" or 100012); '' and absent are undefined. */
function intParam(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new MallError(MALL_STATUS.illegalArgument, `参数错误: ${name} must be an integer from ${min} to ${max}`);
  return n;
}

/** The NavHeader sends `params={"categoryId":"100012"}` (an axios misuse): its fields count as query fields. */
function productQuery(query: Record<string, unknown>) {
  let nested: Record<string, unknown> = {};
  if (typeof query.params === 'string' && query.params !== '') {
    try {
      const parsed: unknown = JSON.parse(query.params);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) nested = parsed as Record<string, unknown>;
      else throw new Error('not an object');
    } catch {
      throw new MallError(MALL_STATUS.illegalArgument, '参数错误: params must be a JSON object');
    }
  }
  const all: Record<string, unknown> = { ...nested, ...query };
  const keyword = all.keyword;
  if (keyword !== undefined && (typeof keyword !== 'string' || keyword.length > 64)) throw new MallError(MALL_STATUS.illegalArgument, '参数错误: keyword must be a short text');
  return {
    categoryId: intParam(all.categoryId, 'categoryId', 1, Number.MAX_SAFE_INTEGER),
    keyword: keyword || undefined,
    pageNum: intParam(all.pageNum, 'pageNum', 1, 100_000) ?? 1,
    pageSize: intParam(all.pageSize, 'pageSize', 1, 100) ?? 10,
  };
}

export const mallDialect =
  (ctx: AppContext): FastifyPluginAsync =>
  async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
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

    /** Member routes answer status 10 before looking at the input, so the client goes to its login page. */
    const requireLogin = async (request: FastifyRequest) => {
      if (!sessionMember(request)) throw new MallError(MALL_STATUS.needLogin, NEED_LOGIN);
    };
    const member = (request: FastifyRequest) => sessionMember(request) as MemberPrincipal;
    const merchantOf = (request: FastifyRequest) => sessionMember(request)?.merchantId ?? ctx.config.defaultMerchantId;

    // ── user ─────────────────────────────────────────────────────────────────────────────────────────────────

    /** mmall signs in by username; a mainland mobile number typed into the same field also works. */
    async function signIn(username: string, password: string) {
      try {
        return await logInMember(ctx, { username, password, platform: CLIENT });
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'unauthorized')) throw err;
        if (/^1\d{10}$/.test(username)) {
          try {
            return await logInMember(ctx, { mobile: username, password, platform: CLIENT });
          } catch (again) {
            if (!(again instanceof AppError && again.code === 'unauthorized')) throw again;
          }
        }
        throw new MallError(MALL_STATUS.error, '用户名或密码错误');
      }
    }

    app.post('/user/login', { schema: { body: Type.Object({ username: Text(64, 1), password: Text(128, 1) }) } }, async (request, reply) => {
      const signed = await signIn(request.body.username, request.body.password);
      const previous = sessionToken(request);
      if (previous) await revokeToken(ctx.db, previous, ctx.clock.now());
      setSession(request, reply, signed.token, signed.expiresAt, ctx.clock.now());
      return ok(toMallUser(await getMemberProfile(ctx, signed.memberId)));
    });

    app.post(
      '/user/register',
      {
        schema: {
          body: Type.Object({
            username: Type.String({ pattern: '^[A-Za-z0-9_.@-]{3,32}$' }),
            password: Text(128, 6),
            email: Type.Optional(Text(100)),
            phone: Type.Optional(Type.String({ pattern: '^(1\\d{10})?$' })),
          }),
        },
      },
      async (request) => {
        const { username, password, phone, email } = request.body;
        // mmall's register does not sign in, so the token sign-up issues is revoked.
        const registered = await registerMember(ctx, { username, password, mobile: phone || undefined, email: email || undefined, platform: CLIENT });
        await revokeToken(ctx.db, registered.token, ctx.clock.now());
        return okMessage('注册成功');
      },
    );

    app.post('/user/logout', async (request, reply) => {
      const token = sessionToken(request);
      if (token) await revokeToken(ctx.db, token, ctx.clock.now());
      clearSession(reply);
      return okMessage('退出成功');
    });

    app.get('/user', { onRequest: requireLogin }, async (request) => ok(toMallUser(await getMemberProfile(ctx, member(request).memberId))));

    // ── products ─────────────────────────────────────────────────────────────────────────────────────────────

    app.get('/products', async (request) => {
      const q = productQuery(request.query as Record<string, unknown>);
      const { items, total } = await listProducts(ctx, merchantOf(request), { categoryId: q.categoryId, keyword: q.keyword, onSaleOnly: true, page: q.pageNum, pageSize: q.pageSize });
      return ok(pageInfo(items.map((p) => toMallProductListItem(p, env)), { pageNum: q.pageNum, pageSize: q.pageSize, total }));
    });

    app.get('/products/:productId', { schema: { params: Type.Object({ productId: Id }) } }, async (request) =>
      ok(toMallProductDetail(await getProduct(ctx, merchantOf(request), request.params.productId, { onSaleOnly: true }), env)),
    );

    // ── cart (one line per product: the mall has no product options) ─────────────────────────────────────────

    async function mallCart(m: MemberPrincipal, cart: Cart) {
      const ids = [...new Set(cart.items.map((i) => i.productId))];
      const subtitles = new Map<number, string>();
      for (const id of ids) {
        const product = await getProduct(ctx, m.merchantId, id, { onSaleOnly: false }).catch(() => null);
        if (product) subtitles.set(id, product.subtitle);
      }
      return ok(toMallCart(cart, m.memberId, subtitles, env));
    }

    /** The cart line a mall `productId` means: the one without options (lines with options come from other clients). */
    async function cartLineOf(m: MemberPrincipal, productId: number): Promise<number> {
      const cart = await getCart(ctx, m);
      const line = cart.items.find((i) => i.productId === productId && i.optionIds.length === 0) ?? cart.items.find((i) => i.productId === productId);
      if (!line) throw new MallError(MALL_STATUS.error, '购物车中没有这件商品');
      return line.id;
    }

    app.get('/carts', { onRequest: requireLogin }, async (request) => mallCart(member(request), await getCart(ctx, member(request))));

    app.post(
      '/carts',
      { onRequest: requireLogin, schema: { body: Type.Object({ productId: Id, selected: Type.Optional(Type.Boolean()), count: Type.Optional(Quantity) }) } },
      async (request) => {
        const m = member(request);
        const { productId, selected, count } = request.body;
        return mallCart(m, await addToCart(ctx, m, { productId, optionIds: [], quantity: count ?? 1, selected: selected ?? true }));
      },
    );

    app.put('/carts/selectAll', { onRequest: requireLogin }, async (request) => mallCart(member(request), await selectAllCartItems(ctx, member(request), true)));
    app.put('/carts/unSelectAll', { onRequest: requireLogin }, async (request) => mallCart(member(request), await selectAllCartItems(ctx, member(request), false)));

    app.get('/carts/products/sum', { onRequest: requireLogin }, async (request) => ok((await getCart(ctx, member(request))).totalQuantity));

    app.put(
      '/carts/:productId',
      { onRequest: requireLogin, schema: { params: Type.Object({ productId: Id }), body: Type.Object({ quantity: Type.Optional(Quantity), selected: Type.Optional(Type.Boolean()) }) } },
      async (request) => {
        const m = member(request);
        const line = await cartLineOf(m, request.params.productId);
        const { quantity, selected } = request.body;
        return mallCart(m, await updateCartItem(ctx, m, line, { quantity, selected }));
      },
    );

    app.delete('/carts/:productId', { onRequest: requireLogin, schema: { params: Type.Object({ productId: Id }) } }, async (request) => {
      const m = member(request);
      return mallCart(m, await removeCartItem(ctx, m, await cartLineOf(m, request.params.productId)));
    });

    // ── shipping addresses ───────────────────────────────────────────────────────────────────────────────────

    app.get('/shippings', { onRequest: requireLogin, schema: { querystring: PageQuery } }, async (request) => {
      const m = member(request);
      const { pageNum, pageSize } = request.query;
      const all = await listAddresses(ctx, m.memberId);
      const list = all.slice((pageNum - 1) * pageSize, pageNum * pageSize).map((a) => toMallShipping(a, m.memberId));
      return ok(pageInfo(list, { pageNum, pageSize, total: all.length }));
    });

    app.post('/shippings', { onRequest: requireLogin, schema: { body: NewShipping } }, async (request) => {
      const s = fromMallShipping({ ...request.body, receiverPhone: request.body.receiverPhone ?? undefined });
      const created = await createAddress(ctx, member(request).memberId, { ...s, receiverName: s.receiverName!, mobile: s.mobile!, province: s.province!, city: s.city!, address: s.address! });
      return { status: MALL_STATUS.ok, msg: '新建地址成功', data: { shippingId: created.id } };
    });

    app.put('/shippings/:shippingId', { onRequest: requireLogin, schema: { params: Type.Object({ shippingId: Id }), body: ShippingChanges } }, async (request) => {
      await updateAddress(ctx, member(request).memberId, request.params.shippingId, fromMallShipping({ ...request.body, receiverPhone: request.body.receiverPhone ?? undefined }));
      return okMessage('更新地址成功');
    });

    app.delete('/shippings/:shippingId', { onRequest: requireLogin, schema: { params: Type.Object({ shippingId: Id }) } }, async (request) => {
      await deleteAddress(ctx, member(request).memberId, request.params.shippingId);
      return okMessage('删除地址成功');
    });

    // ── orders ───────────────────────────────────────────────────────────────────────────────────────────────

    const mallOrders = (orders: OrderView[]) => orders.map((o) => toMallOrder(o, env));

    app.post('/orders', { onRequest: requireLogin, schema: { body: Type.Object({ shippingId: Id }) } }, async (request) => {
      const m = member(request);
      const { shippingId } = request.body;
      // The client sends no idempotency key. The selected cart lines (their ids are never reused: ordering deletes
      // them) and the address name one checkout, so a retried or doubled submit returns the same order.
      const selected = (await getCart(ctx, m)).items.filter((i) => i.selected).map((i) => i.id);
      const idempotencyKey = selected.length ? `mall:${createHash('sha256').update(`${selected.join(',')}|${shippingId}`).digest('hex')}` : undefined;
      const placed = await placeOrder(ctx, { merchantId: m.merchantId, memberId: m.memberId, source: { from: 'cart' }, addressId: shippingId, client: CLIENT, idempotencyKey });
      return ok(toMallOrder(await getOrder(ctx, m, placed.orderNo), env));
    });

    app.get('/orders', { onRequest: requireLogin, schema: { querystring: PageQuery } }, async (request) => {
      const m = member(request);
      const { pageNum, pageSize } = request.query;
      const { items, total } = await listOrderPage(ctx, m, {}, pageNum, pageSize);
      return ok(pageInfo(mallOrders(items), { pageNum, pageSize, total }));
    });

    app.get('/orders/:orderNo', { onRequest: requireLogin, schema: { params: OrderNoParam } }, async (request) => {
      const m = member(request);
      const [order] = mallOrders([await getOrder(ctx, m, request.params.orderNo)]);
      return ok(order);
    });

    app.put('/orders/:orderNo', { onRequest: requireLogin, schema: { params: OrderNoParam } }, async (request) => {
      const m = member(request);
      await cancelOrder(ctx, m, request.params.orderNo, '用户取消');
      const [order] = mallOrders([await getOrder(ctx, m, request.params.orderNo)]);
      return ok(order);
    });

    // ── pay ──────────────────────────────────────────────────────────────────────────────────────────────────

    app.post(
      '/pay',
      {
        onRequest: requireLogin,
        schema: {
          body: Type.Object({
            orderId: Type.Union([Type.String({ pattern: '^\\d{1,20}$' }), Type.Integer({ minimum: 1 })]),
            // The client sends a fixed name and amount (0.01): the order decides what is paid, so both are ignored.
            orderName: Type.Optional(Text(200)),
            amount: Type.Optional(Type.Union([Type.Number(), Type.String({ maxLength: 20 })])),
            payType: Type.Union([Type.Literal(1), Type.Literal(2)]),
          }),
        },
      },
      async (request) => {
        const { method, channel } = PAY_TYPES[request.body.payType];
        const started = await startPayment(ctx, member(request), { orderNo: String(request.body.orderId), method, channel, client: CLIENT, clientIp: request.ip });
        const action = started.action;
        if (action?.kind === 'qr') return ok({ content: action.content });
        if (action?.kind === 'form') return ok({ content: action.html });
        if (action?.kind === 'redirect') return ok({ content: action.url });
        throw new MallError(MALL_STATUS.error, '支付方式暂不可用');
      },
    );
  };
