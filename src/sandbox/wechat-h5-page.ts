import type { FastifyPluginAsync } from 'fastify';
import { fenToYuanString } from '../domain/money.ts';
import { H5_PAGE_PATH, type WechatPayGateway } from './wechatpay/gateway.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Only a web address goes into the page's "back to the shop" links (never `javascript:`). */
const webUrl = (value: unknown): string | null =>
  typeof value === 'string' && /^https?:\/\/[^\s]+$/.test(value) && value.length <= 2000 ? value : null;

/**
 * WeChat Pay's H5 payment page as the sandbox serves it. A shop's phone browser opens the gateway's `h5_url` (with
 * the shop's `redirect_url` appended, as WeChat's own page takes it); in sandbox mode that URL is this page on
 * ordo, since the real one knows nothing of sandbox trades. "确认支付" pays the trade through the simulator
 * (`POST /sandbox/pay`, so ordo is notified as by WeChat), then returns to `redirect_url`, or to the page the
 * buyer came from when the shop sent none (WeChat itself goes back to the paying page).
 */
export const wechatH5Page =
  (wechatpay: WechatPayGateway): FastifyPluginAsync =>
  async (app) => {
    app.get(H5_PAGE_PATH, { schema: { hide: true } }, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const prepayId = typeof query.prepay_id === 'string' ? query.prepay_id : '';
      const trade = prepayId ? wechatpay.tradeOf(`prepay_id=${prepayId}`) : undefined;
      const back = webUrl(query.redirect_url);
      reply.type('text/html; charset=utf-8');
      if (!trade) {
        reply.code(404);
        return h5Document('微信支付', '<p class="note">订单不存在或已失效，请返回商户重新发起支付。</p>', back);
      }
      const open = trade.state === 'NOTPAY' && !trade.closedByApi;
      const body = open
        ? `<p class="what">${escapeHtml(trade.description)}</p><p class="amount">¥${fenToYuanString(trade.total)}</p>` +
          `<button id="pay" data-content="prepay_id=${escapeHtml(prepayId)}">确认支付</button>` +
          `<p class="note" id="result">沙箱环境：点击即视为用户已在微信内完成支付</p>`
        : `<p class="amount">¥${fenToYuanString(trade.total)}</p><p class="note">${
            trade.state === 'CLOSED' || trade.closedByApi ? '订单已关闭' : '该订单已支付'
          }</p>`;
      return h5Document('微信支付', body, back);
    });
  };

function h5Document(title: string, body: string, back: string | null): string {
  const backJs = back ? `location.replace(${JSON.stringify(back).replace(/</g, '\\u003c')})` : 'history.back()';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:480px;margin:0 auto;padding:2rem 1rem;text-align:center;background:#f7f7f7}.amount{font-size:2.5rem;margin:.5rem 0 2rem}.what{color:#555}.note{color:#888;font-size:.85rem}button{width:100%;font-size:1.1rem;padding:.8rem;border:0;border-radius:6px;background:#07c160;color:#fff}#back{background:none;color:#576b95;margin-top:1rem}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}<button id="back">返回商户</button>
<script>
const back=()=>{${backJs}};
document.getElementById('back').onclick=back;
const pay=document.getElementById('pay');
if(pay)pay.onclick=async()=>{pay.disabled=true;const r=await fetch('/sandbox/pay',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({content:pay.dataset.content})});const b=await r.json().catch(()=>({}));document.getElementById('result').textContent=r.ok?'支付成功，正在返回商户…':((b.error&&b.error.message)||'支付失败');if(r.ok)back();else pay.disabled=false;};
</script></body></html>`;
}
