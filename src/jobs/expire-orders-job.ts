import type { AppContext } from '../context.ts';
import { closeExpiredOrders } from '../flows/expire-orders.ts';
import { startRepeatingJob, type RunningJob } from './repeating-job.ts';

/** Closes unpaid orders past `expires_at` every `intervalSeconds`. */
export function startExpirySweep(ctx: AppContext, intervalSeconds: number): RunningJob {
  return startRepeatingJob(
    ctx,
    'expiry',
    intervalSeconds,
    100,
    async (batchSize) => (await closeExpiredOrders(ctx, batchSize)).length,
  );
}
