import { html, useState } from '/web/vendor/preact-htm.mjs';
import { call } from '../session.js';
import { ErrorNote, useAction, useLoad, useT, when } from '../ui.js';

/** A secret is shown once, right after it is made: ordo keeps only a hash and a sealed copy. */
function SecretOnce({ secret, onClose }) {
  const t = useT();
  return html`<div class="card secret" role="alert" data-testid="secret">
    <p><strong>${t('apps.secretOnce')}</strong></p>
    <p><code>${secret.appId}</code></p>
    <p><code data-testid="secret-value">${secret.secret}</code></p>
    <button type="button" onClick=${onClose}>${t('apps.secretSaved')}</button>
  </div>`;
}

export function AppsView() {
  const t = useT();
  const { data, error, reload } = useLoad(() => call('/v1/admin/apps'));
  const [form, setForm] = useState({ name: '', webhookUrl: '' });
  const [secret, setSecret] = useState(null);
  const [run, busy, actionError] = useAction();
  const create = (event) => {
    event.preventDefault();
    run(
      () =>
        call('/v1/admin/apps', {
          method: 'POST',
          body: { name: form.name.trim(), ...(form.webhookUrl.trim() ? { webhookUrl: form.webhookUrl.trim() } : {}) },
        }),
      (app) => {
        setSecret(app);
        setForm({ name: '', webhookUrl: '' });
        reload();
      },
    );
  };
  const rotate = (app) => {
    if (confirm(t('apps.rotateConfirm')))
      run(() => call(`/v1/admin/apps/${app.appId}/rotate-secret`, { method: 'POST' }), setSecret);
  };
  const toggle = (app) =>
    run(() => call(`/v1/admin/apps/${app.appId}`, { method: 'PATCH', body: { disabled: !app.disabled } }), reload);
  return html`<div>
    <h1>${t('nav.apps')}</h1>
    ${secret && html`<${SecretOnce} secret=${secret} onClose=${() => setSecret(null)} />`}
    <form class="card inline" onSubmit=${create}>
      <label>${t('apps.name')}<input value=${form.name} onInput=${(e) => setForm({ ...form, name: e.target.value })} required /></label>
      <label class="grow">${t('apps.webhookUrl')}<input type="url" value=${form.webhookUrl} placeholder="https://" onInput=${(e) => setForm({ ...form, webhookUrl: e.target.value })} /></label>
      <button type="submit" class="accent" disabled=${busy}>${t('common.create')}</button>
    </form>
    <${ErrorNote} error=${error || actionError} />
    <table class="list">
      <thead><tr><th>App ID</th><th>${t('apps.name')}</th><th>${t('apps.webhookUrl')}</th><th>${t('apps.created')}</th><th></th></tr></thead>
      <tbody>
        ${(data ?? []).map(
          (a) => html`<tr data-app=${a.appId} class=${a.disabled ? 'disabled' : ''}>
            <td><code>${a.appId}</code></td><td>${a.name}</td><td class="items">${a.webhookUrl || '—'}</td><td>${when(a.createdAt)}</td>
            <td class="actions"><button type="button" onClick=${() => rotate(a)} disabled=${busy}>${t('apps.rotate')}</button>
              <button type="button" onClick=${() => toggle(a)} disabled=${busy}>${a.disabled ? t('apps.enable') : t('apps.disable')}</button></td>
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
