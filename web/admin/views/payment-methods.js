import { html, useEffect, useState } from '/web/vendor/preact-htm.mjs';
import { call } from '../session.js';
import { ErrorNote, labelOr, useAction, useLoad, useT } from '../ui.js';

const CLIENTS = ['H5', 'WXOFFICIAL', 'MP-WEIXIN', 'APP', 'PC', 'POS'];
const METHODS = ['wechat', 'alipay', 'balance', 'voucher_alipay', 'voucher_wechat', 'voucher_bank', 'cash'];
const GATEWAY = { wechat: 'wechatpay', alipay: 'alipay' };

/** Which methods one store offers on one client, the default one, and the gateway account behind each. */
export function PaymentMethodsView() {
  const t = useT();
  const stores = useLoad(() => call('/v1/admin/stores'));
  const accounts = useLoad(() => call('/v1/admin/provider-accounts'));
  const [storeId, setStoreId] = useState(null);
  const [client, setClient] = useState('PC');
  const [rows, setRows] = useState([]);
  const [run, busy, error] = useAction();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!storeId && stores.data?.length) setStoreId(stores.data[0].id);
  }, [stores.data]);
  const settings = useLoad(
    () => (storeId ? call(`/v1/admin/payment-methods?storeId=${storeId}&client=${client}`) : Promise.resolve([])),
    [storeId, client],
  );
  useEffect(() => {
    const byMethod = new Map((settings.data ?? []).map((s) => [s.method, s]));
    setRows(
      METHODS.map(
        (method) => byMethod.get(method) ?? { method, channel: '', accountId: null, enabled: false, isDefault: false },
      ),
    );
    setSaved(false);
  }, [settings.data]);
  const change = (method, patch) =>
    setRows(
      rows.map((r) => (r.method === method ? { ...r, ...patch } : patch.isDefault ? { ...r, isDefault: false } : r)),
    );
  const save = () =>
    run(
      () =>
        call('/v1/admin/payment-methods', {
          method: 'PUT',
          body: {
            storeId,
            client,
            methods: rows
              .filter((r) => r.enabled || r.isDefault)
              .map((r) => ({
                method: r.method,
                channel: r.channel,
                accountId: r.accountId,
                enabled: r.enabled,
                isDefault: r.isDefault,
              })),
          },
        }),
      (result) => {
        setSaved(true);
        const byMethod = new Map(result.map((s) => [s.method, s]));
        setRows(
          METHODS.map(
            (method) =>
              byMethod.get(method) ?? { method, channel: '', accountId: null, enabled: false, isDefault: false },
          ),
        );
      },
    );
  return html`<div>
    <h1>${t('nav.paymentMethods')}</h1>
    <div class="filters">
      <label>${t('orders.store')}<select value=${storeId ?? ''} onChange=${(e) => setStoreId(Number(e.target.value))}>${(stores.data ?? []).map((s) => html`<option value=${s.id}>${s.name}</option>`)}</select></label>
      <label>${t('pm.client')}<select value=${client} onChange=${(e) => setClient(e.target.value)}>${CLIENTS.map((c) => html`<option value=${c}>${labelOr(t, `client.${c}`, c)}</option>`)}</select></label>
    </div>
    <${ErrorNote} error=${stores.error || settings.error || error} />
    <table class="list" data-testid="methods">
      <thead><tr><th>${t('pm.method')}</th><th>${t('pm.enabled')}</th><th>${t('pm.default')}</th><th>${t('pm.channel')}</th><th>${t('pm.account')}</th></tr></thead>
      <tbody>
        ${rows.map(
          (r) => html`<tr data-method=${r.method}>
            <td>${labelOr(t, `method.${r.method}`, r.method)}</td>
            <td><input type="checkbox" checked=${r.enabled} onChange=${(e) => change(r.method, { enabled: e.target.checked })} /></td>
            <td><input type="radio" name="default" checked=${r.isDefault} onChange=${() => change(r.method, { isDefault: true, enabled: true })} /></td>
            <td><input class="short" value=${r.channel} placeholder=${t('pm.auto')} onInput=${(e) => change(r.method, { channel: e.target.value.trim() })} /></td>
            <td>${
              GATEWAY[r.method]
                ? html`<select value=${r.accountId ?? ''} onChange=${(e) => change(r.method, { accountId: e.target.value ? Number(e.target.value) : null })}>
                  <option value="">—</option>${(accounts.data ?? []).filter((a) => a.provider === GATEWAY[r.method]).map((a) => html`<option value=${a.id}>${a.name}</option>`)}
                </select>`
                : '—'
            }</td>
          </tr>`,
        )}
      </tbody>
    </table>
    <p><button type="button" class="accent" disabled=${busy || !storeId} onClick=${save}>${t('common.save')}</button> ${saved && html`<span class="ok">${t('common.saved')}</span>`}</p>
  </div>`;
}
