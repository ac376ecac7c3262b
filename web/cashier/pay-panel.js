import { html, useEffect, useState } from '/web/vendor/preact-htm.mjs';
import { api } from '/web/shared/api.js';
import { yuan } from '/web/shared/money.js';

const GATEWAYS = ['wechat', 'alipay'];
const isVoucher = (method) => method.startsWith('voucher_');

/** The attempt the buyer may still be paying: the newest one that waits and shows something (a QR, a link…). */
const liveAttempt = (payments) => [...payments].reverse().find((p) => p.status === 'processing' && p.action);

/**
 * The enabled methods as an accordion: the chosen one opens to show what paying with it takes — a QR code, a
 * link, a balance button or the voucher upload. Choosing another method and paying starts a new attempt; the API
 * closes the earlier one first.
 */
export function PayPanel({ t, token, client, order, payments, methods, me, expired, onChanged, sandbox }) {
  const current = liveAttempt(payments);
  const [chosen, setChosen] = useState(
    current?.method ?? methods.find((m) => m.isDefault)?.method ?? methods[0]?.method,
  );
  const [attempt, setAttempt] = useState(current ?? null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => setAttempt(current ?? null), [current?.outTradeNo]);
  const short = me ? me.balance < order.payableAmount : false; // the API refuses it anyway; say so before the tap
  // staff turned the last voucher down: say why, so the buyer can pay again
  const last = payments.at(-1);
  const rejected =
    last && isVoucher(last.method) && last.status === 'failed' && last.reviewNote ? last.reviewNote : null;

  const run = async (work) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  const start = (method) =>
    run(async () => {
      const started = await api(`/v1/orders/${order.orderNo}/payments`, {
        method: 'POST',
        token,
        body: { method, client, returnUrl: location.origin + location.pathname + location.search },
      });
      setAttempt(started.action ? { ...started.payment, action: started.action } : null);
      await onChanged(); // the attempt list (and, for balance, the order: paid at once)
    });

  if (!methods.length) return html`<section class="card"><p class="muted">${t('method.none')}</p></section>`;
  return html`<section class="card methods" aria-label=${t('method.choose')}>
    <h2>${t('method.choose')}</h2>
    ${rejected && html`<p class="error rejected">${t('voucher.rejected', { reason: rejected })}</p>`}
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <ul>
      ${methods.map((m) => {
        const open = m.method === chosen;
        const shown = open && attempt?.method === m.method ? attempt : null;
        return html`<li key=${m.method} class=${open ? 'open' : ''} data-method=${m.method}>
          <button type="button" class="method" aria-expanded=${open} onClick=${() => setChosen(m.method)}>
            <span class=${`icon icon-${m.method.replace('voucher_', '')}`} aria-hidden="true"></span>
            <span class="name">${t(`method.${m.method}`)}${m.isDefault ? html` <small class="badge">${t('method.default')}</small>` : ''}</span>
            ${m.method === 'balance' && me ? html`<span class="muted">${t('method.balanceAvailable', { amount: yuan(me.balance) })}</span>` : ''}
            <span class="radio" aria-hidden="true"></span>
          </button>
          ${
            open &&
            html`<div class="detail">
            ${
              shown
                ? html`<${AttemptAction} t=${t} token=${token} attempt=${shown} sandbox=${sandbox} />`
                : isVoucher(m.method)
                  ? html`<${VoucherForm} t=${t} token=${token} client=${client} order=${order} method=${m.method} disabled=${expired} onDone=${onChanged} />`
                  : html`<button type="button" class="primary pay" disabled=${busy || expired || (m.method === 'balance' && short)} onClick=${() => start(m.method)}>
                    ${busy ? t('pay.starting') : m.method === 'balance' && short ? t('method.balanceShort') : t('pay.with', { method: t(`method.${m.method}`), amount: yuan(order.payableAmount) })}
                  </button>`
            }
          </div>`
          }
        </li>`;
      })}
    </ul>
  </section>`;
}

