import { DIALECTS } from '../compat/dialects.ts';
import type { Config } from '../config.ts';
import { notificationRefusal } from '../providers/notification-refusal.ts';

/** A refusal as it goes on the wire. */
export interface Refusal {
  status: number;
  contentType: string;
  body: string;
}

/** The refusal of a request to `url` (path and query), in the envelope its caller reads. */
export type RefusalFor = (url: string, status: number, code: string, message: string) => Refusal;

const NOTIFY_ROUTE = /^\/v1\/payments\/notify\/(wechatpay|alipay)(\/|$)/;

/**
 * Whose envelope a URL is answered in, for refusals made before (or outside) any route's own error handler: a
 * connection's unreadable request, a URL the router cannot take, text PostgreSQL cannot store. A dialect's client
 * gets its dialect's body, a gateway's notification its protocol's refusal, everyone else the canonical
 * `{"error":{code,message,details}}`.
 */
export function refusalEnvelopes(dialectPrefixes: Config['dialectPrefixes']): RefusalFor {
  return (url, status, code, message) => {
    const notify = NOTIFY_ROUTE.exec(url);
    if (notify) {
      const refusal = notificationRefusal(notify[1] as 'wechatpay' | 'alipay', status, message);
      return { status, contentType: refusal.headers['content-type']!, body: refusal.body };
    }
    const path = url.split('?')[0]!;
    const dialect = DIALECTS.find(
      ({ name }) => path === dialectPrefixes[name] || path.startsWith(`${dialectPrefixes[name]}/`),
    );
    const body = dialect ? dialect.errorBody(message) : { error: { code, message, details: {} } };
    return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) };
  };
}
