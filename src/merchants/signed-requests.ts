import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { appSigningSecret } from './apps.ts';

export const SIGNATURE_WINDOW_SECONDS = 300;

/**
 * The string an app signs for each merchant API call, one field per line:
 * METHOD, path, query string (as sent, without '?'), timestamp (unix seconds), nonce, raw body.
 */
export function signingString(r: {
  method: string;
  path: string;
  query: string;
  timestamp: string;
  nonce: string;
  body: string;
}): string {
  return [r.method.toUpperCase(), r.path, r.query, r.timestamp, r.nonce, r.body].join('\n');
}

export function signRequest(secret: string, r: Parameters<typeof signingString>[0]): string {
  return createHmac('sha256', secret).update(signingString(r), 'utf8').digest('hex');
}

export interface SignedRequest {
  appId: string;
  timestamp: string;
  nonce: string;
  signature: string;
  method: string;
  path: string;
  query: string;
  body: string;
}

/** A request as it arrived, whatever the server: what `signedRequestOf` reads. */
export interface ArrivedRequest {
  headers: Record<string, string | string[] | undefined>;
  method: string;
  url: string;
}

/** The signed request its `X-Ordo-*` headers, method, path and query carry, with the body given. */
export function signedRequestOf(request: ArrivedRequest, body: string): SignedRequest {
  const header = (name: string) => String(request.headers[name] ?? '');
  const [path, query = ''] = request.url.split('?');
  return {
    appId: header('x-ordo-app-id'),
    timestamp: header('x-ordo-timestamp'),
    nonce: header('x-ordo-nonce'),
    signature: header('x-ordo-signature'),
    method: request.method,
    path: path!,
    query,
    body,
  };
}

export type AppPrincipalInfo = { appRowId: number; appId: string; merchantId: number };

const refuseWith = (ctx: AppContext, appId: string, why: string): never => {
  ctx.log.warn({ appId, why }, 'signed request refused');
  throw new AppError('unauthorized', 'the request signature is not valid');
};

/**
 * Checks a merchant API call: a known, enabled app; a timestamp within five minutes of now; an HMAC-SHA256 that
 * matches. Every failure is the same 401, so a caller learns nothing about which part was wrong. The nonce is
 * checked and spent by `spendNonce` once the request is otherwise valid.
 */
export async function verifySignature(ctx: AppContext, r: SignedRequest): Promise<AppPrincipalInfo> {
  const refuse = (why: string): never => refuseWith(ctx, r.appId, why);
  if (
    !/^app_[0-9a-f]{16}$/.test(r.appId) ||
    !/^\d{1,12}$/.test(r.timestamp) ||
    !/^[A-Za-z0-9_-]{8,64}$/.test(r.nonce) ||
    !/^[0-9a-f]{64}$/.test(r.signature)
  )
    refuse('malformed headers');
  const nowSeconds = Math.floor(ctx.clock.now().getTime() / 1000);
  if (Math.abs(nowSeconds - Number(r.timestamp)) > SIGNATURE_WINDOW_SECONDS) refuse('outside the time window');
  const app = await ctx.db
    .selectFrom('apps')
    .select(['id', 'app_id', 'merchant_id', 'disabled'])
    .where('app_id', '=', r.appId)
    .executeTakeFirst();
  if (!app || app.disabled) return refuse('unknown or disabled app');
  const expected = Buffer.from(signRequest(await appSigningSecret(ctx, app.id), r), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(r.signature, 'hex'))) refuse('signature mismatch');
  return { appRowId: app.id, appId: app.app_id, merchantId: app.merchant_id };
}

/** A nonce is good once per app: it is kept until its window has passed, so a captured request cannot be replayed. */
export async function spendNonce(ctx: AppContext, appId: string, nonce: string, timestamp: string): Promise<void> {
  const fresh = await ctx.db
    .insertInto('api_nonces')
    .values({ app_id: appId, nonce, expires_at: new Date((Number(timestamp) + SIGNATURE_WINDOW_SECONDS) * 1000) })
    .onConflict((oc) => oc.columns(['app_id', 'nonce']).doNothing())
    .returning('nonce')
    .executeTakeFirst();
  if (!fresh) refuseWith(ctx, appId, 'nonce already used');
}

/** Nonces whose window has passed can be forgotten: a request that old is refused by its timestamp anyway. */
export async function forgetExpiredNonces(ctx: AppContext): Promise<number> {
  const result = await ctx.db.deleteFrom('api_nonces').where('expires_at', '<', ctx.clock.now()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
