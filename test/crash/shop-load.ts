import { randomBytes } from 'node:crypto';

/**
 * Checkout, payment and refund traffic against a running ordo over real HTTP, by a few concurrent shoppers, that
 * keeps going while ordo is killed and restarted: a request that fails (connection refused or reset, a 5xx while
 * the process dies) is counted and the shopper carries on with its next order, retrying an order under its
 * Idempotency-Key as a real client would.
 */

export interface LoadCounts {
  ordersPlaced: number;
  paymentsStarted: number;
  refundsApproved: number;
  failedRequests: number;
}

export interface LoadTarget {
  base: string;
  memberToken: string;
  adminToken: string;
  products: { id: number; optionIds: number[] }[];
}

async function call(
  target: LoadTarget,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${target.base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      authorization: `Bearer ${token}`,
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** One shopper's order: place it (retrying its key once), pay it by balance or at the simulated WeChat gateway, maybe ask for a refund that staff approve. */
async function shopOnce(target: LoadTarget, counts: LoadCounts, random: () => number): Promise<void> {
  const product = target.products[Math.floor(random() * target.products.length)]!;
  const key = `crash-${randomBytes(8).toString('hex')}`;
  const order = {
    lines: [
      { productId: product.id, optionIds: product.optionIds.slice(0, 1), quantity: 1 + Math.floor(random() * 2) },
    ],
    delivery: 'pickup',
  };
  let placed;
  try {
    placed = await call(target, 'POST', '/v1/orders', target.memberToken, order, { 'idempotency-key': key });
  } catch {
    counts.failedRequests += 1;
    await new Promise((r) => setTimeout(r, 300));
    placed = await call(target, 'POST', '/v1/orders', target.memberToken, order, { 'idempotency-key': key }); // the same order, not a second one
  }
  if (placed.status !== 201 && placed.status !== 200) return;
  counts.ordersPlaced += 1;
  const orderNo: string = placed.body.orderNo;
  const choice = random();
  if (choice < 0.1) return; // left unpaid: its stock stays reserved
  counts.paymentsStarted += 1;
  if (choice < 0.55) {
    const paid = await call(target, 'POST', `/v1/orders/${orderNo}/payments`, target.memberToken, {
      method: 'balance',
      client: 'H5',
    });
    if (paid.status !== 200) return;
  } else {
    const started = await call(target, 'POST', `/v1/orders/${orderNo}/payments`, target.memberToken, {
      method: 'wechat',
      channel: 'native',
      client: 'PC',
    });
    if (started.status !== 200) return;
    const gateway = await fetch(`${target.base}/sandbox/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: started.body.action.content }),
      signal: AbortSignal.timeout(10_000),
    });
    if (gateway.status !== 200) return;
    // the gateway's notification arrives on its own; wait for the order to turn paid
    for (let i = 0; i < 20; i++) {
      const seen = await call(target, 'GET', `/v1/orders/${orderNo}`, target.memberToken);
      if (seen.body?.status !== 'pending_payment') break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (random() < 0.35) {
    const seen = await call(target, 'GET', `/v1/orders/${orderNo}`, target.memberToken);
    if (seen.body?.status !== 'paid') return;
    const line = seen.body.lines[0];
    const amount = random() < 0.5 ? line.lineTotal : 1 + Math.floor(random() * (line.lineTotal - 1));
    const requested = await call(target, 'POST', `/v1/orders/${orderNo}/refunds`, target.memberToken, {
      kind: 'refund_only',
      reason: 'crash test',
      lines: [{ lineId: line.id, amount }],
    });
    if (requested.status !== 201) return;
    const approved = await call(
      target,
      'POST',
      `/v1/admin/refunds/${requested.body.refundNo}/approve`,
      target.adminToken,
      {},
    );
    if (approved.status === 200) counts.refundsApproved += 1;
  }
}

/** Runs `shoppers` concurrent shoppers until `stop()` says so. */
export async function runShopLoad(
  target: LoadTarget,
  shoppers: number,
  stop: () => boolean,
  counts: LoadCounts,
  random: () => number = Math.random,
): Promise<void> {
  await Promise.all(
    Array.from({ length: shoppers }, async () => {
      while (!stop()) {
        try {
          await shopOnce(target, counts, random);
        } catch {
          counts.failedRequests += 1; // ordo is down or dying: try again shortly
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }),
  );
}
