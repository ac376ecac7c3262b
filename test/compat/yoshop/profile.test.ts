import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_SMS_CODE } from '../../../src/members/log-in-with-sms-code.ts';
import { createProduct, staffToken } from '../../support/actors.ts';
import { multipartBody, PNG_1X1 } from '../../support/payments.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';
import { yoshop as yoshopShared, yoshopBuyer, type YoshopOptions } from '../../support/yoshop-client.ts';

/**
 * The profile pages of the YoShop uniapp, called as the client calls them: user/personal (pages/user/personal:
 * nickname and an uploaded avatar), user/bindMobile (pages/user/bind), order/pay (paying again from the order
 * list) and the WeChat mini-program sign-ins, which ordo does not offer.
 */

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

const yoshop = (method: 'GET' | 'POST', route: string, options?: YoshopOptions) =>
  yoshopShared(t, method, route, options);

async function uploadedAvatar(token: string): Promise<string> {
  const { payload, contentType } = multipartBody({ checkLogin: '1' }, [
    { name: 'file', filename: 'me.png', type: 'image/png', data: PNG_1X1 },
  ]);
  const response = await t.app.inject({
    method: 'POST',
    url: '/yoshop/index.php?s=/api/upload/image',
    headers: { platform: 'H5', 'access-token': token, 'content-type': contentType },
    payload,
  });
  return response.json().data.fileInfo.file_id;
}

const memberRow = (memberId: number) =>
  t.ctx.db
    .selectFrom('members')
    .select(['nickname', 'avatar_url', 'mobile'])
    .where('id', '=', memberId)
    .executeTakeFirstOrThrow();

let mobileCounter = 0;
const freshMobile = () =>
  `166${String(process.pid % 10000).padStart(4, '0')}${String(++mobileCounter).padStart(4, '0')}`;

describe('user/personal', () => {
  it('saves the nickname and the uploaded avatar; user/info shows them; avatarId 0 keeps the avatar', async () => {
    const b = await yoshopBuyer(t);
    const avatarId = await uploadedAvatar(b.token);
    const saved = await yoshop('POST', 'user/personal', {
      token: b.token,
      body: { form: { avatarId, nickName: ' 小明 ' } },
    });
    expect(saved).toEqual({ status: 200, message: '恭喜您，信息修改成功', data: [] });
    const info = (await yoshop('GET', 'user/info', { token: b.token })).data.userInfo;
    expect(info).toMatchObject({
      nick_name: '小明',
      avatar_url: expect.stringMatching(new RegExp(`^https?://.+${avatarId}$`)),
      avatar_id: expect.any(Number),
    });

    // the page sends back user/info's avatar_id when the avatar was not changed
    expect(
      (
        await yoshop('POST', 'user/personal', {
          token: b.token,
          body: { form: { avatarId: info.avatar_id, nickName: '小红' } },
        })
      ).status,
    ).toBe(200);
    expect(await memberRow(b.memberId)).toMatchObject({ nickname: '小红', avatar_url: avatarId });
  });

  it('refuses an empty or long nickname and an avatar that is not the member’s upload; nothing changes', async () => {
    const b = await yoshopBuyer(t);
    const stranger = await yoshopBuyer(t);
    const theirs = await uploadedAvatar(stranger.token);
    const before = await memberRow(b.memberId);
    const cases: [Record<string, unknown>, string][] = [
      [{ avatarId: 0, nickName: '  ' }, '请输入昵称'],
      [{ avatarId: 0, nickName: '长'.repeat(31) }, '昵称不能超过30个字'],
      [{ avatarId: theirs, nickName: '小明' }, '头像图片不存在，请重新上传'],
      [{ avatarId: 'https://evil.example/x.png', nickName: '小明' }, '头像图片不存在，请重新上传'],
    ];
    for (const [form, message] of cases)
      expect(await yoshop('POST', 'user/personal', { token: b.token, body: { form } })).toEqual({
        status: 500,
        message,
        data: [],
      });
    expect(await memberRow(b.memberId)).toEqual(before);
    expect((await yoshop('POST', 'user/personal', { body: { form: { nickName: 'x' } } })).status).toBe(401);
  });
});

