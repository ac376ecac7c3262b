import type { HttpResponse, Transport } from './provider.ts';

/** Real HTTP for gateway calls and sandbox notifications, with a timeout so a stuck gateway cannot hold a request. */
export function httpTransport(timeoutMs = 10_000): Transport {
  return async (request) => {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const headers: HttpResponse['headers'] = {};
    response.headers.forEach((value, key) => (headers[key] = value));
    return { status: response.status, headers, body: await response.text() };
  };
}
