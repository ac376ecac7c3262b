import { api, ApiError } from '/web/shared/api.js';

// The staff session lives in sessionStorage: it ends with the tab, and another tab signs in on its own.
const KEY = 'ordo.admin.session';
const listeners = new Set();

export function currentSession() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
  } catch {
    return null;
  }
}

function save(session) {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
  for (const listener of listeners) listener(session);
}

export const onSessionChange = (listener) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export async function signIn(username, password) {
  const reply = await api('/v1/staff/login', { method: 'POST', body: { username, password } });
  save({
    token: reply.token,
    name: reply.name || username,
    role: reply.role,
    merchantId: reply.merchantId,
    expiresAt: reply.expiresAt,
  });
}

export async function signOut() {
  const session = currentSession();
  save(null);
  if (session) await api('/v1/staff/logout', { method: 'POST', token: session.token }).catch(() => {});
}

/** A canonical API call as the signed-in staff member; an expired or revoked token ends the session. */
export async function call(path, options = {}) {
  try {
    return await api(path, { ...options, token: currentSession()?.token });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) save(null);
    throw err;
  }
}

/** The same call, for a file the browser should save (the CSV export): the token goes in the header, not the URL. */
export async function download(path, filename) {
  const blob = await call(path, { as: 'blob' });
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
