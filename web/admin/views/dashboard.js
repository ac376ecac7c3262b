import { html, useEffect, useLayoutEffect, useMemo, useRef, useState } from '/web/vendor/preact-htm.mjs';
import { yuan } from '/web/shared/money.js';
import { useOrderChanges } from '../live.js';
import { call } from '../session.js';
import { ErrorNote, labelOr, Link, LiveNote, Money, useLoad, useT } from '../ui.js';

const METHOD_COLOURS = {
  wechat: '#22a559',
  alipay: '#1677ff',
  balance: '#f59e0b',
  cash: '#8b5cf6',
  voucher_alipay: '#60a5fa',
  voucher_wechat: '#86efac',
  voucher_bank: '#94a3b8',
};
const percent = (basisPoints) => `${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, '0')}%`;

/**
 * A Chart.js chart on a canvas, rebuilt when its config changes (no animation: the numbers are the point). Rebuilt
 * as the page is drawn, not after the next paint, so a chart never shows an older report than the tiles beside it.
 */
function ChartCanvas({ config, testId, label }) {
  const canvas = useRef(null);
  useLayoutEffect(() => {
    const chart = new globalThis.Chart(canvas.current, {
      ...config,
      options: { animation: false, maintainAspectRatio: false, ...config.options },
    });
    return () => chart.destroy();
  }, [config]);
  return html`<div class="chart-box"><canvas ref=${canvas} data-testid=${testId} aria-label=${label} role="img"></canvas></div>`;
}

function dailyChart(report, t) {
  return {
    type: 'bar',
    data: {
      labels: report.days.map((d) => d.date.slice(5)),
      datasets: [
        {
          type: 'bar',
          label: t('dash.gmvYuan'),
          data: report.days.map((d) => d.gmv / 100),
          backgroundColor: 'rgba(228,57,60,.75)',
          yAxisID: 'money',
          order: 2,
        },
        {
          type: 'line',
          label: t('dash.ordersPlaced'),
          data: report.days.map((d) => d.orders),
          borderColor: '#1677ff',
          backgroundColor: '#1677ff',
          yAxisID: 'count',
          tension: 0,
          order: 1,
        },
      ],
    },
    options: {
      scales: {
        money: { position: 'left', beginAtZero: true, title: { display: true, text: t('dash.yuan') } },
        count: {
          position: 'right',
          beginAtZero: true,
          grid: { drawOnChartArea: false },
          ticks: { precision: 0 },
          title: { display: true, text: t('dash.orders') },
        },
      },
    },
  };
}

function methodChart(report, t) {
  return {
    type: 'doughnut',
    data: {
      labels: report.methods.map((m) => labelOr(t, `method.${m.method}`, m.method)),
      datasets: [
        {
          data: report.methods.map((m) => m.amount / 100),
          backgroundColor: report.methods.map((m) => METHOD_COLOURS[m.method] ?? '#cbd5e1'),
        },
      ],
    },
    options: { plugins: { legend: { position: 'right' } } },
  };
}

const Tile = ({ label, testId, children }) =>
  html`<div class="tile"><div class="tile-label">${label}</div><div class="tile-value" data-testid=${testId}>${children}</div></div>`;

/** Work waiting for staff: vouchers to review and refunds to decide. */
function ToDo({ version }) {
  const t = useT();
  const { data } = useLoad(
    () =>
      Promise.all([
        call('/v1/orders?status=payment_review&limit=100'),
        call('/v1/admin/refunds?status=requested&limit=100'),
      ]),
    [version],
  );
  if (!data) return null;
  const [vouchers, refunds] = data;
  return html`<section class="card">
    <h2>${t('dash.todo')}</h2>
    <p><${Link} href="/admin/orders?status=payment_review">${t('dash.vouchersWaiting')}</${Link}>: <strong data-testid="todo-vouchers">${vouchers.items.length}${vouchers.nextCursor ? '+' : ''}</strong></p>
    <p>${t('dash.refundsWaiting')}: <strong data-testid="todo-refunds">${refunds.length}</strong></p>
    ${refunds.length > 0 && html`<ul class="plain">${refunds.slice(0, 8).map((r) => html`<li><${Link} href=${`/admin/orders/${r.orderNo}`}>${r.orderNo}</${Link}> · ${r.refundNo} · <${Money} fen=${r.amount} /></li>`)}</ul>`}
  </section>`;
}

