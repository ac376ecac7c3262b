import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  encryptResource,
  parseAuthorizationHeader,
  requestSignatureMessage,
  signResponse,
  verifyRsaSha256,
} from '../../providers/wechatpay/signing.ts';
import { toBeijingRfc3339 } from '../../providers/wechatpay/transformers.ts';
import type { WechatSandboxKeys } from '../../secrets/sandbox-keys.ts';
import type { SimulatedGateway, Simulator } from '../simulator.ts';

/**
 * The subset of WeChat Pay API v3 that ordo calls, held in memory: it checks ordo's request signatures, signs its
 * answers with the sandbox platform key, and sends encrypted, signed notifications when the buyer pays or a
 * refund completes. Its rules follow the real gateway's where ordo depends on them (duplicate out_trade_no,
 * ORDERPAID on close, refundable amount).
 *
 * Barcode payments (付款码) at `POST /v3/pay/transactions/codepay`, the v3-style stand-in for v2 micropay. The rules
 * are the same in the Alipay gateway (sandbox/alipay/trades.ts, `alipay.trade.pay`); keep them identical:
 * - A code must look real: 18 digits starting 10–15 (an Alipay code, 25–30, is not one). Anything else is
 *   refused with 400 AUTH_CODE_INVALID.
 * - A code ending in `0000` is refused for insufficient funds: 400 NOTENOUGH.
 * - A refused code opens no trade: query says ORDER_NOT_EXIST, `hasTrade` is false, and the out_trade_no can be
 *   charged again with another code.
 * - Otherwise, while `sim.behaviour.userPaying` is set, the trade waits for the customer to confirm on the phone:
 *   the answer (200) and every query say USERPAYING until `confirm(outTradeNo)` pays it and sends the usual signed
 *   TRANSACTION.SUCCESS notification to the `notify_url` of the codepay body (real micropay has no notify_url;
 *   the simulator accepts one for this notification and sends none without it). Closing it first makes it CLOSED.
 * - Otherwise it is paid at once: the answer (200) is the SUCCESS transaction, and no notification is sent, as
 *   WeChat sends none for micropay: the signed synchronous answer is the result.
 * - The same out_trade_no again with the same code and amount (a till retrying): the waiting trade's current
 *   transaction, or 400 ORDERPAID once it is paid, or 400 ORDERCLOSED once closed. With another code or amount,
 *   or on a trade that is not a code payment: 400 INVALID_REQUEST.
 */

const TRADE_TYPES = { native: 'NATIVE', jsapi: 'JSAPI', app: 'APP', h5: 'MWEB' } as const;
type OrderKind = keyof typeof TRADE_TYPES;
type TradeType = (typeof TRADE_TYPES)[OrderKind] | 'MICROPAY';
/** USERPAYING is stored only for code payments waiting for `confirm` (NOTPAY trades merely answer it under userPaying) */
type TradeStateCode = 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'CLOSED' | 'REFUND';

const STATE_DESCRIPTIONS: Record<string, string> = {
  NOTPAY: '订单未支付',
  USERPAYING: '用户支付中',
  SUCCESS: '支付成功',
  CLOSED: '订单已关闭',
  REFUND: '转入退款',
};

const CODE_URL_PREFIX = 'weixin://wxpay/bizpayurl?';
const H5_URL_PREFIX = 'https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?';
/** The sandbox's own H5 payment page (sandbox/wechat-h5-page.ts), under the simulator's `pagesUrl`. */
export const H5_PAGE_PATH = '/wechat-h5';
const MAX_SKEW_SECONDS = 300;
/** WeChat payment codes: 18 digits starting 10–15. */
const AUTH_CODE = /^1[0-5]\d{16}$/;
/** The simulator's steering rule: a code ending in 0000 belongs to a customer who cannot afford anything. */
const BROKE_SUFFIX = '0000';

/** Why the gateway refuses a payment code before opening a trade, or null when it takes it. */
function codeRefusal(authCode: string): { code: string; message: string } | null {
  if (!AUTH_CODE.test(authCode)) return { code: 'AUTH_CODE_INVALID', message: '付款码无效，请重新扫码' };
  if (authCode.endsWith(BROKE_SUFFIX)) return { code: 'NOTENOUGH', message: '用户余额不足，请用户换卡支付' };
  return null;
}

