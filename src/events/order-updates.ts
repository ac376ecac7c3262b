import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { OrderStatus } from '../domain/order-status.ts';
import type { OrderPaymentStatus } from '../domain/payment-status.ts';

/** What live pages hear of an order: its status and its payment status, as committed. */
export interface OrderUpdate {
  orderNo: string;
  merchantId: number;
  status: OrderStatus;
  paymentStatus: OrderPaymentStatus;
}

/** The update for an order row as a transition left it or as it was read under lock (no status is written by hand). */
export function orderUpdateOf(order: {
  order_no: string;
  merchant_id: number;
  status: OrderStatus;
  payment_status: OrderPaymentStatus;
}): OrderUpdate {
  return {
    orderNo: order.order_no,
    merchantId: order.merchant_id,
    status: order.status,
    paymentStatus: order.payment_status,
  };
}

/** The PostgreSQL channel every ordo process on one database listens on. */
export const ORDER_UPDATES_CHANNEL = 'ordo_order_updates';
const RECONNECT_MS = 1000;

/**
 * Tells live listeners that an order changed: the cashier's and the order page's stream (one order) and the
 * console's stream (every order of one merchant). Publish only after the change has committed. Listeners in
 * this process hear it at once; on PostgreSQL the update is also sent with NOTIFY, so a client connected to any
 * other ordo process on the same database hears it too (each process LISTENs on one connection of its own and
 * ignores its own notifications, which it already delivered). Without a database URL (the embedded PGlite: one
 * process) it stays in-process.
 */
export class OrderUpdates {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly origin = randomUUID();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly databaseUrl?: string) {}

  /**
   * Starts listening for other processes' updates (a server calls it before it accepts connections; otherwise the
   * first publish or subscribe starts it, so a test app that never streams opens no extra connection).
   */
  start(): Promise<void> {
    if (!this.databaseUrl || this.closed) return Promise.resolve();
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  publish(update: OrderUpdate): void {
    this.emit(update);
    if (!this.databaseUrl) return;
    const payload = JSON.stringify({ origin: this.origin, ...update });
    // fire and forget: the change is committed already; a listener that misses it still reads the order on connect
    this.start()
      .then(() => this.client?.query('select pg_notify($1, $2)', [ORDER_UPDATES_CHANNEL, payload]))
      .catch(() => {});
  }

  /**
   * The NOTIFY for an update that a statement sends itself, inside its transaction: PostgreSQL delivers it to the
   * other processes at commit, and only if the change commits, without a round trip of its own. The statement
   * completes the payload from the row it wrote (the order number, the statuses). Null without a database URL (the
   * embedded PGlite: no other process). After the commit, `notified` tells this process's listeners.
   */
  notification(update: Partial<OrderUpdate>): { channel: string; payload: Record<string, unknown> } | null {
    if (!this.databaseUrl) return null;
    return { channel: ORDER_UPDATES_CHANNEL, payload: { origin: this.origin, ...update } };
  }

  /** Tells this process's listeners of a committed update whose NOTIFY went out with its transaction. */
  notified(update: OrderUpdate): void {
    this.emit(update);
  }

  subscribe(orderNo: string, listener: (update: OrderUpdate) => void): () => void {
    return this.listen(`order:${orderNo}`, listener);
  }

  subscribeMerchant(merchantId: number, listener: (update: OrderUpdate) => void): () => void {
    return this.listen(`merchant:${merchantId}`, listener);
  }

  private listen(name: string, listener: (update: OrderUpdate) => void): () => void {
    this.emitter.on(name, listener);
    this.start().catch(() => this.listenAgainLater());
    return () => this.emitter.off(name, listener);
  }

  private emit(update: OrderUpdate): void {
    this.emitter.emit(`order:${update.orderNo}`, update);
    this.emitter.emit(`merchant:${update.merchantId}`, update);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => this.deliver(message.payload));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    await client.connect();
    // this connection only waits for notifications: it must never keep a stopping process alive
    (client as unknown as { connection: { stream: { unref(): void } } }).connection.stream.unref();
    await client.query(`listen ${ORDER_UPDATES_CHANNEL}`);
    if (this.closed) return void (await client.end());
    this.client = client;
  }

  private deliver(payload: string | undefined): void {
    try {
      const { origin, orderNo, merchantId, status, paymentStatus } = JSON.parse(payload ?? '') as OrderUpdate & {
        origin: string;
      };
      if (origin !== this.origin && typeof orderNo === 'string' && Number.isInteger(merchantId))
        this.emit({ orderNo, merchantId, status, paymentStatus });
    } catch {
      // not ours: another program may NOTIFY on the same channel
    }
  }

  /** The listening connection dropped (server restart, database dropped): listen again while anyone is waiting. */
  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => {});
    this.listenAgainLater();
  }

  private listenAgainLater(): void {
    if (this.closed || this.emitter.eventNames().length === 0) return;
    setTimeout(() => this.start().catch(() => this.listenAgainLater()), RECONNECT_MS).unref();
  }
}
