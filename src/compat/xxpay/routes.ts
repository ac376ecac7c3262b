import type { FastifyError, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { principalOfToken } from '../../auth/principal-of-token.ts';
import type { AppContext } from '../../context.ts';
import { installDialectErrors } from '../dialect-errors.ts';
import { chineseMessage, requestErrorMessage, validationMessage } from '../messages-zh.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../auth/tokens.ts';
import type { AppPrincipalInfo } from '../../merchants/signed-requests.ts';
import { tillActingApp, tillDefaultStoreId } from '../../merchants/till-defaults.ts';
import { findTillMember } from '../../members/till-members.ts';
import { getTradeOrder } from '../../orders/get-trade-order.ts';
import type { TradeOrderView } from '../../orders/trade-order-view.ts';
import { checkWaitingPayments } from '../../flows/check-waiting-payments.ts';
import { createTradeOrder } from '../../flows/create-trade-order.ts';
import { endDeposit } from '../../flows/deposits.ts';
import { walletOfCode } from '../../flows/pay-trade-order.ts';
import { NoMemberToPay, payTradeOrderByMethod, type TradePayment } from '../../flows/pay-trade-order-by-method.ts';
import { refundTradeOrderAmountOrRest } from '../../flows/refund-trade-order-amount-or-rest.ts';
import {
  CODE_BY_ERROR,
  failure,
  ok,
  toXxpayPayStatus,
  XXPAY_CODE,
  xxpayStatus,
  type MappingEnv,
  type XxpayEnvelope,
} from './mapping.ts';
import {
  bad,
  flag,
  int,
  paramsOf,
  present,
  staffOf,
  text,
  tradeOrderId,
  XxpayError,
  yuan,
  type Params,
} from './params.ts';
import { registerFixedQrRoutes } from './routes/fixed-qr.ts';
import { registerConsoleAuthRoutes } from './routes/console-auth.ts';
import { registerConsoleFrameRoutes } from './routes/console-frame.ts';
import { registerDashboardRoutes } from './routes/dashboard.ts';
import { registerTradeOrderRoutes } from './routes/trade-orders.ts';
import { registerPayOrderRoutes } from './routes/pay-orders.ts';
import { registerRefundOrderRoutes } from './routes/refund-orders.ts';
import { registerMemberRoutes } from './routes/members.ts';
import { registerRechargeRoutes } from './routes/recharge.ts';
import { registerAccountRoutes, registerStoreRoutes } from './routes/stores.ts';
import { registerHandoverRoutes } from './routes/handover.ts';
import { registerTillCouponRoutes } from './routes/till-coupons.ts';
import { TILL_SUBJECT } from './till-mapping.ts';

/**
 * Seed 004: the XxPay merchant API (console and till), mounted at the xxpay prefix (default `/xxpay`, so
 * `/api/trade_order/get` is `/xxpay/api/trade_order/get`). Every route takes GET or POST; parameters are query,
 * form (`application/x-www-form-urlencoded`) or JSON values, or one `params` value holding a JSON object of them.
 * Every answer is HTTP 200 with `{code, msg, data}` (codes in mapping.ts). Amounts sent in are yuan ("12.50"),
 * amounts returned are fen.
 *
 * Auth: `/api/auth {username, password, loginType?}` (staff credentials; the console's sign-in,
 * routes/console-auth.ts) → `data.access_token`; then the header `Authorization: <token>` (`Bearer <token>` also
 * accepted). Every other route answers 1001 without it. A console route ordo does not serve answers code 1 「暂不支持」.
 *
 * The acting app: the trade flows act for a merchant app, the one `tillActingApp` (src/merchants/till-defaults.ts)
 * chooses; with none, trade writes answer code 1004 "create an app first" (POST /v1/admin/apps). Reads (get, list,
 * queryStatus) need no app.
 *
 * Parameters (names from the seed and the XxPay console/cashier; those marked * are ordo's choice):
 * - trade_order/get, trade_order/list: routes/trade-orders.ts; refund_order/*, pay_order/*: their files beside it.
 * - memberPay/bar: `barCode` (or `authCode`), and either `tradeOrderId` of an unpaid trade order, or a new sale:
 *   `requiredAmount` (yuan), `realAmount` (yuan, ≤ requiredAmount; default requiredAmount; the difference is a
 *   discount), `isDepositMode` (1/true), `mchOrderNo`* (the till's own number: the same number returns the same
 *   trade order; default a new one), `subject`*, `storeId`* (default the merchant's first store), `memberId`*,
 *   `couponNo`. Answers `{tradeOrderId, orderStatus}`.
 * - memberPay/cash: `tradeOrderId` or the new-sale fields above; the whole amount taken in cash by the signed-in
 *   operator. Answers `{tradeOrderId, orderStatus}`.
 * - memberPay/balance: `tradeOrderId` or the new-sale fields above, with `memberId` (ordo's member id) or `memberNo`
 *   (the card number or mobile, as XxPay means it; `mobile` too) naming the member whose balance pays. Member
 *   payment codes (`memberPayCode`) are not issued by ordo and are refused.
 * - New sales keep the till's `remark`; their `subject` defaults to XxPay's for how they were paid (消费|现金支付, …).
 * - Members, recharge rules and memberPay/recharge, the fixed-amount QR, stores and sub-users: routes/*.ts.
 * - memberPay/queryStatus: `tradeOrderId`; a payment the customer is still confirming is asked at the gateway.
 * - memberPay/refund2 (and /refund): `tradeOrderId`, `refundAmount` (yuan; default what is left to refund),
 *   `refundDesc`, `refundPassword` (the signed-in operator's refund password).
 * - memberPay/depositConsume: `tradeOrderId`, `consumeAmount` (yuan, > 0); the rest of the deposit goes back.
 * - memberPay/depositReverse: `tradeOrderId`; the whole deposit goes back.
 * Bracketed names (`ps[abc]=1`) are not expanded into nested objects.
 */

function envelopeFor(err: unknown): XxpayEnvelope | null {
  if (err instanceof XxpayError) return failure(err.code, err.message);
  if (err instanceof AppError) return failure(CODE_BY_ERROR[err.code], chineseMessage(err));
  if (err instanceof RangeError) return failure(XXPAY_CODE.badParameter, err.message);
  const fe = err as FastifyError;
  if (fe.validation) return failure(XXPAY_CODE.badParameter, validationMessage(fe));
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    return failure(
      fe.statusCode === 400 || fe.statusCode === 415 ? XXPAY_CODE.badParameter : XXPAY_CODE.failure,
      requestErrorMessage(fe.statusCode, fe.message),
    );
  return null;
}

export const xxpayDialect =
  (ctx: AppContext): FastifyPluginAsync =>
  async (app) => {
    const env: MappingEnv = { timeZone: ctx.config.timeZone };

    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      const out: Params = {};
      for (const [k, v] of new URLSearchParams(body as string))
        if (k !== '__proto__' && k !== 'constructor') out[k] = v;
      done(null, out);
    });

    installDialectErrors(app, {
      name: 'xxpay',
      refusal: envelopeFor,
      failure: (message) => failure(XXPAY_CODE.failure, message),
      busyMessage: '系统繁忙,请稍后再试',
      unhandledStatus: 200,
      // the console's screens ordo has no notion of: a message it shows, never a page error
      notFound: { status: 200, message: (_method, path) => `暂不支持: ${path.replace(/^.*?\/api\//, '')}` },
    });

    // `Authorization: <token>` as the console sends it, or `Bearer <token>`.
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization?.trim();
      request.principal = await principalOfToken(ctx, header ? header.replace(/^bearer\s+/i, '') : null);
    });

    /** The app the trade flows act for on the till's behalf. */
    async function appOf(staff: StaffPrincipal): Promise<AppPrincipalInfo> {
      const app = await tillActingApp(ctx, staff.merchantId);
      if (!app) throw new XxpayError(XXPAY_CODE.noApp, '商户没有可用的应用,请先创建应用 (POST /v1/admin/apps)');
      return app;
    }

    const view = (staff: StaffPrincipal, orderNo: string): Promise<TradeOrderView> =>
      getTradeOrder(ctx, staff, orderNo);

    /** The trade order a pay route works on: the given `tradeOrderId`, or a new sale from the till's fields. */
    async function tradeOrderFor(
      p: Params,
      staff: StaffPrincipal,
      principal: AppPrincipalInfo,
      request: FastifyRequest,
      defaultSubject: string,
      memberId?: number,
    ): Promise<string> {
      if (present(p.tradeOrderId)) return tradeOrderId(p);
      const required = yuan(p, 'requiredAmount', true)!;
      const real = yuan(p, 'realAmount') ?? required;
      if (real > required) throw bad('realAmount may not exceed requiredAmount');
      const subject = text(p, 'subject', { max: 120 }) ?? defaultSubject;
      const storeId =
        int(p, 'storeId', 1, Number.MAX_SAFE_INTEGER) ?? (await tillDefaultStoreId(ctx, staff.merchantId));
      if (storeId === null) throw new XxpayError(XXPAY_CODE.failure, '商户没有门店');
      const created = await createTradeOrder(ctx, principal, {
        merchantOrderNo:
          text(p, 'mchOrderNo', { max: 64, pattern: /^[A-Za-z0-9_-]{1,64}$/ }) ??
          `XX${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`,
        tradeType: 'sale',
        depositMode: flag(p, 'isDepositMode'),
        storeId,
        operatorId: staff.staffId,
        memberId: memberId ?? int(p, 'memberId', 1, Number.MAX_SAFE_INTEGER),
        couponCode: text(p, 'couponNo', { max: 64 }),
        orderDiscount: required - real,
        subject,
        remark: text(p, 'remark', { max: 200 }),
        clientIp: request.ip,
        device: text(p, 'device', { max: 64 }),
        lines: [{ productId: null, title: subject, listPrice: required, price: required, quantity: 1 }],
      });
      return created.orderNo;
    }

    /** Collects the trade order through the flow the signed merchant API uses too, and answers its new status. */
    const pay = async (staff: StaffPrincipal, app: AppPrincipalInfo, orderNo: string, payment: TradePayment) => {
      await payTradeOrderByMethod(ctx, app, orderNo, payment);
      const t = await view(staff, orderNo);
      return ok({ tradeOrderId: orderNo, orderStatus: xxpayStatus(t) });
    };

    // ── memberPay ────────────────────────────────────────────────────────────────────────────────────────────

    app.route({
      method: ['GET', 'POST'],
      url: '/api/memberPay/bar',
      handler: async (request) => {
        const staff = staffOf(request);
        const p = paramsOf(request);
        const code = text(p, 'barCode', { max: 32 }) ?? text(p, 'authCode', { max: 32 });
        if (!code) throw bad('barCode is required');
        if (!/^\d{16,24}$/.test(code)) throw bad('barCode must be 16 to 24 digits');
        const wallet = walletOfCode(code); // an unknown wallet is refused before a trade order is created
        const principal = await appOf(staff);
        const subject = wallet === 'wechat' ? TILL_SUBJECT.wechatCode : TILL_SUBJECT.alipayCode;
        const orderNo = await tradeOrderFor(p, staff, principal, request, subject);
        return pay(staff, principal, orderNo, { method: 'code', authCode: code, clientIp: request.ip });
      },
    });

    app.route({
      method: ['GET', 'POST'],
      url: '/api/memberPay/cash',
      handler: async (request) => {
        const staff = staffOf(request);
        const p = paramsOf(request);
        const principal = await appOf(staff);
        const orderNo = await tradeOrderFor(p, staff, principal, request, TILL_SUBJECT.cash);
        // the signed-in operator took the whole amount due
        return pay(staff, principal, orderNo, { method: 'cash', operatorId: staff.staffId });
      },
    });

    app.route({
      method: ['GET', 'POST'],
      url: '/api/memberPay/balance',
      handler: async (request) => {
        const staff = staffOf(request);
        const p = paramsOf(request);
        let memberId = int(p, 'memberId', 1, Number.MAX_SAFE_INTEGER);
        // `memberNo` is what XxPay means by it: the card number or the mobile the cashier typed
        const cardOrMobile =
          text(p, 'memberNo', { max: 20, pattern: /^\d{5,20}$/ }) ??
          text(p, 'mobile', { max: 20, pattern: /^\d{5,20}$/ });
        if (memberId === undefined && cardOrMobile) {
          const found = await findTillMember(ctx, staff.merchantId, { cardOrMobile });
          if (!found) throw new XxpayError(XXPAY_CODE.failure, '会员不存在');
          memberId = found.id;
        }
        if (memberId === undefined && present(p.memberPayCode))
          throw new XxpayError(XXPAY_CODE.failure, '暂不支持会员付款码,请输入会员卡号或手机号');
        const principal = await appOf(staff);
        const orderNo = await tradeOrderFor(p, staff, principal, request, TILL_SUBJECT.balance, memberId);
        try {
          return await pay(staff, principal, orderNo, { method: 'balance', memberId });
        } catch (err) {
          if (err instanceof NoMemberToPay) throw bad('缺少参数 memberId：该交易订单未指定会员');
          throw err;
        }
      },
    });

    app.route({
      method: ['GET', 'POST'],
      url: '/api/memberPay/queryStatus',
      handler: async (request) => {
        const staff = staffOf(request);
        const orderNo = tradeOrderId(paramsOf(request));
        const before = await view(staff, orderNo);
        const asked = await checkWaitingPayments(ctx, before.order.id);
        return ok(toXxpayPayStatus(asked ? await view(staff, orderNo) : before));
      },
    });

    const refund = async (request: FastifyRequest) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      const orderNo = tradeOrderId(p);
      const refundPassword = text(p, 'refundPassword', { required: true, max: 64 })!;
      const reason = text(p, 'refundDesc', { max: 200 });
      const amount = yuan(p, 'refundAmount');
      const principal = await appOf(staff);
      const done = await refundTradeOrderAmountOrRest(ctx, principal, orderNo, {
        amount,
        operatorId: staff.staffId,
        refundPassword,
        reason,
      });
      const t = await view(staff, orderNo);
      return ok({
        tradeOrderId: orderNo,
        refundOrderId: done.refundNo,
        refundStatus: done.status,
        refundAmount: done.amount,
        orderStatus: xxpayStatus(t),
      });
    };
    app.route({ method: ['GET', 'POST'], url: '/api/memberPay/refund2', handler: refund });
    app.route({ method: ['GET', 'POST'], url: '/api/memberPay/refund', handler: refund });

    const endDepositRoute = (consume: boolean) => async (request: FastifyRequest) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      const orderNo = tradeOrderId(p);
      const consumed = consume ? yuan(p, 'consumeAmount', true)! : 0;
      const principal = await appOf(staff);
      const ended = await endDeposit(ctx, principal, orderNo, consumed);
      const t = await view(staff, orderNo);
      return ok({
        tradeOrderId: orderNo,
        consumeAmount: consumed,
        returnAmount: ended.returned,
        orderStatus: xxpayStatus(t),
      });
    };
    app.route({ method: ['GET', 'POST'], url: '/api/memberPay/depositConsume', handler: endDepositRoute(true) });
    app.route({ method: ['GET', 'POST'], url: '/api/memberPay/depositReverse', handler: endDepositRoute(false) });

    registerConsoleAuthRoutes(app, ctx);
    registerConsoleFrameRoutes(app, ctx, env);
    registerDashboardRoutes(app, ctx, env);
    registerTradeOrderRoutes(app, ctx, env);
    registerPayOrderRoutes(app, ctx, env);
    registerRefundOrderRoutes(app, ctx, env);
    registerMemberRoutes(app, ctx, env);
    registerRechargeRoutes(app, ctx, env);
    registerFixedQrRoutes(app, ctx);
    registerStoreRoutes(app, ctx, env);
    registerAccountRoutes(app, ctx);
    registerHandoverRoutes(app, ctx, env);
    registerTillCouponRoutes(app, ctx);
  };
