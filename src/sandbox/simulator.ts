import type { Clock } from '../clock.ts';
import type { HttpRequest, Transport } from '../providers/provider.ts';
import type { SandboxKeys } from '../secrets/sandbox-keys.ts';

/**
 * The provider simulator's shared core: its keys, its clock, and how it delivers notifications to ordo. Each
 * simulated gateway (sandbox/wechatpay, sandbox/alipay) keeps its own trades and calls `notify` when the
 * buyer pays or a refund completes. Tests steer the delivery through `behaviour`.
 */
export type NotificationMode =
  | 'deliver' // send once, retry (up to `maxAttempts`) while ordo does not acknowledge
  | 'drop' // never send: ordo must find out by querying
  | 'duplicate' // send `duplicates` copies at once
  | 'delay' // hold for `delayMs`, then deliver
  | 'hold'; // keep until `releaseHeld()`, then deliver newest first (reordering)

export interface SimulatorBehaviour {
  notifications: NotificationMode;
  duplicates: number;
  delayMs: number;
  maxAttempts: number;
  /** close calls fail with a system error */
  failClose: boolean;
  /** code payments wait for the customer to confirm on the phone (USERPAYING) until `confirm` is called */
  userPaying: boolean;
}

export const DEFAULT_BEHAVIOUR: SimulatorBehaviour = {
  notifications: 'deliver',
  duplicates: 2,
  delayMs: 1000,
  maxAttempts: 3,
  failClose: false,
  userPaying: false,
};

export interface DeliveryRecord {
  url: string;
  request: HttpRequest;
  status: number | null;
  at: Date;
}

export class Simulator {
  behaviour: SimulatorBehaviour = { ...DEFAULT_BEHAVIOUR };
  /** every delivery attempt, newest last, for the sandbox page and tests */
  readonly deliveries: DeliveryRecord[] = [];
  /**
   * Tests only: the amount (fen) a gateway reports for a trade — in query answers, code-payment answers and
   * notifications — instead of what it charged, by out_trade_no; ordo must flag such a report, never apply it.
   * No route reaches it, and the sandbox does not exist in production (startup refuses ORDO_SANDBOX there).
   */
  readonly misreportedAmounts = new Map<string, number>();
  private held: { url: string; request: HttpRequest }[] = [];
  private pending = new Set<Promise<void>>();

  constructor(
    readonly keys: SandboxKeys,
    readonly clock: Clock,
    /** how the simulator reaches ordo's notify URLs (HTTP in the service, app.inject in tests) */
    private readonly deliver: Transport,
    /**
     * Where a buyer's browser reaches the sandbox (`<public URL>/sandbox`): payment pages a gateway hands out (WeChat
     * H5's h5_url) open there instead of at the real provider, which a sandbox trade does not exist at.
     */
    readonly pagesUrl?: string,
  ) {}

  /** Sends a notification to ordo according to the current behaviour; resolves when it is handed over (or dropped). */
  notify(url: string, request: Omit<HttpRequest, 'url' | 'method'> & { method?: 'POST' }): Promise<void> {
    const full: HttpRequest = { method: 'POST', url, headers: request.headers, body: request.body };
    const b = this.behaviour;
    switch (b.notifications) {
      case 'drop':
        this.deliveries.push({ url, request: full, status: null, at: this.clock.now() });
        return Promise.resolve();
      case 'hold':
        this.held.push({ url, request: full });
        return Promise.resolve();
      case 'duplicate':
        return this.track(
          Promise.all(Array.from({ length: b.duplicates }, () => this.attempt(url, full, 1))).then(() => undefined),
        );
      case 'delay':
        return this.track(
          new Promise<void>((resolve) =>
            setTimeout(() => void this.attempt(url, full, b.maxAttempts).then(resolve), b.delayMs),
          ),
        );
      default:
        return this.track(this.attempt(url, full, b.maxAttempts));
    }
  }

  /** What a gateway reports as paid for a trade: what it charged, unless a test set `misreportedAmounts`. */
  reportedAmount(outTradeNo: string, charged: number): number {
    return this.misreportedAmounts.get(outTradeNo) ?? charged;
  }

  /** Delivers held notifications, newest first, so ordo sees them out of order. */
  async releaseHeld(): Promise<void> {
    const held = this.held.reverse();
    this.held = [];
    for (const h of held) await this.attempt(h.url, h.request, 1);
  }

  /** Waits for deliveries in flight (tests call this before asserting). */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private track(p: Promise<void>): Promise<void> {
    this.pending.add(p);
    return p.finally(() => this.pending.delete(p));
  }

  private async attempt(url: string, request: HttpRequest, attemptsLeft: number): Promise<void> {
    let status: number | null = null;
    try {
      status = (await this.deliver(request)).status;
    } catch {
      status = null;
    }
    this.deliveries.push({ url, request, status, at: this.clock.now() });
    const acknowledged = status !== null && status >= 200 && status < 300;
    if (!acknowledged && attemptsLeft > 1) await this.attempt(url, request, attemptsLeft - 1);
  }
}

/** One simulated gateway, as the sandbox page and `POST /sandbox/pay` use it. */
export interface SimulatedGateway {
  /** Fastify routes of the gateway, registered under its own prefix (`/sandbox/wechatpay`, `/sandbox/alipay`). */
  routes: import('fastify').FastifyPluginAsync;
  /** Whether this gateway handed out that QR content or payment URL. */
  owns(content: string): boolean;
  /** The buyer pays the trade behind `content`; the gateway then notifies ordo (per `behaviour`). */
  pay(content: string): Promise<{ outTradeNo: string; amount: number }>;
  /** QR trades a buyer could pay right now, newest last, for the sandbox page. */
  payable(): PayableTrade[];
  /** Whether this gateway has a trade under that out_trade_no (for the sandbox's confirm endpoint). */
  hasTrade(outTradeNo: string): boolean;
  /** The customer confirms on the phone a code payment that is waiting (USERPAYING); the gateway then notifies. */
  confirm(outTradeNo: string): Promise<{ outTradeNo: string; amount: number }>;
}

export interface PayableTrade {
  content: string;
  outTradeNo: string;
  /** fen */
  amount: number;
  description: string;
}
