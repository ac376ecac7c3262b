import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { fenToYuanString } from '../domain/money.ts';
import { AppError } from '../errors.ts';
import type { Sandbox } from './sandbox.ts';
import { wechatH5Page } from './wechat-h5-page.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The simulator on ordo's own port: the two gateways under /sandbox/wechatpay and /sandbox/alipay, "the buyer
 * pays" at POST /sandbox/pay {content}, "the customer confirms a payment-code charge on the phone" at
 * POST /sandbox/confirm {outTradeNo}, and a small page that shows recent trades' QR content with a pay button.
 */
export const sandboxRoutes =
  (sandbox: Sandbox): FastifyPluginAsyncTypebox =>
  async (app) => {
    await app.register(sandbox.wechatpay.routes, { prefix: '/sandbox/wechatpay' });
    await app.register(sandbox.alipay.routes, { prefix: '/sandbox/alipay' });
    await app.register(wechatH5Page(sandbox.wechatpay), { prefix: '/sandbox' });

    app.post(
      '/sandbox/pay',
      {
        schema: {
          tags: ['sandbox'],
          summary: 'Simulate the buyer paying the trade behind a QR content or payment URL ordo handed out',
          body: Type.Object(
            { content: Type.String({ minLength: 1, maxLength: 2000 }) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ outTradeNo: Type.String(), amount: Type.Integer() }) },
        },
      },
      async (request) => {
        const gateway = [sandbox.wechatpay, sandbox.alipay].find((g) => g.owns(request.body.content));
        if (!gateway) throw new AppError('not_found', 'the simulator did not issue that content');
        try {
          return await gateway.pay(request.body.content);
        } catch (err) {
          throw new AppError('unprocessable', (err as Error).message);
        }
      },
    );

    app.post(
      '/sandbox/confirm',
      {
        schema: {
          tags: ['sandbox'],
          summary:
            'Simulate the customer confirming on the phone a payment-code charge that waits for them (USERPAYING)',
          body: Type.Object(
            { outTradeNo: Type.String({ minLength: 1, maxLength: 64 }) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ outTradeNo: Type.String(), amount: Type.Integer() }) },
        },
      },
      async (request) => {
        const { outTradeNo } = request.body;
        const gateway = [sandbox.wechatpay, sandbox.alipay].find((g) => g.hasTrade(outTradeNo));
        if (!gateway) throw new AppError('not_found', 'the simulator has no trade with that outTradeNo');
        try {
          return await gateway.confirm(outTradeNo);
        } catch (err) {
          throw new AppError('unprocessable', (err as Error).message);
        }
      },
    );

    app.get('/sandbox/', { schema: { hide: true } }, async (_request, reply) => {
      const payable = [
        ...sandbox.wechatpay.payable().map((p) => ({ ...p, gateway: '微信支付 WeChat Pay' })),
        ...sandbox.alipay.payable().map((p) => ({ ...p, gateway: '支付宝 Alipay' })),
      ]
        .slice(-20)
        .reverse();
      const trades = payable
        .map(
          (p) =>
            `<tr><td>${escapeHtml(p.gateway)}</td><td>${escapeHtml(p.description)}</td><td>¥${fenToYuanString(p.amount)}</td><td><code>${escapeHtml(p.content)}</code></td><td><button data-content="${escapeHtml(p.content)}">付款 Pay</button></td></tr>`,
        )
        .join('');
      const recent = sandbox.simulator.deliveries.slice(-20).reverse();
      const rows = recent
        .map(
          (d) =>
            `<tr><td>${d.at.toISOString()}</td><td>${escapeHtml(d.url)}</td><td>${d.status ?? 'dropped'}</td></tr>`,
        )
        .join('');
      const texts = sandbox.sms.sent
        .slice(-20)
        .reverse()
        .map(
          (m) =>
            `<tr><td>${m.at.toISOString()}</td><td>${escapeHtml(m.mobile)}</td><td>${escapeHtml(m.text)}</td></tr>`,
        )
        .join('');
      const page = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>ordo 支付模拟器 · payment sandbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem}textarea{width:100%;height:5rem}button{font-size:1rem;padding:.5rem 1.5rem}table{border-collapse:collapse;width:100%;font-size:.85rem}td{border-bottom:1px solid #ddd;padding:.25rem}</style></head>
<body><h1>支付模拟器 · Payment sandbox</h1>
<p>Paste the QR content or payment URL ordo gave the cashier (<code>weixin://wxpay/bizpayurl?…</code> or <code>https://qr.alipay.com/…</code>) and pay it as the buyer. A signed notification goes to ordo.</p>
<form id="pay"><textarea name="content" placeholder="weixin://wxpay/bizpayurl?pr=…"></textarea><p><button>付款 Pay</button> <span id="result"></span></p></form>
<h2>Waiting to be paid</h2><table><tr><th>gateway</th><th>what</th><th>amount</th><th>QR content</th><th></th></tr>${trades || '<tr><td colspan="5">no open QR payments — start one at a cashier</td></tr>'}</table>
<h2>Recent notifications</h2><table><tr><th>at</th><th>to</th><th>ordo answered</th></tr>${rows}</table>
<h2>短信 · Text messages sent</h2><table><tr><th>at</th><th>mobile</th><th>text</th></tr>${texts || '<tr><td colspan="3">none yet — ask for an SMS code in the shop</td></tr>'}</table>
<script>
async function pay(content){const r=await fetch('/sandbox/pay',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({content})});const b=await r.json();document.getElementById('result').textContent=r.ok?('paid '+b.outTradeNo):(b.error&&b.error.message);if(r.ok)setTimeout(()=>location.reload(),800);}
document.getElementById('pay').onsubmit=(e)=>{e.preventDefault();pay(e.target.content.value.trim());};
for(const b of document.querySelectorAll('button[data-content]'))b.onclick=()=>pay(b.dataset.content);
</script>
</body></html>`;
      return reply.type('text/html; charset=utf-8').send(page);
    });
  };
