import type { AppContext } from '../context.ts';
import { forgetExpiredNonces } from '../merchants/signed-requests.ts';
import { startRepeatingJob, type RunningJob } from './repeating-job.ts';

/** Drops merchant API nonces whose five-minute window has passed (a request that old is refused by its timestamp). */
export function startNonceCleanup(ctx: AppContext, intervalSeconds: number): RunningJob {
  // one delete per pass: the batch size only tells the runner not to repeat at once
  return startRepeatingJob(ctx, 'nonce cleanup', intervalSeconds, Number.MAX_SAFE_INTEGER, () =>
    forgetExpiredNonces(ctx),
  );
}
