import type { HttpResponse } from './provider.ts';

/**
 * How ordo refuses a gateway's notification, in that gateway's protocol, whatever went wrong: WeChat Pay v3 reads
 * a JSON `{"code":"FAIL","message":…}`, Alipay the plain text `fail`. A 4xx says the notification itself is wrong
 * (an account of the other gateway, a body that cannot be stored); only a 5xx means "try again later".
 */
export function notificationRefusal(provider: 'wechatpay' | 'alipay', status: number, message: string): HttpResponse {
  return provider === 'wechatpay'
    ? { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'FAIL', message }) }
    : { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'fail' };
}
