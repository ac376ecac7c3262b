import { pino, type DestinationStream, type Logger } from 'pino';
import { logContext } from './log-context.ts';

// A mainland mobile number keeps its first three and last four digits (138****8000): enough to tell customers apart.
const MOBILE = /(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)/g;
export const maskPhones = (text: string) => text.replace(MOBILE, '$1****$2');

// Secrets may ride in a query string (EventSource and <img> cannot send headers; some dialects sign queries).
const SECRET_QUERY = /([?&](?:access_token|token|password|secret|sign|signature|key|smsCode|refundPassword)=)[^&]*/gi;
const redactUrl = (url: string) => maskPhones(url.replace(SECRET_QUERY, '$1[redacted]'));

const SECRET_FIELDS = [
  'password',
  'refundPassword',
  'token',
  'access_token',
  'accessToken',
  'secret',
  'apiKey',
  'signature',
  'sign',
  'smsCode',
  'masterKey',
];
const PHONE_FIELDS = ['mobile', 'phone'];
const HEADERS = ['authorization', 'cookie', 'set-cookie', 'access-token', 'token', 'x-ordo-signature'];
const REDACT_PATHS = [
  ...[...SECRET_FIELDS, ...PHONE_FIELDS].flatMap((f) => [f, `*.${f}`]),
  ...HEADERS.flatMap((h) => [`req.headers["${h}"]`, `res.headers["${h}"]`, `headers["${h}"]`, `*.headers["${h}"]`]),
];

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  socket?: { remoteAddress?: string };
}

/**
 * JSON logs. Every line written during a request carries its `reqId`, and during a job pass its `job` and
 * `jobRunId` (from log-context.ts). Secrets never reach the logs: auth headers, cookies, signatures, passwords,
 * tokens and keys are redacted wherever they appear as fields or query parameters, and mobile numbers are masked
 * in fields, URLs, messages and errors.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: REDACT_PATHS,
        censor: (value: unknown, path: string[]) =>
          PHONE_FIELDS.includes(path[path.length - 1]!) && typeof value === 'string' ? maskPhones(value) : '[redacted]',
      },
      // Fastify's request logger already binds reqId; anything else (use cases, jobs) gets the ids of the work it runs in.
      mixin: (_merge: object, _level: number, logger: Logger) => {
        const ids = logContext.getStore();
        return ids && !('reqId' in logger.bindings()) ? ids : {};
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? maskPhones(a) : a)) as Parameters<typeof method>);
        },
      },
      serializers: {
        req: (req: LoggedRequest) => ({
          method: req.method,
          url: redactUrl(req.url ?? ''),
          host: req.host,
          remoteAddress: req.socket?.remoteAddress,
        }),
        err: (err: Error) => {
          const serialized = pino.stdSerializers.err(err);
          return {
            ...serialized,
            message: maskPhones(serialized.message ?? ''),
            stack: maskPhones(serialized.stack ?? ''),
          };
        },
      },
    },
    destination,
  );
}
