import { pino, type DestinationStream, type Logger } from 'pino';

// Tokens may ride in a query string (EventSource and <img> cannot send headers); they never reach the logs.
const redactQueryTokens = (url: string) => url.replace(/([?&]access_token=)[^&]*/g, '$1[redacted]');

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  socket?: { remoteAddress?: string };
}

/** JSON logs; tokens and passwords never reach them (auth headers, password fields and query tokens are redacted). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: ['req.headers.authorization', 'req.headers["access-token"]', '*.password', 'password'], censor: '[redacted]' },
      serializers: {
        req: (req: LoggedRequest) => ({ method: req.method, url: redactQueryTokens(req.url ?? ''), host: req.host, remoteAddress: req.socket?.remoteAddress }),
      },
    },
    destination,
  );
}
