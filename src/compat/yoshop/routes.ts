import { createHash } from 'node:crypto';
import type { FastifyError, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { createAddress, deleteAddress, getAddress, listAddresses, updateAddress } from '../../addresses/address-book.ts';
import type { Address } from '../../domain/address.ts';
import { addToCart, getCart, removeCartItem, selectAllCartItems, updateCartItem } from '../../flows/manage-cart.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { listCategories } from '../../catalog/categories.ts';
import { getProduct, listProducts } from '../../catalog/products.ts';
import { listShipments } from '../../flows/ship-order.ts';
import { confirmReceipt } from '../../flows/receive-and-complete.ts';
import type { MemberPrincipal } from '../../auth/tokens.ts';
import { logInMember } from '../../members/log-in-member.ts';
import { getMemberProfile } from '../../members/member-profile.ts';
import { listStores } from '../../merchants/stores.ts';
import { cancelOrder } from '../../flows/cancel-order.ts';
import type { LineSource } from '../../flows/checkout-lines.ts';
import type { Delivery } from '../../orders/delivery.ts';
import { getOrder } from '../../orders/get-order.ts';
import { listOrderPage } from '../../orders/list-orders.ts';
import { placeOrder } from '../../flows/place-order.ts';
import { previewCheckout } from '../../flows/preview-checkout.ts';
import { CLIENTS, listMethodSettings, type Client } from '../../payments/payment-methods.ts';
import { startPayment } from '../../flows/start-payment.ts';
import { syncPayment } from '../../flows/sync-payment.ts';
import type { Channel } from '../../domain/payment-action.ts';
import { listRefunds } from '../../refunds/list-refunds.ts';
import { requestRefund } from '../../flows/request-refund.ts';
import { installDialectErrors } from '../dialect-errors.ts';
import {
  absoluteImage,
  DATA_TYPES,
  deliveryOf,
  DEFAULT_CHANNELS,
  failure,
  ok,
  optionIdsOf,
  paginator,
  REFUND_STATES,
  REFUND_TYPE_OF,
  REFUND_TYPES,
  STATUS_BY_ERROR,
  MESSAGE_BY_ERROR,
  toCashierOrder,
  toCategoryTree,
  toCheckoutPreview,
  toGoodsDetail,
  toGoodsListItem,
  toPayment,
  toPaymentMethods,
  toPersonal,
  toRefundGoods,
  toYoshopAddress,
  toYoshopCart,
  toOrderGoods,
  toYoshopOrder,
  yoshopTime,
  yuan,
  YOSHOP_METHODS,
  YOSHOP_STATUS,
  type MappingEnv,
  type YoshopEnvelope,
  type YoshopStatus,
} from './mapping.ts';
import { accessTokenResolver, memberPayment, orderLineOf, orderNoOf, sessionMember } from './session.ts';
import { logInWithSmsCode } from '../../members/log-in-with-sms-code.ts';

/**
 * Seed 002: the YoShop 2.0 (萤火商城) uniapp API, mounted at the yoshop prefix (default `/yoshop`, so the client's
 * `index.php?s=/api/cart/list&k=v` is `/yoshop/index.php?s=/api/cart/list&k=v`). One route dispatches on `s` to
 * the handlers below; each parses its parameters and calls ordo's use cases; every shape and code comes from
 * mapping.ts. Every answer is HTTP 200 with `{status, message, data}`, errors included.
 */

class YoshopError extends Error {
  constructor(
    readonly status: YoshopStatus,
    message: string,
  ) {
    super(message);
    this.name = 'YoshopError';
  }
}

const bad = (message: string) => new YoshopError(YOSHOP_STATUS.error, message);
const DEFAULT_STORE_ID = 10001;
const PAGE_SIZE = 15;

/** Bodies as JSON (the client sends `application/json;charset=utf-8`); an empty body is no body. */
function parseJsonBody(_request: FastifyRequest, body: string, done: (err: Error | null, body?: unknown) => void) {
  if (body.trim() === '') return done(null, undefined);
  try {
    done(null, JSON.parse(body, (key, value) => (key === '__proto__' || key === 'constructor' ? undefined : value)));
  } catch {
    done(new YoshopError(YOSHOP_STATUS.error, '请求数据不是有效的 JSON'));
  }
}

function envelopeFor(err: unknown): YoshopEnvelope | null {
  if (err instanceof YoshopError) return failure(err.status, err.message);
  if (err instanceof AppError) return failure(STATUS_BY_ERROR[err.code], MESSAGE_BY_ERROR[err.code] ?? err.message);
  const fe = err as FastifyError;
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return failure(YOSHOP_STATUS.error, fe.message);
  return null;
}

// ── parameters (query values are strings, JSON bodies typed values; both are accepted) ───────────────────────

type Params = Record<string, unknown>;

function int(p: Params, name: string, options: { min?: number; max?: number; optional?: boolean } = {}): number | undefined {
  const value = p[name];
  if (value === undefined || value === null || value === '') {
    if (options.optional) return undefined;
    throw bad(`缺少必要的参数: ${name}`);
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : NaN;
  const min = options.min ?? 1;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(n) || n < min || n > max) throw bad(`参数 ${name} 必须是 ${min} 到 ${max} 的整数`);
  return n;
}
const reqInt = (p: Params, name: string, min = 1, max = Number.MAX_SAFE_INTEGER) => int(p, name, { min, max }) as number;

function deliveryChoice(p: Params): Delivery {
  const delivery = deliveryOf(int(p, 'delivery', { optional: true, min: 0, max: 99 }));
  if (!delivery) throw bad('很抱歉，不支持该配送方式');
  return delivery;
}

function str(p: Params, name: string, options: { max?: number; optional?: boolean } = {}): string | undefined {
  const value = p[name];
  if (value === undefined || value === null) {
    if (options.optional) return undefined;
    throw bad(`缺少必要的参数: ${name}`);
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value.length > (options.max ?? 500)) throw bad(`参数 ${name} 必须是文本`);
  return value;
}
const reqStr = (p: Params, name: string, max = 500) => str(p, name, { max }) as string;

function obj(p: Params, name: string, optional = false): Params | undefined {
  const value = p[name];
  if (value === undefined || value === null) {
    if (optional) return undefined;
    throw bad(`缺少必要的参数: ${name}`);
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw bad(`参数 ${name} 必须是对象`);
  return value as Params;
}

/** `cartIds` as "1,2", [1, 2] or 1. */
function idList(p: Params, name: string): number[] {
  const value = p[name];
  const parts = Array.isArray(value) ? value : typeof value === 'number' ? [value] : typeof value === 'string' && value !== '' ? value.split(',') : null;
  if (!parts || parts.length === 0 || parts.length > 100) throw bad(`缺少必要的参数: ${name}`);
  return parts.map((x, i) => reqInt({ [`${name}[${i}]`]: typeof x === 'string' ? x.trim() : x }, `${name}[${i}]`));
}

function optionIds(p: Params): number[] {
  const sku = str(p, 'goodsSkuId', { optional: true, max: 400 }) ?? '0';
  const ids = optionIdsOf(sku);
  if (!ids) throw bad('参数 goodsSkuId 无效');
  return ids;
}

interface Call {
  request: FastifyRequest;
  p: Params;
  member: MemberPrincipal;
  platform: string;
  storeId: number;
}
type Handler = (call: Call) => Promise<YoshopEnvelope>;

export const yoshopDialect =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const env: MappingEnv = { timeZone: ctx.config.timeZone, publicUrl: ctx.config.publicUrl };

    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);
    app.addHook('onRequest', accessTokenResolver(ctx));

    installDialectErrors(app, {
      name: 'yoshop',
      refusal: envelopeFor,
      failure: (message) => failure(YOSHOP_STATUS.error, message),
      busyMessage: '服务器繁忙，请稍后再试',
      unhandledStatus: 200,
      notFound: { status: 200, message: (method, path) => `no route ${method} ${path}` },
    });

    const clientOf = (p: Params, platform: string): Client => {
      const client = str(p, 'client', { optional: true, max: 20 }) || platform;
      if (!(CLIENTS as readonly string[]).includes(client)) throw bad(`参数 client 无效: ${client}`);
      return client as Client;
    };

    const orderOf = async (m: MemberPrincipal, orderId: number) => getOrder(ctx, m, await orderNoOf(ctx, m, orderId));

    async function defaultAddress(m: MemberPrincipal): Promise<Address | null> {
      const all = await listAddresses(ctx, m.memberId);
      return all.find((a) => a.isDefault) ?? all[0] ?? null;
    }

    /** checkout `mode=cart` (with `cartIds`) or `mode=buyNow` (goodsId, goodsNum, goodsSkuId) as ordo lines. */
    async function checkoutSource(m: MemberPrincipal, p: Params): Promise<{ source: LineSource; cartIds: number[] }> {
      const mode = str(p, 'mode', { optional: true, max: 20 }) ?? 'cart';
      if (mode === 'buyNow') {
        return { source: { from: 'lines', lines: [{ productId: reqInt(p, 'goodsId'), optionIds: optionIds(p), quantity: reqInt(p, 'goodsNum', 1, 9999) }] }, cartIds: [] };
      }
      if (mode !== 'cart') throw bad('参数 mode 无效');
      const cartIds = idList(p, 'cartIds');
      const cart = await getCart(ctx, m);
      const items = cartIds.map((id) => {
        const item = cart.items.find((i) => i.id === id);
        if (!item) throw bad('很抱歉，购物车中没有这件商品');
        return item;
      });
      return { source: { from: 'lines', lines: items.map((i) => ({ productId: i.productId, optionIds: i.optionIds, quantity: i.quantity })) }, cartIds };
    }

    async function storeInfo(storeId: number, m: MemberPrincipal | null) {
      const stores = await listStores(ctx, m?.merchantId ?? ctx.config.defaultMerchantId);
      const store = stores.find((s) => s.id === storeId);
      if (!store) throw bad('很抱歉，商城不存在');
      return store;
    }

    const ADDRESS_FORM_ERROR = '请填写完整的收货地址: name, phone, region, detail';
    function addressForm(form: Params) {
      const name = reqStr(form, 'name', 50).trim();
      const phone = reqStr(form, 'phone', 20).trim();
      const detail = reqStr(form, 'detail', 200).trim();
      const region = form.region;
      if (!name || !phone || !detail || !Array.isArray(region) || region.length !== 3) throw bad(ADDRESS_FORM_ERROR);
      const parts = region.map((r: unknown) => {
        if (!r || typeof r !== 'object') throw bad(ADDRESS_FORM_ERROR);
        const label = (r as Params).label;
        if (typeof label !== 'string' || !label || label.length > 50) throw bad(ADDRESS_FORM_ERROR);
        return { label, value: (r as Params).value };
      });
      const districtCode = typeof parts[2]!.value === 'number' || typeof parts[2]!.value === 'string' ? String(parts[2]!.value) : '';
      return { receiverName: name, mobile: phone, province: parts[0]!.label, city: parts[1]!.label, district: parts[2]!.label, districtCode: /^\d{6}$/.test(districtCode) ? districtCode : undefined, address: detail };
    }

    // ── the handlers, by route ───────────────────────────────────────────────────────────────────────────────

    const publicRoutes: Record<string, (request: FastifyRequest, p: Params, platform: string, storeId: number) => Promise<YoshopEnvelope>> = {
      'passport/login': async (_request, p, platform, storeId) => {
        const form = obj(p, 'form');
        const mobile = reqStr(form!, 'mobile', 20).trim();
        if (!/^1\d{10}$/.test(mobile)) throw bad('请输入正确的手机号');
        const password = str(form!, 'password', { optional: true, max: 128 });
        const smsCode = str(form!, 'smsCode', { optional: true, max: 10 });
        const merchantId = (await storeInfo(storeId, null)).merchantId;
        let signed;
        if (password) {
          signed = await logInMember(ctx, { merchantId, mobile, password, platform }).catch((err: unknown) => {
            throw err instanceof AppError && err.code === 'unauthorized' ? bad('手机号或密码错误') : err;
          });
        } else if (smsCode) {
          // a wrong code and an unknown number are toasts in the mapping's words (MESSAGE_BY_ERROR)
          signed = await logInWithSmsCode(ctx, { merchantId, mobile, code: smsCode, platform });
        } else throw bad('请输入密码或短信验证码');
        return ok({ userId: signed.memberId, token: signed.token }, '登录成功');
      },
      'store/data': async (request, _p, platform, storeId) => {
        const store = await storeInfo(storeId, sessionMember(request));
        const h5Url = `${ctx.config.publicUrl}${ctx.config.dialectPrefixes.yoshop}/`;
        return ok({
          storeInfo: { store_id: store.id, store_name: store.name, describe: '', logo_image_id: 0, logoImage: absoluteImage(store.logoUrl, env.publicUrl), image_url: absoluteImage(store.logoUrl, env.publicUrl) },
          setting: {
            register: { registerMethod: 10, isManualBind: 1, isOauthMpweixin: 0, isPersonalMpweixin: 0 },
            points: { points_name: '积分', is_shopping_discount: true },
            recharge: { is_entrance: false },
            app_theme: { mainBg: '#fa2209', mainBg2: '#ff6335', mainText: '#ffffff', viceBg: '#ffb100', viceBg2: '#ffb900', viceText: '#ffffff' },
            page_category_template: { style: 20, shareTitle: '', enabledCart: true },
            customer: { enabled: 0 },
            trade: { order: { closeHours: 0, receiveDays: 7 } },
          },
          clientData: { h5: { setting: { enabled: true, baseUrl: h5Url } }, mp_weixin: { setting: {} }, platform },
        });
      },
      // ── browsing (no login needed) ──
      'goods/list': async (request, p, _platform, storeId) => {
        const merchantId = (await storeInfo(storeId, sessionMember(request))).merchantId;
        const page = int(p, 'page', { optional: true, max: 100_000 }) ?? 1;
        const categoryId = int(p, 'categoryId', { optional: true, min: 0 }) || undefined;
        const keyword = str(p, 'goodsName', { optional: true, max: 100 })?.trim() || undefined;
        // sortType (all / sales / price) is accepted; ordo lists in catalog order.
        str(p, 'sortType', { optional: true, max: 20 });
        const { items, total } = await listProducts(ctx, merchantId, { categoryId, keyword, onSaleOnly: true, page, pageSize: PAGE_SIZE });
        return ok({ list: paginator(items.map((x) => toGoodsListItem(x, env)), page, PAGE_SIZE, total) });
      },
      'goods/detail': async (request, p, _platform, storeId) => {
        const merchantId = (await storeInfo(storeId, sessionMember(request))).merchantId;
        const product = await getProduct(ctx, merchantId, reqInt(p, 'goodsId'), { onSaleOnly: true }).catch((err: unknown) => {
          throw err instanceof AppError && err.code === 'not_found' ? bad('很抱歉，商品信息不存在或已下架') : err;
        });
        return ok({ detail: toGoodsDetail(product, env) });
      },
      'category/list': async (request, _p, _platform, storeId) => {
        const merchantId = (await storeInfo(storeId, sessionMember(request))).merchantId;
        return ok({ list: toCategoryTree(await listCategories(ctx, merchantId), env) });
      },
      'setting/data': async () =>
        ok({
          setting: {
            page_category_template: { style: 20, shareTitle: '', enabledCart: true },
            points: { points_name: '积分', describe: '', is_shopping_discount: true },
            recharge: { is_entrance: false },
            register: { registerMethod: 10 },
            app_theme: { mainBg: '#fa2209', mainBg2: '#ff6335', mainText: '#ffffff', viceBg: '#ffb100', viceBg2: '#ffb900', viceText: '#ffffff' },
          },
        }),
    };

    const memberRoutes: Record<string, Handler> = {
      // ── cart ──
      'cart/list': async ({ member }) => ok(toYoshopCart(await getCart(ctx, member), env)),
      'cart/total': async ({ member }) => ok({ cartTotal: (await getCart(ctx, member)).totalQuantity }),
      'cart/add': async ({ member, p }) => {
        const cart = await addToCart(ctx, member, { productId: reqInt(p, 'goodsId'), optionIds: optionIds(p), quantity: reqInt(p, 'goodsNum', 1, 9999), selected: true });
        return ok({ cartTotal: cart.totalQuantity }, '加入购物车成功');
      },
      'cart/update': async ({ member, p }) => {
        const productId = reqInt(p, 'goodsId');
        const ids = optionIds(p).sort((a, b) => a - b).join(',');
        const quantity = reqInt(p, 'goodsNum', 1, 9999);
        const line = (await getCart(ctx, member)).items.find((i) => i.productId === productId && [...i.optionIds].sort((a, b) => a - b).join(',') === ids);
        if (!line) throw bad('很抱歉，购物车中没有这件商品');
        const cart = await updateCartItem(ctx, member, line.id, { quantity });
        return ok({ cartTotal: cart.totalQuantity }, '更新成功');
      },
      'cart/clear': async ({ member, p }) => {
        let cart = await getCart(ctx, member);
        for (const id of idList(p, 'cartIds')) if (cart.items.some((i) => i.id === id)) cart = await removeCartItem(ctx, member, id);
        return ok({ cartTotal: cart.totalQuantity }, '操作成功');
      },

      // ── addresses ──
      'address/list': async ({ member }) => ok({ list: (await listAddresses(ctx, member.memberId)).map(toYoshopAddress) }),
      'address/defaultId': async ({ member }) => ok({ defaultId: (await defaultAddress(member))?.id ?? null }),
      'address/detail': async ({ member, p }) => ok({ detail: toYoshopAddress(await getAddress(ctx.db, member.memberId, reqInt(p, 'addressId'))) }),
      'address/add': async ({ member, p }) => {
        const created = await createAddress(ctx, member.memberId, addressForm(obj(p, 'form')!));
        return ok({ addressId: created.id }, '添加成功');
      },
      'address/edit': async ({ member, p }) => {
        await updateAddress(ctx, member.memberId, reqInt(p, 'addressId'), addressForm(obj(p, 'form')!));
        return ok([], '更新成功');
      },
      'address/setDefault': async ({ member, p }) => {
        await updateAddress(ctx, member.memberId, reqInt(p, 'addressId'), { isDefault: true });
        return ok([], '设置成功');
      },
      'address/remove': async ({ member, p }) => {
        await deleteAddress(ctx, member.memberId, reqInt(p, 'addressId'));
        return ok([], '删除成功');
      },

      // ── checkout ──
      'checkout/order': async ({ member, p, storeId }) => {
        const { source } = await checkoutSource(member, p);
        const delivery = deliveryChoice(p);
        const preview = await previewCheckout(ctx, { merchantId: member.merchantId, memberId: member.memberId, source, storeId, delivery, usePoints: str(p, 'isUsePoints', { optional: true }) === '1' });
        return ok(toCheckoutPreview(preview, await defaultAddress(member), env, delivery));
      },
      'checkout/submit': async ({ member, p, platform, storeId }) => {
        const { source, cartIds } = await checkoutSource(member, p);
        // 20 上门自提: collected at this store, no address; 10 快递配送 ships to the default address, which it needs
        const delivery = deliveryChoice(p);
        const address = delivery === 'pickup' ? null : await defaultAddress(member);
        if (delivery === 'express' && !address) throw bad('请先选择收货地址');
        const remark = str(p, 'remark', { optional: true, max: 200 }) ?? '';
        const usePoints = str(p, 'isUsePoints', { optional: true }) === '1';
        let placeSource = source;
        if (cartIds.length) {
          // Ordering from the cart removes the ordered lines: select exactly the chosen ones, then order "the cart".
          await selectAllCartItems(ctx, member, false);
          for (const id of cartIds) await updateCartItem(ctx, member, id, { selected: true });
          placeSource = { from: 'cart' };
        }
        // The client sends no idempotency key: the lines (cart ids are never reused), address, remark and points
        // choice name one checkout, so a doubled submit returns the same order.
        const lines = source.from === 'lines' ? source.lines : [];
        const fingerprint = JSON.stringify({ cartIds, lines: cartIds.length ? [] : lines, address: address?.id ?? null, delivery, remark, usePoints, day: cartIds.length ? '' : yoshopTime(ctx.clock.now(), env.timeZone).slice(0, 16) });
        const idempotencyKey = `yoshop:${member.memberId}:${createHash('sha256').update(fingerprint).digest('hex')}`;
        const placed = await placeOrder(ctx, { merchantId: member.merchantId, memberId: member.memberId, source: placeSource, storeId, delivery, addressId: address?.id, buyerRemark: remark, usePoints, client: platform, idempotencyKey });
        return ok({ orderId: placed.orderId }, '订单提交成功');
      },

      // ── cashier ──
      'cashier/orderInfo': async ({ member, p, platform }) => {
        const order = await orderOf(member, reqInt(p, 'orderId'));
        const client = clientOf(p, platform);
        const [profile, address, settings] = await Promise.all([getMemberProfile(ctx, member.memberId), defaultAddress(member), listMethodSettings(ctx.db, order.storeId, client)]);
        return ok({ order: toCashierOrder(order, env), personal: toPersonal(profile, address?.id ?? 0), paymentMethods: toPaymentMethods(settings) });
      },
      'cashier/orderPay': async ({ member, p, platform, request }) => {
        const orderNo = await orderNoOf(ctx, member, reqInt(p, 'orderId'));
        const method = reqStr(p, 'method', 20);
        if (!(YOSHOP_METHODS as readonly string[]).includes(method)) throw bad('很抱歉，不支持该支付方式');
        const client = clientOf(p, platform);
        const extra = obj(p, 'extra', true) ?? {};
        let channel: Channel | undefined;
        if (method !== 'balance') {
          const settings = await listMethodSettings(ctx.db, (await getOrder(ctx, member, orderNo)).storeId, client);
          channel = (settings.find((s) => s.method === method)?.channel || DEFAULT_CHANNELS[client]?.[method as 'wechat' | 'alipay']) as Channel | undefined;
        }
        const started = await startPayment(ctx, member, {
          orderNo,
          method: method as 'wechat' | 'alipay' | 'balance',
          channel,
          client,
          clientIp: request.ip,
          openId: typeof extra.openid === 'string' ? extra.openid : undefined,
          returnUrl: typeof extra.returnUrl === 'string' ? extra.returnUrl : typeof extra.redirect_url === 'string' ? extra.redirect_url : undefined,
        });
        if (method === 'balance' || started.payment.status === 'paid') return ok({ isPay: true, payment: { out_trade_no: started.payment.outTradeNo } }, '恭喜您，订单已付款成功');
        return ok({ isPay: false, payment: toPayment(method, started.action, started.payment.outTradeNo) }, '下单成功');
      },
      'cashier/tradeQuery': async ({ member, p }) => {
        const payment = await memberPayment(ctx, member, reqStr(p, 'outTradeNo', 64));
        const status = payment.status === 'processing' ? await syncPayment(ctx, payment) : payment.status;
        const isPay = status === 'paid' || status === 'partially_refunded' || status === 'refunded';
        return ok({ isPay }, isPay ? '恭喜您，订单已付款成功' : '很抱歉，订单未支付，请重新发起');
      },

      // ── orders ──
      'order/list': async ({ member, p }) => {
        const dataType = str(p, 'dataType', { optional: true, max: 20 }) || 'all';
        if (!(dataType in DATA_TYPES)) throw bad('参数 dataType 无效');
        const page = int(p, 'page', { optional: true, max: 100_000 }) ?? 1;
        const status = DATA_TYPES[dataType];
        const { items, total } = await listOrderPage(ctx, member, status ? { status } : {}, page, PAGE_SIZE);
        return ok({ list: paginator(items.map((o) => toYoshopOrder(o, env)), page, PAGE_SIZE, total) });
      },
      'order/detail': async ({ member, p }) => ok({ order: toYoshopOrder(await orderOf(member, reqInt(p, 'orderId')), env), setting: { points_name: '积分' } }),
      'order/cancel': async ({ member, p }) => {
        const result = await cancelOrder(ctx, member, await orderNoOf(ctx, member, reqInt(p, 'orderId')), '用户取消');
        return ok([], result.status === 'cancelled' ? '订单已取消' : '已申请取消，请等待审核');
      },
      'order/receipt': async ({ member, p }) => {
        await confirmReceipt(ctx, member, await orderNoOf(ctx, member, reqInt(p, 'orderId')));
        return ok([], '确认收货成功');
      },
      'order/express': async ({ member, p }) => {
        const orderId = reqInt(p, 'orderId');
        await orderNoOf(ctx, member, orderId);
        const shipments = await listShipments(ctx, orderId);
        const list = shipments.map((s) => ({ express_name: s.carrier, express_company: s.carrier, express_no: s.trackingNumbers.join(','), delivery_time: yoshopTime(s.createdAt, env.timeZone), list: [] as unknown[] }));
        return ok({ express: list[0] ?? null, list });
      },
      'order/todoCounts': async ({ member }) => {
        const count = async (status: string[]) => (await listOrderPage(ctx, member, { status }, 1, 1)).total;
        return ok({ counts: { payment: await count(DATA_TYPES.payment!), deliver: await count(DATA_TYPES.delivery!), received: await count(DATA_TYPES.received!), refund: 0 } });
      },

      // ── refunds ──
      'refund/list': async ({ member, p }) => {
        const page = int(p, 'page', { optional: true, max: 100_000 }) ?? 1;
        const all = await listRefunds(ctx.db, { memberId: member.memberId, merchantId: member.merchantId, limit: 10_000 });
        const data = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((r) => ({
          order_refund_id: r.refundNo,
          order_no: r.orderNo,
          type: REFUND_TYPE_OF[r.kind] ?? 10,
          apply_desc: r.reason,
          refund_money: yuan(r.amount),
          ...(REFUND_STATES[r.status] ?? REFUND_STATES.requested!),
          order_goods_id: r.lines[0]?.lineId ?? 0,
          create_time: yoshopTime(r.createdAt, env.timeZone),
        }));
        return ok({ list: paginator(data, page, PAGE_SIZE, all.length) });
      },
      'refund/goods': async ({ member, p }) => {
        const { orderNo, lineId } = await orderLineOf(ctx, member, reqInt(p, 'orderGoodsId'));
        const order = await getOrder(ctx, member, orderNo);
        const line = order.lines.find((l) => l.id === lineId);
        if (!line) throw bad('很抱歉，订单商品不存在');
        return ok({ goods: toRefundGoods(order, line, env) });
      },
      'refund/detail': async ({ member, p }) => {
        const refundNo = reqStr(p, 'orderRefundId', 64);
        const [r] = await listRefunds(ctx.db, { memberId: member.memberId, merchantId: member.merchantId, refundNo });
        if (!r) throw new AppError('not_found', '很抱歉，售后单不存在');
        const order = await getOrder(ctx, member, r.orderNo);
        const lineIds = new Set(r.lines.map((l) => l.lineId));
        return ok({
          detail: {
            order_refund_id: r.refundNo,
            order_id: order.id,
            order_no: r.orderNo,
            order_goods_id: r.lines[0]?.lineId ?? 0,
            type: REFUND_TYPE_OF[r.kind] ?? 10,
            apply_desc: r.reason,
            images: r.imageUrls.map((u) => ({ image_url: absoluteImage(u, env.publicUrl) })),
            refund_money: yuan(r.amount),
            refuse_desc: r.status === 'rejected' ? (r.reviewNote ?? '') : '',
            ...(REFUND_STATES[r.status] ?? REFUND_STATES.requested!),
            create_time: yoshopTime(r.createdAt, env.timeZone),
            orderGoods: toOrderGoods({ ...order, lines: order.lines.filter((l) => lineIds.has(l.id)) }, env),
          },
        });
      },
      'refund/apply': async ({ member, p }) => {
        const { orderNo, lineId } = await orderLineOf(ctx, member, reqInt(p, 'orderGoodsId'));
        const form = obj(p, 'form')!;
        const type = reqInt(form, 'type', 10, 20);
        const kind = REFUND_TYPES[type];
        if (!kind) throw bad('很抱歉，暂不支持换货，请选择退货退款');
        const content = reqStr(form, 'content', 500).trim();
        if (!content) throw bad('请填写申请原因');
        const images = form.images;
        if (images !== undefined && (!Array.isArray(images) || images.length > 9 || images.some((i) => typeof i !== 'string' || i.length > 500))) throw bad('参数 images 无效');
        const requested = await requestRefund(ctx, member, orderNo, { kind, reason: content, imageUrls: (images as string[] | undefined) ?? [], lines: [{ lineId }] });
        return ok({ refundNo: requested.refundNo, refund_money: yuan(requested.amount) }, '提交成功');
      },
    };

    const dispatch = async (request: FastifyRequest): Promise<YoshopEnvelope> => {
      const query = (request.query ?? {}) as Params;
      const s = typeof query.s === 'string' ? query.s : '';
      const route = s.replace(/^\/?(api\/)?/, '').replace(/\/+$/, '');
      const body = request.body;
      if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) throw bad('请求数据必须是 JSON 对象');
      const { s: _s, ...rest } = query;
      const p: Params = { ...rest, ...((body as Params | undefined) ?? {}) };
      const platformHeader = request.headers.platform;
      const platform = typeof platformHeader === 'string' && (CLIENTS as readonly string[]).includes(platformHeader) ? platformHeader : 'H5';
      const storeHeader = request.headers.storeid;
      const storeId = typeof storeHeader === 'string' && /^\d{1,9}$/.test(storeHeader) ? Number(storeHeader) : DEFAULT_STORE_ID;

      const open = publicRoutes[route];
      if (open) return open(request, p, platform, storeId);
      const handler = memberRoutes[route];
      if (!handler) throw bad(`很抱歉，接口不存在: ${s || '(empty s)'}`);
      const member = sessionMember(request);
      if (!member) throw new YoshopError(YOSHOP_STATUS.needLogin, '很抱歉，您还没有登录');
      return handler({ request, p, member, platform, storeId });
    };

    app.route({ method: ['GET', 'POST'], url: '/index.php', handler: async (request) => dispatch(request) });
  };