describe('user/bindMobile', () => {
  it('binds a new mobile with the SMS code; the member signs in with it', async () => {
    const b = await yoshopBuyer(t);
    const mobile = freshMobile();
    const bound = await yoshop('POST', 'user/bindMobile', {
      token: b.token,
      body: { form: { smsCode: SANDBOX_SMS_CODE, mobile } },
    });
    expect(bound).toEqual({ status: 200, message: '恭喜您，手机号绑定成功', data: [] });
    expect((await memberRow(b.memberId)).mobile).toBe(mobile);
    const login = await yoshop('POST', 'passport/login', { body: { form: { mobile, password: 'secret123' } } });
    expect(login.data.userId).toBe(b.memberId);
  });

  it('refuses a wrong code, a bad number and another member’s number; nothing changes', async () => {
    const b = await yoshopBuyer(t);
    const other = await yoshopBuyer(t);
    const cases: [Record<string, unknown>, string][] = [
      [{ smsCode: '000000', mobile: freshMobile() }, '短信验证码不正确'],
      [{ smsCode: SANDBOX_SMS_CODE, mobile: '12345' }, '请输入正确的手机号'],
      [{ smsCode: '', mobile: freshMobile() }, '请输入短信验证码'],
      [{ smsCode: SANDBOX_SMS_CODE, mobile: other.mobile }, '该手机号已被其他用户绑定'],
    ];
    for (const [form, message] of cases)
      expect(await yoshop('POST', 'user/bindMobile', { token: b.token, body: { form } })).toEqual({
        status: 500,
        message,
        data: [],
      });
    expect((await memberRow(b.memberId)).mobile).toBe(b.mobile);
  });

  it('two members binding the same number at once: one gets it, the other is told it is taken', async () => {
    const members = await Promise.all([yoshopBuyer(t), yoshopBuyer(t), yoshopBuyer(t)]);
    const mobile = freshMobile();
    const answers = await Promise.all(
      members.map((m) =>
        yoshop('POST', 'user/bindMobile', { token: m.token, body: { form: { smsCode: SANDBOX_SMS_CODE, mobile } } }),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200))
      expect(a).toEqual({ status: 500, message: '该手机号已被其他用户绑定', data: [] });
    const holders = await t.ctx.db.selectFrom('members').select('id').where('mobile', '=', mobile).execute();
    expect(holders).toHaveLength(1);
  });
});

describe('order/pay and the mini-program sign-ins', () => {
  it('order/pay pays an unpaid order as the cashier does (balance here)', async () => {
    const b = await yoshopBuyer(t, 5_000);
    const product = await createProduct(t, admin, { price: 1_200, stock: 10 });
    const submitted = await yoshop('POST', 'checkout/submit', {
      token: b.token,
      body: {
        mode: 'buyNow',
        goodsId: product.id,
        goodsNum: 1,
        goodsSkuId: '0',
        delivery: 0,
        isUsePoints: 0,
        couponId: 0,
      },
    });
    expect(submitted.status).toBe(200);
    const orderId = submitted.data.orderId as number;
    const paid = await yoshop('POST', 'order/pay', {
      token: b.token,
      body: { orderId, method: 'balance', client: 'H5', extra: {} },
    });
    expect(paid).toMatchObject({ status: 200, data: { isPay: true, payment: { out_trade_no: expect.any(String) } } });
    const detail = await yoshop('GET', 'order/detail', { token: b.token, query: { orderId } });
    expect(detail.data.order.pay_status).toBe(20);
    expect((await yoshop('POST', 'order/pay', { token: b.token, body: { orderId, method: 'balance' } })).status).toBe(
      500,
    );
  });

  it('loginMpWx, loginMpWxMobile and isPersonalMpweixin answer 暂不支持 in the envelope', async () => {
    for (const route of ['passport/loginMpWx', 'passport/loginMpWxMobile', 'passport/isPersonalMpweixin'])
      expect(await yoshop('POST', route, { body: { form: { code: 'x' } } })).toEqual({
        status: 500,
        message: '暂不支持微信小程序登录，请使用手机号登录',
        data: [],
      });
  });
});
