import type { AppContext } from '../context.ts';

export interface RunningJob {
  stop(): Promise<void>;
}

/**
 * Runs `pass` every `intervalSeconds` until stopped. A pass that handled a full batch runs again at once, so a
 * backlog after downtime drains quickly. Each pass keeps its own transactions, so a restart loses nothing and
 * a failed pass is simply tried at the next interval.
 */
export function startRepeatingJob(ctx: AppContext, name: string, intervalSeconds: number, batchSize: number, pass: (batchSize: number) => Promise<number>): RunningJob {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const run = async () => {
    try {
      let handled: number;
      do {
        handled = await pass(batchSize);
        if (handled) ctx.log.info({ job: name, handled }, `${name} pass`);
      } while (handled === batchSize && !stopped);
    } catch (err) {
      ctx.log.error({ job: name, err }, `${name} failed; retrying next interval`);
    }
    if (!stopped) timer = setTimeout(() => (running = run()), intervalSeconds * 1000);
  };
  timer = setTimeout(() => (running = run()), 0);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
