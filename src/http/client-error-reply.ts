import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { MAX_HEADER_BYTES, MAX_URL_LENGTH } from './request-boundary.ts';

type ClientError = Error & { code?: string };

/**
 * Requests Node's HTTP parser cannot read (request line and headers over MAX_HEADER_BYTES, a malformed request
 * line, a request that took too long) never reach a route, so their family is unknown: they are answered here in
 * the canonical envelope, where Fastify's default would answer `{"error":"…","statusCode":…}`. A merely long URL
 * (up to MAX_HEADER_BYTES) does reach ordo and is refused in its caller's envelope (request-boundary.ts).
 */
export function clientErrorReply(log: FastifyBaseLogger) {
  return (err: ClientError, socket: Socket): void => {
    // a reset connection, or one already answered (the parser reports each further chunk of the same request)
    if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable || socket.bytesWritten > 0) {
      socket.destroy();
      return;
    }
    const [status, code, message] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [
            431,
            'headers_too_large',
            `the request line and headers are over ${MAX_HEADER_BYTES} bytes; a URL may be at most ${MAX_URL_LENGTH} characters`,
          ]
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'request_timeout', 'the request did not arrive in time']
          : [400, 'bad_request', 'the request is not readable HTTP/1.1'];
    log.debug({ err: { code: err.code, message: err.message } }, 'client error');
    const body = JSON.stringify({ error: { code, message, details: {} } });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    socket.destroy();
  };
}
