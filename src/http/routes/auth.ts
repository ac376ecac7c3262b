import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { revokeToken } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';
import { logInMember } from '../../members/log-in-member.ts';
import { registerMember } from '../../members/register-member.ts';
import { logInStaff } from '../../staff/log-in-staff.ts';
import { bearerToken } from '../../auth/bearer-token.ts';
import { requireMember, requireStaff } from '../authenticate.ts';
import { Client, DateTime, Id, replies, ShortText, Strict } from '../schemas.ts';

const Username = Type.String({ pattern: '^[A-Za-z0-9_.@-]{3,32}$' });
const Mobile = Type.String({ pattern: '^1\\d{10}$', description: 'mainland mobile number' });
const Password = Type.String({ minLength: 6, maxLength: 128 });
const MemberToken = Type.Object({ token: Type.String(), expiresAt: DateTime, memberId: Type.Integer() });

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/auth/register',
      {
        schema: {
          tags: ['members'],
          summary: 'Sign up a member (username and/or mobile) and sign them in',
          body: Strict({
            merchantId: Type.Optional(Id),
            username: Type.Optional(Username),
            mobile: Type.Optional(Mobile),
            password: Password,
            nickname: Type.Optional(ShortText(40)),
            email: Type.Optional(Type.String({ format: 'email', maxLength: 100 })),
            platform: Type.Optional(Client),
          }),
          response: replies({ 201: MemberToken }),
        },
      },
      async (request, reply) => reply.status(201).send(await registerMember(ctx, request.body)),
    );

    app.post(
      '/v1/auth/login',
      {
        schema: {
          tags: ['members'],
          summary: 'Sign a member in with username or mobile and password',
          body: Strict({
            merchantId: Type.Optional(Id),
            username: Type.Optional(ShortText(64, 1)),
            mobile: Type.Optional(ShortText(20, 1)),
            password: ShortText(128, 1),
            platform: Type.Optional(Client),
          }),
          response: replies({ 200: MemberToken }),
        },
      },
      async (request) => logInMember(ctx, request.body),
    );

    app.post(
      '/v1/auth/logout',
      {
        schema: {
          tags: ['members'],
          summary: 'Revoke the bearer token',
          security: [{ bearer: [] }],
          response: replies({ 204: Type.Null() }),
        },
        preHandler: requireMember,
      },
      async (request, reply) => {
        await revokeToken(ctx.db, bearerToken(request)!, ctx.clock.now());
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/v1/staff/login',
      {
        schema: {
          tags: ['staff'],
          summary: 'Sign a staff member in',
          body: Strict({ username: ShortText(64, 1), password: ShortText(128, 1) }),
          response: replies({
            200: Type.Object({
              token: Type.String(),
              expiresAt: DateTime,
              staffId: Type.Integer(),
              merchantId: Type.Integer(),
              role: Type.String(),
              name: Type.String(),
            }),
          }),
        },
      },
      async (request) => logInStaff(ctx, request.body),
    );

    app.post(
      '/v1/staff/logout',
      {
        schema: {
          tags: ['staff'],
          summary: 'Revoke the staff bearer token',
          security: [{ bearer: [] }],
          response: replies({ 204: Type.Null() }),
        },
        preHandler: requireStaff(),
      },
      async (request, reply) => {
        await revokeToken(ctx.db, bearerToken(request)!, ctx.clock.now());
        return reply.status(204).send(null);
      },
    );
  };
