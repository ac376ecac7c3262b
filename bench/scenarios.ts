import { randomBytes, randomUUID } from 'node:crypto';
import { toBeijingRfc3339 } from '../src/providers/wechatpay/transformers.ts';
import type { WechatSandboxKeys } from '../src/secrets/sandbox-keys.ts';
import { buildNotification } from '../src/sandbox/wechatpay/gateway.ts';
import { flowLoad, jsonClient, readLoad, type LoadResult, type Reply, type Span } from './load.ts';
import type { Fixture } from './seed.ts';

export interface Settings {
  /** how long each scenario measures */
  span: Span;
  connections: number;
  /** concurrent buyers in the checkout scenario */
  buyers: number;
  /** concurrent buyers paying with WeChat through the simulator */
  wechatBuyers: number;
  stormPayments: number;
  stormCopies: number;
}

export interface Scenario {
  name: string;
  unit: string;
  run(base: string): Promise<LoadResult>;
}

let counter = 0;
/** The next of `items`, round-robin (one counter for every load, so concurrent loads interleave but never repeat a run). */
export const pick = <T>(items: T[]): T => items[(counter = (counter + 1) % 1_000_000_007) % items.length]!;
const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');

/** Reads: order detail (canonical and the storefront dialect), order list pages. */
export function readScenarios(fixture: Fixture, s: Settings): Scenario[] {
  return [
    {
      name: 'order detail /v1',
      unit: 'req/s',
      run: (base) =>
        readLoad(base, s.span, s.connections, () => {
          const o = pick(fixture.orders);
          return { path: `/v1/orders/${o.orderNo}`, headers: { authorization: `Bearer ${o.token}` } };
        }),
    },
    {
      name: 'order detail storefront',
      unit: 'req/s',
      run: (base) =>
        readLoad(base, s.span, s.connections, () => {
          const o = pick(fixture.orders);
          return { path: `/storefront/api/order/detail?order_id=${o.id}`, headers: { token: o.token } };
        }),
    },
    {
      name: 'order list page (member)',
      unit: 'req/s',
      run: (base) =>
        readLoad(base, s.span, s.connections, () => {
          const r = pick(fixture.readers);
          return { path: '/v1/orders?limit=20', headers: { authorization: `Bearer ${r.token}` } };
        }),
    },
    {
      name: 'order list page (staff, filtered)',
      unit: 'req/s',
      run: (base) => {
        const filters = [
          '',
          '&status=paid',
          '&status=pending_payment',
          '&storeId=10001',
          '&status=completed&status=closed',
        ];
        return readLoad(base, s.span, s.connections, () => ({
          path: `/v1/orders?limit=20${pick(filters)}`,
          headers: { authorization: `Bearer ${fixture.staffToken}` },
        }));
      },
    },
  ];
}

/** The ceiling: one row by primary key through a bare Fastify + pg route. */
export function ceilingScenario(fixture: Fixture, s: Settings): Scenario {
  return {
    name: 'ceiling: bare Fastify+pg PK read',
    unit: 'req/s',
    run: (base) => readLoad(base, s.span, s.connections, () => ({ path: `/orders/${pick(fixture.orders).id}` })),
  };
}

/** Checkout: place an order for one SKU out of 100 and pay it from the balance; sold-out SKUs are refused (409). */
export function checkoutScenario(fixture: Fixture, s: Settings): Scenario {
  return {
    name: 'checkout (place + balance pay)',
    unit: 'orders/s',
    run(base) {
      const call = jsonClient(base, s.buyers);
      return flowLoad(s.span, s.buyers, async (worker) => {
        const buyer = fixture.buyers[worker % fixture.buyers.length]!;
        const sku = fixture.skus[Math.floor(Math.random() * fixture.skus.length)]!;
        return (await placeAndPayFromBalance(call, buyer.token, sku.productId)) !== null;
      });
    },
  };
}

/**
 * A buyer's checkout: places an order for one unit of `productId` (a pickup) and pays it from the balance. Answers
 * the order number and the payment's reply, or null when either was refused (a sold-out SKU).
 */
export async function placeAndPayFromBalance(
  call: ReturnType<typeof jsonClient>,
  token: string,
  productId: number,
): Promise<{ orderNo: string; paid: Reply } | null> {
  const placed = await call('POST', '/v1/orders', {
    token,
    headers: { 'idempotency-key': randomUUID() },
    body: { lines: [{ productId, quantity: 1 }], delivery: 'pickup' },
  });
  if (placed.status !== 201) return null;
  const paid = await call('POST', `/v1/orders/${placed.body.orderNo}/payments`, {
    token,
    body: { method: 'balance', client: 'H5' },
  });
  return paid.status === 200 && paid.body.payment.status === 'paid' ? { orderNo: placed.body.orderNo, paid } : null;
}

