import { html, useEffect, useState } from '/web/vendor/preact-htm.mjs';
import { yuan } from '/web/shared/money.js';
import { call, currentSession } from '../session.js';
import { ErrorNote, labelOr, Link, Money, StatusBadge, toFen, useAction, useLoad, useT, when } from '../ui.js';

const VOUCHER = /^voucher_/;

/** Approve with an optional note, or reject with a required reason: the two decisions staff make on a request. */
function Decide({ name, onApprove, onReject }) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [run, busy, error] = useAction();
  return html`<div class="decide" data-testid=${`decide-${name}`}>
    <button type="button" class="accent" disabled=${busy} onClick=${() => run(onApprove)} data-action="approve">${t('action.approve')}</button>
    <input placeholder=${t('action.reason')} value=${reason} onInput=${(e) => setReason(e.target.value)} data-field="reason" />
    <button type="button" disabled=${busy || !reason.trim()} onClick=${() => run(() => onReject(reason.trim()))} data-action="reject">${t('action.reject')}</button>
    <${ErrorNote} error=${error} />
  </div>`;
}

function Vouchers({ payment }) {
  const t = useT();
  const { data } = useLoad(() => call(`/v1/payments/${payment.outTradeNo}/vouchers`), [payment.outTradeNo]);
  const token = encodeURIComponent(currentSession()?.token ?? '');
  if (!data) return null;
  return html`<div class="vouchers">${data.map(
    (image) =>
      html`<a href=${`/v1/payments/${payment.outTradeNo}/vouchers/${image.id}?access_token=${token}`} target="_blank" rel="noopener"><img alt=${t('order.voucher')} src=${`/v1/payments/${payment.outTradeNo}/vouchers/${image.id}?access_token=${token}`} /></a>`,
  )}</div>`;
}

function Payments({ order, payments, done }) {
  const t = useT();
  return html`<section class="card" data-testid="payments">
    <h2>${t('order.payments')}</h2>
    ${payments.length === 0 && html`<p class="muted">${t('common.none')}</p>`}
    ${payments.map(
      (p) => html`<div class="payment" data-payment=${p.outTradeNo}>
        <p><strong>${labelOr(t, `method.${p.method}`, p.method)}</strong>${p.channel ? ` · ${labelOr(t, `channel.${p.channel}`, p.channel)}` : ''} · <${Money} fen=${p.amount} /> · <${StatusBadge} kind="payment" value=${p.status} />
          ${p.refundedAmount > 0 ? html` · ${t('order.refunded')} <${Money} fen=${p.refundedAmount} />` : ''}</p>
        <p class="muted">${p.outTradeNo} · ${when(p.createdAt)}${p.paidAt ? ` → ${when(p.paidAt)}` : ''}${p.reviewNote ? ` · ${p.reviewNote}` : ''}</p>
        ${VOUCHER.test(p.method) && html`<${Vouchers} payment=${p} />`}
        ${
          VOUCHER.test(p.method) &&
          p.status === 'processing' &&
          order.status === 'payment_review' &&
          html`<${Decide}
          name="voucher"
          onApprove=${() => call(`/v1/admin/payments/${p.outTradeNo}/approve`, { method: 'POST', body: {} }).then(done)}
          onReject=${(reason) => call(`/v1/admin/payments/${p.outTradeNo}/reject`, { method: 'POST', body: { reason } }).then(done)}
        />`
        }
      </div>`,
    )}
  </section>`;
}

function ShipForm({ order, done }) {
  const t = useT();
  const open = order.lines.filter((l) => l.quantity > l.shippedQuantity);
  const [quantities, setQuantities] = useState(
    Object.fromEntries(open.map((l) => [l.id, l.quantity - l.shippedQuantity])),
  );
  const [carrier, setCarrier] = useState('顺丰速运');
  const [tracking, setTracking] = useState('');
  const [run, busy, error] = useAction();
  if (open.length === 0 || !['paid', 'shipped'].includes(order.status) || order.cancelRequested) return null;
  const lines = open
    .map((l) => ({ lineId: l.id, quantity: Number(quantities[l.id]) || 0 }))
    .filter((l) => l.quantity > 0);
  const submit = (event) => {
    event.preventDefault();
    run(
      () =>
        call(`/v1/admin/orders/${order.orderNo}/shipments`, {
          method: 'POST',
          body: { carrier: carrier.trim(), trackingNumbers: tracking.split(/[\s,，]+/).filter(Boolean), lines },
        }),
      done,
    );
  };
  return html`<form class="card" onSubmit=${submit} data-testid="ship-form">
    <h2>${t('order.ship')}</h2>
    <table class="compact">
      ${open.map(
        (l) => html`<tr>
          <td>${l.title}${l.spec ? ` (${l.spec})` : ''}</td>
          <td class="muted">${t('order.toShip', { n: l.quantity - l.shippedQuantity })}</td>
          <td><input type="number" min="0" max=${l.quantity - l.shippedQuantity} value=${quantities[l.id]} data-line=${l.id} onInput=${(e) => setQuantities({ ...quantities, [l.id]: e.target.value })} /></td>
        </tr>`,
      )}
    </table>
    <div class="inline">
      <label>${t('order.carrier')}<input name="carrier" value=${carrier} onInput=${(e) => setCarrier(e.target.value)} required /></label>
      <label>${t('order.tracking')}<input name="tracking" value=${tracking} onInput=${(e) => setTracking(e.target.value)} required /></label>
      <button type="submit" class="accent" disabled=${busy || lines.length === 0}>${t('order.shipSelected')}</button>
    </div>
    <${ErrorNote} error=${error} />
  </form>`;
}