export function DashboardView() {
  const t = useT();
  const params = new URLSearchParams(location.search);
  const [range, setRange] = useState({ from: params.get('from') ?? '', to: params.get('to') ?? '' });
  const [asked, setAsked] = useState(range);
  // every order placed or changed re-reads the figures: a payment made at the cashier shows in today's tiles
  const [version, setVersion] = useState(0);
  const live = useOrderChanges(() => setVersion((v) => v + 1), 1000);
  const { data: report, error } = useLoad(() => {
    const query = new URLSearchParams(Object.entries(asked).filter(([, v]) => v));
    return call(`/v1/admin/reports/sales${query.size ? `?${query}` : ''}`);
  }, [asked.from, asked.to, version]);
  // the server's answer says which days it covered (the shop's week when none were chosen); a live re-read of the
  // same days leaves dates being typed alone
  useEffect(() => {
    if (report) setRange({ from: report.from, to: report.to });
  }, [report?.from, report?.to]);
  const charts = useMemo(
    () => report && { daily: dailyChart(report, t), methods: methodChart(report, t) },
    [report, t],
  );
  const submit = (event) => {
    event.preventDefault();
    history.replaceState(null, '', `/admin?from=${range.from}&to=${range.to}`);
    setAsked({ ...range });
  };
  return html`<div class="dashboard">
    <div class="row-between">
      <h1>${t('nav.dashboard')} <${LiveNote} live=${live} /></h1>
      <form class="inline" onSubmit=${submit}>
        <label>${t('dash.from')} <input type="date" name="from" value=${range.from} onInput=${(e) => setRange({ ...range, from: e.target.value })} /></label>
        <label>${t('dash.to')} <input type="date" name="to" value=${range.to} onInput=${(e) => setRange({ ...range, to: e.target.value })} /></label>
        <button type="submit">${t('dash.show')}</button>
      </form>
    </div>
    <${ErrorNote} error=${error} />
    ${
      report &&
      charts &&
      html`<div class="tiles">
        <${Tile} label=${`${t('dash.today')} · ${t('dash.ordersPlaced')}`} testId="today-orders">${report.today.orders}<//>
        <${Tile} label=${`${t('dash.today')} · ${t('dash.gmv')}`} testId="today-gmv">¥${yuan(report.today.gmv)}<//>
        <${Tile} label=${t('dash.rangeGmv')} testId="range-gmv">¥${yuan(report.totals.gmv)}<//>
        <${Tile} label=${t('dash.rangeOrders')} testId="range-orders">${report.totals.orders}<//>
        <${Tile} label=${t('dash.rangePaid')} testId="range-paid">${report.totals.paidOrders}<//>
        <${Tile} label=${t('dash.refundRate')} testId="refund-rate">${percent(report.totals.refundRateBasisPoints)}<small> · ¥${yuan(report.totals.refundedAmount)}</small><//>
      </div>
      <div class="charts">
        <section class="card wide"><h2>${t('dash.daily')}</h2><${ChartCanvas} config=${charts.daily} testId="chart-daily" label=${t('dash.daily')} /></section>
        <section class="card"><h2>${t('dash.methods')}</h2>
          ${report.methods.length ? html`<${ChartCanvas} config=${charts.methods} testId="chart-methods" label=${t('dash.methods')} />` : html`<p class="muted">${t('common.none')}</p>`}
          <table class="compact" data-testid="method-table">
            ${report.methods.map((m) => html`<tr data-method=${m.method}><td>${labelOr(t, `method.${m.method}`, m.method)}</td><td class="num">${m.payments}</td><td class="num"><${Money} fen=${m.amount} /></td></tr>`)}
          </table>
        </section>
      </div>`
    }
    <${ToDo} version=${version} />
  </div>`;
}
