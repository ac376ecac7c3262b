import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Principal } from '../auth/tokens.ts';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

/**
 * Rate limits on the routes worth brute-forcing or flooding — sign-in, SMS-code sign-in, starting a payment — on the
 * canonical API and on each dialect's equivalent. Each request counts once against its client address and once
 * against its account (the username or mobile it signs in as, or the signed-in member, staff or app); a payment
 * start counts only once its caller is known (every mount resolves the token before this check runs). Counters
 * live in this process (@fastify/rate-limit's memory store): N processes allow up to N times the limit from one
 * client, while the lock-out after failed sign-ins (auth/sign-in-lockout.ts) is counted in the database.
 *
 * A refused request is an AppError `rate_limited`, so the route's own error handler writes the caller's envelope;
 * whatever HTTP status that handler picks (the dialects answer 200), the reply goes out as 429 with Retry-After.
 */
type Category = 'sign-in' | 'sms' | 'payment-start';
type Params = Record<string, unknown>;

interface LimitedRoute {
  method: string;
  /** the route's URL as registered (a dialect's includes its prefix) */
  url: string;
  /** which limit applies to this request (null: none, e.g. a yoshop action that is neither) and its account */
  classify(request: FastifyRequest): { category: Category; account: string | null } | null;
}

const text = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' ? String(value).trim().toLowerCase().slice(0, 64) : '';
const params = (request: FastifyRequest): Params => ({
  ...((request.query ?? {}) as Params),
  ...(request.body && typeof request.body === 'object' ? (request.body as Params) : {}),
});
const principalAccount = (p: Principal | null) =>
  !p
    ? null
    : p.kind === 'member'
      ? `member:${p.memberId}`
      : p.kind === 'staff'
        ? `staff:${p.staffId}`
        : `app:${p.appId}`;
const named = (kind: string, name: string) => (name ? `${kind}:${name}` : null);

function limitedRoutes(config: Config): LimitedRoute[] {
  const { mall, xxpay, yoshop } = config.dialectPrefixes;
  const memberSignIn = (request: FastifyRequest) => {
    const p = params(request);
    return {
      category: 'sign-in' as const,
      account: named(`member:${text(p.merchantId) || config.defaultMerchantId}`, text(p.username) || text(p.mobile)),
    };
  };
  const staffSignIn = (request: FastifyRequest) => ({
    category: 'sign-in' as const,
    account: named('staff', text(params(request).username)),
  });
  // Authenticated first, then counted: a request without a valid token is refused by the route's own sign-in
  // check (in its own envelope) and starts nothing, so made-up tokens cannot use up an address's payment starts.
  const pictureRequest = () => ({ category: 'sign-in' as const, account: null });
  const paymentStart = (request: FastifyRequest) =>
    request.principal ? { category: 'payment-start' as const, account: principalAccount(request.principal) } : null;
  return [
    { method: 'POST', url: '/v1/auth/login', classify: memberSignIn },
    { method: 'POST', url: '/v1/staff/login', classify: staffSignIn },
    { method: 'POST', url: '/v1/orders/:orderNo/payments', classify: paymentStart },
    { method: 'POST', url: '/v1/merchant/trade-orders/:tradeOrderNo/pay', classify: paymentStart },
    { method: 'POST', url: `${mall}/user/login`, classify: memberSignIn },
    { method: 'POST', url: `${mall}/pay`, classify: paymentStart },
    // the console signs in with any method (jQuery's default GET); each picture it asks for counts per address
    ...XXPAY_AUTH_METHODS.flatMap((method) => [
      { method, url: `${xxpay}/api/auth`, classify: staffSignIn },
      { method, url: `${xxpay}/api/auth/vercode`, classify: pictureRequest },
    ]),
    ...['bar', 'cash', 'balance'].flatMap((how) =>
      ['GET', 'POST'].map((method) => ({ method, url: `${xxpay}/api/memberPay/${how}`, classify: paymentStart })),
    ),
    ...['GET', 'POST'].map((method) => ({
      method,
      url: `${yoshop}/index.php`,
      // one URL for every action: `s` names it
      classify(request: FastifyRequest) {
        const p = params(request);
        const action = text(p.s)
          .replace(/^\/?(api\/)?/, '')
          .replace(/\/+$/, '');
        if (action === 'cashier/orderpay') return paymentStart(request);
        if (action === 'captcha/image') return pictureRequest();
        if (action !== 'passport/login' && action !== 'captcha/sendsmscaptcha') return null;
        const form = (p.form && typeof p.form === 'object' ? p.form : {}) as Params;
        const storeId = text(request.headers.storeid) || 'default';
        if (action === 'captcha/sendsmscaptcha')
          return { category: 'sms' as const, account: named(`mobile:${storeId}`, text(form.mobile)) };
        return {
          category: form.password ? ('sign-in' as const) : ('sms' as const),
          account: named(`mobile:${storeId}`, text(form.mobile)),
        };
      },
    })),
  ];
}

