import { AppError } from '../../../errors.ts';
import { logInMember } from '../../../members/log-in-member.ts';
import { logInWithSmsCode } from '../../../members/log-in-with-sms-code.ts';
import { storeOf } from '../lookups.ts';
import { ok } from '../mapping.ts';
import { bad, obj, reqStr, str } from '../params.ts';
import type { OpenRoutes } from '../route-table.ts';

/** Sign-in (by password or SMS code) at the store the `storeId` header names. */
export const passportRoutes: OpenRoutes = {
  'passport/login': async ({ ctx, p, platform, storeId }) => {
    const form = obj(p, 'form')!;
    const mobile = reqStr(form, 'mobile', 20).trim();
    if (!/^1\d{10}$/.test(mobile)) throw bad('请输入正确的手机号');
    const password = str(form, 'password', { optional: true, max: 128 });
    const smsCode = str(form, 'smsCode', { optional: true, max: 10 });
    const merchantId = (await storeOf(ctx, storeId, null)).merchantId;
    let signed;
    if (password) {
      signed = await logInMember(ctx, { merchantId, mobile, password, platform }).catch((err: unknown) => {
        throw err instanceof AppError && err.code === 'unauthorized' ? bad('手机号或密码错误') : err;
      });
    } else if (smsCode) {
      // a wrong code and an unknown number are toasts in the mapping's words (MESSAGE_BY_ERROR)
      signed = await logInWithSmsCode(ctx, { merchantId, mobile, code: smsCode, platform });
    } else throw bad('请输入密码或短信验证码');
    return ok({ userId: signed.memberId, token: signed.token }, '登录成功');
  },
};
