import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import type { AppContext } from '../context.ts';
import { isWalPosition, WAL_POSITION_PATTERN } from '../db/replicas/wal-position.ts';
import { AppError } from '../errors.ts';

/**
 * Read-your-writes behind read replicas. With DATABASE_READ_URL set, a successful write on /v1 answers with
 * `Ordo-Read-Position`: how far the primary had written once it committed (`pg_current_wal_insert_lsn()`, which
 * also counts commits not yet flushed under synchronous_commit=off). A client sends the latest position it was given
 * (by an answer or a live update) with its next reads; a replica serves such a read only when it has replayed that
 * far, else the primary does. Without replicas nothing is added and every read stays on the primary.
 */
export const READ_POSITION_HEADER = 'ordo-read-position';

export const ReadPosition = Type.String({
  pattern: WAL_POSITION_PATTERN,
  description:
    'With read replicas: the latest Ordo-Read-Position this client was given (by a write’s answer or a live update). The read then sees that write; without it, order reads go to the primary.',
});

/** The request schema's `headers` for a read that honours a position (it is documented in the OpenAPI document). */
export const ReadPositionHeaders = Type.Object({ [READ_POSITION_HEADER]: Type.Optional(ReadPosition) });

/** The response header a write answers with, for the OpenAPI document. */
const readPositionReplyHeader = {
  [READ_POSITION_HEADER]: {
    type: 'string',
    description:
      'With read replicas: where the primary stood after this write committed. Send it back as the Ordo-Read-Position header of the next reads to see this write.',
  },
};

export function installReadPositions(app: FastifyInstance, ctx: AppContext): void {
  const replicas = ctx.replicas;
  if (!replicas) return;
  app.addHook('onSend', async (request, reply, payload) => {
    const write = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    if (write && reply.statusCode < 300 && request.url.startsWith('/v1/')) {
      // the handler has returned, so its transaction has committed: this position includes the write
      const position = await replicas.primaryPosition().catch(() => null);
      if (position) reply.header(READ_POSITION_HEADER, position);
    }
    return payload;
  });
}

function positionOf(request: FastifyRequest): string | undefined {
  const raw = request.headers[READ_POSITION_HEADER];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !isWalPosition(raw))
    throw new AppError('validation_failed', `${READ_POSITION_HEADER} must be a position such as 16/B374D848`);
  return raw;
}

/**
 * The context for reads a little lag cannot harm (catalogue, admin lists, reports): a usable replica — one that has
 * replayed the request's read position when it names one — else the primary.
 */
export async function lagTolerantReads(ctx: AppContext, request: FastifyRequest): Promise<AppContext> {
  const position = positionOf(request);
  if (!ctx.replicas) return ctx;
  return { ...ctx, db: position ? await ctx.replicas.at(position) : ctx.readDb };
}

/**
 * The context for an order page's reads, which a buyer or a cashier makes right after changing the order: a replica
 * only when the request names a position it has replayed; without a position, the primary.
 */
export async function ownWriteReads(ctx: AppContext, request: FastifyRequest): Promise<AppContext> {
  const position = positionOf(request);
  if (!ctx.replicas || !position) return ctx;
  return { ...ctx, db: await ctx.replicas.at(position) };
}

/**
 * A live stream's `send` that adds to each update where the primary stood when it was sent (after the change
 * committed), so the page's next read sees the change; updates keep their order. Without replicas, `send` itself.
 */
export function sendingReadPositions(ctx: AppContext, send: (data: object) => void): (data: object) => void {
  const replicas = ctx.replicas;
  if (!replicas) return send;
  let previous = Promise.resolve();
  return (data) => {
    previous = previous.then(async () => {
      const readPosition = await replicas.primaryPosition().catch(() => null);
      send(readPosition ? { ...data, readPosition } : data);
    });
  };
}

/** A write's reply schema, documenting the Ordo-Read-Position header it answers with when there are replicas. */
export function afterWrite<T extends TSchema>(schema: T): T {
  return { ...schema, headers: readPositionReplyHeader };
}
