import type { AppContext } from '../context.ts';
import { listWaitingPayments } from '../payments/list-order-payments.ts';
import { syncPayment } from './sync-payment.ts';

/**
 * Asks the gateway about each of the order's payments still waiting for its word (a customer confirming on the
 * phone), and applies what it says. True when there was one to ask about, so the caller reads the order again.
 */
export async function checkWaitingPayments(ctx: AppContext, orderId: number): Promise<boolean> {
  const waiting = await listWaitingPayments(ctx, orderId);
  for (const payment of waiting) await syncPayment(ctx, payment);
  return waiting.length > 0;
}