function Refunds({ order, refunds, done }) {
  const t = useT();
  const lineTitle = (id) => order.lines.find((l) => l.id === id)?.title ?? id;
  return html`<section class="card" data-testid="refunds">
    <h2>${t('order.refunds')}</h2>
    ${
      order.cancelRequested &&
      html`<div class="request">
      <p><strong>${t('order.cancelRequest')}</strong>: ${order.cancelReason}</p>
      <${Decide}
        name="cancel"
        onApprove=${() => call(`/v1/admin/orders/${order.orderNo}/cancel-request/approve`, { method: 'POST', body: {} }).then(done)}
        onReject=${(reason) => call(`/v1/admin/orders/${order.orderNo}/cancel-request/reject`, { method: 'POST', body: { reason } }).then(done)}
      />
    </div>`
    }
    ${refunds.length === 0 && !order.cancelRequested && html`<p class="muted">${t('common.none')}</p>`}
    ${refunds.map(
      (r) => html`<div class="request" data-refund=${r.refundNo}>
        <p><strong>${r.refundNo}</strong> · ${labelOr(t, `refundKind.${r.kind}`, r.kind)} · <${Money} fen=${r.amount} /> · <${StatusBadge} kind="refund" value=${r.status} /></p>
        <p class="muted">${r.reason}${r.reviewNote ? ` · ${r.reviewNote}` : ''} · ${r.lines.map((l) => `${lineTitle(l.lineId)} ¥${yuan(l.amount)}`).join('，')} · ${when(r.createdAt)}</p>
        ${
          r.status === 'requested' &&
          html`<${Decide}
          name="refund"
          onApprove=${() => call(`/v1/admin/refunds/${r.refundNo}/approve`, { method: 'POST', body: {} }).then(done)}
          onReject=${(reason) => call(`/v1/admin/refunds/${r.refundNo}/reject`, { method: 'POST', body: { reason } }).then(done)}
        />`
        }
      </div>`,
    )}
  </section>`;
}

function Edits({ order, done }) {
  const t = useT();
  const [remark, setRemark] = useState(order.merchantRemark);
  const [price, setPrice] = useState(yuan(order.payableAmount));
  const [reason, setReason] = useState('');
  const [run, busy, error] = useAction();
  const fen = toFen(price);
  const unpaid = order.status === 'pending_payment';
  return html`<section class="card">
    <h2>${t('order.edits')}</h2>
    <label>${t('order.remark')}<textarea name="remark" rows="2" maxlength="500" value=${remark} onInput=${(e) => setRemark(e.target.value)}></textarea></label>
    <button type="button" disabled=${busy} onClick=${() => run(() => call(`/v1/admin/orders/${order.orderNo}/remark`, { method: 'PUT', body: { remark } }), done)} data-action="remark">${t('order.saveRemark')}</button>
    ${
      unpaid &&
      html`<div class="inline">
      <label>${t('order.newPrice')}<input name="price" value=${price} onInput=${(e) => setPrice(e.target.value)} /></label>
      <label class="grow">${t('action.reason')}<input name="priceReason" value=${reason} onInput=${(e) => setReason(e.target.value)} /></label>
      <button type="button" disabled=${busy || !fen || !reason.trim()} onClick=${() => run(() => call(`/v1/admin/orders/${order.orderNo}/price`, { method: 'POST', body: { payableAmount: fen, reason: reason.trim() } }), done)} data-action="price">${t('order.adjustPrice')}</button>
      <button type="button" disabled=${busy} onClick=${() => run(() => call(`/v1/orders/${order.orderNo}/cancel`, { method: 'POST', body: { reason: reason.trim() || undefined } }), done)} data-action="cancel">${t('order.cancel')}</button>
    </div>`
    }
    <${ErrorNote} error=${error} />
  </section>`;
}

