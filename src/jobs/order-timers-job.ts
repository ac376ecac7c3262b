import type { AppContext } from '../context.ts';
import { runOrderTimers } from '../flows/advance-order-timers.ts';
import { startRepeatingJob, type RunningJob } from './repeating-job.ts';

/** Auto-confirm receipt, auto-complete after the review window, settle after the refund window. */
export function startOrderTimers(ctx: AppContext, intervalSeconds: number): RunningJob {
  const perTimer = 100;
  // three timers per pass: a pass is "full" (worth repeating at once) when each of them filled its batch
  return startRepeatingJob(ctx, 'order timers', intervalSeconds, 3 * perTimer, () => runOrderTimers(ctx, perTimer));
}
