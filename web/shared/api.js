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

// Behind read replicas, a write's answer and each live update carry where the primary stood after the change
// (Ordo-Read-Position). Reads send the latest one back, so the page reads what it has just done or been told of.
const READ_POSITION = 'ordo-read-position';
let readPosition = null;

const walOffset = (position) => {
  const [high, low] = position.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
};

/** Keeps the later of the position held and `position` (from an answer's header or a live update's readPosition). */
export function rememberReadPosition(position) {
  if (typeof position !== 'string' || !/^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/.test(position)) return;
  if (readPosition === null || walOffset(position) > walOffset(readPosition)) readPosition = position;
}

/**
 * @param {string} path e.g. '/v1/orders/2026…'
 * @param {{ method?: string, token?: string | null, body?: unknown, form?: FormData, headers?: Record<string,string>, as?: 'json' | 'blob' }} options
 */
export async function api(path, { method = 'GET', token, body, form, headers = {}, as = 'json' } = {}) {
  const init = { method, headers: { ...headers } };
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (method === 'GET' && readPosition && path.startsWith('/v1/')) init.headers[READ_POSITION] = readPosition;
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
  rememberReadPosition(response.headers.get(READ_POSITION));
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
