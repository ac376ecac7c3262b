import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerHash,
  answerOneTimeCode,
  answerPictureCaptcha,
  issueOneTimeCode,
  issuePictureCaptcha,
  PICTURE_TTL_SECONDS,
} from '../../src/auth/captchas.ts';
import { DEMO } from '../../src/demo/seed-demo.ts';
import { yoshopCall } from '../support/yoshop-client.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** The picture captcha and one-time codes (auth/captchas.ts), and YoShop's captcha/image and captcha/sendSmsCaptcha. */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** Tests cannot read the picture: they set a known answer on the stored row, as the picture would show it. */
async function knownAnswer(scope: string, key: string, answer: string) {
  await t.ctx.db
    .updateTable('captchas')
    .set({ answer_hash: answerHash(scope, key, answer.toLowerCase()) })
    .where('scope', '=', scope)
    .where('key', '=', key)
    .execute();
}

describe('picture captcha', () => {
  it('is an SVG picture; the answer is kept only as a hash', async () => {
    const picture = await issuePictureCaptcha(t.ctx.db, 'test', 'k-svg', t.clock.now());
    expect(picture.svg.startsWith('<svg')).toBe(true);
    const row = await t.ctx.db.selectFrom('captchas').selectAll().where('key', '=', 'k-svg').executeTakeFirstOrThrow();
    expect(row.answer_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.expires_at.getTime() - t.clock.now().getTime()).toBe(PICTURE_TTL_SECONDS * 1000);
  });

  it('answers once: right (any case) passes, the same answer again does not', async () => {
    await issuePictureCaptcha(t.ctx.db, 'test', 'k-once', t.clock.now());
    await knownAnswer('test', 'k-once', 'AbCd');
    expect(await answerPictureCaptcha(t.ctx.db, 'test', 'k-once', 'aBcD', t.clock.now())).toBe(true);
    expect(await answerPictureCaptcha(t.ctx.db, 'test', 'k-once', 'aBcD', t.clock.now())).toBe(false);
  });

  it('a wrong answer uses the picture up, so guessing needs a new picture each time', async () => {
    await issuePictureCaptcha(t.ctx.db, 'test', 'k-wrong', t.clock.now());
    await knownAnswer('test', 'k-wrong', 'wxyz');
    expect(await answerPictureCaptcha(t.ctx.db, 'test', 'k-wrong', 'nope', t.clock.now())).toBe(false);
    expect(await answerPictureCaptcha(t.ctx.db, 'test', 'k-wrong', 'wxyz', t.clock.now())).toBe(false);
  });

  it('expires, and belongs to its scope only', async () => {
    await issuePictureCaptcha(t.ctx.db, 'test', 'k-old', t.clock.now());
    await knownAnswer('test', 'k-old', 'wxyz');
    const late = new Date(t.clock.now().getTime() + PICTURE_TTL_SECONDS * 1000);
    expect(await answerPictureCaptcha(t.ctx.db, 'test', 'k-old', 'wxyz', late)).toBe(false);
    await issuePictureCaptcha(t.ctx.db, 'test', 'k-scope', t.clock.now());
    await knownAnswer('test', 'k-scope', 'wxyz');
    expect(await answerPictureCaptcha(t.ctx.db, 'other', 'k-scope', 'wxyz', t.clock.now())).toBe(false);
    expect(await answerPictureCaptcha(t.ctx.db, 'test', 'k-scope', 'wxyz', t.clock.now())).toBe(true);
  });

  it('ten requests racing with the right answer: exactly one passes', async () => {
    await issuePictureCaptcha(t.ctx.db, 'test', 'k-race', t.clock.now());
    await knownAnswer('test', 'k-race', 'race');
    const second = await t.openSecondContext();
    try {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          answerPictureCaptcha((i % 2 ? second.ctx : t.ctx).db, 'test', 'k-race', 'race', t.clock.now()),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});

describe('one-time code', () => {
  it('a right code passes once; five wrong ones kill it', async () => {
    const code = await issueOneTimeCode(t.ctx.db, 'test-sms', '13900000001', t.clock.now());
    expect(code).toMatch(/^\d{6}$/);
    expect(await answerOneTimeCode(t.ctx.db, 'test-sms', '13900000001', code, t.clock.now())).toBe(true);
    expect(await answerOneTimeCode(t.ctx.db, 'test-sms', '13900000001', code, t.clock.now())).toBe(false);

    const next = await issueOneTimeCode(t.ctx.db, 'test-sms', '13900000001', t.clock.now());
    const wrong = next === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++)
      expect(await answerOneTimeCode(t.ctx.db, 'test-sms', '13900000001', wrong, t.clock.now())).toBe(false);
    expect(await answerOneTimeCode(t.ctx.db, 'test-sms', '13900000001', next, t.clock.now())).toBe(false);
  });
});

describe('YoShop captcha/image and captcha/sendSmsCaptcha', () => {
  const member = DEMO.member;

  it('image: {base64 (an SVG data URL the page shows), key}', async () => {
    const { http, body } = await yoshopCall(t, 'GET', 'captcha/image');
    expect(http).toBe(200);
    expect(body.status).toBe(200);
    expect(body.data.base64).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(body.data.base64.split(',')[1], 'base64').toString().startsWith('<svg')).toBe(true);
    expect(typeof body.data.key).toBe('string');
  });

  it('sendSmsCaptcha: a wrong picture answer is refused and sends nothing; the right one sends a code that signs in once', async () => {
    const sentBefore = t.sandbox.sms.sent.length;
    const first = (await yoshopCall(t, 'GET', 'captcha/image')).body.data;
    const refused = await yoshopCall(t, 'POST', 'captcha/sendSmsCaptcha', {
      body: { form: { captchaKey: first.key, captchaCode: 'zzzz', mobile: member.mobile } },
    });
    expect(refused.http).toBe(200);
    expect(refused.body.status).toBe(500);
    expect(refused.body.message).toContain('图形验证码');
    expect(t.sandbox.sms.sent.length).toBe(sentBefore);

    const picture = (await yoshopCall(t, 'GET', 'captcha/image')).body.data;
    await knownAnswer('yoshop-picture', picture.key, 'k7Pq');
    const sent = await yoshopCall(t, 'POST', 'captcha/sendSmsCaptcha', {
      body: { form: { captchaKey: picture.key, captchaCode: 'K7PQ', mobile: member.mobile } },
    });
    expect(sent.body).toMatchObject({ status: 200, message: '发送成功，请注意查收' });
    const text = t.sandbox.sms.latestTo(member.mobile)!.text;
    const code = /(\d{6})/.exec(text)![1]!;

    // the picture was used up by that request
    const again = await yoshopCall(t, 'POST', 'captcha/sendSmsCaptcha', {
      body: { form: { captchaKey: picture.key, captchaCode: 'K7PQ', mobile: member.mobile } },
    });
    expect(again.body.status).toBe(500);

    const login = await yoshopCall(t, 'POST', 'passport/login', {
      body: { form: { isParty: false, mobile: member.mobile, partyData: {}, smsCode: code } },
    });
    expect(login.body.status).toBe(200);
    expect(login.body.data.userId).toBeGreaterThan(0);
    const replay = await yoshopCall(t, 'POST', 'passport/login', {
      body: { form: { isParty: false, mobile: member.mobile, partyData: {}, smsCode: code } },
    });
    if (code !== '123456') expect(replay.body.status).not.toBe(200);
  });

  it('the /sandbox/ page lists the text messages sent', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/sandbox/' });
    expect(page.body).toContain('Text messages sent');
    expect(page.body).toContain(member.mobile);
  });

  it('bad input is a 500-status envelope in Chinese, never an HTTP error', async () => {
    const noForm = await yoshopCall(t, 'POST', 'captcha/sendSmsCaptcha', { body: {} });
    expect(noForm).toMatchObject({ http: 200, body: { status: 500 } });
    const badMobile = await yoshopCall(t, 'POST', 'captcha/sendSmsCaptcha', {
      body: { form: { captchaKey: 'x', captchaCode: 'y', mobile: '123' } },
    });
    expect(badMobile.body).toMatchObject({ status: 500, message: '请输入正确格式的手机号' });
  });
});
