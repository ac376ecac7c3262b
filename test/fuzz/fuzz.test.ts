import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { staleTableEntries } from './dialect-routes.ts';
import { startFuzzSession } from './fuzz-session.ts';

/**
 * Generated hostile requests to every canonical operation (from /openapi.json) and every dialect route (from the
 * dialect plugins): none may get a 5xx, none may change a row, and each built to be refused is refused in the
 * caller's envelope. The suite runs a CI-sized batch; `npm run fuzz` runs 10,000 (FUZZ_RUNS, FUZZ_SEED to repeat).
 */

const RUNS = Number(process.env.FUZZ_RUNS || 1_200);
const SEED = Number(process.env.FUZZ_SEED || Date.now() % 1_000_000);

const session = await startFuzzSession();
afterAll(() => session.close());

describe('fuzzing every surface', () => {
  it('targets every canonical operation and every dialect route, each described in the dialect tables', () => {
    expect(session.operations.length).toBeGreaterThanOrEqual(90);
    const dialects = new Set(session.dialectRoutes.map((r) => r.dialect));
    expect([...dialects].sort()).toEqual(['mall', 'storefront', 'wholesale', 'xxpay', 'yoshop']);
    expect(session.dialectRoutes.length).toBeGreaterThanOrEqual(60);
    expect(staleTableEntries(session.dialectRoutes)).toEqual([]);
    expect(session.targets.length).toBe(session.operations.length + session.dialectRoutes.length);
  });

  it(
    `sends ${RUNS} hostile requests (seed ${SEED}): 0 5xx, 0 changed rows, every one built to be refused refused`,
    { timeout: 120_000 + RUNS * 40 },
    async () => {
      const figures = await session.run(RUNS, SEED);
      console.info(
        `fuzz: ${figures.requests} requests to ${session.operations.length} canonical operations and ${session.dialectRoutes.length} dialect routes (seed ${SEED}): ${figures.serverErrors} 5xx, ${figures.changedRows} changed rows, ${figures.notRefused} not refused`,
      );
      if (process.env.FUZZ_FAILURES_FILE) writeFileSync(process.env.FUZZ_FAILURES_FILE, figures.failures.join('\n'));
      expect(figures.failures.slice(0, 40)).toEqual([]);
      expect(figures.requests).toBeGreaterThanOrEqual(RUNS);
      expect({
        serverErrors: figures.serverErrors,
        changedRows: figures.changedRows,
        notRefused: figures.notRefused,
      }).toEqual({ serverErrors: 0, changedRows: 0, notRefused: 0 });
    },
  );

  // Found by this harness: PostgreSQL text cannot hold U+0000, and a dialect hid the failed query in its envelope.
  it('refuses U+0000 in a canonical free text and in a dialect parameter, changing nothing', async () => {
    const { t } = session;
    const member = (
      await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'demo', password: 'demo123' } })
    ).json().token;
    const before = await t.ctx.db
      .selectFrom('members')
      .select('nickname')
      .where('username', '=', 'demo')
      .executeTakeFirstOrThrow();
    const canonical = await t.app.inject({
      method: 'PATCH',
      url: '/v1/me',
      headers: { authorization: `Bearer ${member}` },
      payload: { nickname: 'a\u0000b' },
    });
    expect({ status: canonical.statusCode, code: canonical.json().error.code }).toEqual({
      status: 400,
      code: 'bad_request',
    });
    const yoshop = await t.app.inject({
      method: 'GET',
      url: '/yoshop/index.php?s=/api/cashier/tradeQuery&outTradeNo=%00',
      headers: { 'access-token': member },
    });
    expect(yoshop.json()).toMatchObject({
      status: 500,
      message: '请求中含有无法保存的字符（U+0000 或不成对的代理项）',
    });
    expect(
      await t.ctx.db.selectFrom('members').select('nickname').where('username', '=', 'demo').executeTakeFirstOrThrow(),
    ).toEqual(before);
  });
});
