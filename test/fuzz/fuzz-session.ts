import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { issueToken } from '../../src/auth/tokens.ts';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { buildApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logger.ts';
import { api, type ApiReply } from '../support/api.ts';
import { staffToken } from '../support/actors.ts';
import { DIALECT_ERROR, isCanonicalRefusal } from '../support/error-envelopes.ts';
import { signedHeaders } from '../support/merchant-api.ts';
import { operationsOf, type Operation } from '../support/openapi-operations.ts';
import { createOwnedData } from '../support/owned-data.ts';
import { changedRowCount, changedTables, snapshotTables, tableNames } from '../support/table-snapshot.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { canonicalRequests } from './canonical-requests.ts';
import { dialectRequests } from './dialect-requests.ts';
import { dialectRoutes, type DialectRoute } from './dialect-routes.ts';
import { describeRequest, type FuzzRequest } from './fuzz-request.ts';
import { hostileString, percentEncode } from './hostile-values.ts';

/**
 * An ordo on its own copy of the demo database, with one of everything owned (support/owned-data.ts), and every
 * canonical operation and dialect route as a fuzz target. `run(n)` spreads n generated requests over the targets,
 * sends each through the full HTTP stack, and snapshots every table before and after each target's batch.
 */

export interface FuzzFigures {
  requests: number;
  /** HTTP 5xx, and errors a dialect answered in its envelope but logged as unhandled */
  serverErrors: number;
  changedRows: number;
  /** must-refuse requests answered as if they were fine, or refused outside the caller's envelope */
  notRefused: number;
  failures: string[];
}

export interface FuzzTarget {
  label: string;
  canonical: boolean;
  requests: fc.Arbitrary<FuzzRequest>;
}

export interface FuzzSession {
  t: TestApp;
  operations: Operation[];
  dialectRoutes: DialectRoute[];
  targets: FuzzTarget[];
  run(requestCount: number, seed: number): Promise<FuzzFigures>;
  close(): Promise<void>;
}

const NO_LIMIT = 1_000_000_000;

export async function startFuzzSession(): Promise<FuzzSession> {
  // Abuse limits have tests of their own; here they would answer 429 before the input is even looked at.
  const t = await startTestApp({
    signInLimitPerIp: NO_LIMIT,
    signInLimitPerAccount: NO_LIMIT,
    smsLimitPerIp: NO_LIMIT,
    smsLimitPerAccount: NO_LIMIT,
    paymentStartLimitPerIp: NO_LIMIT,
    paymentStartLimitPerAccount: NO_LIMIT,
  });
  const owned = await createOwnedData(t);
  const past = new Date(t.clock.now().getTime() - 48 * 3600_000);
  const expiredMember = (
    await issueToken(t.ctx.db, { kind: 'member', id: owned.buyer.memberId, merchantId: DEMO.merchantId }, past, 1)
  ).token;
  const adminId = (
    await t.ctx.db.selectFrom('staff').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()
  ).id;
  const expiredStaff = (
    await issueToken(t.ctx.db, { kind: 'staff', id: adminId, merchantId: DEMO.merchantId }, past, 1)
  ).token;
  const revokedStaff = await staffToken(t);
  const out = await api(t, 'POST', '/v1/staff/logout', { token: revokedStaff });
  if (out.status !== 204) throw new Error(`staff logout failed: ${JSON.stringify(out.body)}`);

  // A second app on the same context, logging errors to a sink: a dialect that hides a crash in its envelope still logs it.
  const errorLines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (errorLines.push(String(chunk)), done()) });
  const app: FastifyInstance = await buildApp({ ...t.ctx, log: createLogger('error', sink) });
  await app.ready();

  const forged = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
  const tamper = (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
  const deadMemberToken = fc.oneof(
    fc.constantFrom(null, owned.revoked.token, expiredMember, tamper(owned.buyer.token), owned.adminToken),
    forged,
  );
  const deadStaffToken = fc.oneof(
    fc.constantFrom(null, revokedStaff, expiredStaff, tamper(owned.adminToken), owned.buyer.token),
    forged,
  );
  const deadAuthorization = fc.oneof(
    deadMemberToken.map((token) =>
      token === owned.adminToken ? `Bearer ${expiredStaff}` : token === null ? null : `Bearer ${token}`,
    ),
    fc.constantFrom(
      'Bearer',
      'Bearer ',
      `Basic ${Buffer.from('admin:admin123').toString('base64')}`,
      `Token ${owned.buyer.token}`,
      `bearer  ${owned.revoked.token}`,
    ),
    fc.stringMatching(/^[\x21-\x7e]{1,80}$/).map((s) => `Bearer ${s}`),
  );
  const now = () => Math.floor(t.clock.now().getTime() / 1000);
  const app_ = owned.merchantApp;
  const forgedSignature = fc.oneof(
    fc.stringMatching(/^[0-9a-f]{64}$/).map((sig) => (m: string, u: string, b: string) => ({
      ...signedHeaders(t, app_, m, u, b),
      'x-ordo-signature': sig,
    })),
    fc.constant((m: string, u: string, b: string) => signedHeaders(t, app_, m, u, b, { timestamp: now() - 3600 })),
    fc.constant((m: string, u: string, b: string) => signedHeaders(t, app_, m, u, `${b} `)),
    fc.constant((m: string, u: string, b: string) => ({
      ...signedHeaders(t, app_, m, u, b),
      'x-ordo-app-id': 'app_0000000000000000',
    })),
    fc.constant((m: string, u: string, b: string) => signedHeaders(t, { ...app_, secret: 'not-the-secret' }, m, u, b)),
    hostileString.map((nonce) => (m: string, u: string, b: string) => ({
      ...signedHeaders(t, app_, m, u, b),
      'x-ordo-nonce': percentEncode(nonce),
    })),
    fc
      .constantFrom('x-ordo-app-id', 'x-ordo-timestamp', 'x-ordo-nonce', 'x-ordo-signature')
      .map((name) => (m: string, u: string, b: string) => {
        const { [name]: _dropped, ...rest } = signedHeaders(t, app_, m, u, b);
        return rest;
      }),
  );
  const forgedAppHeaders = fc.stringMatching(/^[0-9a-f]{64}$/).map((sig) => ({
    'x-ordo-app-id': app_.appId,
    'x-ordo-timestamp': String(now()),
    'x-ordo-nonce': randomBytes(8).toString('hex'),
    'x-ordo-signature': sig,
  }));

  const openapi = JSON.parse((await app.inject({ method: 'GET', url: '/openapi.json' })).body);
  const operations = operationsOf(openapi);
  const routes = await dialectRoutes(t.ctx);
  const bodyLimit = t.ctx.config.bodyLimitBytes;
  const canonicalWorld = {
    pathValues: owned.pathValues,
    memberToken: owned.buyer.token,
    adminToken: owned.adminToken,
    deadAuthorization,
    sign: (m: string, u: string, b: string) => signedHeaders(t, app_, m, u, b),
    forgedSignature,
    bodyLimit,
  };
  const dialectWorld = {
    memberToken: owned.buyer.token,
    adminToken: owned.adminToken,
    deadMemberToken,
    deadStaffToken,
    forgedAppHeaders,
    bodyLimit,
  };
  const targets: FuzzTarget[] = [
    ...operations.map((op) => ({ label: op.label, canonical: true, requests: canonicalRequests(op, canonicalWorld) })),
    ...routes.map((route) => ({ label: route.key, canonical: false, requests: dialectRequests(route, dialectWorld) })),
  ];
  // The staff audit trail records every staff attempt, refusals included (src/staff/audit-trail.ts): it may grow,
  // and on the canonical API (where a refusal is a 4xx) only by refusals. Dialects answer refusals with HTTP 200.
  // A picture captcha is drawn (a row of `captchas`) for anyone who asks, whatever else the request holds.
  const tables = (await tableNames(t.ctx.db)).filter((name) => name !== 'staff_audit' && name !== 'captchas');
  const auditedSuccesses = async () =>
    Number(
      (
        await t.ctx.db
          .selectFrom('staff_audit')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('status_code', '<', 400)
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function send(request: FuzzRequest): Promise<ApiReply> {
    const response = await app.inject({
      method: request.method as 'GET',
      url: request.url,
      headers: request.headers,
      ...(request.payload === undefined ? {} : { payload: request.payload }),
    });
    let body: unknown = response.body;
    try {
      body = JSON.parse(response.body);
    } catch {
      // not JSON: judged as outside every envelope
    }
    return { status: response.statusCode, body, headers: response.headers };
  }

  function problemWith(request: FuzzRequest, reply: ApiReply, logged: string[]): string | null {
    if (reply.status >= 500) return `HTTP ${reply.status}`;
    if (logged.length) return `logged an unhandled error: ${logged[0]!.slice(0, 300)}`;
    const refused =
      request.surface === 'canonical'
        ? isCanonicalRefusal(reply)
        : DIALECT_ERROR[request.surface as keyof typeof DIALECT_ERROR](reply);
    if (request.mustRefuse && !refused) return `not refused in the ${request.surface} envelope: HTTP ${reply.status}`;
    if (!request.mustRefuse && reply.status >= 400 && !refused)
      return `HTTP ${reply.status} outside the ${request.surface} envelope`;
    return null;
  }

  return {
    t,
    operations,
    dialectRoutes: routes,
    targets,
    async run(requestCount, seed) {
      const figures: FuzzFigures = { requests: 0, serverErrors: 0, changedRows: 0, notRefused: 0, failures: [] };
      const perTarget = Math.ceil(requestCount / targets.length);
      for (const [i, target] of targets.entries()) {
        const before = await snapshotTables(t.ctx.db, tables);
        const successesBefore = await auditedSuccesses();
        for (const request of fc.sample(target.requests, { numRuns: perTarget, seed: seed + i })) {
          errorLines.length = 0;
          let reply: ApiReply;
          try {
            reply = await send(request);
          } catch (err) {
            figures.failures.push(`could not send ${describeRequest(request)}: ${(err as Error).message}`);
            continue;
          }
          figures.requests += 1;
          const problem = problemWith(
            request,
            reply,
            errorLines.filter((line) => JSON.parse(line).level >= 50),
          );
          if (!problem) continue;
          if (problem.startsWith('HTTP 5') || problem.startsWith('logged')) figures.serverErrors += 1;
          else figures.notRefused += 1;
          figures.failures.push(
            `${problem}: ${describeRequest(request)} → ${JSON.stringify(reply.body).slice(0, 200)}`,
          );
        }
        const after = await snapshotTables(t.ctx.db, tables);
        const auditedAsDone = target.canonical ? (await auditedSuccesses()) - successesBefore : 0;
        const changed = changedRowCount(before, after) + auditedAsDone;
        if (changed) {
          figures.changedRows += changed;
          figures.failures.push(
            `${target.label}: ${changed} rows changed in ${[...changedTables(before, after), ...(auditedAsDone ? ['staff_audit (as done)'] : [])].join(', ')}`,
          );
        }
      }
      return figures;
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}
