import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';

export interface AppView {
  appId: string;
  name: string;
  webhookUrl: string;
  disabled: boolean;
  createdAt: Date;
}

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');

/**
 * A merchant's app (a till system, a web shop backend) that calls the signed merchant API and receives webhooks.
 * Its secret is returned once, here; afterwards only a hash (to recognise it) and a sealed copy (to verify HMACs
 * and sign webhooks) are kept.
 */
export async function createApp(
  ctx: AppContext,
  merchantId: number,
  input: { name: string; webhookUrl?: string },
): Promise<AppView & { secret: string }> {
  const secret = newSecret();
  const row = await ctx.db
    .insertInto('apps')
    .values({
      merchant_id: merchantId,
      app_id: `app_${randomBytes(8).toString('hex')}`,
      name: input.name,
      secret_hash: hashSecret(secret),
      secret_encrypted: ctx.secretBox.seal(secret),
      webhook_url: input.webhookUrl ?? '',
      created_at: ctx.clock.now(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...toAppView(row), secret };
}

const toAppView = (r: {
  app_id: string;
  name: string;
  webhook_url: string;
  disabled: boolean;
  created_at: Date;
}): AppView => ({
  appId: r.app_id,
  name: r.name,
  webhookUrl: r.webhook_url,
  disabled: r.disabled,
  createdAt: r.created_at,
});

export async function listApps(ctx: AppContext, merchantId: number): Promise<AppView[]> {
  const rows = await ctx.db
    .selectFrom('apps')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('id')
    .execute();
  return rows.map(toAppView);
}

export async function updateApp(
  ctx: AppContext,
  merchantId: number,
  appId: string,
  changes: { name?: string; webhookUrl?: string; disabled?: boolean },
): Promise<AppView> {
  const row = await ctx.db
    .updateTable('apps')
    .set({ name: changes.name, webhook_url: changes.webhookUrl, disabled: changes.disabled })
    .where('app_id', '=', appId)
    .where('merchant_id', '=', merchantId)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound('app', { appId });
  return toAppView(row);
}

/** A new secret replaces the old one at once; it is returned once, like at creation. */
export async function rotateAppSecret(
  ctx: AppContext,
  merchantId: number,
  appId: string,
): Promise<{ appId: string; secret: string }> {
  const secret = newSecret();
  const row = await ctx.db
    .updateTable('apps')
    .set({ secret_hash: hashSecret(secret), secret_encrypted: ctx.secretBox.seal(secret) })
    .where('app_id', '=', appId)
    .where('merchant_id', '=', merchantId)
    .returning('app_id')
    .executeTakeFirst();
  if (!row) throw notFound('app', { appId });
  return { appId, secret };
}

/** The secret that signs requests from, and webhooks to, an app (by its row id). */
export async function appSigningSecret(ctx: AppContext, appRowId: number): Promise<string> {
  const row = await ctx.db
    .selectFrom('apps')
    .select(['secret_encrypted', 'secret_hash'])
    .where('id', '=', appRowId)
    .executeTakeFirst();
  if (!row) throw notFound('app', { id: appRowId });
  const secret = ctx.secretBox.open(row.secret_encrypted);
  // a sealed copy that no longer matches its hash was tampered with or sealed under another master key
  if (hashSecret(secret) !== row.secret_hash)
    throw new AppError('conflict', 'the app secret cannot be read; rotate it');
  return secret;
}