export interface SimulatedTrade {
  appid: string;
  mchid: string;
  out_trade_no: string;
  description: string;
  /** absent for a code payment the till sent without one */
  notify_url?: string;
  time_expire?: string;
  trade_type: TradeType;
  total: number;
  /** the payment code a MICROPAY trade was charged with */
  auth_code?: string;
  openid?: string;
  state: TradeStateCode;
  /** closed through the close API: such a trade can no longer be paid (an expired one still can: late payment) */
  closedByApi: boolean;
  transaction_id?: string;
  success_time?: string;
  /** fen refunded or being refunded */
  refunded: number;
  /** the order answer, replayed when the same order is posted again */
  answer: Record<string, string>;
}

export interface SimulatedRefund {
  refund_id: string;
  out_refund_no: string;
  out_trade_no: string;
  transaction_id: string;
  notify_url?: string;
  refund: number;
  total: number;
  status: 'PROCESSING' | 'SUCCESS';
  create_time: string;
  success_time?: string;
}

/** Anything a test wants to be wrong in a notification. */
export interface NotificationOverrides {
  id?: string;
  eventType?: string;
  /** merged (shallowly) over the plaintext resource, e.g. `{ mchid: 'other' }` or `{ amount: { total: 1 } }` */
  resource?: Record<string, unknown>;
  /** Wechatpay-Timestamp in seconds */
  timestamp?: number;
  serial?: string;
  /** replaces the computed Wechatpay-Signature, e.g. a `WECHATPAY/SIGNTEST/…` probe */
  signature?: string;
  /** sign with another key than the platform key */
  signingKeyPem?: string;
  /** encrypt with another APIv3 key */
  apiV3Key?: string;
}

export interface SignedNotification {
  headers: Record<string, string>;
  body: string;
}

export interface WechatPayGateway extends SimulatedGateway {
  buildPaymentNotification(outTradeNo: string, overrides?: NotificationOverrides): SignedNotification;
  buildRefundNotification(outRefundNo: string, overrides?: NotificationOverrides): SignedNotification;
  trade(outTradeNo: string): Readonly<SimulatedTrade> | undefined;
  /** The trade behind what the buyer holds (an H5 URL, a prepay_id), for the sandbox's H5 payment page. */
  tradeOf(content: string): Readonly<SimulatedTrade> | undefined;
}

const token = (bytes: number) => randomBytes(bytes).toString('hex');
const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
const seconds = (at: Date) => Math.floor(at.getTime() / 1000);
const compact = (at: Date) => toBeijingRfc3339(at).slice(0, 19).replace(/\D/g, '');

