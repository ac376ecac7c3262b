import { randomBytes } from 'node:crypto';
import { checkPictureCaptcha, drawPictureCaptcha } from '../../../flows/picture-captcha.ts';
import { sendSignInSmsCode } from '../../../flows/send-sign-in-sms-code.ts';
import { storeOf } from '../lookups.ts';
import { ok } from '../mapping.ts';
import { bad, obj, reqStr } from '../params.ts';
import type { OpenRoutes } from '../route-table.ts';

/** Picture captchas of the YoShop client: ordo makes the keys, so one scope serves every store. */
const PICTURE_SCOPE = 'yoshop-picture';

/**
 * The login page's picture captcha and SMS code: `captcha/image` answers `{base64, key}` (the page shows
 * `base64` as an image source and sends `key` back), `captcha/sendSmsCaptcha {form: {captchaKey, captchaCode,
 * mobile}}` checks the picture (single use) and sends the sign-in code through ordo's SMS sender.
 */
export const captchaRoutes: OpenRoutes = {
  'captcha/image': async ({ ctx }) => {
    const key = randomBytes(16).toString('hex');
    const picture = await drawPictureCaptcha(ctx, PICTURE_SCOPE, key);
    const base64 = `data:image/svg+xml;base64,${Buffer.from(picture.svg).toString('base64')}`;
    return ok({ base64, key });
  },

  'captcha/sendSmsCaptcha': async ({ ctx, p, storeId }) => {
    const form = obj(p, 'form')!;
    const mobile = reqStr(form, 'mobile', 20).trim();
    if (!/^1\d{10}$/.test(mobile)) throw bad('请输入正确格式的手机号');
    const captchaKey = reqStr(form, 'captchaKey', 64).trim();
    const captchaCode = reqStr(form, 'captchaCode', 16);
    const merchantId = (await storeOf(ctx, storeId, null)).merchantId;
    if (!(await checkPictureCaptcha(ctx, PICTURE_SCOPE, captchaKey, captchaCode)))
      throw bad('图形验证码不正确或已过期，请重新输入');
    await sendSignInSmsCode(ctx, { merchantId, mobile });
    return ok([], '发送成功，请注意查收');
  },
};
