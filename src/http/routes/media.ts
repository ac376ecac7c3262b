import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { demoPicture } from '../../demo/demo-pictures.ts';
import { notFound } from '../../errors.ts';

/**
 * The demo catalog's pictures, drawn in code (src/demo/demo-pictures.ts) so the repository carries no image files
 * and the demo works offline. Real shops point product images at their own storage.
 */
export const mediaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/media/demo/:name',
    { schema: { hide: true, params: Type.Object({ name: Type.String({ pattern: '^[a-z0-9-]{1,40}\\.svg$' }) }) } },
    async (request, reply) => {
      const name = request.params.name.replace(/\.svg$/, '');
      const svg = demoPicture(name);
      if (!svg) throw notFound('picture', { name });
      return reply.header('content-type', 'image/svg+xml').header('cache-control', 'public, max-age=86400').send(svg);
    },
  );
};
