import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import autocannon from 'autocannon';

export interface LoadResult {
  /** successful operations (2xx requests, or completed flows) */
  ok: number;
  /** refused or failed ones */
  failed: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * How long a load runs: for `seconds` (a measurement), or for a number of `operations` (a smoke run, which must see
 * some answers however busy the machine is: a second of a loaded machine can end before the first one arrives).
 */
export type Span = { seconds: number } | { operations: number };

export interface Target {
  path: string;
  headers?: Record<string, string>;
  /** a POST with this JSON body (a GraphQL query); a GET without one */
  body?: unknown;
}

/** Reads under steady load with autocannon: `connections` keep-alive connections, each request's target from `next`. */
export async function readLoad(base: string, span: Span, connections: number, next: () => Target): Promise<LoadResult> {
  const result = await autocannon({
    url: base,
    connections,
    ...('seconds' in span ? { duration: span.seconds } : { amount: span.operations }),
    requests: [
      {
        setupRequest(req: any) {
          const target = next();
          if (target.body === undefined)
            return { ...req, method: 'GET', path: target.path, headers: { ...req.headers, ...target.headers } };
          return {
            ...req,
            method: 'POST',
            path: target.path,
            headers: { ...req.headers, ...target.headers, 'content-type': 'application/json' },
            body: JSON.stringify(target.body),
          };
        },
      },
    ],
  });
  const ok = result['2xx'];
  const failed = result.non2xx + result.errors + result.timeouts;
  return {
    ok,
    failed,
    seconds: result.duration,
    perSecond: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

export interface Reply {
  status: number;
  body: any;
  headers: IncomingHttpHeaders;
}

/** A small keep-alive JSON client for multi-step flows (place, then pay), where each step needs the last answer. */
export function jsonClient(base: string, maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const url = new URL(base);
  return function call(
    method: string,
    path: string,
    options: { token?: string; headers?: Record<string, string>; body?: unknown; raw?: string } = {},
  ): Promise<Reply> {
    const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (payload !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = httpRequest({ agent, host: url.hostname, port: url.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  };
}

/** The `p`th percentile (0–100) of ascending `sorted` values; 0 when there are none. */
export const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

/**
 * Runs `workers` loops of `op` for the span (or until `op` says there is no more work) and times each operation.
 * `op` resolves true when it succeeded, false when ordo refused it as expected (e.g. sold out).
 */
export async function flowLoad(
  span: Span,
  workers: number,
  op: (worker: number) => Promise<boolean | 'done'>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failed = 0;
  let started = 0;
  const startedAt = performance.now();
  const goOn =
    'seconds' in span ? () => performance.now() < startedAt + span.seconds * 1000 : () => started < span.operations;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (goOn()) {
        started += 1;
        const t0 = performance.now();
        let outcome: boolean | 'done';
        try {
          outcome = await op(worker);
        } catch {
          outcome = false;
        }
        if (outcome === 'done') return;
        if (outcome) latencies.push(performance.now() - t0);
        else failed += 1;
      }
    }),
  );
  const elapsed = (performance.now() - startedAt) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    ok: latencies.length,
    failed,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
