import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { revokeClientToken } from '../../../auth/revoke-client-token.ts';
import type { AppContext } from '../../../context.ts';
import { AppError } from '../../../errors.ts';
import { logInMember } from '../../../members/log-in-member.ts';
import { getMemberProfile } from '../../../members/member-profile.ts';
import { registerMember } from '../../../members/register-member.ts';
import { MALL_STATUS, ok, okMessage, toMallUser } from '../mapping.ts';
import { CLIENT, MallError, Text } from '../params.ts';
import { clearSession, requireLogin, sessionToken, setSession, signedIn } from '../session.ts';

const isUnauthorized = (err: unknown) => err instanceof AppError && err.code === 'unauthorized';

/** mmall signs in by username; a mainland mobile number typed into the same field also works. */
async function signIn(ctx: AppContext, username: string, password: string) {
  try {
    return await logInMember(ctx, { username, password, platform: CLIENT });
  } catch (err) {
    if (!isUnauthorized(err)) throw err;
    if (/^1\d{10}$/.test(username)) {
      try {
        return await logInMember(ctx, { mobile: username, password, platform: CLIENT });
      } catch (again) {
        if (!isUnauthorized(again)) throw again;
      }
    }
    throw new MallError(MALL_STATUS.error, '用户名或密码错误');
  }
}

const RegisterBody = Type.Object({
  username: Type.String({ pattern: '^[A-Za-z0-9_.@-]{3,32}$' }),
  password: Text(128, 6),
  email: Type.Optional(Text(100)),
  phone: Type.Optional(Type.String({ pattern: '^(1\\d{10})?$' })),
});

/** Signing in and out (a session cookie holding a member token), registering, the signed-in user. */
export const userRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/user/login',
      { schema: { body: Type.Object({ username: Text(64, 1), password: Text(128, 1) }) } },
      async (request, reply) => {
        const signed = await signIn(ctx, request.body.username, request.body.password);
        const previous = sessionToken(request);
        if (previous) await revokeClientToken(ctx, previous);
        setSession(request, reply, signed.token, signed.expiresAt, ctx.clock.now());
        return ok(toMallUser(await getMemberProfile(ctx, signed.memberId)));
      },
    );

    app.post('/user/register', { schema: { body: RegisterBody } }, async (request) => {
      const { username, password, phone, email } = request.body;
      // mmall's register does not sign in, so the token sign-up issues is revoked.
      const registered = await registerMember(ctx, {
        username,
        password,
        mobile: phone || undefined,
        email: email || undefined,
        platform: CLIENT,
      });
      await revokeClientToken(ctx, registered.token);
      return okMessage('注册成功');
    });

    app.post('/user/logout', async (request, reply) => {
      const token = sessionToken(request);
      if (token) await revokeClientToken(ctx, token);
      clearSession(reply);
      return okMessage('退出成功');
    });

    app.get('/user', { onRequest: requireLogin }, async (request) =>
      ok(toMallUser(await getMemberProfile(ctx, signedIn(request).memberId))),
    );
  };
