import { html, render, useEffect, useState } from '/web/vendor/preact-htm.mjs';
import { api } from '/web/shared/api.js';
import { LanguageSwitch, useLanguage } from '/web/shared/i18n.js';
import { currentSession, onSessionChange, signIn, signOut } from './session.js';
import { STRINGS } from './strings.js';
import { ErrorNote, I18n, Link, useAction } from './ui.js';
import { AppsView } from './views/apps.js';
import { CouponsView } from './views/coupons.js';
import { DashboardView } from './views/dashboard.js';
import { MembersView } from './views/members.js';
import { OrderDetailView } from './views/order-detail.js';
import { OrdersView } from './views/orders.js';
import { PaymentMethodsView } from './views/payment-methods.js';
import { ProductsView } from './views/products.js';
import { ShopView } from './views/shop.js';
import { WebhooksView } from './views/webhooks.js';

// /admin/<section>[/<id>]: one HTML shell, the section is read from the path (and history keeps back/forward working).
const SECTIONS = [
  { path: '', key: 'nav.dashboard', view: DashboardView },
  { path: 'orders', key: 'nav.orders', view: OrdersView },
  { path: 'products', key: 'nav.products', view: ProductsView },
  { path: 'coupons', key: 'nav.coupons', view: CouponsView },
  { path: 'members', key: 'nav.members', view: MembersView },
  { path: 'payment-methods', key: 'nav.paymentMethods', view: PaymentMethodsView },
  { path: 'shop', key: 'nav.shop', view: ShopView },
  { path: 'apps', key: 'nav.apps', view: AppsView },
  { path: 'webhooks', key: 'nav.webhooks', view: WebhooksView },
];

function route() {
  const [section = '', id] = location.pathname
    .replace(/^\/admin\/?/, '')
    .split('/')
    .map(decodeURIComponent);
  if (section === 'orders' && id) return { section, view: OrderDetailView, id };
  return { section, view: (SECTIONS.find((s) => s.path === section) ?? SECTIONS[0]).view };
}

function SignIn({ t }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [run, busy, error] = useAction();
  // a demo ordo fills in its demo admin, as the demo shop does for its member; typing first wins
  useEffect(() => {
    api('/web/demo-accounts.json').then(
      ({ staff }) => {
        if (!staff) return;
        setUsername((typed) => typed || staff.username);
        setPassword((typed) => typed || staff.password);
      },
      () => {},
    );
  }, []);
  const submit = (event) => {
    event.preventDefault();
    run(() => signIn(username, password));
  };
  return html`<form class="card sign-in" onSubmit=${submit}>
    <h1>${t('app.title')}</h1>
    <label>${t('login.username')}<input name="username" autocomplete="username" value=${username} onInput=${(e) => setUsername(e.target.value)} required /></label>
    <label>${t('login.password')}<input name="password" type="password" autocomplete="current-password" value=${password} onInput=${(e) => setPassword(e.target.value)} required /></label>
    <${ErrorNote} error=${error} />
    <button class="primary" type="submit" disabled=${busy}>${t('login.submit')}</button>
  </form>`;
}

function Console() {
  const language = useLanguage(STRINGS);
  const { t, lang, setLang } = language;
  const [session, setSession] = useState(currentSession);
  const [current, setCurrent] = useState(route);
  useEffect(() => onSessionChange(setSession), []);
  useEffect(() => {
    const onPop = () => setCurrent(route());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  useEffect(() => {
    document.title = `${t('app.title')} · ordo`;
  }, [lang]);

  const View = current.view;
  return html`<${I18n.Provider} value=${language}>
    <header class="topbar">
      <span class="brand">ordo · ${t('app.title')}</span>
      <span class="spacer"></span>
      ${session && html`<span class="who" data-testid="who">${session.name}</span>`}
      <${LanguageSwitch} lang=${lang} setLang=${setLang} />
      ${session && html`<button type="button" onClick=${signOut}>${t('login.signOut')}</button>`}
    </header>
    ${
      session
        ? html`<div class="layout">
          <nav class="sidebar">
            ${SECTIONS.map((s) => html`<${Link} href=${`/admin${s.path ? `/${s.path}` : ''}`} class=${current.section === s.path ? 'active' : ''}>${t(s.key)}<//>`)}
          </nav>
          <main class="content"><${View} key=${`${current.section}/${current.id ?? ''}`} id=${current.id} /></main>
        </div>`
        : html`<main class="narrow"><${SignIn} t=${t} /></main>`
    }
  <//>`;
}

render(html`<${Console} />`, document.getElementById('app'));
