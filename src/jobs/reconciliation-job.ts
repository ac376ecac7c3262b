import type { AppContext } from '../context.ts';
import { reconcilePayments } from '../flows/reconcile-payments.ts';
import { startRepeatingJob, type RunningJob } from './repeating-job.ts';

/** Queries waiting payments and refunds whose next check is due (see BACKOFF_SECONDS in payments/due-checks.ts). */
export function startReconciliation(ctx: AppContext, intervalSeconds: number): RunningJob {
  return startRepeatingJob(ctx, 'reconciliation', intervalSeconds, 50, (batchSize) =>
    reconcilePayments(ctx, batchSize),
  );
}
