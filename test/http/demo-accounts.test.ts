import { afterEach, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

// The console's sign-in form is filled in from /web/demo-accounts.json: a demo ordo names its demo accounts there,
// any other answers that it has none (200, so a console page never logs a failed request).

let t: TestApp | undefined;
afterEach(() => t?.close());

it('names the demo admin and member while the demo data is on', async () => {
  t = await startTestApp({ seedDemo: true });
  const reply = await api(t, 'GET', '/web/demo-accounts.json');
  expect([reply.status, reply.body]).toEqual([
    200,
    { staff: { username: 'admin', password: 'admin123' }, member: { username: 'demo', password: 'demo123' } },
  ]);
}, 120_000);

it('names no account when the demo data is off', async () => {
  t = await startTestApp({ seedDemo: false });
  const reply = await api(t, 'GET', '/web/demo-accounts.json');
  expect([reply.status, reply.body]).toEqual([200, { staff: null, member: null }]);
}, 120_000);
