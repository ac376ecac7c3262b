// A tiny client for ordo's canonical API (/v1): JSON in and out, the bearer token, and its error envelope
// {"error":{code,message,details}} turned into an ApiError the pages can show.

export class ApiError extends Error {
  constructor(status, code, message, details = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * @param {string} path e.g. '/v1/orders/2026…'
 * @param {{ method?: string, token?: string | null, body?: unknown, form?: FormData, headers?: Record<string,string>, as?: 'json' | 'blob' }} options
 */
export async function api(path, { method = 'GET', token, body, form, headers = {}, as = 'json' } = {}) {
  const init = { method, headers: { ...headers } };
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (form)
    init.body = form; // the browser sets the multipart boundary itself
  else if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, 'network', String(err?.message ?? err));
  }
  if (!response.ok) {
    const envelope = await response.json().catch(() => null);
    const error = envelope?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? response.statusText,
      error?.details ?? {},
    );
  }
  if (as === 'blob') return response.blob();
  return response.status === 204 ? null : response.json();
}

/** A key per order attempt, so a retried "buy" returns the same order instead of placing two. */
export function idempotencyKey() {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
