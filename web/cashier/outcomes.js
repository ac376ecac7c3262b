import { html } from '/web/vendor/preact-htm.mjs';
import { yuan } from '/web/shared/money.js';

const PAID = ['paid', 'shipped', 'received', 'completed'];
// drawn, not an emoji: phones and CI machines without an emoji font would show an empty box
const HOURGLASS = html`<svg width="30" height="30" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M6 2h12M6 22h12M7 2c0 5 10 7 10 10S7 17 7 22M17 2c0 5-10 7-10 10s10 5 10 10" /></svg>`;

/** Which screen an order status calls for. */
export function screenFor(status) {
  if (status === 'pending_payment') return 'pending';
  if (status === 'payment_review') return 'review';
  if (PAID.includes(status)) return 'paid';
  if (status === 'closed') return 'expired';
  return 'cancelled';
}

export function Paid({ t, lang, order, payments }) {
  const paid = [...payments].reverse().find((p) => p.status === 'paid' || p.status.endsWith('refunded'));
  return html`<section class="card outcome outcome-paid" role="status">
    <div class="mark" aria-hidden="true">✓</div>
    <h2>${t('state.paid')}</h2>
    <p class="amount-line">${t('state.paidDetail', { amount: yuan(order.paidAmount), method: paid ? t(`method.${paid.method}`) : '' })}</p>
    ${order.paidAt && html`<p class="muted">${t('state.paidAt', { time: new Date(order.paidAt).toLocaleString(lang) })}</p>`}
    <a class="button" href="/shop">${t('state.backToShop')}</a>
  </section>`;
}

export function UnderReview({ t }) {
  return html`<section class="card outcome outcome-review" role="status">
    <div class="mark" aria-hidden="true">${HOURGLASS}</div>
    <h2>${t('state.review')}</h2>
    <p class="muted">${t('state.reviewDetail')}</p>
  </section>`;
}

export function Ended({ t, screen }) {
  return html`<section class="card outcome outcome-ended" role="status">
    <div class="mark" aria-hidden="true">✕</div>
    <h2>${t(screen === 'expired' ? 'state.expired' : 'state.cancelled')}</h2>
    ${screen === 'expired' && html`<p class="muted">${t('state.expiredDetail')}</p>`}
    <a class="button" href="/shop">${t('state.backToShop')}</a>
  </section>`;
}
