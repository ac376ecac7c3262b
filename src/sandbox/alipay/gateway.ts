import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { fenToYuanString } from '../../domain/money.ts';
import { escapeHtml } from '../../providers/alipay/alipay.ts';
import { responseKey, signText, verifyRequestParams } from '../../providers/alipay/signing.ts';
import { parseForm } from '../../providers/alipay/transformers.ts';
import type { SimulatedGateway, Simulator } from '../simulator.ts';
import { AlipaySandboxRefused, createTradeBook, field, isTrade, type Answer, type Trade } from './trades.ts';

export { buildAlipayNotificationBody } from './notifications.ts';
export { AlipaySandboxRefused } from './trades.ts';

/**
 * The simulated Alipay v2 gateway over HTTP: it checks ordo's RSA2 signature and app_id, dispatches on `method`
 * to the trade book, and signs each answer over the exact text it emits. Page / wap pay land the buyer's browser
 * on a tiny cashier page whose button pays the trade. Barcode payments (`alipay.trade.pay`) follow the rules
 * documented in trades.ts, identical to the WeChat Pay gateway's codepay: a code must look real (16–24 digits
 * starting 25–30), one ending in 0000 is refused for insufficient funds, and under `behaviour.userPaying` the
 * trade waits (10003 / WAIT_BUYER_PAY) until `confirm` pays it and notifies; otherwise it is paid at once and
 * not notified.
 */

const CLIENT_METHODS = new Set(['alipay.trade.page.pay', 'alipay.trade.wap.pay', 'alipay.trade.app.pay']);
const FORM = 'application/x-www-form-urlencoded';

