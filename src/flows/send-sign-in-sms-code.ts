import { issueOneTimeCode, memberSignInCodeScope, SMS_CODE_TTL_SECONDS } from '../auth/captchas.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';

/**
 * Sends a shopper a sign-in code by SMS (the caller has checked the picture captcha first). ordo has no SMS
 * gateway: in sandbox mode the text goes to the sandbox's outbox (the /sandbox/ page) and the server log; with real
 * gateways it is refused rather than pretended.
 */
export async function sendSignInSmsCode(ctx: AppContext, input: { merchantId: number; mobile: string }): Promise<void> {
  if (!ctx.config.sandbox || !ctx.sandbox)
    throw new AppError('method_not_available', 'ordo has no SMS gateway: SMS codes are sent in sandbox mode only');
  const now = ctx.clock.now();
  const code = await issueOneTimeCode(ctx.db, memberSignInCodeScope(input.merchantId), input.mobile, now);
  const text = `【ordo】您的登录验证码是 ${code}，${SMS_CODE_TTL_SECONDS / 60} 分钟内有效。`;
  ctx.sandbox.sms.send({ at: now, mobile: input.mobile, text });
  ctx.log.info({ mobile: input.mobile, code, merchantId: input.merchantId }, 'sandbox SMS sent (sign-in code)');
}
