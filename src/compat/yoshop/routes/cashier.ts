import { defaultAddressOf } from '../../../addresses/member-address.ts';
import type { Channel } from '../../../domain/payment-action.ts';
import { startPayment } from '../../../flows/start-payment.ts';
import { syncPayment } from '../../../flows/sync-payment.ts';
import { getMemberProfile } from '../../../members/member-profile.ts';
import { getOrder } from '../../../orders/get-order.ts';
import { storePaymentMethods } from '../../../payments/store-payment-methods.ts';
import { orderNoOf, orderOf, paymentOf } from '../lookups.ts';
import { toCashierOrder, toPayment } from '../cashier-mapping.ts';
import { DEFAULT_CHANNELS, ok, toPaymentMethods, toPersonal, YOSHOP_METHODS } from '../mapping.ts';
import { bad, clientOf, obj, reqInt, reqStr } from '../params.ts';
import type { MemberRoutes } from '../route-table.ts';

/** The cashier page: the order with the store's methods, paying it, and asking whether it is paid. */
export const cashierRoutes: MemberRoutes = {
  'cashier/orderInfo': async ({ ctx, env, member, p, platform }) => {
    const order = await orderOf(ctx, member, reqInt(p, 'orderId'));
    const client = clientOf(p, platform);
    const [profile, address, settings] = await Promise.all([
      getMemberProfile(ctx, member.memberId),
      defaultAddressOf(ctx, member.memberId),
      storePaymentMethods(ctx, order.storeId, client),
    ]);
    return ok({
      order: toCashierOrder(order, env),
      personal: toPersonal(profile, address?.id ?? 0),
      paymentMethods: toPaymentMethods(settings),
    });
  },
  'cashier/orderPay': async ({ ctx, member, p, platform, request }) => {
    const orderNo = await orderNoOf(ctx, member, reqInt(p, 'orderId'));
    const method = reqStr(p, 'method', 20);
    if (!(YOSHOP_METHODS as readonly string[]).includes(method)) throw bad('很抱歉，不支持该支付方式');
    const client = clientOf(p, platform);
    const extra = obj(p, 'extra', true) ?? {};
    let channel: Channel | undefined;
    if (method !== 'balance') {
      const settings = await storePaymentMethods(ctx, (await getOrder(ctx, member, orderNo)).storeId, client);
      channel = (settings.find((s) => s.method === method)?.channel ||
        DEFAULT_CHANNELS[client]?.[method as 'wechat' | 'alipay']) as Channel | undefined;
    }
    const started = await startPayment(ctx, member, {
      orderNo,
      method: method as 'wechat' | 'alipay' | 'balance',
      channel,
      client,
      clientIp: request.ip,
      openId: typeof extra.openid === 'string' ? extra.openid : undefined,
      returnUrl:
        typeof extra.returnUrl === 'string'
          ? extra.returnUrl
          : typeof extra.redirect_url === 'string'
            ? extra.redirect_url
            : undefined,
    });
    if (method === 'balance' || started.payment.status === 'paid')
      return ok({ isPay: true, payment: { out_trade_no: started.payment.outTradeNo } }, '恭喜您，订单已付款成功');
    return ok({ isPay: false, payment: toPayment(method, started.action, started.payment.outTradeNo) }, '下单成功');
  },
  'cashier/tradeQuery': async ({ ctx, member, p }) => {
    const payment = await paymentOf(ctx, member, reqStr(p, 'outTradeNo', 64));
    const status = payment.status === 'processing' ? await syncPayment(ctx, payment) : payment.status;
    const isPay = status === 'paid' || status === 'partially_refunded' || status === 'refunded';
    return ok({ isPay }, isPay ? '恭喜您，订单已付款成功' : '很抱歉，订单未支付，请重新发起');
  },
};
