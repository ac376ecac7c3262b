import { randomBytes } from 'node:crypto';
import { fenToYuanString, yuanToFen } from '../../domain/money.ts';
import { formatAlipayTime, parseAlipayTime } from '../../providers/alipay/transformers.ts';
import type { Simulator } from '../simulator.ts';
import { NOTIFICATION_HEADERS, newNotifyId, signedNotificationBody } from './notifications.ts';

/**
 * The simulated Alipay's trades, in memory, and the business side of the API methods ordo calls (the answers
 * before signing). Like real Alipay, a precreated trade does not exist (query and close say ACQ.TRADE_NOT_EXIST)
 * until the buyer scans it, and stays payable after such a close until its time_expire.
 *
 * Barcode payments (`alipay.trade.pay`, scene bar_code). The rules are the same in the WeChat Pay gateway
 * (sandbox/wechatpay/gateway.ts, codepay); keep them identical:
 * - A code must look real: 16–24 digits starting 25–30 (a WeChat code, 10–15, is not one). Anything else is
 *   refused with 40004 ACQ.PAYMENT_AUTH_CODE_INVALID.
 * - A code ending in `0000` is refused for insufficient funds: 40004 ACQ.BUYER_BALANCE_NOT_ENOUGH.
 * - A refused code opens no trade: query says ACQ.TRADE_NOT_EXIST, `hasTrade` is false, and the out_trade_no can
 *   be charged again with another code.
 * - Otherwise, while `sim.behaviour.userPaying` is set, the trade waits for the customer's password: the answer
 *   is 10003 with trade_status WAIT_BUYER_PAY, queries say WAIT_BUYER_PAY, until `confirm(outTradeNo)` pays it
 *   and sends the usual signed notification to the call's notify_url (none without one). Closing it first makes
 *   it TRADE_CLOSED.
 * - Otherwise it is paid at once: 10000 with the payment, and no notification is sent, as Alipay sends none for a
 *   barcode payment that succeeded synchronously: the signed answer is the result.
 * - The same out_trade_no again with the same code and amount (a till retrying): 10003 again while it waits,
 *   ACQ.TRADE_HAS_SUCCESS once paid, ACQ.TRADE_HAS_CLOSE once closed. With another code or amount, or on a trade
 *   that is not a code payment: ACQ.CONTEXT_INCONSISTENT.
 */
export type Answer = Record<string, string>;

interface Refund {
  amountFen: number;
  at: Date;
  answer: Answer;
}

export interface Trade {
  outTradeNo: string;
  tradeNo: string;
  totalFen: number;
  subject: string;
  body?: string;
  notifyUrl?: string;
  returnUrl?: string;
  qrCode?: string;
  timeExpire?: Date;
  /** the buyer has scanned or opened the cashier: only then does Alipay know the trade */
  scanned: boolean;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  createdAt: Date;
  paidAt?: Date;
  buyerId?: string;
  refundedFen: number;
  refunds: Map<string, Refund>;
  /** the payment code a barcode trade (alipay.trade.pay) was charged with */
  authCode?: string;
}

const SUCCESS = { code: '10000', msg: 'Success' };
/** Alipay payment codes: 16–24 digits starting 25–30. */
const AUTH_CODE = /^(2[5-9]|30)\d{14,22}$/;
/** The simulator's steering rule: a code ending in 0000 belongs to a customer who cannot afford anything. */
const BROKE_SUFFIX = '0000';

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
const fail = (subCode: string, subMsg: string): Answer => ({
  code: '40004',
  msg: 'Business Failed',
  sub_code: subCode,
  sub_msg: subMsg,
});

/** Why the gateway refuses a payment code before opening a trade, or null when it takes it. */
function codeRefusal(authCode: string): Answer | null {
  if (!AUTH_CODE.test(authCode))
    return fail('ACQ.PAYMENT_AUTH_CODE_INVALID', '支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款');
  if (authCode.endsWith(BROKE_SUFFIX)) return fail('ACQ.BUYER_BALANCE_NOT_ENOUGH', '买家余额不足');
  return null;
}

/** The simulated buyer cannot pay this (unknown content, already paid, closed, expired). */
export class AlipaySandboxRefused extends Error {
  override name = 'AlipaySandboxRefused';
}

