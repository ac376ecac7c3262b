import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../src/demo/seed-demo.ts';
import { api } from '../../support/api.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { answerKnownToTest, consoleCall, consoleLogin } from './console-client.ts';

/** The console's sign-in (routes/console-auth.ts): the picture captcha, auth by any method, logout, password change. */

let t: TestApp;
const admin = DEMO.staff[0]!;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function picture(key: string) {
  const reply = await t.app.inject({ method: 'GET', url: `/xxpay/api/auth/vercode?vercodeRandomStr=${key}` });
  return reply;
}

describe('xxpay console sign-in', () => {
  it('auth/vercode is an SVG picture for the key the page chose', async () => {
    const reply = await picture('Qw3rTy1733300000000');
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(reply.body.startsWith('<svg')).toBe(true);
    const missing = await consoleCall(t, 'auth/vercode');
    expect(missing.code).toBe(10001);
  });

  it('web login by GET with the picture → data.access_token, which opens the console', async () => {
    const token = await consoleLogin(t, admin.username, admin.password);
    expect(typeof token).toBe('string');
    const frame = await consoleCall(t, 'mch/get', {}, token);
    expect(frame.code).toBe(0);
  });

  it('a wrong picture answer is 10005 in Chinese, and the picture is used up (single use)', async () => {
    await picture('Key1wrong');
    await answerKnownToTest(t, 'Key1wrong', 'abcd');
    const wrong = await consoleCall(t, 'auth', {
      username: admin.username,
      password: admin.password,
      vercode: 'zzzz',
      vercodeRandomStr: 'Key1wrong',
      loginType: 'web',
    });
    expect(wrong).toMatchObject({ code: 10005 });
    expect(wrong.msg).toContain('验证码');
    const reused = await consoleCall(t, 'auth', {
      username: admin.username,
      password: admin.password,
      vercode: 'abcd',
      vercodeRandomStr: 'Key1wrong',
      loginType: 'web',
    });
    expect(reused.code).toBe(10005);
    const none = await consoleCall(t, 'auth', { username: admin.username, password: admin.password, loginType: 'web' });
    expect(none.code).toBe(10005);
  });

  it('a wrong password is 12011 用户名或密码错误 (never 1002, which would open the security page)', async () => {
    await picture('Key2pass');
    await answerKnownToTest(t, 'Key2pass', 'abcd');
    const reply = await consoleCall(t, 'auth', {
      username: admin.username,
      password: 'not-it',
      vercode: 'abcd',
      vercodeRandomStr: 'Key2pass',
      loginType: 'web',
    });
    expect(reply).toMatchObject({ code: 12011, msg: '用户名或密码错误' });
  });

  it('the till plugin (pc) signs in without a picture, by POST too; an unknown loginType is 12060', async () => {
    const pc = await consoleCall(
      t,
      'auth',
      { username: 'cashier', password: DEMO.staff[1]!.password, loginType: 'pc' },
      null,
      'POST',
    );
    expect(pc.code).toBe(0);
    expect(pc.data.access_token).toBeTruthy();
    const odd = await consoleCall(t, 'auth', { username: 'cashier', password: 'x', loginType: 'tv' });
    expect(odd.code).toBe(12060);
  });

  it('logout ends the session: the next call is 1001 (the console goes to its login page)', async () => {
    const token = await consoleLogin(t, admin.username, admin.password);
    expect((await consoleCall(t, 'logout', {}, token)).code).toBe(0);
    expect((await consoleCall(t, 'mch/get', {}, token)).code).toBe(1001);
  });

  it('mch/pwd_update: the old password must match; the new one is 8–16 letters and digits; sessions end', async () => {
    const created = await api(t, 'POST', '/v1/admin/staff', {
      token: (await api(t, 'POST', '/v1/staff/login', { body: { username: admin.username, password: admin.password } }))
        .body.token,
      body: { username: 'pwdtester', password: 'first1234', name: '测试员', role: 'operator' },
    });
    expect(created.status).toBeLessThan(300);
    const token = await consoleLogin(t, 'pwdtester', 'first1234');
    const wrongOld = await consoleCall(
      t,
      'mch/pwd_update',
      { oldPassword: 'nope1234', password: 'second123' },
      token,
      'POST',
    );
    expect(wrongOld).toMatchObject({ code: 12036, msg: '旧密码不正确' });
    const weak = await consoleCall(
      t,
      'mch/pwd_update',
      { oldPassword: 'first1234', password: '12345678' },
      token,
      'POST',
    );
    expect(weak.code).toBe(12010);
    const changed = await consoleCall(
      t,
      'mch/pwd_update',
      { oldPassword: 'first1234', password: 'second123' },
      token,
      'POST',
    );
    expect(changed.code).toBe(0);
    expect((await consoleCall(t, 'mch/get', {}, token)).code).toBe(1001);
    expect(await consoleLogin(t, 'pwdtester', 'second123')).toBeTruthy();
  });
});
