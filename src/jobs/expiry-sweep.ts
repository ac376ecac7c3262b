import type { AppContext } from '../context.ts';
import { closeExpiredOrders } from '../orders/close-expired-orders.ts';

/**
 * Runs the expiry sweep every `intervalSeconds` until stopped. A sweep that finds a full batch goes again at
 * once, so a backlog after downtime drains quickly; each sweep is its own transaction, so a restart loses nothing.
 */
export function startExpirySweep(ctx: AppContext, intervalSeconds: number): { stop(): Promise<void> } {
  const batchSize = 100;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const sweep = async () => {
    try {
      let closed: string[];
      do {
        closed = await closeExpiredOrders(ctx, batchSize);
        if (closed.length) ctx.log.info({ job: 'expiry', closed: closed.length }, 'closed expired orders');
      } while (closed.length === batchSize && !stopped);
    } catch (err) {
      ctx.log.error({ job: 'expiry', err }, 'expiry sweep failed; retrying next interval');
    }
    if (!stopped) timer = setTimeout(() => (running = sweep()), intervalSeconds * 1000);
  };
  timer = setTimeout(() => (running = sweep()), 0);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
