import { html, useState } from '/web/vendor/preact-htm.mjs';
import { yuan } from '/web/shared/money.js';
import { call, currentSession } from '../session.js';
import { ErrorNote, toFen, useAction, useLoad, useT, when } from '../ui.js';

const money = (fen) => `¥${yuan(fen)}`;
/** 5 % off is "9.5 折" in a Chinese shop. */
const zhe = (percentOff) => String((100 - percentOff) / 10);

/** A coupon's terms in words, e.g. 满 ¥50.00 减 ¥10.00 / ¥10.00 off orders from ¥50.00. */
export function couponTerms(t, c) {
  const vars = { amount: money(c.amountOff), percent: c.percentOff, zhe: zhe(c.percentOff), min: money(c.minSpend) };
  const terms = t(
    `coupons.terms.${c.kind === 'percent' ? 'percent' : 'fixed'}.${c.minSpend > 0 ? 'from' : 'any'}`,
    vars,
  );
  return c.kind === 'percent' && c.maxOff !== null
    ? `${terms}${t('coupons.terms.cap', { max: money(c.maxOff) })}`
    : terms;
}

function validity(t, c) {
  if (c.startsAt && c.endsAt) return `${when(c.startsAt)} – ${when(c.endsAt)}`;
  if (c.startsAt) return t('coupons.from', { at: when(c.startsAt) });
  if (c.endsAt) return t('coupons.until', { at: when(c.endsAt) });
  return t('coupons.anytime');
}

function stateOf(c, now = Date.now()) {
  if (c.endsAt && Date.parse(c.endsAt) <= now) return 'ended';
  if (c.startsAt && Date.parse(c.startsAt) > now) return 'upcoming';
  if (c.totalQuantity !== null && c.usedQuantity >= c.totalQuantity) return 'usedUp';
  return 'active';
}

const pad = (n) => String(n).padStart(2, '0');
/** An instant as a datetime-local input shows it (the browser's local time). */
function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const emptyForm = {
  code: '',
  title: '',
  kind: 'fixed',
  amount: '',
  percent: '',
  maxOff: '',
  minSpend: '0',
  startsAt: '',
  endsAt: '',
  totalQuantity: '',
};
const formOf = (c) => ({
  code: c.code,
  title: c.title,
  kind: c.kind,
  amount: c.kind === 'fixed' ? yuan(c.amountOff) : '',
  percent: c.kind === 'percent' ? String(c.percentOff) : '',
  maxOff: c.maxOff === null ? '' : yuan(c.maxOff),
  minSpend: yuan(c.minSpend),
  startsAt: toLocalInput(c.startsAt),
  endsAt: toLocalInput(c.endsAt),
  totalQuantity: c.totalQuantity === null ? '' : String(c.totalQuantity),
});

/** A time from the form; one left as it was keeps its seconds (the input shows minutes only). */
function instantOf(typed, coupon, field) {
  if (coupon && typed === toLocalInput(coupon[field])) return coupon[field];
  return typed ? new Date(typed).toISOString() : null;
}

/**
 * The form's terms as the API takes them, or the problem with them as a string key: checked here, so a person reads
 * what to fix in their own language before anything is sent. Blank optional fields are null (the edit clears them).
 */
function termsOf(form, coupon) {
  const usedQuantity = coupon?.usedQuantity ?? 0;
  const terms = { title: form.title.trim(), kind: form.kind };
  if (form.kind === 'fixed') {
    terms.amountOff = toFen(form.amount);
    if (!terms.amountOff) return { problem: 'coupons.bad.amount' };
    terms.maxOff = null;
  } else {
    terms.percentOff = /^\s*\d{1,2}\s*$/.test(form.percent) ? Number(form.percent) : 0;
    if (terms.percentOff < 1) return { problem: 'coupons.bad.percent' };
    terms.maxOff = form.maxOff.trim() === '' ? null : toFen(form.maxOff);
    if (terms.maxOff === null && form.maxOff.trim() !== '') return { problem: 'coupons.bad.maxOff' };
  }
  terms.minSpend = form.minSpend.trim() === '' ? 0 : toFen(form.minSpend);
  if (terms.minSpend === null) return { problem: 'coupons.bad.minSpend' };
  terms.startsAt = instantOf(form.startsAt, coupon, 'startsAt');
  terms.endsAt = instantOf(form.endsAt, coupon, 'endsAt');
  if (terms.startsAt && terms.endsAt && Date.parse(terms.startsAt) >= Date.parse(terms.endsAt))
    return { problem: 'coupons.bad.window' };
  terms.totalQuantity =
    form.totalQuantity.trim() === ''
      ? null
      : /^\s*\d{1,8}\s*$/.test(form.totalQuantity)
        ? Number(form.totalQuantity)
        : 0;
  if (terms.totalQuantity !== null && terms.totalQuantity < Math.max(1, usedQuantity))
    return { problem: 'coupons.bad.quantity', used: usedQuantity };
  return { terms };
}

