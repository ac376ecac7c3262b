import { html, useEffect, useState } from '/web/vendor/preact-htm.mjs';
import { yuan } from '/web/shared/money.js';
import { call } from '../session.js';
import { ErrorNote, toFen, useAction, useLoad, useT } from '../ui.js';

const RULES = [
  'orderTimeoutMinutes',
  'autoConfirmDays',
  'reviewWindowDays',
  'refundWindowDays',
  'pointsPerYuan',
  'pointsPerYuanOff',
  'pointsMaxPercent',
];

/** The merchant's rules: the order timeout, the after-sales timers and the points rule. */
function MerchantSettings() {
  const t = useT();
  const { data, error } = useLoad(() => call('/v1/admin/merchant'));
  const [form, setForm] = useState(null);
  const [run, busy, saveError] = useAction();
  const [saved, setSaved] = useState(false);
  useEffect(() => setForm(data), [data]);
  if (!form) return html`<${ErrorNote} error=${error} />`;
  const submit = (event) => {
    event.preventDefault();
    const changes = { name: form.name.trim(), ...Object.fromEntries(RULES.map((k) => [k, Number(form[k])])) };
    run(
      () => call('/v1/admin/merchant', { method: 'PATCH', body: changes }),
      (updated) => {
        setForm(updated);
        setSaved(true);
      },
    );
  };
  return html`<form class="card" onSubmit=${submit} data-testid="merchant-settings">
    <h2>${t('shop.merchant')} #${form.id}</h2>
    <div class="grid">
      <label>${t('shop.name')}<input value=${form.name} onInput=${(e) => setForm({ ...form, name: e.target.value })} required /></label>
      ${RULES.map(
        (k) =>
          html`<label>${t(`shop.${k}`)}<input type="number" name=${k} min="0" value=${form[k]} onInput=${(e) => {
            setSaved(false);
            setForm({ ...form, [k]: e.target.value });
          }} /></label>`,
      )}
    </div>
    <button type="submit" class="accent" disabled=${busy}>${t('common.save')}</button> ${saved && html`<span class="ok">${t('common.saved')}</span>`}
    <${ErrorNote} error=${saveError} />
  </form>`;
}

function StoreRow({ store, done }) {
  const t = useT();
  const [fee, setFee] = useState(yuan(store.shippingFee));
  const [free, setFree] = useState(store.freeShippingOver === null ? '' : yuan(store.freeShippingOver));
  const [run, busy, error] = useAction();
  const save = () => {
    const shippingFee = toFen(fee);
    const freeShippingOver = free.trim() === '' ? null : toFen(free);
    if (shippingFee === null || freeShippingOver === undefined) return;
    run(() => call(`/v1/admin/stores/${store.id}`, { method: 'PATCH', body: { shippingFee, freeShippingOver } }), done);
  };
  return html`<tr>
    <td>${store.id}</td><td>${store.name}<div class="muted">${store.phone} ${store.address}</div></td>
    <td><input class="short" value=${fee} onInput=${(e) => setFee(e.target.value)} /></td>
    <td><input class="short" value=${free} placeholder="—" onInput=${(e) => setFree(e.target.value)} /></td>
    <td><button type="button" disabled=${busy} onClick=${save}>${t('common.save')}</button><${ErrorNote} error=${error} /></td>
  </tr>`;
}

function Stores() {
  const t = useT();
  const { data, error, reload } = useLoad(() => call('/v1/admin/stores'));
  const [name, setName] = useState('');
  const [run, busy, createError] = useAction();
  const create = (event) => {
    event.preventDefault();
    run(
      () => call('/v1/admin/stores', { method: 'POST', body: { name: name.trim() } }),
      () => {
        setName('');
        reload();
      },
    );
  };
  return html`<section class="card">
    <h2>${t('shop.stores')}</h2>
    <${ErrorNote} error=${error || createError} />
    <table class="compact">
      <thead><tr><th>ID</th><th>${t('shop.name')}</th><th>${t('shop.shippingFee')}</th><th>${t('shop.freeOver')}</th><th></th></tr></thead>
      ${(data ?? []).map((s) => html`<${StoreRow} key=${s.id} store=${s} done=${reload} />`)}
    </table>
    <form class="inline" onSubmit=${create}>
      <label class="grow">${t('shop.newStore')}<input value=${name} onInput=${(e) => setName(e.target.value)} required /></label>
      <button type="submit" disabled=${busy}>${t('common.create')}</button>
    </form>
  </section>`;
}

export function ShopView() {
  const t = useT();
  return html`<div><h1>${t('nav.shop')}</h1><${MerchantSettings} /><${Stores} /></div>`;
}