export function createAlipayGateway(sim: Simulator): SimulatedGateway {
  const keys = sim.keys.alipay;
  const { api, byQr, current, openTrade, payTrade, confirmCodePayment, hasTrade } = createTradeBook(sim);

  /** `{"<key>":<text>,"sign":"…"}` signed over exactly the text emitted. */
  function signedAnswer(key: string, payload: Answer): string {
    const text = JSON.stringify(payload);
    return `{"${key}":${text},"sign":"${signText(text, keys.alipayPrivateKeyPem)}"}`;
  }

  /** Checks the caller's app and signature; returns an error payload, or undefined when the request is ordo's. */
  function rejectRequest(params: Record<string, string>): Answer | undefined {
    if (!params.method)
      return {
        code: '40001',
        msg: 'Missing Required Arguments',
        sub_code: 'isv.missing-method',
        sub_msg: '缺少方法名参数',
      };
    if (params.app_id !== keys.appId)
      return { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-app-id', sub_msg: '无效的AppID参数' };
    if (!params.sign)
      return {
        code: '40001',
        msg: 'Missing Required Arguments',
        sub_code: 'isv.missing-signature',
        sub_msg: '缺少签名参数',
      };
    if (!verifyRequestParams(params, keys.appPublicKeyPem)) {
      return { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature', sub_msg: '验签出错' };
    }
    return undefined;
  }

  function bizOf(params: Record<string, string>): Record<string, unknown> | undefined {
    try {
      const biz: unknown = JSON.parse(params.biz_content ?? '{}');
      return typeof biz === 'object' && biz !== null && !Array.isArray(biz)
        ? (biz as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }

  /** Signed parameters out of what ordo handed the buyer: a wap URL, a page form, or an app order string. */
  function clientParams(content: string): Record<string, string> | undefined {
    let params: Record<string, string>;
    try {
      if (content.trimStart().startsWith('<')) {
        params = {};
        for (const m of content.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
          params[unescapeHtml(m[1] as string)] = unescapeHtml(m[2] as string);
        }
      } else {
        params = parseForm(content.includes('?') ? content.slice(content.indexOf('?') + 1) : content);
      }
    } catch {
      return undefined;
    }
    return CLIENT_METHODS.has(params.method ?? '') && !rejectRequest(params) ? params : undefined;
  }

  function tradeFor(content: string): Trade | undefined {
    const qrTrade = byQr.get(content);
    if (qrTrade) return current(qrTrade);
    const params = clientParams(content);
    const biz = params && bizOf(params);
    if (!params || !biz) return undefined;
    const trade = openTrade(params, biz);
    if (isTrade(trade)) return trade;
    // Paid or closed already: hand back the trade so payTrade explains the refusal; other conflicts pay nothing.
    const settled = trade.sub_code === 'ACQ.TRADE_HAS_SUCCESS' || trade.sub_code === 'ACQ.TRADE_HAS_CLOSE';
    return settled ? current(field(biz, 'out_trade_no')) : undefined;
  }

  function page(reply: FastifyReply, status: number, title: string, inner: string) {
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${inner}</body></html>`,
      );
  }

  /** The cashier the buyer's browser lands on for page / wap pay. */
  function cashier(reply: FastifyReply, params: Record<string, string>) {
    const rejected = rejectRequest(params);
    const biz = bizOf(params);
    if (rejected || !biz)
      return page(
        reply,
        400,
        'Alipay sandbox: request refused',
        `<p>${escapeHtml(rejected?.sub_code ?? 'isv.invalid-parameter')}</p>`,
      );
    const trade = openTrade(params, biz);
    if (!isTrade(trade))
      return page(reply, 400, 'Alipay sandbox: request refused', `<p>${escapeHtml(trade.sub_code ?? '')}</p>`);
    trade.scanned = true;
    return page(
      reply,
      200,
      'Alipay sandbox cashier',
      `<p>${escapeHtml(trade.subject)}</p><p class="amount">¥${fenToYuanString(trade.totalFen)}</p>` +
        // Relative: resolves to <prefix>/pay wherever the gateway is mounted.
        `<form method="POST" action="pay"><input type="hidden" name="out_trade_no" value="${escapeHtml(trade.outTradeNo)}"><button type="submit">Pay</button></form>`,
    );
  }

  const routes: FastifyPluginAsync = async (app) => {
    // Form bodies are kept as the raw string: this gateway decodes them itself, once. Replaces any parent parser
    // in this (encapsulated) context only.
    if (app.hasContentTypeParser(FORM)) app.removeContentTypeParser(FORM);
    app.addContentTypeParser(FORM, { parseAs: 'string' }, (_request, body, done) => done(null, body));

    app.route({
      method: ['GET', 'POST'],
      url: '/gateway.do',
      handler: async (request, reply) => {
        let params: Record<string, string>;
        try {
          const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
          params = { ...parseForm(query), ...(typeof request.body === 'string' ? parseForm(request.body) : {}) };
        } catch {
          params = {};
        }
        if (CLIENT_METHODS.has(params.method ?? '')) return cashier(reply, params);
        reply.type('application/json; charset=utf-8');
        const rejected = rejectRequest(params);
        if (rejected) return reply.send(signedAnswer('error_response', rejected));
        const handler = Object.hasOwn(api, params.method as string) ? api[params.method as string] : undefined;
        const biz = bizOf(params);
        if (!handler || !biz) {
          return reply.send(
            signedAnswer('error_response', {
              code: '40002',
              msg: 'Invalid Arguments',
              sub_code: handler ? 'isv.invalid-parameter' : 'isv.invalid-method',
              sub_msg: '参数无效',
            }),
          );
        }
        return reply.send(signedAnswer(responseKey(params.method as string), handler(params, biz)));
      },
    });

    app.post('/pay', async (request, reply) => {
      let outTradeNo = '';
      try {
        outTradeNo = (typeof request.body === 'string' ? parseForm(request.body).out_trade_no : undefined) ?? '';
      } catch {
        // a repeated field: treated as no trade
      }
      const trade = current(outTradeNo);
      if (!trade) return page(reply, 404, 'Alipay sandbox: no such trade', '');
      try {
        await payTrade(trade);
      } catch (error) {
        if (error instanceof AlipaySandboxRefused)
          return page(reply, 409, 'Alipay sandbox: not paid', `<p>${escapeHtml(error.message)}</p>`);
        throw error;
      }
      const back = trade.returnUrl ? `<p><a href="${escapeHtml(trade.returnUrl)}">Back to the shop</a></p>` : '';
      return page(reply, 200, 'Alipay sandbox: paid', `<p>¥${fenToYuanString(trade.totalFen)}</p>${back}`);
    });
  };

  return {
    routes,
    owns: (content) => byQr.has(content) || clientParams(content) !== undefined,
    async pay(content) {
      const trade = tradeFor(content);
      if (!trade) throw new AlipaySandboxRefused('not a trade of the Alipay sandbox');
      return payTrade(trade);
    },
    hasTrade,
    confirm: confirmCodePayment,
    payable: () =>
      [...byQr].flatMap(([content, outTradeNo]) => {
        const trade = current(outTradeNo);
        return trade?.status === 'WAIT_BUYER_PAY'
          ? [{ content, outTradeNo, amount: trade.totalFen, description: trade.subject }]
          : [];
      }),
  };
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