/** A new coupon leaves out what is not set (the API's create takes no nulls). */
const createBody = (code, terms) => ({
  code,
  ...Object.fromEntries(
    Object.entries(terms).filter(([key, value]) => value !== null && !(key === 'title' && value === '')),
  ),
});

/** Creates a coupon (no `coupon`) or changes one's terms; the code of an existing coupon is shown, not edited. */
function CouponForm({ coupon, onSaved, onCancel }) {
  const t = useT();
  const [form, setForm] = useState(() => (coupon ? formOf(coupon) : emptyForm));
  const [problem, setProblem] = useState(null);
  const [run, busy, error] = useAction();
  const set = (field) => (e) => setForm({ ...form, [field]: e.target.value });
  const submit = (event) => {
    event.preventDefault();
    const checked = termsOf(form, coupon);
    setProblem(checked.problem ? t(checked.problem, { used: checked.used }) : null);
    if (checked.problem) return;
    const code = form.code.trim();
    const send = coupon
      ? () => call(`/v1/admin/coupons/${coupon.id}`, { method: 'PATCH', body: checked.terms })
      : () => call('/v1/admin/coupons', { method: 'POST', body: createBody(code, checked.terms) });
    run(send, (saved) => {
      if (!coupon) setForm(emptyForm);
      return onSaved(saved);
    });
  };
  const taken = !coupon && error?.code === 'conflict';
  return html`<form class=${coupon ? 'coupon-form' : 'card coupon-form'} data-testid=${coupon ? 'coupon-edit' : 'coupon-new'} onSubmit=${submit}>
    ${!coupon && html`<h2>${t('coupons.new')}</h2>`}
    <div class="grid">
      ${
        coupon
          ? html`<label>${t('coupons.code')}<code class="fixed-code">${coupon.code}</code></label>`
          : html`<label>${t('coupons.code')}<input name="code" value=${form.code} onInput=${set('code')} required maxlength="32" pattern="[A-Za-z0-9_\\-]{1,32}" title=${t('coupons.codeHint')} /></label>`
      }
      <label>${t('coupons.title')}<input name="title" value=${form.title} onInput=${set('title')} maxlength="60" placeholder=${t('coupons.titleHint')} /></label>
      <label>${t('coupons.kind')}<select name="kind" value=${form.kind} onChange=${set('kind')}>
        <option value="fixed">${t('coupons.kind.fixed')}</option>
        <option value="percent">${t('coupons.kind.percent')}</option>
      </select></label>
      ${
        form.kind === 'fixed'
          ? html`<label>${t('coupons.amountOff')}<input name="amountOff" value=${form.amount} onInput=${set('amount')} inputmode="decimal" required /></label>`
          : html`<label>${t('coupons.percentOff')}<input name="percentOff" type="number" min="1" max="99" value=${form.percent} onInput=${set('percent')} required /></label>
            <label>${t('coupons.maxOff')}<input name="maxOff" value=${form.maxOff} onInput=${set('maxOff')} inputmode="decimal" placeholder=${t('coupons.noLimit')} /></label>`
      }
      <label>${t('coupons.minSpend')}<input name="minSpend" value=${form.minSpend} onInput=${set('minSpend')} inputmode="decimal" /></label>
      <label>${t('coupons.startsAt')}<input name="startsAt" type="datetime-local" value=${form.startsAt} onInput=${set('startsAt')} /></label>
      <label>${t('coupons.endsAt')}<input name="endsAt" type="datetime-local" value=${form.endsAt} onInput=${set('endsAt')} /></label>
      <label>${t('coupons.totalQuantity')}<input name="totalQuantity" type="number" min="1" value=${form.totalQuantity} onInput=${set('totalQuantity')} placeholder=${t('coupons.noLimit')} /></label>
    </div>
    <div class="inline">
      <button type="submit" class="accent" disabled=${busy}>${coupon ? t('common.save') : t('common.create')}</button>
      ${onCancel && html`<button type="button" onClick=${onCancel}>${t('coupons.cancel')}</button>`}
    </div>
    ${problem && html`<p class="error" role="alert">${problem}</p>`}
    ${taken ? html`<p class="error" role="alert">${t('coupons.codeTaken', { code: form.code.trim() })}</p>` : html`<${ErrorNote} error=${error} />`}
  </form>`;
}