/** A full WeChat payment: place, start a native (QR) payment, the simulator pays and notifies ordo, the order is paid. */
export function wechatScenario(fixture: Fixture, s: Settings): Scenario {
  return {
    name: 'WeChat payment via simulator',
    unit: 'orders/s',
    run(base) {
      const call = jsonClient(base, s.wechatBuyers * 2);
      const skus = fixture.skus.slice(-50); // the plentiful ones
      return flowLoad(s.span, s.wechatBuyers, async (worker) => {
        const buyer = fixture.buyers[worker % fixture.buyers.length]!;
        const sku = skus[Math.floor(Math.random() * skus.length)]!;
        const placed = await call('POST', '/v1/orders', {
          token: buyer.token,
          headers: { 'idempotency-key': randomUUID() },
          body: { lines: [{ productId: sku.productId, quantity: 1 }], delivery: 'pickup' },
        });
        if (placed.status !== 201) return false;
        const orderNo = placed.body.orderNo as string;
        const started = await call('POST', `/v1/orders/${orderNo}/payments`, {
          token: buyer.token,
          body: { method: 'wechat', channel: 'native', client: 'PC' },
        });
        if (started.status !== 200) return false;
        const paid = await call('POST', '/sandbox/pay', { body: { content: started.body.action.content } });
        if (paid.status !== 200) return false;
        // the simulator notifies ordo on its own; the buyer's page sees the order paid
        for (let i = 0; i < 500; i++) {
          const order = await call('GET', `/v1/orders/${orderNo}`, { token: buyer.token });
          if (order.body.status === 'paid') return true;
          await new Promise((r) => setTimeout(r, 5));
        }
        return false;
      });
    },
  };
}

export interface Storm {
  scenario: Scenario;
  /** the orders the storm pays: each must end paid, by exactly one settlement */
  orderNos: string[];
}

/**
 * A notification storm: `stormPayments` waiting WeChat payments, each notified `stormCopies` times at once with
 * the same signed, encrypted notification (a gateway retrying while the first is still being handled). The
 * payments are started before the clock runs; the storm itself is the timed part.
 */
export async function prepareStorm(
  base: string,
  fixture: Fixture,
  s: Settings,
  keys: WechatSandboxKeys,
): Promise<Storm> {
  const call = jsonClient(base, 8);
  const skus = fixture.skus.slice(-50);
  const notifications: { body: string; headers: Record<string, string> }[] = [];
  const orderNos: string[] = [];
  for (let i = 0; i < s.stormPayments; i++) {
    const buyer = fixture.buyers[i % fixture.buyers.length]!;
    const placed = await call('POST', '/v1/orders', {
      token: buyer.token,
      headers: { 'idempotency-key': randomUUID() },
      body: { lines: [{ productId: skus[i % skus.length]!.productId, quantity: 1 }], delivery: 'pickup' },
    });
    const started = await call('POST', `/v1/orders/${placed.body.orderNo}/payments`, {
      token: buyer.token,
      body: { method: 'wechat', channel: 'native', client: 'PC' },
    });
    if (started.status !== 200)
      throw new Error(`storm set-up: starting a payment answered ${started.status} ${JSON.stringify(started.body)}`);
    const payment = started.body.payment as { outTradeNo: string; amount: number };
    orderNos.push(placed.body.orderNo);
    const resource = {
      appid: keys.appid,
      mchid: keys.mchid,
      out_trade_no: payment.outTradeNo,
      trade_type: 'NATIVE',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      attach: '',
      bank_type: 'OTHERS',
      transaction_id: `4200${digits(24)}`,
      success_time: toBeijingRfc3339(new Date()),
      payer: { openid: `obench${i}` },
      amount: { total: payment.amount, payer_total: payment.amount, currency: 'CNY', payer_currency: 'CNY' },
    };
    const notification = buildNotification(keys, new Date(), {
      eventType: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      originalType: 'transaction',
      resource,
    });
    for (let c = 0; c < s.stormCopies; c++) notifications.push(notification);
  }
  // copies of one notification sit next to each other in the queue, so they are handled at the same time
  const queue = [...notifications];
  const path = `/v1/payments/notify/wechatpay/${fixture.wechatAccountId}`;
  return {
    orderNos,
    scenario: {
      name: `notification storm (${s.stormCopies} copies each)`,
      unit: 'notifications/s',
      run(stormBase) {
        const post = jsonClient(stormBase, s.connections);
        // bounded by the queue, not the clock: the storm is over when every notification was answered
        return flowLoad({ seconds: 600 }, s.connections, async () => {
          const next = queue.shift();
          if (!next) return 'done';
          const reply = await post('POST', path, { headers: next.headers, raw: next.body });
          return reply.status >= 200 && reply.status < 300;
        });
      },
    },
  };
}