/** The methods the XxPay console's sign-in answers (XxPay's `/auth` takes any): every one of them is limited. */
const XXPAY_AUTH_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const refusedFor = new WeakMap<FastifyRequest, number>();

/** Registers the limits; call before any route is registered (they attach to routes as they are added). */
export async function installAbuseLimits(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(rateLimit, { global: false });
  const timeWindow = config.rateLimitWindowSeconds * 1000;
  const accountKeys = new WeakMap<FastifyRequest, string>();
  const limiter = (category: Category, by: 'ip' | 'account', max: number) =>
    app.createRateLimit({
      max,
      timeWindow,
      keyGenerator: (request) => `${category}|${by}|${by === 'ip' ? request.ip : accountKeys.get(request)}`,
    });
  const limiters: Record<Category, { ip: ReturnType<typeof limiter>; account: ReturnType<typeof limiter> }> = {
    'sign-in': {
      ip: limiter('sign-in', 'ip', config.signInLimitPerIp),
      account: limiter('sign-in', 'account', config.signInLimitPerAccount),
    },
    sms: {
      ip: limiter('sms', 'ip', config.smsLimitPerIp),
      account: limiter('sms', 'account', config.smsLimitPerAccount),
    },
    'payment-start': {
      ip: limiter('payment-start', 'ip', config.paymentStartLimitPerIp),
      account: limiter('payment-start', 'account', config.paymentStartLimitPerAccount),
    },
  };

  const routes = limitedRoutes(config);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = ([] as string[]).concat(route.method);
    const limited = routes.filter((r) => r.url === route.url && methods.includes(r.method));
    if (limited.length === 0) return;
    // preValidation: the body is parsed and the caller known, and a malformed flood is counted too
    const check = async (request: FastifyRequest) => {
      const matched = limited.find((r) => r.method === request.method)?.classify(request);
      if (!matched) return;
      const { ip, account } = limiters[matched.category];
      const results = [await ip(request)];
      if (matched.account) {
        accountKeys.set(request, matched.account);
        results.push(await account(request));
      }
      const exceeded = results.filter((r) => !r.isAllowed && r.isExceeded);
      if (exceeded.length === 0) return;
      const retryAfterSeconds = Math.max(1, ...exceeded.map((r) => (r.isAllowed ? 0 : r.ttlInSeconds)));
      throw new AppError('rate_limited', `too many ${matched.category} attempts; try again in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      });
    };
    route.preValidation = [
      ...([] as NonNullable<RouteOptions['preValidation']>[]).concat(route.preValidation ?? []).flat(),
      check,
    ] as RouteOptions['preValidation'];
  });

  // Whoever wrote the envelope, a refusal for abuse (a limit above, or a locked account) is a 429 with Retry-After.
  app.addHook('onError', async (request: FastifyRequest, _reply: FastifyReply, error: Error) => {
    if (error instanceof AppError && error.code === 'rate_limited')
      refusedFor.set(request, Number(error.details?.retryAfterSeconds) || 1);
  });
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply) => {
    const retryAfter = refusedFor.get(request);
    if (retryAfter !== undefined) reply.status(429).header('retry-after', String(retryAfter));
  });
}
