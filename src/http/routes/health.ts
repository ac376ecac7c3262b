import type { LevelWithSilent } from 'pino';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';

export const healthRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const Status = Type.Object({ status: Type.String() });
    // Probes poll these every few seconds: their request lines would drown the log, so they show only at debug.
    const logLevel = (
      ['debug', 'trace'].includes(ctx.config.logLevel) ? ctx.config.logLevel : 'warn'
    ) as LevelWithSilent;
    app.get(
      '/healthz',
      { logLevel, schema: { tags: ['health'], summary: 'The process is up', response: { 200: Status } } },
      async () => ({ status: 'ok' }),
    );
    app.get(
      '/readyz',
      {
        logLevel,
        schema: { tags: ['health'], summary: 'The database answers', response: { 200: Status, 503: Status } },
      },
      async (_request, reply) => {
        try {
          await sql`select 1`.execute(ctx.db);
          return { status: 'ready' };
        } catch (err) {
          ctx.log.warn({ err }, 'readiness check failed');
          return reply.status(503).send({ status: 'database unavailable' });
        }
      },
    );
  };
