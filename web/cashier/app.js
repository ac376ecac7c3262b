import { html, render, useEffect, useState } from '/web/vendor/preact-htm.mjs';
import { LanguageSwitch, useLanguage } from '/web/shared/i18n.js';
import { saveMemberToken, takeMemberToken } from '/web/shared/member-token.js';
import { yuan } from '/web/shared/money.js';
import { SignInForm } from '/web/shared/sign-in.js';
import { STRINGS } from '/web/shared/strings.js';
import { Countdown } from './countdown.js';
import { useLiveOrder } from './live-order.js';
import { Ended, Paid, screenFor, UnderReview } from './outcomes.js';
import { PayPanel } from './pay-panel.js';

// /pay/<orderNo>[?client=PC|H5|…]: the store's methods for that client (PC by default: the QR-code cashier).
const orderNo = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] ?? '');
const client = new URLSearchParams(location.search).get('client') || 'PC';

function Cashier() {
  const { lang, setLang, t } = useLanguage(STRINGS);
  const [token, setToken] = useState(takeMemberToken);
  const [sandbox, setSandbox] = useState(false);
  const [elapsed, setElapsed] = useState(false);
  const signOut = () => {
    saveMemberToken(null);
    setToken(null);
  };
  const { data, error, live, reload } = useLiveOrder(orderNo, token, client, signOut);
  useEffect(() => {
    document.title = `${t('app.cashier')} · ordo`;
  }, [lang]);
  useEffect(() => {
    // the payment simulator is mounted in sandbox mode only; when it is, point newcomers to it
    fetch('/sandbox/', { method: 'HEAD' }).then(
      (r) => setSandbox(r.ok),
      () => setSandbox(false),
    );
  }, []);

  const screen = !token ? 'signin' : error ? 'error' : !data ? 'loading' : screenFor(data.order.status);
  return html`<div class="cashier" data-state=${screen}>
    <header class="topbar">
      <span class="title">${t('app.cashier')}</span>
      ${token && html`<span class=${`live ${live ? 'on' : ''}`}>${t(live ? 'live.connected' : 'live.reconnecting')}</span>`}
      <${LanguageSwitch} lang=${lang} setLang=${setLang} />
    </header>
    ${
      screen === 'signin' &&
      html`<${SignInForm}
      t=${t}
      title=${t('signin.title')}
      onToken=${(next) => {
        saveMemberToken(next);
        setToken(next);
      }}
    />`
    }
    ${
      screen === 'error' &&
      html`<section class="card"><h2>${t('error.title')}</h2><p class="error" role="alert">${error.message}</p><button type="button" onClick=${reload}>${t('error.retry')}</button></section>`
    }
    ${screen === 'loading' && html`<section class="card skeleton" aria-busy="true"></section>`}
    ${data && screen !== 'signin' && screen !== 'error' && html`<${OrderHeader} t=${t} order=${data.order} pending=${screen === 'pending'} onElapsed=${() => setElapsed(true)} />`}
    ${
      screen === 'pending' &&
      html`<${PayPanel} t=${t} token=${token} client=${client} order=${data.order} payments=${data.payments} methods=${data.methods} me=${data.me} expired=${elapsed} onChanged=${reload} sandbox=${sandbox} />`
    }
    ${screen === 'review' && html`<${UnderReview} t=${t} />`}
    ${screen === 'paid' && html`<${Paid} t=${t} lang=${lang} order=${data.order} payments=${data.payments} />`}
    ${(screen === 'expired' || screen === 'cancelled') && html`<${Ended} t=${t} screen=${screen} />`}
  </div>`;
}

function OrderHeader({ t, order, pending, onElapsed }) {
  const count = order.lines.reduce((sum, line) => sum + line.quantity, 0);
  return html`<section class="card order">
    <div class="merchant">
      <span class="avatar" aria-hidden="true">${order.merchantName.slice(0, 1)}</span>
      <div>
        <h1 class="merchant-name">${order.merchantName}</h1>
        <p class="muted store-name">${order.storeName}</p>
      </div>
    </div>
    <p class="muted label">${t(pending ? 'order.amount' : 'order.total')}</p>
    <p class="amount" data-fen=${order.payableAmount}><small>¥</small>${yuan(order.payableAmount)}</p>
    <p class="muted lines">${order.lines[0]?.title}${count > 1 ? ` · ${t('order.items', { count })}` : ''}</p>
    <p class="muted order-no">${t('order.no', { no: order.orderNo })}</p>
    ${pending && order.expiresAt && html`<${Countdown} t=${t} expiresAt=${order.expiresAt} onElapsed=${onElapsed} />`}
  </section>`;
}

render(html`<${Cashier} />`, document.getElementById('app'));