/** One coupon; delete asks in the row first, then the page deletes it (and says why when the API refuses). */
function CouponRow({ coupon, admin, editing, setEditing, remove, busy }) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const state = stateOf(coupon);
  return html`<tr data-coupon=${coupon.code} class=${state === 'ended' ? 'disabled' : ''}>
    <td>${coupon.code ? html`<code>${coupon.code}</code>` : '—'}</td>
    <td>${coupon.title || '—'}</td>
    <td data-field="terms">${couponTerms(t, coupon)}</td>
    <td data-field="window" class="when">${validity(t, coupon)}</td>
    <td><span class=${`badge badge-coupon-${state}`} data-status=${state}>${t(`coupons.state.${state}`)}</span></td>
    <td class="num" data-field="quantity">${coupon.usedQuantity} / ${coupon.totalQuantity ?? t('coupons.unlimited')}</td>
    <td class="actions">${
      admin &&
      (confirming
        ? html`<div class="inline" data-testid="confirm-delete">
            <span>${t('coupons.deleteConfirm', { code: coupon.code ?? coupon.title })}</span>
            <button type="button" class="accent" disabled=${busy} onClick=${() => remove(coupon).then(() => setConfirming(false))}>${t('coupons.deleteYes')}</button>
            <button type="button" disabled=${busy} onClick=${() => setConfirming(false)}>${t('coupons.cancel')}</button>
          </div>`
        : html`<div class="inline">
            <button type="button" onClick=${() => setEditing(editing ? null : coupon.id)}>${t('coupons.edit')}</button>
            <button type="button" onClick=${() => setConfirming(true)}>${t('coupons.delete')}</button>
          </div>`)
    }</td>
  </tr>`;
}

/** The merchant's coupon codes: their terms in words, when they apply, how many are used; admins create, edit, delete. */
export function CouponsView() {
  const t = useT();
  const admin = currentSession()?.role === 'admin';
  const { data, error, reload } = useLoad(() => call('/v1/admin/coupons'));
  const [editing, setEditing] = useState(null);
  const [notice, setNotice] = useState(null);
  // the coupon whose deletion the API refused because orders used it
  const [refused, setRefused] = useState(null);
  const [run, busy, actionError] = useAction();
  const done = (message) => {
    setNotice(message);
    setRefused(null);
    return reload();
  };
  const remove = (coupon) =>
    run(() =>
      call(`/v1/admin/coupons/${coupon.id}`, { method: 'DELETE' }).then(
        () => done(t('coupons.deleted', { code: coupon.code })),
        (err) => {
          if (err?.code !== 'conflict') throw err;
          setNotice(null);
          setRefused(coupon);
        },
      ),
    );
  const endNow = (coupon) =>
    run(
      () => call(`/v1/admin/coupons/${coupon.id}`, { method: 'PATCH', body: { endsAt: new Date().toISOString() } }),
      () => done(t('coupons.ended', { code: coupon.code })),
    );
  return html`<div>
    <h1>${t('nav.coupons')}</h1>
    ${admin ? html`<${CouponForm} onSaved=${(c) => done(t('coupons.created', { code: c.code }))} />` : html`<p class="muted">${t('coupons.adminsOnly')}</p>`}
    <${ErrorNote} error=${error || actionError} />
    ${
      refused &&
      html`<div class="error inline refusal" role="alert" data-testid="coupon-refusal">
      <span class="grow">${t('coupons.usedRefusal', { code: refused.code, used: refused.usedQuantity })}</span>
      ${stateOf(refused) !== 'ended' && html`<button type="button" disabled=${busy} onClick=${() => endNow(refused)}>${t('coupons.endNow')}</button>`}
    </div>`
    }
    ${notice && html`<p class="ok" data-testid="coupon-notice">${notice}</p>`}
    <table class="list" data-testid="coupons">
      <thead><tr><th>${t('coupons.code')}</th><th>${t('coupons.title')}</th><th>${t('coupons.terms')}</th><th>${t('coupons.window')}</th><th>${t('coupons.status')}</th><th class="num">${t('coupons.usedOfTotal')}</th><th></th></tr></thead>
      <tbody>
        ${(data ?? []).map(
          (
            c,
          ) => html`<${CouponRow} key=${c.id} coupon=${c} admin=${admin} editing=${editing === c.id} setEditing=${setEditing} remove=${remove} busy=${busy} />
            ${
              editing === c.id &&
              html`<tr class="sub" key=${`edit-${c.id}`}><td colspan="7">
              <${CouponForm} coupon=${c} onCancel=${() => setEditing(null)} onSaved=${(updated) => {
                setEditing(null);
                return done(t('coupons.saved', { code: updated.code }));
              }} />
            </td></tr>`
            }`,
        )}
      </tbody>
    </table>
    ${data && data.length === 0 && html`<p class="muted">${t('common.none')}</p>`}
  </div>`;
}
