import { html, useState } from '/web/vendor/preact-htm.mjs';
import { yuan } from '/web/shared/money.js';
import { call } from '../session.js';
import { ErrorNote, labelOr, Link, Money, useAction, useLoad, useT, when } from '../ui.js';

function Ledger({ member, grades, done }) {
  const t = useT();
  const [account, setAccount] = useState('balance');
  const { data, error } = useLoad(
    () => call(`/v1/admin/members/${member.id}/ledger?account=${account}&limit=50`),
    [member.id, account],
  );
  const [run, busy, gradeError] = useAction();
  const setGrade = (value) =>
    run(
      () =>
        call(`/v1/admin/members/${member.id}/grade`, {
          method: 'PUT',
          body: { gradeId: value ? Number(value) : null },
        }),
      done,
    );
  const amount = (n) =>
    account === 'balance' ? `${n < 0 ? '-' : '+'}¥${yuan(Math.abs(n))}` : `${n > 0 ? '+' : ''}${n}`;
  return html`<section class="card" data-testid="ledger">
    <div class="row-between">
      <h2>${member.nickname || member.username || member.mobile} #${member.id}</h2>
      <label class="inline">${t('members.grade')}
        <select disabled=${busy} value=${member.grade?.id ?? ''} onChange=${(e) => setGrade(e.target.value)}>
          <option value="">—</option>${grades.map((g) => html`<option value=${g.id}>${g.name} (${g.discountPercent}%)</option>`)}
        </select>
      </label>
    </div>
    <${ErrorNote} error=${gradeError} />
    <div class="tabs">
      ${['balance', 'points'].map((a) => html`<button type="button" class=${a === account ? 'active' : ''} onClick=${() => setAccount(a)}>${t(`members.${a}`)}</button>`)}
    </div>
    <${ErrorNote} error=${error} />
    <table class="compact">
      <thead><tr><th>${t('members.at')}</th><th>${t('members.reason')}</th><th class="num">${t('members.change')}</th><th class="num">${t('members.after')}</th></tr></thead>
      ${(data ?? []).map(
        (e) => html`<tr data-entry=${e.id}>
          <td class="when">${when(e.createdAt)}</td>
          <td><span title=${e.reason}>${labelOr(t, `ledger.${e.reason}`, t('ledger.other'))}</span>${e.orderNo ? html` <${Link} href=${`/admin/orders/${e.orderNo}`} data-order=${e.orderNo}>${t('ledger.order', { orderNo: e.orderNo })}<//>` : ''}${e.note && e.note !== e.orderNo ? html` <span class="muted">${e.note}</span>` : ''}</td>
          <td class="num">${amount(e.delta)}</td><td class="num">${account === 'balance' ? `¥${yuan(e.balanceAfter)}` : e.balanceAfter}</td>
        </tr>`,
      )}
    </table>
    ${data?.length === 0 && html`<p class="muted">${t('common.none')}</p>`}
  </section>`;
}

export function MembersView() {
  const t = useT();
  const [q, setQ] = useState('');
  const [asked, setAsked] = useState('');
  const [pages, setPages] = useState([]);
  const [chosen, setChosen] = useState(null);
  const grades = useLoad(() => call('/v1/admin/member-grades'));
  const first = useLoad(async () => {
    const page = await call(`/v1/admin/members?limit=20${asked ? `&q=${encodeURIComponent(asked)}` : ''}`);
    setPages([page]);
    return page;
  }, [asked]);
  const [run, busy, error] = useAction();
  const items = pages.flatMap((p) => p.items);
  const next = pages.at(-1)?.nextCursor;
  const more = () =>
    run(
      () => call(`/v1/admin/members?limit=20&cursor=${next}${asked ? `&q=${encodeURIComponent(asked)}` : ''}`),
      (page) => setPages([...pages, page]),
    );
  const refresh = async () => {
    const page = await call(`/v1/admin/members?q=${chosen.id}`);
    const updated = page.items.find((m) => m.id === chosen.id);
    if (updated) {
      setChosen(updated);
      setPages(pages.map((p) => ({ ...p, items: p.items.map((m) => (m.id === updated.id ? updated : m)) })));
    }
  };
  return html`<div>
    <h1>${t('nav.members')}</h1>
    <form class="filters" onSubmit=${(e) => {
      e.preventDefault();
      setAsked(q.trim());
    }}>
      <label class="grow">${t('common.search')}<input placeholder=${t('members.searchHint')} value=${q} onInput=${(e) => setQ(e.target.value)} /></label>
      <button type="submit">${t('common.search')}</button>
    </form>
    <${ErrorNote} error=${first.error || error} />
    <div class="columns members-columns">
      <table class="list">
        <thead><tr><th>ID</th><th>${t('members.name')}</th><th>${t('members.grade')}</th><th class="num">${t('members.balance')}</th><th class="num">${t('members.points')}</th><th class="num">${t('members.paid')}</th><th class="num">${t('members.spent')}</th></tr></thead>
        <tbody>
          ${items.map(
            (
              m,
            ) => html`<tr class=${chosen?.id === m.id ? 'chosen' : ''} data-member=${m.id} onClick=${() => setChosen(m)}>
              <td>${m.id}</td><td><span class="linkish">${m.nickname || m.username || '—'}</span> <span class="muted">${m.mobile ?? ''}</span></td>
              <td>${m.grade?.name ?? '—'}</td><td class="num"><${Money} fen=${m.balance} /></td><td class="num">${m.points}</td><td class="num"><${Money} fen=${m.payMoney} /></td><td class="num"><${Money} fen=${m.expendMoney} /></td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${chosen && html`<${Ledger} key=${chosen.id} member=${chosen} grades=${grades.data ?? []} done=${refresh} />`}
    </div>
    ${next && html`<button type="button" onClick=${more} disabled=${busy}>${t('common.more')}</button>`}
    <p class="muted" data-testid="money-hint">${t('members.moneyHint')}</p>
  </div>`;
}
