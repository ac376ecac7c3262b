import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';
import { createAlipayProvider, type AlipayAccount } from './alipay/alipay.ts';
import type { PaymentProvider, Transport } from './provider.ts';
import { createWechatPayProvider, type WechatPayAccount } from './wechatpay/wechatpay.ts';
import type { SandboxKeys } from '../secrets/sandbox-keys.ts';
import { randomBytes } from 'node:crypto';

/**
 * Turns a provider account row into a working provider. Sandbox accounts get the simulator's generated keys and
 * its URLs on ordo's own port; live accounts carry their own credentials and the gateways' real URLs. Switching
 * is data, not code.
 */
export interface PaymentRuntime {
  providerFor(db: Db, accountId: number): Promise<{ provider: PaymentProvider; account: ProviderAccountInfo }>;
  /** Where the gateway should send notifications for this account. */
  notifyUrl(provider: 'wechatpay' | 'alipay', accountId: number): string;
}

export interface ProviderAccountInfo {
  id: number;
  merchantId: number;
  provider: 'wechatpay' | 'alipay';
  /** what the gateway's notifications must name: WeChat mchid / Alipay seller_id, and the app id */
  expectedMerchantId: string;
  expectedAppId: string;
}

export interface PaymentRuntimeOptions {
  /** ordo's own base URL as the gateways reach it (notify URLs), e.g. http://127.0.0.1:8080 */
  publicBaseUrl: string;
  /** sandbox keys and the base URL the simulator is mounted under, when sandbox mode is on */
  sandbox: { keys: SandboxKeys; baseUrl: string } | null;
  transport: Transport;
  clock: Clock;
}

export function createPaymentRuntime(options: PaymentRuntimeOptions): PaymentRuntime {
  const env = { transport: options.transport, clock: options.clock, nonce: () => randomBytes(16).toString('hex') };
  function build(row: {
    id: number;
    merchant_id: number;
    provider: 'wechatpay' | 'alipay';
    mode: string;
    credentials: Record<string, unknown>;
  }) {
    if (row.mode === 'sandbox' && !options.sandbox)
      throw new AppError('unprocessable', 'this payment account is a sandbox account and sandbox mode is off');
    const keys = options.sandbox?.keys;
    if (row.provider === 'wechatpay') {
      const account: WechatPayAccount =
        row.mode === 'sandbox'
          ? {
              mchid: keys!.wechat.mchid,
              appid: keys!.wechat.appid,
              merchantSerialNo: keys!.wechat.merchantSerialNo,
              merchantPrivateKeyPem: keys!.wechat.merchantPrivateKeyPem,
              apiV3Key: keys!.wechat.apiV3Key,
              platformKeys: { [keys!.wechat.platformKeyId]: keys!.wechat.platformPublicKeyPem },
              baseUrl: `${options.sandbox!.baseUrl}/wechatpay`,
            }
          : (row.credentials as unknown as WechatPayAccount);
      return {
        provider: createWechatPayProvider(account, env),
        account: {
          id: row.id,
          merchantId: row.merchant_id,
          provider: row.provider,
          expectedMerchantId: account.mchid,
          expectedAppId: account.appid,
        },
      };
    }
    const account: AlipayAccount =
      row.mode === 'sandbox'
        ? {
            appId: keys!.alipay.appId,
            sellerId: keys!.alipay.sellerId,
            appPrivateKeyPem: keys!.alipay.appPrivateKeyPem,
            alipayPublicKeyPem: keys!.alipay.alipayPublicKeyPem,
            gatewayUrl: `${options.sandbox!.baseUrl}/alipay/gateway.do`,
          }
        : (row.credentials as unknown as AlipayAccount);
    return {
      provider: createAlipayProvider(account, env),
      account: {
        id: row.id,
        merchantId: row.merchant_id,
        provider: row.provider,
        expectedMerchantId: account.sellerId,
        expectedAppId: account.appId,
      },
    };
  }

  return {
    async providerFor(db, accountId) {
      const row = await db.selectFrom('provider_accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
      if (!row) throw new AppError('not_found', 'payment account not found', { accountId });
      // Built per use (cheap: closures over the keys), so edited credentials apply at once.
      return build(row);
    },
    notifyUrl: (provider, accountId) => `${options.publicBaseUrl}/v1/payments/notify/${provider}/${accountId}`,
  };
}
