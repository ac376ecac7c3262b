import type { AppContext } from '../context.ts';
import type { Transport } from '../providers/provider.ts';
import { deliverDueWebhooks } from '../flows/deliver-webhooks.ts';
import { startRepeatingJob, type RunningJob } from './repeating-job.ts';

/** Sends due webhook deliveries (new ones, and retries on their backoff: see deliver-webhooks.ts). */
export function startWebhookDelivery(ctx: AppContext, transport: Transport, intervalSeconds: number): RunningJob {
  return startRepeatingJob(ctx, 'webhook delivery', intervalSeconds, 50, (batchSize) =>
    deliverDueWebhooks(ctx, transport, batchSize),
  );
}
