import { html, useRef, useState } from '/web/vendor/preact-htm.mjs';
import { useOrderChanges } from '../live.js';
import { call, download } from '../session.js';
import { ErrorNote, LiveNote, Link, Money, StatusBadge, useAction, useLoad, useT, when } from '../ui.js';

export const STATUSES = [
  'pending_payment',
  'payment_review',
  'paid',
  'shipped',
  'received',
  'completed',
  'cancelled',
  'closed',
];
const METHODS = ['wechat', 'alipay', 'balance', 'cash', 'voucher_alipay', 'voucher_wechat', 'voucher_bank'];
const PAGE = 20;

/** The list filters as the canonical query string (local dates become instants at the browser's midnight). */
function queryOf(filters) {
  const query = new URLSearchParams();
  if (filters.status) query.append('status', filters.status);
  if (filters.q) query.set('q', filters.q.trim());
  if (filters.storeId) query.set('storeId', filters.storeId);
  if (filters.method) query.set('method', filters.method);
  if (filters.from) query.set('createdFrom', new Date(`${filters.from}T00:00:00`).toISOString());
  if (filters.to)
    query.set('createdTo', new Date(new Date(`${filters.to}T00:00:00`).getTime() + 86_400_000).toISOString());
  return query;
}

/** A list filter: "all" first, then `options` as [value, label] pairs. */
function FilterSelect({ label, name, value, onChange, options }) {
  const t = useT();
  return html`<label>${label}
    <select name=${name} value=${value} onChange=${onChange}>
      <option value="">${t('common.all')}</option>
      ${options.map(([v, text]) => html`<option value=${v}>${text}</option>`)}
    </select>
  </label>`;
}

export function OrdersView() {
  const t = useT();
  const initial = Object.fromEntries(new URLSearchParams(location.search));
  const [filters, setFilters] = useState({
    status: initial.status ?? '',
    q: initial.q ?? '',
    from: '',
    to: '',
    storeId: '',
    method: '',
  });
  const [asked, setAsked] = useState(filters);
  const [pages, setPages] = useState([]);
  const [changed, setChanged] = useState(new Set());
  const [run, busy, error] = useAction();
  const stores = useLoad(() => call('/v1/admin/stores'));
  // a live refresh reads as many rows as are on screen (up to the API's 100), so paging on does not jump back
  const shown = useRef(PAGE);
  const first = useLoad(async () => {
    const page = await call(`/v1/orders?${queryOf(asked)}&limit=${Math.min(100, Math.max(PAGE, shown.current))}`);
    setPages([page]);
    return page;
  }, [JSON.stringify(asked)]);
  const items = pages.flatMap((p) => p.items);
  shown.current = items.length;
  const next = pages.at(-1)?.nextCursor;
  const more = () =>
    run(
      () => call(`/v1/orders?${queryOf(asked)}&limit=${PAGE}&cursor=${encodeURIComponent(next)}`),
      (page) => setPages([...pages, page]),
    );
  // orders placed or changed anywhere (the shop, a gateway, another console) show up without a reload, marked
  const live = useOrderChanges((orderNos) => {
    setChanged(new Set(orderNos));
    first.reload();
  });
  const exportCsv = () => run(() => download(`/v1/admin/orders/export.csv?${queryOf(asked)}`, 'orders.csv'));
  const set = (field) => (event) => setFilters({ ...filters, [field]: event.target.value });
  const submit = (event) => {
    event.preventDefault();
    setAsked({ ...filters });
  };

  return html`<div>
    <div class="row-between"><h1>${t('nav.orders')}</h1><${LiveNote} live=${live} /></div>
    <form class="filters" onSubmit=${submit}>
      <${FilterSelect} label=${t('orders.status')} name="status" value=${filters.status} onChange=${set('status')} options=${STATUSES.map((s) => [s, t(`status.${s}`)])} />
      <${FilterSelect} label=${t('orders.store')} name="storeId" value=${filters.storeId} onChange=${set('storeId')} options=${(stores.data ?? []).map((s) => [s.id, s.name])} />
      <${FilterSelect} label=${t('orders.method')} name="method" value=${filters.method} onChange=${set('method')} options=${METHODS.map((m) => [m, t(`method.${m}`)])} />
      <label>${t('dash.from')}<input type="date" name="from" value=${filters.from} onInput=${set('from')} /></label>
      <label>${t('dash.to')}<input type="date" name="to" value=${filters.to} onInput=${set('to')} /></label>
      <label class="grow">${t('orders.search')}<input name="q" placeholder=${t('orders.searchHint')} value=${filters.q} onInput=${set('q')} /></label>
      <button type="submit" class="accent">${t('common.search')}</button>
      <button type="button" onClick=${exportCsv} disabled=${busy} data-testid="export-csv">${t('orders.export')}</button>
    </form>
    <${ErrorNote} error=${first.error || error} />
    <table class="list" data-testid="orders-table">
      <thead><tr><th>${t('orders.orderNo')}</th><th>${t('orders.createdAt')}</th><th>${t('orders.receiver')}</th><th>${t('orders.items')}</th><th class="num">${t('orders.payable')}</th><th>${t('orders.status')}</th><th>${t('orders.refund')}</th></tr></thead>
      <tbody>
        ${items.map(
          (o) => html`<tr data-order=${o.orderNo} class=${changed.has(o.orderNo) ? 'just-changed' : ''}>
            <td><${Link} href=${`/admin/orders/${o.orderNo}`}>${o.orderNo}<//></td>
            <td>${when(o.createdAt)}</td>
            <td>${o.delivery === 'pickup' ? html`<span class="badge" data-testid="pickup">${t('delivery.pickup')}</span>` : o.address ? `${o.address.receiverName} ${o.address.mobile}` : '—'}</td>
            <td class="items">${o.lines.map((l) => `${l.title}${l.spec ? ` (${l.spec})` : ''} ×${l.quantity}`).join('，')}</td>
            <td class="num"><${Money} fen=${o.payableAmount} /></td>
            <td><${StatusBadge} kind="status" value=${o.status} />${o.cancelRequested ? html` <span class="badge badge-warn">${t('orders.cancelRequested')}</span>` : ''}</td>
            <td>${o.refundStatus === 'none' ? '' : html`<${StatusBadge} kind="refundStatus" value=${o.refundStatus} />`}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    ${!first.loading && items.length === 0 ? html`<p class="muted">${t('common.none')}</p>` : ''}
    ${next && html`<button type="button" onClick=${more} disabled=${busy} data-testid="more">${t('common.more')}</button>`}
  </div>`;
}
