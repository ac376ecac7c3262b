import { defaultAddressOf } from '../../../addresses/member-address.ts';
import { yuanToFen } from '../../../domain/money.ts';
import { MAX_RECHARGE, MIN_RECHARGE, startRecharge } from '../../../flows/start-recharge.ts';
import { syncPayment } from '../../../flows/sync-payment.ts';
import { memberLedgerPage } from '../../../members/member-ledger-page.ts';
import { getMemberProfile } from '../../../members/member-profile.ts';
import { listRechargeRules } from '../../../members/recharge-rules.ts';
import { getOrder } from '../../../orders/get-order.ts';
import { storePaymentMethods } from '../../../payments/store-payment-methods.ts';
import { paymentOf, storeOf } from '../lookups.ts';
import { ok, paginator, toPaymentMethods, toPersonal, yuan } from '../mapping.ts';
import { bad, clientOf, int, obj, PAGE_SIZE, pageOf, reqStr, str } from '../params.ts';
import { refusedAs } from '../refusals.ts';
import { RECHARGE_METHODS, RECHARGE_SETTING, toRechargePlan } from '../recharge-mapping.ts';
import type { MemberRoutes } from '../route-table.ts';
import { toRechargeOrder } from '../user-mapping.ts';
import { cashierRoutes } from './cashier.ts';

/** The free amount the page sends (`customMoney`, yuan) in fen, or a refusal in the page's words. */
function customAmount(text: string): number {
  let fen: number;
  try {
    fen = yuanToFen(text.trim());
  } catch {
    throw bad('请输入正确的充值金额');
  }
  if (fen < MIN_RECHARGE || fen > MAX_RECHARGE)
    throw bad(`充值金额须在 ${yuan(MIN_RECHARGE)} 到 ${yuan(MAX_RECHARGE)} 元之间`);
  return fen;
}

/**
 * The wallet's recharge (充值) page and its records: plans are the merchant's recharge rules (the XxPay till uses
 * the same ones), a top-up is ordo's recharge order paid at the cashier like any order, its bonus credited with it.
 */
export const rechargeRoutes: MemberRoutes = {
  'recharge/center': async ({ ctx, member, p, platform, storeId }) => {
    const client = clientOf(p, platform);
    const store = await storeOf(ctx, storeId, member);
    const [profile, address, rules, settings] = await Promise.all([
      getMemberProfile(ctx, member.memberId),
      defaultAddressOf(ctx, member.memberId),
      listRechargeRules(ctx, member.merchantId, { enabled: true, page: 1, limit: null }),
      storePaymentMethods(ctx, store.id, client),
    ]);
    return ok({
      setting: RECHARGE_SETTING,
      personal: toPersonal(profile, address?.id ?? 0),
      planList: rules.items.map(toRechargePlan),
      paymentMethods: toPaymentMethods(settings).filter((m) =>
        (RECHARGE_METHODS as readonly string[]).includes(m.method),
      ),
    });
  },
  // a plan (planId) or a free amount (customMoney); then paid exactly as the cashier pays an order
  'recharge/submit': async (call) => {
    const { ctx, member, p, platform } = call;
    const form = obj(p, 'form')!;
    const method = reqStr(form, 'method', 20);
    if (!(RECHARGE_METHODS as readonly string[]).includes(method)) throw bad('很抱歉，充值仅支持微信支付和支付宝');
    const client = clientOf(form, platform);
    const planId = int(form, 'planId', { optional: true, min: 0 }) || undefined;
    const custom = str(form, 'customMoney', { optional: true, max: 20 })?.trim();
    if (!planId && !custom) throw bad('请选择充值套餐或输入充值金额');
    const recharge = await startRecharge(ctx, member, {
      ...(planId ? { ruleId: planId } : { amount: customAmount(custom!) }),
      client,
    }).catch(refusedAs('not_found', '很抱歉，充值套餐不存在'));
    const order = await getOrder(ctx, member, recharge.orderNo);
    const paid = await cashierRoutes['cashier/orderPay']!({
      ...call,
      p: { orderId: order.id, method, client, extra: form.extra ?? {} },
    });
    return { ...paid, message: '下单成功' };
  },
  'recharge/tradeQuery': async ({ ctx, member, p }) => {
    const payment = await paymentOf(ctx, member, reqStr(p, 'outTradeNo', 64));
    const status = payment.status === 'processing' ? await syncPayment(ctx, payment) : payment.status;
    const isPay = status === 'paid';
    return ok({ isPay }, isPay ? '恭喜您，余额充值成功' : '很抱歉，订单未支付，请重新发起');
  },
  // the top-ups that reached the balance (the amount paid, without the bonus), newest first
  'recharge.order/list': async ({ ctx, env, member, p }) => {
    const page = pageOf(p);
    const query = { page, pageSize: PAGE_SIZE, reason: 'recharge' };
    const { items, total } = await memberLedgerPage(ctx, member, 'balance', query);
    return ok({
      list: paginator(
        items.map((l) => toRechargeOrder(l, env)),
        page,
        PAGE_SIZE,
        total,
      ),
    });
  },
};
