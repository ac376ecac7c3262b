import { html, useState } from '/web/vendor/preact-htm.mjs';
import { call } from '../session.js';
import { ErrorNote, StatusBadge, useAction, useLoad, useT, when } from '../ui.js';

function Attempts({ id }) {
  const t = useT();
  const { data, error } = useLoad(() => call(`/v1/admin/webhook-deliveries/${id}/attempts`), [id]);
  return html`<tr class="sub"><td colspan="7">
    <${ErrorNote} error=${error} />
    ${data?.length === 0 && html`<span class="muted">${t('common.none')}</span>`}
    <ol class="plain">${(data ?? []).map((a) => html`<li>${when(a.at)} · HTTP ${a.statusCode ?? '—'} · ${a.durationMs} ms ${a.error ? html`· <span class="muted">${a.error}</span>` : ''}</li>`)}</ol>
  </td></tr>`;
}

export function WebhooksView() {
  const t = useT();
  const [status, setStatus] = useState('');
  const [pages, setPages] = useState([]);
  const [open, setOpen] = useState(null);
  const [run, busy, error] = useAction();
  const first = useLoad(async () => {
    const page = await call(`/v1/admin/webhook-deliveries?limit=50${status ? `&status=${status}` : ''}`);
    setPages([page]);
    return page;
  }, [status]);
  const items = pages.flatMap((p) => p.items);
  const next = pages.at(-1)?.nextCursor;
  const more = () =>
    run(
      () => call(`/v1/admin/webhook-deliveries?limit=50&cursor=${next}${status ? `&status=${status}` : ''}`),
      (page) => setPages([...pages, page]),
    );
  const redeliver = (d) =>
    run(
      () => call(`/v1/admin/webhook-deliveries/${d.id}/redeliver`, { method: 'POST' }),
      (updated) =>
        setPages(pages.map((p) => ({ ...p, items: p.items.map((x) => (x.id === updated.id ? updated : x)) }))),
    );
  return html`<div>
    <h1>${t('nav.webhooks')}</h1>
    <div class="filters">
      <label>${t('orders.status')}<select value=${status} onChange=${(e) => setStatus(e.target.value)}>
        <option value="">${t('common.all')}</option>${['pending', 'delivered', 'failed'].map((s) => html`<option value=${s}>${t(`delivery.${s}`)}</option>`)}
      </select></label>
    </div>
    <${ErrorNote} error=${first.error || error} />
    <table class="list">
      <thead><tr><th>ID</th><th>${t('hooks.topic')}</th><th>${t('hooks.aggregate')}</th><th>${t('orders.status')}</th><th class="num">${t('hooks.attempts')}</th><th>${t('hooks.last')}</th><th></th></tr></thead>
      <tbody>
        ${items.map(
          (d) => html`<tr data-delivery=${d.id}>
              <td>${d.id}</td><td>${d.topic}</td><td>${d.aggregateId}</td><td><${StatusBadge} kind="delivery" value=${d.status} /></td>
              <td class="num"><button type="button" class="link" onClick=${() => setOpen(open === d.id ? null : d.id)}>${d.attempts}</button></td>
              <td>${d.lastStatus ?? ''} ${d.lastError ? html`<span class="muted">${d.lastError}</span>` : ''}<div class="muted">${d.deliveredAt ? when(d.deliveredAt) : d.nextAttemptAt ? `→ ${when(d.nextAttemptAt)}` : ''}</div></td>
              <td>${d.status !== 'pending' && html`<button type="button" disabled=${busy} onClick=${() => redeliver(d)}>${t('hooks.redeliver')}</button>`}</td>
            </tr>
            ${open === d.id && html`<${Attempts} id=${d.id} />`}`,
        )}
      </tbody>
    </table>
    ${!first.loading && items.length === 0 && html`<p class="muted">${t('common.none')}</p>`}
    ${next && html`<button type="button" onClick=${more} disabled=${busy}>${t('common.more')}</button>`}
  </div>`;
}
