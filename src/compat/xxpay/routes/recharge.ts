import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { payTradeOrderByMethod } from '../../../flows/pay-trade-order-by-method.ts';
import { walletOfCode } from '../../../flows/pay-trade-order.ts';
import { placeTillRecharge } from '../../../flows/place-till-recharge.ts';
import { tillDefaultStoreId } from '../../../merchants/till-defaults.ts';
import { createRechargeRule, getRechargeRule, listRechargeRules } from '../../../members/recharge-rules.ts';
import { getTradeOrder } from '../../../orders/get-trade-order.ts';
import { ok, XXPAY_CODE, xxpayStatus, type MappingEnv } from '../mapping.ts';
import { bad, flag, int, paramsOf, staffOf, text, XxpayError, yuan, type Params } from '../params.ts';
import { rechargeSubject, RULE_TYPE, tablePage, toXxpayRechargeRule } from '../till-mapping.ts';
import { actingAppOf, layuiPage, statusFilter, tillOrderNo } from './till-params.ts';

/**
 * Recharge rules ("pay X, get Y more") and the till's top-up:
 * - `member_recharge_rule/list`: `page`, `limit` (-1 all), `status` (1 on, 0 off); amounts in fen.
 * - `member_recharge_rule/get`: `ruleId`.
 * - `member_recharge_rule/add`: `rechargeAmount` (fen, as the console sends it), `ruleType` (1 bonus balance, 2
 *   bonus points), `givePoints` (the bonus: fen of balance for type 1, points for type 2), `firstFlag` (1
 *   recommended), `status`, `remark`.
 * - `memberPay/recharge`: `memberId`, `ruleId` (its amount and bonus) or `amount` (yuan, no bonus), `barCode` (the
 *   customer's payment code). Answers `{tradeOrderId, orderStatus}`; the balance (and bonus) arrive with the payment.
 */
export function registerRechargeRoutes(app: FastifyInstance, ctx: AppContext, env: MappingEnv): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/member_recharge_rule/list',
    handler: async (request) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      const { items, total } = await listRechargeRules(ctx, staff.merchantId, {
        enabled: statusFilter(p),
        ...layuiPage(p),
      });
      return tablePage(
        items.map((r) => toXxpayRechargeRule(r, env)),
        total,
      );
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/member_recharge_rule/get',
    handler: async (request) => {
      const staff = staffOf(request);
      const rule = await getRechargeRule(ctx, staff.merchantId, ruleIdOf(paramsOf(request), true)!);
      if (!rule) throw new XxpayError(XXPAY_CODE.failure, '充值规则不存在');
      return ok(toXxpayRechargeRule(rule, env));
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/member_recharge_rule/add',
    handler: async (request) => {
      const staff = staffOf(request);
      // a rule gives money away: the merchant's admins set rules, operators only use them
      if (staff.role !== 'admin') throw new XxpayError(XXPAY_CODE.forbidden, '仅商户管理员可以设置充值规则');
      const p = paramsOf(request);
      const ruleType = int(p, 'ruleType', 1, 3);
      if (ruleType === 3) throw new XxpayError(XXPAY_CODE.failure, '暂不支持充值赠送优惠券');
      const rule = await createRechargeRule(ctx, staff.merchantId, {
        rechargeAmount: consoleFen(p, 'rechargeAmount', true)!,
        bonusKind: ruleType === RULE_TYPE.points ? 'points' : 'balance',
        bonusAmount: consoleFen(p, 'givePoints', false) ?? 0,
        recommended: flag(p, 'firstFlag'),
        enabled: statusFilter(p) ?? true,
        remark: text(p, 'remark', { max: 200 }),
      });
      return ok(toXxpayRechargeRule(rule, env));
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/memberPay/recharge',
    handler: async (request) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      const memberId = int(p, 'memberId', 1, Number.MAX_SAFE_INTEGER);
      if (memberId === undefined) throw bad('memberId is required');
      const ruleId = ruleIdOf(p, false);
      const amount = ruleId === undefined ? yuan(p, 'amount', true) : undefined;
      const barCode = text(p, 'barCode', { required: true, max: 32 })!;
      if (!/^\d{16,24}$/.test(barCode)) throw bad('barCode must be 16 to 24 digits');
      const wallet = walletOfCode(barCode); // an unknown wallet is refused before a trade order is created
      const principal = await actingAppOf(ctx, staff);
      const storeId =
        int(p, 'storeId', 1, Number.MAX_SAFE_INTEGER) ?? (await tillDefaultStoreId(ctx, staff.merchantId));
      if (storeId === null) throw new XxpayError(XXPAY_CODE.failure, '商户没有门店');
      const { orderNo } = await placeTillRecharge(ctx, principal, {
        memberId,
        ruleId,
        amount,
        merchantOrderNo: tillOrderNo(p),
        storeId,
        operatorId: staff.staffId,
        subject: rechargeSubject(wallet),
        clientIp: request.ip,
      });
      await payTradeOrderByMethod(ctx, principal, orderNo, { method: 'code', authCode: barCode, clientIp: request.ip });
      const t = await getTradeOrder(ctx, staff, orderNo);
      return ok({ tradeOrderId: orderNo, orderStatus: xxpayStatus(t) });
    },
  });
}

const ruleIdOf = (p: Params, required: boolean) => {
  const id = int(p, 'ruleId', 1, Number.MAX_SAFE_INTEGER);
  if (id === undefined && required) throw bad('ruleId is required');
  return id;
};

/**
 * A whole number the console computed as `yuan * 100` in JavaScript (fen, or points): `12.34*100` arrives as
 * `1233.9999999999998`, so a value within a millionth of a whole number is that number.
 */
function consoleFen(p: Params, name: string, required: boolean): number | undefined {
  const s = text(p, name, { required, max: 24 });
  if (s === undefined) return undefined;
  const n = /^\d{1,12}(\.\d{1,16})?$/.test(s) ? Number(s) : NaN;
  const whole = Math.round(n);
  if (!Number.isFinite(n) || Math.abs(n - whole) > 1e-6) throw bad(`${name} must be a whole number of fen`);
  if (required && whole <= 0) throw bad(`${name} must be above zero`);
  return whole;
}
