import { html, useState } from '/web/vendor/preact-htm.mjs';
import { call } from '../session.js';
import { ErrorNote, Money, toFen, useAction, useLoad, useT } from '../ui.js';

/** Stock moves by adjustments (+/-), so concurrent sales are never overwritten by a stale number. */
function StockCell({ product, done }) {
  const t = useT();
  const [delta, setDelta] = useState('');
  const [run, busy, error] = useAction();
  const n = Number(delta);
  return html`<div class="inline">
    <span data-field="stock">${product.stock}</span>
    <input class="short" type="number" placeholder="±" value=${delta} onInput=${(e) => setDelta(e.target.value)} />
    <button type="button" disabled=${busy || !Number.isInteger(n) || n === 0} onClick=${() =>
      run(
        () => call(`/v1/admin/products/${product.id}/stock-adjustments`, { method: 'POST', body: { delta: n } }),
        () => {
          setDelta('');
          done();
        },
      )}>${t('products.adjust')}</button>
    <${ErrorNote} error=${error} />
  </div>`;
}

function NewProduct({ done }) {
  const t = useT();
  const categories = useLoad(() => call('/v1/categories'));
  const [form, setForm] = useState({ title: '', price: '', stock: '0', categoryId: '' });
  const [run, busy, error] = useAction();
  const set = (field) => (e) => setForm({ ...form, [field]: e.target.value });
  const submit = (event) => {
    event.preventDefault();
    const price = toFen(form.price);
    if (price === null) return;
    run(
      () =>
        call('/v1/admin/products', {
          method: 'POST',
          body: {
            title: form.title.trim(),
            price,
            stock: Number(form.stock) || 0,
            categoryId: form.categoryId ? Number(form.categoryId) : null,
          },
        }),
      () => {
        setForm({ title: '', price: '', stock: '0', categoryId: '' });
        done();
      },
    );
  };
  return html`<form class="card inline" onSubmit=${submit}>
    <label class="grow">${t('products.title')}<input name="title" value=${form.title} onInput=${set('title')} required /></label>
    <label>${t('products.price')}<input name="price" value=${form.price} onInput=${set('price')} required pattern="\\d+(\\.\\d{1,2})?" /></label>
    <label>${t('products.stock')}<input name="stock" type="number" min="0" value=${form.stock} onInput=${set('stock')} /></label>
    <label>${t('products.category')}<select value=${form.categoryId} onChange=${set('categoryId')}><option value="">—</option>${(categories.data ?? []).map((c) => html`<option value=${c.id}>${c.name}</option>`)}</select></label>
    <button type="submit" class="accent" disabled=${busy}>${t('products.create')}</button>
    <${ErrorNote} error=${error} />
  </form>`;
}

export function ProductsView() {
  const t = useT();
  const [page, setPage] = useState(1);
  const [keyword, setKeyword] = useState('');
  const [asked, setAsked] = useState('');
  const [run, , actionError] = useAction();
  const { data, error, reload } = useLoad(
    () => call(`/v1/admin/products?page=${page}&pageSize=20${asked ? `&keyword=${encodeURIComponent(asked)}` : ''}`),
    [page, asked],
  );
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const toggle = (p) =>
    run(() => call(`/v1/admin/products/${p.id}`, { method: 'PATCH', body: { onSale: !p.onSale } }), reload);
  return html`<div>
    <h1>${t('nav.products')}</h1>
    <${NewProduct} done=${reload} />
    <form class="filters" onSubmit=${(e) => {
      e.preventDefault();
      setPage(1);
      setAsked(keyword.trim());
    }}>
      <label class="grow">${t('common.search')}<input value=${keyword} onInput=${(e) => setKeyword(e.target.value)} /></label>
      <button type="submit">${t('common.search')}</button>
    </form>
    <${ErrorNote} error=${error || actionError} />
    <table class="list">
      <thead><tr><th>ID</th><th>${t('products.title')}</th><th class="num">${t('products.price')}</th><th>${t('products.stock')}</th><th class="num">${t('products.sold')}</th><th>${t('products.onSale')}</th></tr></thead>
      <tbody>
        ${(data?.items ?? []).map(
          (p) => html`<tr data-product=${p.id}>
            <td>${p.id}</td>
            <td>${p.title}${p.options.length ? html`<div class="muted">${p.options.map((o) => `${o.title}: ${o.stock}`).join('，')}</div>` : ''}</td>
            <td class="num"><${Money} fen=${p.price} /></td>
            <td><${StockCell} product=${p} done=${reload} /></td>
            <td class="num">${p.sold}</td>
            <td><button type="button" onClick=${() => toggle(p)}>${p.onSale ? t('products.onSaleYes') : t('products.onSaleNo')}</button></td>
          </tr>`,
        )}
      </tbody>
    </table>
    <div class="pager">
      <button type="button" disabled=${page <= 1} onClick=${() => setPage(page - 1)}>‹</button>
      <span>${page} / ${pages}</span>
      <button type="button" disabled=${page >= pages} onClick=${() => setPage(page + 1)}>›</button>
    </div>
  </div>`;
}
