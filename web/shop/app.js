import { html, render, useEffect, useState } from '/web/vendor/preact-htm.mjs';
import { api, idempotencyKey } from '/web/shared/api.js';
import { LanguageSwitch, useLanguage } from '/web/shared/i18n.js';
import { saveMemberToken, takeMemberToken } from '/web/shared/member-token.js';
import { yuan } from '/web/shared/money.js';
import { SignInForm } from '/web/shared/sign-in.js';
import { STRINGS } from '/web/shared/strings.js';

// The demo shop: sign in, pick a product, "buy now" places the order (POST /v1/orders) and opens its cashier.
// It exists so a newcomer can reach the cashier after `npm start`; it is not a storefront. An order is shipped,
// so "buy now" sends the member's default address, and asks for one first when the member has none.
const DEMO_MEMBER = { username: 'demo', password: 'demo123' };

function Shop() {
  const { lang, setLang, t } = useLanguage(STRINGS);
  const [token, setToken] = useState(takeMemberToken);
  const [products, setProducts] = useState([]);
  const [orders, setOrders] = useState([]);
  // undefined while it loads, null when the member has no address yet
  const [address, setAddress] = useState(undefined);
  const [error, setError] = useState(null);
  useEffect(() => {
    document.title = `${t('app.shop')} · ordo`;
  }, [lang]);
  useEffect(() => {
    api('/v1/products?pageSize=50').then((page) => setProducts(page.items), setError);
  }, []);
  useEffect(() => {
    if (!token) return;
    api('/v1/orders?limit=5', { token }).then(
      (page) => setOrders(page.items),
      (err) => (err.status === 401 ? signOut() : setError(err)),
    );
    api('/v1/addresses', { token }).then(
      (list) => setAddress(list.find((a) => a.isDefault) ?? list[0] ?? null),
      setError,
    );
  }, [token]);
  const signIn = (next) => {
    saveMemberToken(next);
    setToken(next);
  };
  const signOut = () => {
    if (token) api('/v1/auth/logout', { method: 'POST', token }).catch(() => {});
    saveMemberToken(null);
    setToken(null);
    setOrders([]);
    setAddress(undefined);
  };

  return html`<div class="shop">
    <header class="topbar">
      <span class="title">${t('shop.title')}</span>
      ${token && html`<button type="button" class="sign-out" onClick=${signOut}>${t('signin.signOut')}</button>`}
      <${LanguageSwitch} lang=${lang} setLang=${setLang} />
    </header>
    <p class="muted">${t('shop.subtitle')}</p>
    ${error && html`<p class="error" role="alert">${error.message}</p>`}
    ${!token && html`<${SignInForm} t=${t} title=${t('signin.shopTitle')} defaults=${DEMO_MEMBER} onToken=${signIn} />`}
    ${token && address && html`<p class="ship-to" data-testid="ship-to">${t('shop.shipTo')}: ${address.receiverName} ${address.mobile} · ${address.province}${address.city}${address.district}${address.address}</p>`}
    ${token && address === null && html`<${AddressForm} t=${t} token=${token} onSaved=${setAddress} />`}
    <ul class="products">
      ${products.map((p) => html`<${ProductCard} key=${p.id} t=${t} token=${token} address=${address} product=${p} />`)}
    </ul>
    ${
      token &&
      html`<section class="card orders">
      <h2>${t('shop.myOrders')}</h2>
      ${orders.length === 0 && html`<p class="muted">${t('shop.noOrders')}</p>`}
      ${orders.map(
        (o) => html`<p class="order-row" key=${o.orderNo}>
          <span>${o.orderNo}</span><span>¥${yuan(o.payableAmount)}</span><span class="muted">${t(`status.${o.status}`)}</span>
          ${o.status === 'pending_payment' ? html`<a href=${cashierUrl(o.orderNo, token)}>${t('shop.toPay')}</a>` : html`<span></span>`}
        </p>`,
      )}
    </section>`
    }
  </div>`;
}

/** The cashier link carries the token in the fragment: the browser never sends it to the server. */
const cashierUrl = (orderNo, token) => `/pay/${orderNo}#token=${encodeURIComponent(token)}`;

const EMPTY_ADDRESS = { receiverName: '', mobile: '', province: '', city: '', district: '', address: '' };

/** Asked for before the first order of a member with no address: it becomes the default, and the order ships there. */
function AddressForm({ t, token, onSaved }) {
  const [form, setForm] = useState(EMPTY_ADDRESS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const field = (name) =>
    html`<label>${t(`address.${name}`)}<input name=${name} value=${form[name]} required=${name !== 'district'} onInput=${(e) => setForm({ ...form, [name]: e.target.value })} /></label>`;
  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSaved(await api('/v1/addresses', { method: 'POST', token, body: { ...form, isDefault: true } }));
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };
  return html`<form class="card address-form" data-testid="address-form" onSubmit=${save}>
    <h2>${t('shop.addressNeeded')}</h2>
    ${field('receiverName')}${field('mobile')}${field('province')}${field('city')}${field('district')}${field('address')}
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <button type="submit" class="primary" disabled=${busy}>${t('shop.saveAddress')}</button>
  </form>`;
}

function ProductCard({ t, token, address, product }) {
  const groups = [...new Set(product.options.map((o) => o.group))];
  // one option per group, the first by default (the guitar's style and strings, the shirt's size and colour)
  const [chosen, setChosen] = useState(() =>
    Object.fromEntries(groups.map((g) => [g, product.options.find((o) => o.group === g).id])),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const price =
    product.price +
    product.options.filter((o) => Object.values(chosen).includes(o.id)).reduce((sum, o) => sum + o.price, 0);
  const buy = async () => {
    setBusy(true);
    setError(null);
    try {
      const order = await api('/v1/orders', {
        method: 'POST',
        token,
        headers: { 'idempotency-key': idempotencyKey() },
        body: {
          lines: [{ productId: product.id, optionIds: Object.values(chosen), quantity: 1 }],
          addressId: address.id,
          client: 'PC',
        },
      });
      location.assign(cashierUrl(order.orderNo, token));
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };
  return html`<li class="card product" data-product-id=${product.id}>
    ${product.coverUrl ? html`<img src=${product.coverUrl} alt="" width="96" height="96" loading="lazy" />` : html`<div class="no-picture"></div>`}
    <div class="info">
      <h3>${product.title}</h3>
      <p class="price">¥${yuan(price)} ${product.listPrice > product.price ? html`<s class="muted">¥${yuan(product.listPrice)}</s>` : ''}</p>
      ${groups.map(
        (g) => html`<label class="option">${g}
          <select value=${chosen[g]} onChange=${(e) => setChosen({ ...chosen, [g]: Number(e.target.value) })}>
            ${product.options.filter((o) => o.group === g).map((o) => html`<option value=${o.id}>${o.title}${o.price ? ` +¥${yuan(o.price)}` : ''}</option>`)}
          </select>
        </label>`,
      )}
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <button type="button" class="primary buy" disabled=${!token || !address || busy} onClick=${buy}>${!token ? t('shop.signInToBuy') : busy ? t('shop.buying') : t('shop.buy')}</button>
    </div>
  </li>`;
}

render(html`<${Shop} />`, document.getElementById('app'));
