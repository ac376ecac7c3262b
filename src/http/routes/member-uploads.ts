import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { memberUploadByName } from '../../members/member-uploads.ts';

/**
 * The pictures members upload through a shop client (a review's photos, a refund's evidence, an avatar), served by
 * their random name so an <img> needs no token: the name is the secret, 128 random bits.
 */
export const memberUploadRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/media/uploads/:name',
      {
        schema: {
          hide: true,
          params: Type.Object({ name: Type.String({ pattern: '^[a-f0-9]{32}\\.(png|jpg|webp)$' }) }),
        },
      },
      async (request, reply) => {
        const upload = await memberUploadByName(ctx, request.params.name);
        if (!upload) throw notFound('picture', { name: request.params.name });
        return reply
          .header('content-type', upload.contentType)
          .header('cache-control', 'public, max-age=31536000, immutable')
          .header('x-content-type-options', 'nosniff')
          .send(upload.data);
      },
    );
  };
