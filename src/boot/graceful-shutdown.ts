import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { RunningJob } from '../jobs/repeating-job.ts';

export interface ShutdownParts {
  app: FastifyInstance;
  jobs: RunningJob[];
  /** closes what is left once requests and job passes are done: the database, listeners */
  close(): Promise<void>;
  log: Logger;
  /** how long in-flight requests and job passes get before their connections are cut */
  timeoutSeconds: number;
}

/**
 * On SIGTERM (or SIGINT): stop accepting connections, let in-flight requests and the running job passes finish,
 * then close the database and exit 0. Nothing is cut half-way — every change is one transaction, and a job pass
 * is awaited, not abandoned — unless a request is still running after `timeoutSeconds` (its connection is then
 * closed and the exit code is 1). Live event streams never finish on their own, so they are ended at once: an
 * EventSource reconnects by itself, to another process or to this one's successor.
 */
export function installGracefulShutdown(parts: ShutdownParts): void {
  const { app, log } = parts;
  const streams = new Set<ServerResponse>();
  app.server.on('request', (request, response: ServerResponse) => {
    if (!request.url?.split('?')[0]!.endsWith('/stream')) return;
    streams.add(response);
    response.on('close', () => streams.delete(response));
  });

  let stopping = false;
  const shutDown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(
      { signal, eventStreams: streams.size },
      'shutting down: no new connections; finishing in-flight requests and job passes',
    );
    for (const stream of streams) stream.end();
    // a keep-alive connection whose request has just been answered would otherwise hold the server open
    const idleCloser = setInterval(() => app.server.closeIdleConnections(), 100);
    let forced = false;
    const deadline = setTimeout(() => {
      forced = true;
      log.warn(
        { timeoutSeconds: parts.timeoutSeconds },
        'requests still running at the shutdown deadline: closing their connections',
      );
      app.server.closeAllConnections();
    }, parts.timeoutSeconds * 1000);
    try {
      await Promise.all([app.close(), ...parts.jobs.map((job) => job.stop())]);
      clearTimeout(deadline);
      clearInterval(idleCloser);
      await parts.close();
      log.info({ forced }, 'stopped');
      process.exit(forced ? 1 : 0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutDown(signal));
}
