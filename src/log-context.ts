import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * What the current work is — one HTTP request, or one pass of a repeating job — so every log line written while
 * doing it carries its id, including lines from use cases that only hold the app-wide logger (see logger.ts).
 */
export type LogIds = { reqId: string } | { job: string; jobRunId: string };

export const logContext = new AsyncLocalStorage<LogIds>();

/** The id of the request or job pass running now ('' outside both), e.g. to send along with a webhook. */
export function currentWorkId(): string {
  const ids = logContext.getStore();
  return !ids ? '' : 'reqId' in ids ? ids.reqId : ids.jobRunId;
}

/** Runs one job pass under an id of its own. */
export function runAsJobPass<T>(job: string, pass: () => Promise<T>): Promise<T> {
  return logContext.run({ job, jobRunId: `job-${randomUUID()}` }, pass);
}