/** A notification as WeChat sends it: the resource AES-256-GCM encrypted, the body RSA-signed. */
export function buildNotification(
  keys: WechatSandboxKeys,
  now: Date,
  event: { eventType: string; summary: string; originalType: string; resource: Record<string, unknown> },
  overrides: NotificationOverrides = {},
): SignedNotification {
  const nonce = token(6);
  const plaintext = JSON.stringify({ ...event.resource, ...overrides.resource });
  const body = JSON.stringify({
    id: overrides.id ?? randomUUID(),
    create_time: toBeijingRfc3339(now),
    resource_type: 'encrypt-resource',
    event_type: overrides.eventType ?? event.eventType,
    summary: event.summary,
    resource: {
      original_type: event.originalType,
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: encryptResource(plaintext, event.originalType, nonce, overrides.apiV3Key ?? keys.apiV3Key),
      associated_data: event.originalType,
      nonce,
    },
  });
  const headers = signResponse({
    body,
    serial: overrides.serial ?? keys.platformKeyId,
    privateKeyPem: overrides.signingKeyPem ?? keys.platformPrivateKeyPem,
    timestamp: overrides.timestamp ?? seconds(now),
    nonce: token(16),
  });
  if (overrides.signature !== undefined) headers['Wechatpay-Signature'] = overrides.signature;
  return { headers: { 'Content-Type': 'application/json', ...headers }, body };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const isText = (v: unknown, max = 256): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const isFen = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

/** First problem with a codepay body, or null. */
function codePayProblem(body: Json): string | null {
  const amount = isObject(body.amount) ? body.amount : {};
  if (!isText(body.appid) || !isText(body.mchid)) return 'appid and mchid are required';
  if (!isText(body.description, 127)) return 'description must be 1–127 characters';
  if (typeof body.out_trade_no !== 'string' || !/^[0-9A-Za-z_\-|*]{6,32}$/.test(body.out_trade_no))
    return 'out_trade_no must be 6–32 of [0-9A-Za-z_-|*]';
  if (
    body.notify_url !== undefined &&
    !(typeof body.notify_url === 'string' && /^https?:\/\/\S+$/.test(body.notify_url))
  )
    return 'notify_url must be an http(s) URL';
  if (!isFen(amount.total)) return 'amount.total must be a positive integer (fen)';
  if (amount.currency !== undefined && amount.currency !== 'CNY') return 'amount.currency must be CNY';
  if (body.scene_info !== undefined && !isObject(body.scene_info)) return 'scene_info must be an object';
  // any string is taken here: whether it is a real payment code is the codepay rule (AUTH_CODE_INVALID)
  if (!(isObject(body.payer) && typeof body.payer.auth_code === 'string' && body.payer.auth_code.length <= 128))
    return 'payer.auth_code is required';
  return null;
}

/** First problem with an order body, or null. */
function orderProblem(kind: OrderKind, body: Json): string | null {
  const amount = isObject(body.amount) ? body.amount : {};
  if (!isText(body.appid) || !isText(body.mchid)) return 'appid and mchid are required';
  if (!isText(body.description, 127)) return 'description must be 1–127 characters';
  if (typeof body.out_trade_no !== 'string' || !/^[0-9A-Za-z_\-|*]{6,32}$/.test(body.out_trade_no))
    return 'out_trade_no must be 6–32 of [0-9A-Za-z_-|*]';
  if (typeof body.notify_url !== 'string' || !/^https?:\/\/[^\s]+$/.test(body.notify_url))
    return 'notify_url must be an http(s) URL';
  if (!isFen(amount.total)) return 'amount.total must be a positive integer (fen)';
  if (amount.currency !== undefined && amount.currency !== 'CNY') return 'amount.currency must be CNY';
  if (
    body.time_expire !== undefined &&
    (typeof body.time_expire !== 'string' ||
      !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$/.test(body.time_expire))
  ) {
    return 'time_expire must be RFC 3339';
  }
  if (kind === 'jsapi' && !(isObject(body.payer) && isText(body.payer.openid))) return 'payer.openid is required';
  if (kind === 'h5') {
    const scene = isObject(body.scene_info) ? body.scene_info : {};
    if (!isText(scene.payer_client_ip)) return 'scene_info.payer_client_ip is required';
    if (!(isObject(scene.h5_info) && isText(scene.h5_info.type))) return 'scene_info.h5_info.type is required';
  }
  return null;
}

/** What the buyer's side holds for a trade (QR content, H5 URL, prepay_id) → the key the gateway filed it under. */
function tokenOf(content: string): string | undefined {
  const c = content.trim();
  if (c.startsWith(CODE_URL_PREFIX)) return new URLSearchParams(c.slice(CODE_URL_PREFIX.length)).get('pr') ?? undefined;
  if (c.startsWith(H5_URL_PREFIX) || (/^https?:\/\//.test(c) && c.includes(`${H5_PAGE_PATH}?`)))
    return new URLSearchParams(c.slice(c.indexOf('?') + 1)).get('prepay_id') ?? undefined;
  if (c.startsWith('prepay_id=')) return c.slice('prepay_id='.length);
  return c.startsWith('wx') ? c : undefined;
}

export function createWechatPayGateway(sim: Simulator): WechatPayGateway {
  const keys = sim.keys.wechat;
  const trades = new Map<string, SimulatedTrade>();
  const refunds = new Map<string, SimulatedRefund>();
  const tradeByToken = new Map<string, string>();

  function transactionJson(trade: SimulatedTrade): Json {
    const state = trade.state === 'NOTPAY' && sim.behaviour.userPaying ? 'USERPAYING' : trade.state;
    const paid = trade.transaction_id !== undefined;
    const total = sim.reportedAmount(trade.out_trade_no, trade.total);
    return {
      appid: trade.appid,
      mchid: trade.mchid,
      out_trade_no: trade.out_trade_no,
      trade_type: trade.trade_type,
      trade_state: state,
      trade_state_desc: STATE_DESCRIPTIONS[state],
      attach: '',
      ...(paid
        ? {
            transaction_id: trade.transaction_id,
            bank_type: 'OTHERS',
            success_time: trade.success_time,
            payer: { openid: trade.openid },
            amount: { total, payer_total: total, currency: 'CNY', payer_currency: 'CNY' },
          }
        : { amount: { total, currency: 'CNY', payer_currency: 'CNY' } }),
    };
  }

  function refundJson(refund: SimulatedRefund): Json {
    return {
      refund_id: refund.refund_id,
      out_refund_no: refund.out_refund_no,
      transaction_id: refund.transaction_id,
      out_trade_no: refund.out_trade_no,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      create_time: refund.create_time,
      ...(refund.success_time ? { success_time: refund.success_time } : {}),
      status: refund.status,
      funds_account: 'AVAILABLE',
      amount: {
        total: refund.total,
        refund: refund.refund,
        payer_total: refund.total,
        payer_refund: refund.refund,
        currency: 'CNY',
      },
    };
  }

  function buildPaymentNotification(outTradeNo: string, overrides: NotificationOverrides = {}): SignedNotification {
    const trade = trades.get(outTradeNo);
    if (!trade) throw new Error(`no WeChat sandbox trade ${outTradeNo}`);
    // works on an unpaid trade too, so tests can forge a notification nobody paid for
    const resource = { ...transactionJson(trade), trade_state: 'SUCCESS', trade_state_desc: '支付成功' };
    if (!trade.transaction_id) {
      const total = sim.reportedAmount(outTradeNo, trade.total);
      Object.assign(resource, {
        transaction_id: `4200${digits(24)}`,
        success_time: toBeijingRfc3339(sim.clock.now()),
        payer: { openid: trade.openid ?? `o${token(14)}` },
        amount: { total, payer_total: total, currency: 'CNY', payer_currency: 'CNY' },
      });
    }
    const event = { eventType: 'TRANSACTION.SUCCESS', summary: '支付成功', originalType: 'transaction', resource };
    return buildNotification(keys, sim.clock.now(), event, overrides);
  }

  function buildRefundNotification(outRefundNo: string, overrides: NotificationOverrides = {}): SignedNotification {
    const refund = refunds.get(outRefundNo);
    if (!refund) throw new Error(`no WeChat sandbox refund ${outRefundNo}`);
    const resource = {
      mchid: keys.mchid,
      out_trade_no: refund.out_trade_no,
      transaction_id: refund.transaction_id,
      out_refund_no: refund.out_refund_no,
      refund_id: refund.refund_id,
      refund_status: refund.status,
      success_time: refund.success_time,
      user_received_account: '支付用户零钱',
      amount: { total: refund.total, refund: refund.refund, payer_total: refund.total, payer_refund: refund.refund },
    };
    const event = { eventType: `REFUND.${refund.status}`, summary: '退款成功', originalType: 'refund', resource };
    return buildNotification(keys, sim.clock.now(), event, overrides);
  }

  function tradeFor(content: string): SimulatedTrade | undefined {
    const t = tokenOf(content);
    const outTradeNo = t === undefined ? undefined : tradeByToken.get(t);
    return outTradeNo === undefined ? undefined : trades.get(outTradeNo);
  }

  /** The customer's money moves: the trade is paid (notifying is the caller's business). */
  function markPaid(trade: SimulatedTrade): void {
    trade.state = 'SUCCESS';
    trade.transaction_id = `4200${digits(24)}`;
    trade.success_time = toBeijingRfc3339(sim.clock.now());
    trade.openid ??= `o${token(14)}`;
  }

  function notifyPaid(trade: SimulatedTrade): void {
    // not awaited: the buyer's payment is done whether or not ordo hears about it (sim.settle() waits for it)
    if (trade.notify_url) void sim.notify(trade.notify_url, buildPaymentNotification(trade.out_trade_no));
  }

  /** Refunds complete right after they are accepted; the notification then goes out per `sim.behaviour`. */
  function completeRefund(refund: SimulatedRefund, trade: SimulatedTrade): void {
    refund.status = 'SUCCESS';
    refund.success_time = toBeijingRfc3339(sim.clock.now());
    trade.state = 'REFUND';
    if (refund.notify_url) void sim.notify(refund.notify_url, buildRefundNotification(refund.out_refund_no));
  }

  const routes: FastifyPluginAsync = async (app) => {
    // the request signature covers the raw body, so the body stays a string until the handler parses it
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    function answer(reply: FastifyReply, status: number, payload?: Json): FastifyReply {
      const body = payload === undefined ? '' : JSON.stringify(payload);
      const now = sim.clock.now();
      reply.code(status).headers(
        signResponse({
          body,
          serial: keys.platformKeyId,
          privateKeyPem: keys.platformPrivateKeyPem,
          timestamp: seconds(now),
          nonce: token(16),
        }),
      );
      return body === '' ? reply.send() : reply.type('application/json').send(body);
    }
    const fail = (reply: FastifyReply, status: number, code: string, message: string) =>
      answer(reply, status, { code, message });
    const rawBody = (request: FastifyRequest) => (typeof request.body === 'string' ? request.body : '');
    const jsonBody = (request: FastifyRequest): Json | null => {
      try {
        const value: unknown = JSON.parse(rawBody(request));
        return isObject(value) ? value : null;
      } catch {
        return null;
      }
    };

    app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
      const status = error.statusCode ?? 500;
      return status < 500
        ? fail(reply, status, 'PARAM_ERROR', error.message)
        : fail(reply, 500, 'SYSTEM_ERROR', 'system error');
    });

    // Every call must carry ordo's merchant signature over exactly what was sent, path prefix included.
    app.addHook('preHandler', async (request, reply) => {
      const auth = parseAuthorizationHeader(request.headers.authorization);
      if (!auth) return fail(reply, 401, 'SIGN_ERROR', 'missing or malformed Authorization');
      if (auth.mchid !== keys.mchid || auth.serial_no !== keys.merchantSerialNo)
        return fail(reply, 401, 'SIGN_ERROR', 'unknown mchid or serial_no');
      if (
        !/^\d+$/.test(auth.timestamp) ||
        Math.abs(seconds(sim.clock.now()) - Number(auth.timestamp)) > MAX_SKEW_SECONDS
      ) {
        return fail(reply, 401, 'SIGN_ERROR', 'timestamp out of range');
      }
      const message = requestSignatureMessage(
        request.method,
        request.url,
        auth.timestamp,
        auth.nonce_str,
        rawBody(request),
      );
      if (!verifyRsaSha256(message, auth.signature, keys.merchantPublicKeyPem))
        return fail(reply, 401, 'SIGN_ERROR', 'signature does not verify');
    });

    for (const kind of Object.keys(TRADE_TYPES) as OrderKind[]) {
      app.post(`/v3/pay/transactions/${kind}`, async (request, reply) => {
        const body = jsonBody(request);
        if (!body) return fail(reply, 400, 'PARAM_ERROR', 'body must be a JSON object');
        const problem = orderProblem(kind, body);
        if (problem) return fail(reply, 400, 'PARAM_ERROR', problem);
        if (body.mchid !== keys.mchid) return fail(reply, 400, 'MCH_NOT_EXISTS', 'mchid does not match the signer');
        if (body.appid !== keys.appid)
          return fail(reply, 400, 'APPID_MCHID_NOT_MATCH', 'appid is not bound to this mchid');
        const outTradeNo = body.out_trade_no as string;
        const total = (body.amount as Json).total as number;
        const existing = trades.get(outTradeNo);
        if (existing) {
          if (existing.total !== total || existing.trade_type !== TRADE_TYPES[kind]) {
            return fail(reply, 400, 'INVALID_REQUEST', 'out_trade_no already used with different parameters');
          }
          if (existing.state === 'SUCCESS' || existing.state === 'REFUND')
            return fail(reply, 400, 'ORDERPAID', 'order already paid');
          if (existing.state === 'CLOSED') return fail(reply, 400, 'ORDERCLOSED', 'order closed');
          return answer(reply, 200, existing.answer);
        }
        const prepayId = `wx${compact(sim.clock.now())}${token(10)}`;
        const pr = token(8);
        const orderAnswer: Record<string, string> =
          kind === 'native'
            ? { code_url: `${CODE_URL_PREFIX}pr=${pr}` }
            : kind === 'h5'
              ? {
                  h5_url: `${sim.pagesUrl ? `${sim.pagesUrl}${H5_PAGE_PATH}?` : H5_URL_PREFIX}prepay_id=${prepayId}&package=${digits(10)}`,
                }
              : { prepay_id: prepayId };
        const payer = body.payer as Json | undefined;
        trades.set(outTradeNo, {
          appid: keys.appid,
          mchid: keys.mchid,
          out_trade_no: outTradeNo,
          description: body.description as string,
          notify_url: body.notify_url as string,
          ...(typeof body.time_expire === 'string' ? { time_expire: body.time_expire } : {}),
          trade_type: TRADE_TYPES[kind],
          total,
          ...(typeof payer?.openid === 'string' ? { openid: payer.openid } : {}),
          state: 'NOTPAY',
          closedByApi: false,
          refunded: 0,
          answer: orderAnswer,
        });
        tradeByToken.set(kind === 'native' ? pr : prepayId, outTradeNo);
        return answer(reply, 200, orderAnswer);
      });
    }

    app.post('/v3/pay/transactions/codepay', async (request, reply) => {
      const body = jsonBody(request);
      if (!body) return fail(reply, 400, 'PARAM_ERROR', 'body must be a JSON object');
      const problem = codePayProblem(body);
      if (problem) return fail(reply, 400, 'PARAM_ERROR', problem);
      if (body.mchid !== keys.mchid) return fail(reply, 400, 'MCH_NOT_EXISTS', 'mchid does not match the signer');
      if (body.appid !== keys.appid)
        return fail(reply, 400, 'APPID_MCHID_NOT_MATCH', 'appid is not bound to this mchid');
      const outTradeNo = body.out_trade_no as string;
      const total = (body.amount as Json).total as number;
      const authCode = (body.payer as Json).auth_code as string;
      const existing = trades.get(outTradeNo);
      if (existing) {
        if (existing.trade_type !== 'MICROPAY' || existing.total !== total || existing.auth_code !== authCode) {
          return fail(reply, 400, 'INVALID_REQUEST', 'out_trade_no already used with different parameters');
        }
        if (existing.state === 'SUCCESS' || existing.state === 'REFUND')
          return fail(reply, 400, 'ORDERPAID', 'order already paid');
        if (existing.state === 'CLOSED') return fail(reply, 400, 'ORDERCLOSED', 'order closed');
        return answer(reply, 200, transactionJson(existing));
      }
      const refusal = codeRefusal(authCode);
      if (refusal) return fail(reply, 400, refusal.code, refusal.message);
      const trade: SimulatedTrade = {
        appid: keys.appid,
        mchid: keys.mchid,
        out_trade_no: outTradeNo,
        description: body.description as string,
        ...(typeof body.notify_url === 'string' ? { notify_url: body.notify_url } : {}),
        trade_type: 'MICROPAY',
        total,
        auth_code: authCode,
        state: 'USERPAYING',
        closedByApi: false,
        refunded: 0,
        answer: {},
      };
      trades.set(outTradeNo, trade);
      if (!sim.behaviour.userPaying) markPaid(trade);
      return answer(reply, 200, transactionJson(trade));
    });

    app.get<{ Params: { outTradeNo: string }; Querystring: { mchid?: string } }>(
      '/v3/pay/transactions/out-trade-no/:outTradeNo',
      async (request, reply) => {
        if (!request.query.mchid) return fail(reply, 400, 'PARAM_ERROR', 'mchid is required');
        if (request.query.mchid !== keys.mchid)
          return fail(reply, 400, 'MCH_NOT_EXISTS', 'mchid does not match the signer');
        const trade = trades.get(request.params.outTradeNo);
        if (!trade) return fail(reply, 404, 'ORDER_NOT_EXIST', 'order does not exist');
        return answer(reply, 200, transactionJson(trade));
      },
    );

    app.post<{ Params: { outTradeNo: string } }>(
      '/v3/pay/transactions/out-trade-no/:outTradeNo/close',
      async (request, reply) => {
        const body = jsonBody(request);
        if (!body || !isText(body.mchid)) return fail(reply, 400, 'PARAM_ERROR', 'mchid is required');
        if (body.mchid !== keys.mchid) return fail(reply, 400, 'MCH_NOT_EXISTS', 'mchid does not match the signer');
        if (sim.behaviour.failClose) return fail(reply, 500, 'SYSTEM_ERROR', 'system error, please retry');
        const trade = trades.get(request.params.outTradeNo);
        if (!trade) return fail(reply, 404, 'ORDER_NOT_EXIST', 'order does not exist');
        if (trade.state === 'SUCCESS' || trade.state === 'REFUND')
          return fail(reply, 400, 'ORDERPAID', 'order already paid');
        trade.state = 'CLOSED';
        trade.closedByApi = true;
        return answer(reply, 204);
      },
    );

    app.post('/v3/refund/domestic/refunds', async (request, reply) => {
      const body = jsonBody(request);
      const amount = isObject(body?.amount) ? body.amount : {};
      if (!body || !isText(body.out_trade_no, 32) || !isText(body.out_refund_no, 64))
        return fail(reply, 400, 'PARAM_ERROR', 'out_trade_no and out_refund_no are required');
      if (!isFen(amount.refund) || !isFen(amount.total) || amount.currency !== 'CNY')
        return fail(
          reply,
          400,
          'PARAM_ERROR',
          'amount.refund, amount.total (fen) and amount.currency CNY are required',
        );
      if (
        body.notify_url !== undefined &&
        !(typeof body.notify_url === 'string' && /^https?:\/\/\S+$/.test(body.notify_url))
      ) {
        return fail(reply, 400, 'PARAM_ERROR', 'notify_url must be an http(s) URL');
      }
      const trade = trades.get(body.out_trade_no);
      if (!trade) return fail(reply, 404, 'RESOURCE_NOT_EXISTS', 'order does not exist');
      const previous = refunds.get(body.out_refund_no);
      if (previous) {
        // the same refund asked again (a retry) answers its current state; anything else reusing the number is refused
        if (previous.out_trade_no !== trade.out_trade_no || previous.refund !== amount.refund)
          return fail(reply, 400, 'INVALID_REQUEST', 'out_refund_no already used with different parameters');
        return answer(reply, 200, refundJson(previous));
      }
      if (!trade.transaction_id) return fail(reply, 400, 'INVALID_REQUEST', 'order is not paid');
      if (amount.total !== trade.total)
        return fail(reply, 400, 'INVALID_REQUEST', 'amount.total differs from the order total');
      if (amount.refund > trade.total - trade.refunded)
        return fail(reply, 400, 'INVALID_REQUEST', 'refund exceeds the refundable amount');
      const refund: SimulatedRefund = {
        refund_id: `50${digits(30)}`,
        out_refund_no: body.out_refund_no,
        out_trade_no: trade.out_trade_no,
        transaction_id: trade.transaction_id,
        ...(typeof body.notify_url === 'string' ? { notify_url: body.notify_url } : {}),
        refund: amount.refund,
        total: trade.total,
        status: 'PROCESSING',
        create_time: toBeijingRfc3339(sim.clock.now()),
      };
      refunds.set(refund.out_refund_no, refund);
      trade.refunded += refund.refund;
      const accepted = refundJson(refund);
      completeRefund(refund, trade);
      return answer(reply, 200, accepted);
    });

    app.get<{ Params: { outRefundNo: string } }>('/v3/refund/domestic/refunds/:outRefundNo', async (request, reply) => {
      const refund = refunds.get(request.params.outRefundNo);
      if (!refund) return fail(reply, 404, 'RESOURCE_NOT_EXISTS', 'refund does not exist');
      return answer(reply, 200, refundJson(refund));
    });
  };

  return {
    routes,
    owns: (content) => tradeFor(content) !== undefined,
    async pay(content) {
      const trade = tradeFor(content);
      if (!trade) throw new Error('not a WeChat Pay sandbox payment code');
      if (trade.closedByApi) throw new Error(`trade ${trade.out_trade_no} was closed`);
      if (trade.state !== 'NOTPAY') throw new Error(`trade ${trade.out_trade_no} is already paid`);
      markPaid(trade);
      notifyPaid(trade);
      return { outTradeNo: trade.out_trade_no, amount: trade.total };
    },
    hasTrade: (outTradeNo) => trades.has(outTradeNo),
    async confirm(outTradeNo) {
      const trade = trades.get(outTradeNo);
      if (!trade) throw new Error(`no WeChat Pay sandbox trade ${outTradeNo}`);
      if (trade.trade_type !== 'MICROPAY') throw new Error(`trade ${outTradeNo} is not a code payment`);
      if (trade.state !== 'USERPAYING')
        throw new Error(`trade ${outTradeNo} is not waiting for the customer (${trade.state})`);
      markPaid(trade);
      notifyPaid(trade);
      return { outTradeNo, amount: trade.total };
    },
    buildPaymentNotification,
    buildRefundNotification,
    trade: (outTradeNo) => trades.get(outTradeNo),
    tradeOf: (content) => tradeFor(content),
    payable: () =>
      [...trades.values()]
        .filter((t) => t.state === 'NOTPAY' && !t.closedByApi && t.answer.code_url)
        .map((t) => ({
          content: t.answer.code_url!,
          outTradeNo: t.out_trade_no,
          amount: t.total,
          description: t.description,
        })),
  };
}
