import { html, useState } from '/web/vendor/preact-htm.mjs';
import { api } from './api.js';

/** The member sign-in form (POST /v1/auth/login); hands the token to onToken. */
export function SignInForm({ t, title, defaults = {}, onToken }) {
  const [username, setUsername] = useState(defaults.username ?? '');
  const [password, setPassword] = useState(defaults.password ?? '');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const isMobile = /^1\d{10}$/.test(username);
      const signedIn = await api('/v1/auth/login', {
        method: 'POST',
        body: isMobile ? { mobile: username, password } : { username, password },
      });
      onToken(signedIn.token, username);
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="card sign-in" onSubmit=${submit}>
    <h2>${title}</h2>
    <label>${t('signin.username')}<input name="username" autocomplete="username" required value=${username} onInput=${(e) => setUsername(e.target.value)} /></label>
    <label>${t('signin.password')}<input name="password" type="password" autocomplete="current-password" required value=${password} onInput=${(e) => setPassword(e.target.value)} /></label>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <button class="primary" disabled=${busy}>${t('signin.submit')}</button>
  </form>`;
}
