import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook signature scheme, shared by the sender (deliver-webhooks.ts) and receivers:
 *
 *   x-ordo-timestamp: <unix seconds when the attempt was sent>
 *   x-ordo-signature: v1=<hex HMAC-SHA256(app signing secret, "<timestamp>.<raw body>")>
 *
 * The timestamp is inside the signed text, so an old request cannot be replayed with a new timestamp; a receiver
 * rejects timestamps further than a tolerance (5 minutes) from its own clock. The header may carry several
 * comma-separated `v1=` values (room for rotating secrets); one match is enough.
 */
export const SIGNATURE_HEADER = 'x-ordo-signature';
export const TIMESTAMP_HEADER = 'x-ordo-timestamp';
export const EVENT_ID_HEADER = 'x-ordo-event-id';

/** The `x-ordo-signature` value for a body sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type WebhookVerification =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature' };

/** Node's `IncomingMessage.headers` or a fetch `Headers`. */
export type ReceivedHeaders = Record<string, string | string[] | undefined> | FetchHeaders;
type FetchHeaders = { get(name: string): string | null };

function header(headers: ReceivedHeaders, name: string): string | undefined {
  if (typeof (headers as FetchHeaders).get === 'function') return (headers as FetchHeaders).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks a received webhook: `headers` as Node (`req.headers`) or fetch (`Headers`) give them, `rawBody` exactly
 * as received (before any JSON parsing), `now` the receiver's clock.
 */
export function verifyWebhook(
  secret: string,
  headers: ReceivedHeaders,
  rawBody: string,
  now: Date,
  toleranceSeconds = 300,
): WebhookVerification {
  const timestampText = header(headers, TIMESTAMP_HEADER);
  const signature = header(headers, SIGNATURE_HEADER);
  if (!timestampText || !signature) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestampText)) return { ok: false, reason: 'bad_timestamp' };
  const timestamp = Number(timestampText);
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'stale_timestamp' };
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
  const matches = signature
    .split(',')
    .map((s) => Buffer.from(s.trim()))
    .some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  return matches ? { ok: true, timestamp } : { ok: false, reason: 'bad_signature' };
}
