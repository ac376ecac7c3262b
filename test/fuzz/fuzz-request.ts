/** One generated hostile request, and what the surface it goes to must answer. */
export interface FuzzRequest {
  /** 'canonical' or the dialect's name: whose error envelope the answer must be in */
  surface: string;
  /** the route, as its table names it (`POST /v1/orders/{orderNo}/cancel`, `yoshop order/detail`) */
  route: string;
  /** what makes it hostile, for the report of a failure */
  label: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /**
   * true: it must be refused (a 4xx in the envelope); false: a read or a sign-out with a dead token, which may
   * answer normally. Either way it must not be a 5xx and must not change a row.
   */
  mustRefuse: boolean;
}

export const describeRequest = (r: FuzzRequest) => {
  const payload =
    r.payload === undefined
      ? ''
      : ` ${(Buffer.isBuffer(r.payload) ? r.payload.toString('latin1') : r.payload).slice(0, 160)}`;
  const url = r.url.length > 160 ? `${r.url.slice(0, 160)}…` : r.url;
  return `${r.route} [${r.label}] ${r.method} ${url} ${JSON.stringify(r.headers).slice(0, 200)}${payload}`;
};
