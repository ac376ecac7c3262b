import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createHash } from 'node:crypto';

/**
 * Picture placeholders for the demo catalog, drawn on the fly so the repository carries no image files and the
 * demo works offline. Real shops point product images at their own storage.
 */
export const mediaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/media/demo/:name',
    { schema: { hide: true, params: Type.Object({ name: Type.String({ pattern: '^[a-z0-9-]{1,40}\\.svg$' }) }) } },
    async (request, reply) => {
      const label = request.params.name.replace(/\.svg$/, '');
      const hue = createHash('sha1').update(label).digest()[0]! * 1.4;
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400"><rect width="400" height="400" fill="hsl(${hue.toFixed(0)},55%,82%)"/><text x="200" y="210" font-family="sans-serif" font-size="36" text-anchor="middle" fill="hsl(${hue.toFixed(0)},45%,30%)">${label}</text></svg>`;
      return reply.header('content-type', 'image/svg+xml').header('cache-control', 'public, max-age=86400').send(svg);
    },
  );
};