/** A string member of biz_content, '' when absent or not a string. */
export const field = (biz: Record<string, unknown>, key: string) =>
  typeof biz[key] === 'string' ? (biz[key] as string) : '';
export const isTrade = (value: Trade | Answer): value is Trade => 'refunds' in value;

export function createTradeBook(sim: Simulator) {
  const keys = sim.keys.alipay;
  const trades = new Map<string, Trade>();
  /** qr_code → out_trade_no */
  const byQr = new Map<string, string>();

  /** Amount in fen from a yuan string, or undefined when it is not one Alipay accepts. */
  function fenOf(value: string): number | undefined {
    try {
      const fen = yuanToFen(value);
      return fen > 0 ? fen : undefined;
    } catch {
      return undefined;
    }
  }

  /** Time passing closes an unpaid trade at its time_expire, as Alipay does. */
  function current(outTradeNo: string): Trade | undefined {
    const trade = trades.get(outTradeNo);
    if (trade?.status === 'WAIT_BUYER_PAY' && trade.timeExpire && sim.clock.now() >= trade.timeExpire)
      trade.status = 'TRADE_CLOSED';
    return trade;
  }

  /** Creates the trade for a precreate or a page/wap/app order, or finds the same one again; refuses conflicts. */
  function openTrade(params: Record<string, string>, biz: Record<string, unknown>): Trade | Answer {
    const outTradeNo = field(biz, 'out_trade_no');
    const totalFen = fenOf(field(biz, 'total_amount'));
    const subject = field(biz, 'subject');
    if (!outTradeNo || totalFen === undefined || !subject) return fail('ACQ.INVALID_PARAMETER', '参数无效');
    const existing = current(outTradeNo);
    if (existing) {
      if (existing.status === 'TRADE_SUCCESS') return fail('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
      if (existing.status === 'TRADE_CLOSED') return fail('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
      if (existing.totalFen !== totalFen) return fail('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
      return existing;
    }
    const now = sim.clock.now();
    const trade: Trade = {
      outTradeNo,
      tradeNo: `${formatAlipayTime(now).slice(0, 10).replaceAll('-', '')}22001${digits(15)}`,
      totalFen,
      subject,
      scanned: false,
      status: 'WAIT_BUYER_PAY',
      createdAt: now,
      refundedFen: 0,
      refunds: new Map(),
    };
    const body = field(biz, 'body');
    if (body) trade.body = body;
    if (params.notify_url) trade.notifyUrl = params.notify_url;
    if (params.return_url) trade.returnUrl = params.return_url;
    const expire = parseAlipayTime(field(biz, 'time_expire'));
    if (expire) trade.timeExpire = expire;
    trades.set(outTradeNo, trade);
    return trade;
  }

  function notificationFields(trade: Trade): Record<string, string | undefined> {
    const amount = fenToYuanString(sim.reportedAmount(trade.outTradeNo, trade.totalFen));
    return {
      notify_time: formatAlipayTime(sim.clock.now()),
      notify_type: 'trade_status_sync',
      notify_id: newNotifyId(),
      charset: 'utf-8',
      version: '1.0',
      app_id: keys.appId,
      auth_app_id: keys.appId,
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      buyer_id: trade.buyerId,
      buyer_logon_id: '159****0000',
      seller_id: keys.sellerId,
      trade_status: trade.status,
      total_amount: amount,
      receipt_amount: amount,
      invoice_amount: amount,
      buyer_pay_amount: amount,
      point_amount: '0.00',
      gmt_create: formatAlipayTime(trade.createdAt),
      gmt_payment: trade.paidAt && formatAlipayTime(trade.paidAt),
      subject: trade.subject,
      body: trade.body ?? trade.subject,
      // A JSON string inside the form: it is signed and verified as this exact text.
      fund_bill_list: JSON.stringify([{ amount, fundChannel: 'ALIPAYACCOUNT' }]),
    };
  }

  function send(trade: Trade, fields: Record<string, string | undefined>): Promise<void> {
    if (!trade.notifyUrl) return Promise.resolve();
    return sim.notify(trade.notifyUrl, {
      headers: { ...NOTIFICATION_HEADERS },
      body: signedNotificationBody(keys.alipayPrivateKeyPem, fields),
    });
  }

  /** The buyer's money moves: the trade is paid (notifying is the caller's business). */
  function markPaid(trade: Trade): void {
    trade.scanned = true;
    trade.status = 'TRADE_SUCCESS';
    trade.paidAt = sim.clock.now();
    trade.buyerId = `2088${digits(12)}`;
  }

  /** The buyer confirms: the trade is paid and ordo is notified (resolves once the notification is handed over). */
  async function payTrade(trade: Trade): Promise<{ outTradeNo: string; amount: number }> {
    const status = current(trade.outTradeNo)?.status;
    if (status === 'TRADE_SUCCESS') throw new AlipaySandboxRefused(`trade ${trade.outTradeNo} is already paid`);
    if (status === 'TRADE_CLOSED') throw new AlipaySandboxRefused(`trade ${trade.outTradeNo} is closed`);
    markPaid(trade);
    await send(trade, notificationFields(trade));
    return { outTradeNo: trade.outTradeNo, amount: trade.totalFen };
  }

  function tradeAnswer(trade: Trade): Answer {
    const amount = fenToYuanString(sim.reportedAmount(trade.outTradeNo, trade.totalFen));
    const paid = trade.paidAt !== undefined;
    return {
      ...SUCCESS,
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      trade_status: trade.status,
      total_amount: amount,
      ...(paid
        ? {
            buyer_logon_id: '159****0000',
            buyer_user_id: trade.buyerId ?? '',
            buyer_pay_amount: amount,
            receipt_amount: amount,
            send_pay_date: formatAlipayTime(trade.paidAt as Date),
          }
        : {}),
    };
  }

  /** The customer confirms a waiting code payment on the phone (the sandbox's `confirm`). */
  function confirmCodePayment(outTradeNo: string): Promise<{ outTradeNo: string; amount: number }> {
    const trade = current(outTradeNo);
    if (!trade) return Promise.reject(new AlipaySandboxRefused(`no Alipay sandbox trade ${outTradeNo}`));
    if (trade.authCode === undefined)
      return Promise.reject(new AlipaySandboxRefused(`trade ${outTradeNo} is not a code payment`));
    return payTrade(trade);
  }

  /** The answer to a barcode payment that is paid, or still waiting for the customer's password. */
  function codePayAnswer(trade: Trade): Answer {
    const amount = fenToYuanString(sim.reportedAmount(trade.outTradeNo, trade.totalFen));
    const common = {
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      buyer_logon_id: '159****0000',
      total_amount: amount,
    };
    if (trade.paidAt === undefined)
      return { code: '10003', msg: '等待用户付款', ...common, trade_status: 'WAIT_BUYER_PAY' };
    return {
      ...SUCCESS,
      ...common,
      trade_status: 'TRADE_SUCCESS',
      buyer_user_id: trade.buyerId ?? '',
      buyer_pay_amount: amount,
      receipt_amount: amount,
      invoice_amount: amount,
      point_amount: '0.00',
      gmt_payment: formatAlipayTime(trade.paidAt),
    };
  }

  const notExist = () => fail('ACQ.TRADE_NOT_EXIST', '交易不存在');

  const api: Record<string, (params: Record<string, string>, biz: Record<string, unknown>) => Answer> = {
    'alipay.trade.precreate'(params, biz) {
      const trade = openTrade(params, biz);
      if (!isTrade(trade)) return trade;
      trade.qrCode ??= `https://qr.alipay.com/bax0${randomBytes(12).toString('hex')}`;
      byQr.set(trade.qrCode, trade.outTradeNo);
      return { ...SUCCESS, out_trade_no: trade.outTradeNo, qr_code: trade.qrCode };
    },

    'alipay.trade.pay'(params, biz) {
      const outTradeNo = field(biz, 'out_trade_no');
      const authCode = field(biz, 'auth_code');
      // any string is taken here: whether it is a real payment code is the barcode rule (PAYMENT_AUTH_CODE_INVALID)
      if (field(biz, 'scene') !== 'bar_code' || typeof biz.auth_code !== 'string')
        return fail('ACQ.INVALID_PARAMETER', '参数无效');
      if (!outTradeNo || fenOf(field(biz, 'total_amount')) === undefined || !field(biz, 'subject'))
        return fail('ACQ.INVALID_PARAMETER', '参数无效');
      const existing = current(outTradeNo);
      if (existing) {
        // a till retrying gets the same trade as it stands; anything else reusing the number is refused
        if (existing.authCode !== authCode || existing.totalFen !== fenOf(field(biz, 'total_amount')))
          return fail('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
        if (existing.status === 'TRADE_SUCCESS') return fail('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
        if (existing.status === 'TRADE_CLOSED') return fail('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
        return codePayAnswer(existing);
      }
      const refusal = codeRefusal(authCode);
      if (refusal) return refusal;
      const trade = openTrade(params, biz);
      if (!isTrade(trade)) return trade;
      trade.authCode = authCode;
      // a barcode trade exists at Alipay from the moment the till charges the code
      trade.scanned = true;
      if (!sim.behaviour.userPaying) markPaid(trade);
      return codePayAnswer(trade);
    },

    'alipay.trade.query'(_params, biz) {
      const trade = current(field(biz, 'out_trade_no'));
      if (!trade) return notExist();
      // userPaying: the buyer has scanned and not confirmed yet, so the trade now exists and waits.
      if (!trade.scanned && sim.behaviour.userPaying && trade.status === 'WAIT_BUYER_PAY') trade.scanned = true;
      return trade.scanned ? tradeAnswer(trade) : notExist();
    },

    'alipay.trade.close'(_params, biz) {
      if (sim.behaviour.failClose) return fail('ACQ.SYSTEM_ERROR', '系统异常');
      const trade = current(field(biz, 'out_trade_no'));
      if (!trade?.scanned) return notExist();
      if (trade.status === 'TRADE_SUCCESS') return fail('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
      trade.status = 'TRADE_CLOSED';
      return { ...SUCCESS, trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo };
    },

    'alipay.trade.refund'(_params, biz) {
      const trade = current(field(biz, 'out_trade_no'));
      if (!trade?.scanned) return notExist();
      // Without out_request_no Alipay treats the call as a full refund keyed by the trade itself.
      const outRequestNo = field(biz, 'out_request_no') || trade.outTradeNo;
      const amountFen = fenOf(field(biz, 'refund_amount'));
      if (amountFen === undefined) return fail('ACQ.INVALID_PARAMETER', '参数无效');
      const earlier = trade.refunds.get(outRequestNo);
      if (earlier)
        return earlier.amountFen === amountFen
          ? earlier.answer
          : fail('ACQ.CONTEXT_INCONSISTENT', '参数与首次请求不一致');
      if (trade.paidAt === undefined || trade.status !== 'TRADE_SUCCESS')
        return fail('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
      if (amountFen > trade.totalFen - trade.refundedFen) return fail('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
      const at = sim.clock.now();
      trade.refundedFen += amountFen;
      if (trade.refundedFen === trade.totalFen) trade.status = 'TRADE_CLOSED';
      const answer: Answer = {
        ...SUCCESS,
        trade_no: trade.tradeNo,
        out_trade_no: trade.outTradeNo,
        buyer_logon_id: '159****0000',
        fund_change: 'Y',
        refund_fee: fenToYuanString(trade.refundedFen),
        gmt_refund_pay: formatAlipayTime(at),
        buyer_user_id: trade.buyerId ?? '',
      };
      trade.refunds.set(outRequestNo, { amountFen, at, answer });
      // Alipay reports the refund afterwards as a trade status sync carrying the cumulative refund_fee.
      void send(trade, {
        ...notificationFields(trade),
        refund_fee: fenToYuanString(trade.refundedFen),
        gmt_refund: formatAlipayTime(at),
        out_biz_no: outRequestNo,
      });
      return answer;
    },

    'alipay.trade.fastpay.refund.query'(_params, biz) {
      const trade = current(field(biz, 'out_trade_no'));
      if (!trade?.scanned) return notExist();
      const outRequestNo = field(biz, 'out_request_no') || trade.outTradeNo;
      const refund = trade.refunds.get(outRequestNo);
      const found = { ...SUCCESS, trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo };
      if (!refund) return found; // Alipay answers success with no refund fields for an unknown refund
      return {
        ...found,
        out_request_no: outRequestNo,
        total_amount: fenToYuanString(trade.totalFen),
        refund_amount: fenToYuanString(refund.amountFen),
        refund_status: 'REFUND_SUCCESS',
        gmt_refund_pay: formatAlipayTime(refund.at),
      };
    },
  };

  return {
    api,
    byQr,
    current,
    openTrade,
    payTrade,
    confirmCodePayment,
    hasTrade: (outTradeNo: string) => trades.has(outTradeNo),
  };
}
