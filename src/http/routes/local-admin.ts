import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DATA_COMMANDS, runDataCommand } from '../../cli/commands.ts';
import { LOCAL_ADMIN_PATH, removeLocalAdmin, writeLocalAdmin } from '../../cli/local-admin.ts';
import type { AppContext } from '../../context.ts';
import { holdsDataFolder } from '../../db/data-folder-lock.ts';
import { AppError } from '../../errors.ts';
import { bearerToken } from '../../auth/bearer-token.ts';

const isLoopback = (address: string | undefined) =>
  !!address && (address === '::1' || /^(::ffff:)?127\./.test(address));
const digest = (text: string) => createHash('sha256').update(text).digest();

/** The URL the CLI on this machine reaches the server at, or null when it listens on an address loopback cannot reach. */
function loopbackUrl(address: AddressInfo): string | null {
  if (address.address === '0.0.0.0' || address.address === '::' || /^127\./.test(address.address))
    return `http://${address.address.startsWith('127.') ? address.address : '127.0.0.1'}:${address.port}`;
  return address.address === '::1' ? `http://[::1]:${address.port}` : null;
}

/**
 * The CLI's way in while this server holds the PGlite data folder (no second process may open it): the CLI sends
 * its command here and this process runs it on its own database. Only on a server that holds a PGlite folder; not
 * part of the public API.
 */
export const localAdminRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    if (ctx.config.databaseUrl || !holdsDataFolder(join(ctx.config.dataDir, 'pglite'))) return;
    const token = randomBytes(32).toString('base64url');
    const expected = digest(token);

    app.addHook('onListen', async () => {
      const url = loopbackUrl(app.server.address() as AddressInfo);
      if (url) writeLocalAdmin(ctx.config.dataDir, { pid: process.pid, url, token });
    });
    app.addHook('onClose', async () => removeLocalAdmin(ctx.config.dataDir, token));

    app.post(
      LOCAL_ADMIN_PATH,
      {
        schema: {
          hide: true,
          body: Type.Object(
            {
              command: Type.String({ maxLength: 100 }),
              options: Type.Record(
                Type.String(),
                Type.Union([Type.String({ maxLength: 10_000 }), Type.Number(), Type.Boolean()]),
              ),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const presented = bearerToken(request);
        // the socket's own address: a proxy's X-Forwarded-For must not make a remote caller look local
        if (!isLoopback(request.socket.remoteAddress) || !presented || !timingSafeEqual(digest(presented), expected)) {
          throw new AppError(
            'forbidden',
            'local administration only from this machine, with the token in the data folder',
          );
        }
        const command = DATA_COMMANDS.find((c) => c.name === request.body.command);
        if (!command) throw new AppError('not_found', `no command ${request.body.command}`);
        request.log.info({ command: command.name }, 'command from the local CLI');
        return runDataCommand(command, ctx, request.body.options);
      },
    );
  };
