import type { Dialect } from '../../src/compat/dialects.ts';
import type { ApiReply } from './api.ts';

/**
 * How each surface says "refused": the canonical `{"error":{code,message,details}}` with a 4xx, or a dialect's own
 * envelope (most dialects answer errors with HTTP 200 and a code in the body, as their seed systems did).
 */
export function isCanonicalRefusal(reply: ApiReply): boolean {
  const e = reply.body?.error;
  return (
    reply.status >= 400 &&
    reply.status <= 499 &&
    e !== null &&
    typeof e === 'object' &&
    typeof e.code === 'string' &&
    typeof e.message === 'string' &&
    e.details !== null &&
    typeof e.details === 'object' &&
    !Array.isArray(e.details)
  );
}

export const DIALECT_ERROR: Record<Dialect['name'], (reply: ApiReply) => boolean> = {
  mall: (r) => typeof r.body?.status === 'number' && r.body.status !== 0 && typeof r.body.msg === 'string',
  yoshop: (r) => (r.body?.status === 500 || r.body?.status === 401) && typeof r.body.message === 'string',
  xxpay: (r) => typeof r.body?.code === 'number' && r.body.code !== 0 && typeof r.body.msg === 'string',
  storefront: (r) => r.body?.status === 0 && typeof r.body.msg === 'string',
  wholesale: (r) => r.body?.success === false && r.body.status === 1 && typeof r.body.message === 'string',
};
