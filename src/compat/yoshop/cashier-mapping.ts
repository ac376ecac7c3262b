import type { PaymentAction } from '../../domain/payment-action.ts';
import type { OrderView } from '../../orders/order-view.ts';
import { PAY_STATUS, yoshopStatuses, yoshopTime, yuan, type MappingEnv } from './mapping.ts';

/**
 * The cashier page (pages/checkout/cashier/index.vue): the order with its payment countdown, and what the page's
 * H5 payment code does with `payment` — WeChat opens `mweb_url || h5_url`, Alipay puts `formHtml` into the page and
 * submits the document's first form.
 */

/** cashier/orderInfo `order`: the countdown shows while the order waits for payment and has a deadline. */
export function toCashierOrder(o: OrderView, env: MappingEnv) {
  const s = yoshopStatuses(o);
  const counting = s.pay_status === PAY_STATUS.unpaid && o.expiresAt !== null && o.status === 'pending_payment';
  return {
    orderId: o.id,
    order_no: o.orderNo,
    pay_price: yuan(o.payableAmount),
    pay_status: s.pay_status,
    order_status: s.order_status,
    create_time: yoshopTime(o.createdAt, env.timeZone),
    showExpiration: counting,
    expirationTime: counting ? yoshopTime(o.expiresAt, env.timeZone) : '',
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A payment URL as a form that posts the URL's parameters to its address: the client only submits `formHtml`,
 * and a wap payment's gateway takes the same signed parameters posted as it does in the query.
 */
export function postingForm(url: string): string {
  const target = new URL(url);
  const inputs = [...target.searchParams]
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return (
    `<form name="alipaysubmit" action="${escapeHtml(target.origin + target.pathname)}" method="POST" ` +
    `accept-charset="utf-8">${inputs}<input type="submit" value="立即支付" style="display:none"></form>`
  );
}

/** cashier/orderPay `payment` for a gateway action. */
export function toPayment(method: string, action: PaymentAction | null, outTradeNo: string): Record<string, unknown> {
  const base = { out_trade_no: outTradeNo };
  if (!action) return base;
  switch (action.kind) {
    case 'redirect':
      return method === 'wechat'
        ? { ...base, h5_url: action.url, mweb_url: action.url }
        : { ...base, formHtml: postingForm(action.url) };
    case 'form':
      return { ...base, formHtml: action.html };
    case 'qr':
      return method === 'wechat' ? { ...base, code_url: action.content } : { ...base, qr_code: action.content };
    case 'sdk_params':
      return { ...base, ...action.params };
  }
}
