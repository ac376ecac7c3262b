import { randomBytes } from 'node:crypto';
import { signNotificationParams } from '../../providers/alipay/signing.ts';
import type { AlipaySandboxKeys } from '../../secrets/sandbox-keys.ts';

/**
 * Alipay's asynchronous notifications as the simulated gateway sends them: form-encoded, signed with the
 * Alipay private key over every non-empty field except `sign` and `sign_type`.
 */

export const NOTIFICATION_HEADERS = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

export type NotificationFields = Record<string, string | undefined>;

export interface NotificationBodyOptions {
  /** sign with another key (a forged notification) instead of the simulator's Alipay private key */
  signingKeyPem?: string;
  /** change fields after signing, as if tampered with in transit */
  tamperAfterSigning?: Record<string, string>;
}

export function newNotifyId(): string {
  return randomBytes(16).toString('hex');
}

/** Signs the fields (undefined ones are left out) and encodes them as the form body Alipay posts. */
export function signedNotificationBody(
  privateKeyPem: string,
  fields: NotificationFields,
  options: NotificationBodyOptions = {},
): string {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined && key !== 'sign' && key !== 'sign_type') params[key] = value;
  const sign = signNotificationParams(params, options.signingKeyPem ?? privateKeyPem);
  return new URLSearchParams({ ...params, sign_type: 'RSA2', sign, ...options.tamperAfterSigning }).toString();
}

/**
 * For tests: a paid-trade notification for the sandbox account, with `overrides` applied before signing
 * (`undefined` removes a field). Use a wrong total_amount or another app_id for notifications that verify but
 * must not be applied, and `options` for ones that must not verify.
 */
export function buildAlipayNotificationBody(
  keys: AlipaySandboxKeys,
  overrides: NotificationFields = {},
  options: NotificationBodyOptions = {},
): string {
  const fields: NotificationFields = {
    notify_time: '2024-05-21 12:00:05',
    notify_type: 'trade_status_sync',
    notify_id: newNotifyId(),
    charset: 'utf-8',
    version: '1.0',
    app_id: keys.appId,
    auth_app_id: keys.appId,
    trade_no: '2024052122001400000000000001',
    out_trade_no: 'T202405210001',
    buyer_id: '2088000000000001',
    buyer_logon_id: '159****0000',
    seller_id: keys.sellerId,
    trade_status: 'TRADE_SUCCESS',
    total_amount: '0.01',
    receipt_amount: '0.01',
    invoice_amount: '0.01',
    buyer_pay_amount: '0.01',
    point_amount: '0.00',
    gmt_create: '2024-05-21 11:59:50',
    gmt_payment: '2024-05-21 12:00:04',
    subject: '测试订单',
    body: '测试订单',
    fund_bill_list: '[{"amount":"0.01","fundChannel":"ALIPAYACCOUNT"}]',
    ...overrides,
  };
  return signedNotificationBody(keys.alipayPrivateKeyPem, fields, options);
}
