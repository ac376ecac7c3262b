import type { AppContext } from '../context.ts';
import { runAsJobPass } from '../log-context.ts';

export interface RunningJob {
  stop(): Promise<void>;
}

/**
 * Runs `pass` every `intervalSeconds` until stopped. A pass that handled a full batch runs again at once, so a
 * backlog after downtime drains quickly. Each pass keeps its own transactions, so a restart loses nothing and
 * a failed pass is simply tried at the next interval. Each pass runs under an id of its own (`jobRunId` on its log
 * lines, and sent along with the webhooks it delivers).
 */
export function startRepeatingJob(
  ctx: AppContext,
  name: string,
  intervalSeconds: number,
  batchSize: number,
  pass: (batchSize: number) => Promise<number>,
): RunningJob {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const run = async () => {
    let handled: number;
    do {
      handled = await runAsJobPass(name, async () => {
        try {
          const count = await pass(batchSize);
          if (count) ctx.log.info({ handled: count }, `${name} pass`);
          return count;
        } catch (err) {
          ctx.log.error({ err }, `${name} failed; retrying next interval`);
          return 0;
        }
      });
    } while (handled === batchSize && !stopped);
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
