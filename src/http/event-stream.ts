import type { FastifyReply, FastifyRequest } from 'fastify';

const KEEP_ALIVE_MS = 15_000;

type Send = (data: object) => void;

/**
 * Takes the reply over as a server-sent event stream of `event`s: the headers a proxy must not buffer, a comment
 * every 15 s so idle connections stay open. `follow` sends what is true now and subscribes to changes; what it
 * returns is called when the client goes. The route's URL ends in /stream, which is how a shutdown recognises
 * streams to end at once.
 */
export function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  event: string,
  follow: (send: Send) => () => void,
): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  // at once, not with the first event: the client knows it is listening (EventSource fires `open`)
  res.flushHeaders();
  // a send may come after the client left or a shutdown ended the stream (it waited for a read position)
  const unsubscribe = follow((data) => {
    if (!res.writableEnded && !res.destroyed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  request.raw.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}
