import type { AppContext } from '../context.ts';
import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';

export const CLIENTS = ['H5', 'WXOFFICIAL', 'MP-WEIXIN', 'APP', 'PC', 'POS'] as const;
export type Client = (typeof CLIENTS)[number];

export const METHODS = [
  'wechat',
  'alipay',
  'balance',
  'voucher_alipay',
  'voucher_wechat',
  'voucher_bank',
  'cash',
] as const;
export type Method = (typeof METHODS)[number];

/** Which gateway channels a method can use; the first is what a client gets when it names none. */
export const CHANNELS: Record<'wechat' | 'alipay', readonly string[]> = {
  wechat: ['native', 'jsapi', 'mini', 'h5', 'app'],
  alipay: ['precreate', 'page', 'wap', 'app'],
};

export interface PaymentMethodSetting {
  method: Method;
  channel: string;
  accountId: number | null;
  enabled: boolean;
  isDefault: boolean;
}

export async function listMethodSettings(
  db: Db,
  storeId: number,
  client: Client,
): Promise<(PaymentMethodSetting & { client: string })[]> {
  const rows = await db
    .selectFrom('payment_methods')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('client', '=', client)
    .orderBy('sort')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    client: r.client,
    method: r.method as Method,
    channel: r.channel,
    accountId: r.account_id,
    enabled: r.enabled,
    isDefault: r.is_default,
  }));
}

/** The enabled method row for a store × client, or a clear 422. */
export async function enabledMethod(db: Db, storeId: number, client: string, method: string) {
  const row = await db
    .selectFrom('payment_methods')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('client', '=', client)
    .where('method', '=', method)
    .where('enabled', '=', true)
    .executeTakeFirst();
  if (!row) throw methodNotAvailable(method, client);
  return row;
}

export const methodNotAvailable = (method: string, client: string) =>
  new AppError('method_not_available', `${method} is not available for ${client} in this store`, { method, client });

/** Staff replace one store × client's method list: which are on, which is the default, which account is behind each. */
export async function saveMethodSettings(
  ctx: AppContext,
  merchantId: number,
  storeId: number,
  client: Client,
  settings: PaymentMethodSetting[],
) {
  if (settings.filter((s) => s.isDefault && s.enabled).length > 1)
    throw new AppError('validation_failed', 'only one method can be the default');
  for (const s of settings) {
    if ((s.method === 'wechat' || s.method === 'alipay') && s.enabled) {
      if (!CHANNELS[s.method].includes(s.channel))
        throw new AppError('validation_failed', `${s.method} has no channel ${s.channel}`, {
          allowed: CHANNELS[s.method],
        });
      if (s.accountId === null) throw new AppError('validation_failed', `${s.method} needs a provider account`);
    }
  }
  await ctx.db.transaction().execute(async (trx) => {
    const store = await trx
      .selectFrom('stores')
      .select('id')
      .where('id', '=', storeId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!store) throw new AppError('not_found', 'store not found', { storeId });
    const accountIds = settings.map((s) => s.accountId).filter((id): id is number => id !== null);
    if (accountIds.length) {
      const owned = await trx
        .selectFrom('provider_accounts')
        .select(['id', 'provider'])
        .where('merchant_id', '=', merchantId)
        .where('id', 'in', accountIds)
        .execute();
      for (const s of settings.filter((x) => x.accountId !== null)) {
        const account = owned.find((a) => a.id === s.accountId);
        const wanted = s.method === 'wechat' ? 'wechatpay' : s.method === 'alipay' ? 'alipay' : null;
        if (!account || account.provider !== wanted)
          throw new AppError('validation_failed', `account ${s.accountId} cannot take ${s.method} payments`);
      }
    }
    await trx.deleteFrom('payment_methods').where('store_id', '=', storeId).where('client', '=', client).execute();
    if (settings.length) {
      await trx
        .insertInto('payment_methods')
        .values(
          settings.map((s, i) => ({
            merchant_id: merchantId,
            store_id: storeId,
            client,
            method: s.method,
            channel: s.channel,
            account_id: s.accountId,
            enabled: s.enabled,
            is_default: s.isDefault && s.enabled,
            sort: i,
          })),
        )
        .execute();
    }
  });
  return listMethodSettings(ctx.db, storeId, client);
}
