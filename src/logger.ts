import { pino, type Logger } from 'pino';

/** JSON logs; tokens and passwords never reach them (the auth header and password fields are redacted). */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers["access-token"]', '*.password', 'password'], censor: '[redacted]' },
  });
}
