import type { FastifyInstance } from 'fastify';
import { checkPictureCaptcha, drawPictureCaptcha } from '../../../flows/picture-captcha.ts';
import { revokeClientToken } from '../../../auth/revoke-client-token.ts';
import type { AppContext } from '../../../context.ts';
import { AppError } from '../../../errors.ts';
import { logInStaff } from '../../../staff/log-in-staff.ts';
import { changeOwnPassword } from '../../../staff/own-account.ts';
import { ok, XXPAY_CODE } from '../mapping.ts';
import { paramsOf, staffOf, text, XxpayError } from '../params.ts';

/** XxPay's `/auth` takes any method; the abuse limits (http/abuse-limits.ts) cover the same list. */
const ANY_METHOD = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The console's picture keys are its own (6 letters and the time in ms): a scope of their own. */
const CONSOLE_CAPTCHA_SCOPE = 'xxpay-console';
const CAPTCHA_KEY = /^[A-Za-z0-9_-]{1,64}$/;

/** XxPay's client kinds: the web console proves a picture captcha, the till plugin and apps do not. */
const LOGIN_TYPES = ['web', 'pc', 'uni-app', 'face-app'];

/** The console's own rule for a new password (its form checks the same). */
const PASSWORD_RULE = /^(?![0-9]+$)(?![a-zA-Z]+$)[0-9A-Za-z]{8,16}$/;

/**
 * Signing in to the merchant console, as ordo's staff (src/staff) of the merchant:
 * - `auth/vercode?vercodeRandomStr=<key>`: an SVG picture for that key (5 minutes, single use).
 * - `auth` (any method): `username`, `password`, `loginType` (`web` also needs `vercode` and `vercodeRandomStr`;
 *   absent, the till plugin's `pc`) → `{access_token, operatorId, operatorName, mchId, expiresAt}`. A wrong
 *   picture answer is 10005, a wrong username or password 12011; the picture is used up by any answer.
 * - `logout`: ends the session of the `Authorization` token.
 * - `mch/pwd_update`: `oldPassword`, `password` (8–16 letters and digits); every session of the account ends.
 */
export function registerConsoleAuthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.route({
    method: ANY_METHOD as ['GET'],
    url: '/api/auth/vercode',
    handler: async (request, reply) => {
      const key = text(paramsOf(request), 'vercodeRandomStr', { max: 64, pattern: CAPTCHA_KEY });
      if (!key) throw new XxpayError(XXPAY_CODE.badParameter, '缺少参数 vercodeRandomStr');
      const picture = await drawPictureCaptcha(ctx, CONSOLE_CAPTCHA_SCOPE, key);
      return reply.type('image/svg+xml').header('cache-control', 'no-store').send(picture.svg);
    },
  });

  app.route({
    method: ANY_METHOD as ['GET'],
    url: '/api/auth',
    handler: async (request) => {
      const p = paramsOf(request);
      const loginType = text(p, 'loginType', { max: 16 }) ?? 'pc';
      if (!LOGIN_TYPES.includes(loginType))
        throw new XxpayError(XXPAY_CODE.loginTypeWrong, '登录端loginType不符合要求');
      const username = text(p, 'username', { max: 64 });
      const password = text(p, 'password', { max: 128 });
      if (!username || !password) throw new XxpayError(XXPAY_CODE.badParameter, '请输入用户名和密码');
      if (loginType === 'web') {
        const key = text(p, 'vercodeRandomStr', { max: 64, pattern: CAPTCHA_KEY });
        const answer = text(p, 'vercode', { max: 16 });
        if (!key || !answer) throw new XxpayError(XXPAY_CODE.vercodeWrong, '请输入图形验证码');
        if (!(await checkPictureCaptcha(ctx, CONSOLE_CAPTCHA_SCOPE, key, answer)))
          throw new XxpayError(XXPAY_CODE.vercodeWrong, '验证码输入错误或已失效，请点击图片刷新');
      }
      try {
        const signed = await logInStaff(ctx, { username, password });
        return ok({
          access_token: signed.token,
          expiresAt: signed.expiresAt,
          operatorId: signed.staffId,
          operatorName: signed.name,
          mchId: signed.merchantId,
        });
      } catch (err) {
        if (err instanceof AppError && err.code === 'unauthorized')
          throw new XxpayError(XXPAY_CODE.authFailed, '用户名或密码错误');
        throw err;
      }
    },
  });

  app.route({
    method: ANY_METHOD as ['GET'],
    url: '/api/logout',
    handler: async (request) => {
      const token = request.headers.authorization?.trim().replace(/^bearer\s+/i, '');
      if (token) await revokeClientToken(ctx, token);
      return ok(null);
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/mch/pwd_update',
    handler: async (request) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      const currentPassword = text(p, 'oldPassword', { max: 128 });
      const newPassword = text(p, 'password', { max: 128 });
      if (!currentPassword || !newPassword) throw new XxpayError(XXPAY_CODE.badParameter, '请输入旧密码和新密码');
      if (!PASSWORD_RULE.test(newPassword))
        throw new XxpayError(XXPAY_CODE.passwordFormat, '密码格式不符,须为8-16位字母和数字组合');
      if (!(await changeOwnPassword(ctx, staff.staffId, { currentPassword, newPassword })))
        throw new XxpayError(XXPAY_CODE.oldPasswordWrong, '旧密码不正确');
      return ok(null, '密码修改成功，请重新登录');
    },
  });
}