export function OrderDetailView({ id: orderNo }) {
  const t = useT();
  const { data, error, reload } = useLoad(
    () => Promise.all(['', '/payments', '/shipments', '/refunds'].map((part) => call(`/v1/orders/${orderNo}${part}`))),
    [orderNo],
  );
  // The order's event stream (the one the cashier listens to): a payment, a voucher or a buyer's request made
  // elsewhere shows here without reloading. EventSource cannot send headers, so the token goes as access_token.
  useEffect(() => {
    const token = encodeURIComponent(currentSession()?.token ?? '');
    const stream = new EventSource(`/v1/orders/${orderNo}/stream?access_token=${token}`);
    let first = true;
    stream.addEventListener('status', () => {
      if (!first) reload();
      first = false;
    });
    return () => stream.close();
  }, [orderNo]);
  if (error) return html`<${ErrorNote} error=${error} />`;
  if (!data) return html`<p class="muted">${t('common.loading')}</p>`;
  const [order, payments, shipments, refunds] = data;
  const a = order.address;
  return html`<div class="order-detail" data-testid="order-detail" data-status=${order.status}>
    <p><${Link} href="/admin/orders">← ${t('nav.orders')}<//></p>
    <div class="row-between">
      <h1>${t('order.title')} ${order.orderNo}</h1>
      <span><${StatusBadge} kind="status" value=${order.status} /> ${order.refundStatus !== 'none' ? html`<${StatusBadge} kind="refundStatus" value=${order.refundStatus} />` : ''}</span>
    </div>
    <div class="columns">
      <div>
        <section class="card">
          <h2>${t('order.lines')}</h2>
          <table class="compact" data-testid="lines">
            <thead><tr><th>${t('order.product')}</th><th class="num">${t('order.unitPrice')}</th><th class="num">${t('order.quantity')}</th><th class="num">${t('order.shipped')}</th><th class="num">${t('order.lineTotal')}</th><th class="num">${t('order.refunded')}</th></tr></thead>
            ${order.lines.map(
              (l) =>
                html`<tr data-line=${l.id}><td>${l.title}${l.spec ? html` <span class="muted">${l.spec}</span>` : ''}</td><td class="num"><${Money} fen=${l.unitPrice} /></td><td class="num">${l.quantity}</td><td class="num" data-field="shipped">${l.shippedQuantity}</td><td class="num"><${Money} fen=${l.lineTotal} /></td><td class="num"><${Money} fen=${l.refundedAmount} /></td></tr>`,
            )}
          </table>
          <dl class="amounts">
            <dt>${t('order.goods')}</dt><dd><${Money} fen=${order.goodsAmount} /></dd>
            <dt>${t('order.discount')}</dt><dd>${order.discountAmount > 0 ? '-' : ''}<${Money} fen=${order.discountAmount} /></dd>
            <dt>${t('order.shipping')}</dt><dd><${Money} fen=${order.shippingFee} /></dd>
            ${order.priceAdjustment !== 0 && html`<dt>${t('order.adjustment')}</dt><dd>${order.priceAdjustment < 0 ? '-' : '+'}<${Money} fen=${Math.abs(order.priceAdjustment)} /></dd>`}
            <dt>${t('orders.payable')}</dt><dd data-testid="payable"><strong><${Money} fen=${order.payableAmount} /></strong></dd>
            <dt>${t('order.paid')}</dt><dd data-testid="paid"><${Money} fen=${order.paidAmount} /></dd>
            <dt>${t('order.refunded')}</dt><dd data-testid="refunded"><${Money} fen=${order.refundedAmount} /></dd>
          </dl>
        </section>
        <${Payments} order=${order} payments=${payments} done=${reload} />
        <${ShipForm} key=${`${order.updatedAt}/${order.lines.map((l) => l.shippedQuantity).join(',')}`} order=${order} done=${reload} />
        <section class="card" data-testid="shipments">
          <h2>${t('order.shipments')}</h2>
          ${shipments.length === 0 && html`<p class="muted">${t('common.none')}</p>`}
          ${shipments.map((s) => html`<p>${s.carrier} ${s.trackingNumbers.join(', ')} · ${s.lines.map((l) => `${order.lines.find((x) => x.id === l.lineId)?.title ?? l.lineId} ×${l.quantity}`).join('，')} · <span class="muted">${when(s.createdAt)}</span></p>`)}
        </section>
        <${Refunds} order=${order} refunds=${refunds} done=${reload} />
      </div>
      <div>
        <section class="card">
          <h2>${t('order.buyer')}</h2>
          <p>${t('order.member')}: ${order.memberId ?? '—'} · ${labelOr(t, `client.${order.client}`, order.client)}</p>
          ${order.delivery === 'pickup' && html`<p data-testid="pickup"><span class="badge">${t('delivery.pickup')}</span> ${order.storeName}</p>`}
          ${a && html`<p>${a.receiverName} ${a.mobile}</p><p class="muted">${a.province}${a.city}${a.district}${a.address}</p>`}
          ${order.buyerRemark && html`<p>${t('order.buyerRemark')}: ${order.buyerRemark}</p>`}
        </section>
        <${Edits} key=${order.updatedAt} order=${order} done=${reload} />
        <section class="card">
          <h2>${t('order.timeline')}</h2>
          <ol class="timeline" data-testid="timeline">
            ${order.events.map(
              (
                e,
              ) => html`<li><span class="muted">${when(e.at)}</span> <strong title=${e.action}>${labelOr(t, `event.${e.action}`, t('event.other'))}</strong>${e.toStatus ? html` → ${t(`status.${e.toStatus}`)}` : ''}
                <span class="muted"> · ${labelOr(t, `actor.${e.actor.kind}`, e.actor.kind)}${e.actor.id ? ` #${e.actor.id}` : ''}</span>${e.note ? html`<div class="note">${e.note}</div>` : ''}</li>`,
            )}
          </ol>
        </section>
      </div>
    </div>
  </div>`;
}