/** What the gateway asked the buyer to do: scan a QR, follow a link, submit a form, or finish in an app. */
function AttemptAction({ t, token, attempt, sandbox }) {
  const { action, method } = attempt;
  const label = t(`method.${method}`);
  if (action.kind === 'qr') return html`<${QrCode} t=${t} token=${token} attempt=${attempt} sandbox=${sandbox} />`;
  if (action.kind === 'redirect') {
    return html`<div class="redirect">
      <a class="button primary" href=${action.url}>${t('redirect.open', { method: label })}</a>
      <${PaymentContent} t=${t} content=${action.url} sandbox=${sandbox} />
    </div>`;
  }
  if (action.kind === 'form') {
    const open = () => window.open(URL.createObjectURL(new Blob([action.html], { type: 'text/html' })), '_blank');
    return html`<button type="button" class="primary" onClick=${open}>${t('form.open')}</button>`;
  }
  return html`<p class="muted">${t('sdk.app')}</p>`;
}

/** The QR image comes from the canonical API with the bearer header (as a blob), so the token stays out of URLs. */
function QrCode({ t, token, attempt, sandbox }) {
  const [src, setSrc] = useState(null);
  useEffect(() => {
    let url = null;
    api(`/v1/payments/${attempt.outTradeNo}/qr.svg`, { token, as: 'blob' }).then(
      (blob) => {
        url = URL.createObjectURL(blob);
        setSrc(url);
      },
      () => setSrc(null),
    );
    return () => url && URL.revokeObjectURL(url);
  }, [attempt.outTradeNo]);
  const gateway = GATEWAYS.includes(attempt.method) ? attempt.method : 'wechat';
  return html`<div class="qr" data-out-trade-no=${attempt.outTradeNo}>
    <div class=${`qr-frame qr-${gateway}`}>${src ? html`<img src=${src} width="200" height="200" alt=${t(`qr.scan.${gateway}`)} />` : html`<div class="qr-placeholder"></div>`}</div>
    <p class="scan">${t(`qr.scan.${gateway}`)}</p>
    <p class="muted waiting"><span class="pulse" aria-hidden="true"></span>${t('qr.waiting')}</p>
    <${PaymentContent} t=${t} content=${attempt.action.content} sandbox=${sandbox} />
  </div>`;
}

/** The QR content or payment link as text: what a newcomer pastes into the payment simulator in sandbox mode. */
function PaymentContent({ t, content, sandbox }) {
  return html`<details>
      <summary>${t('qr.content')}</summary>
      <code class="qr-content">${content}</code>
    </details>
    ${sandbox && html`<a class="sandbox-link" href="/sandbox/" target="_blank" rel="noopener">${t('qr.sandbox')} ↗</a>`}`;
}

/** Offline payment: the buyer transfers the money, then uploads pictures of the proof for staff to check. */
function VoucherForm({ t, token, client, order, method, disabled, onDone }) {
  const [files, setFiles] = useState([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const submit = async (event) => {
    event.preventDefault();
    const form = new FormData();
    form.append('method', method);
    form.append('client', client);
    for (const file of files) form.append('images', file, file.name);
    setBusy(true);
    setError(null);
    try {
      await api(`/v1/orders/${order.orderNo}/vouchers`, { method: 'POST', token, form });
      await onDone();
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="voucher" onSubmit=${submit}>
    <p class="muted">${t('voucher.hint', { amount: yuan(order.payableAmount) })}</p>
    <label class="file">
      <span class="button">${t('voucher.files')}</span>
      <input type="file" name="images" accept="image/png,image/jpeg,image/webp" multiple onChange=${(e) => setFiles([...e.target.files].slice(0, 9))} />
      ${files.length > 0 && html`<span class="muted chosen">${t('voucher.chosen', { count: files.length })}</span>`}
    </label>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <button class="primary" disabled=${busy || disabled || files.length === 0}>${t('voucher.submit')}</button>
  </form>`;
}
