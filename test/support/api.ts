import type { TestApp } from './test-app.ts';

export interface ApiReply {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

export interface ApiOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One request through the full HTTP stack, JSON in and out. */
export async function api(t: TestApp, method: string, url: string, options: ApiOptions = {}): Promise<ApiReply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await t.app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(options.body === undefined
      ? {}
      : typeof options.body === 'string'
        ? { payload: options.body }
        : { payload: options.body as object }),
  });
  let body: unknown = response.body;
  try {
    body = response.body ? JSON.parse(response.body) : null;
  } catch {
    // not JSON (a docs page, an image): the raw text is the body
  }
  return { status: response.statusCode, body, headers: response.headers };
}
