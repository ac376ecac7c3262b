import { answerOneTimeCode, memberSignInCodeScope } from '../auth/captchas.ts';
import { clearFailedSignIns, noteFailedSignIn, refuseIfLocked } from '../auth/sign-in-lockout.ts';
import type { IssuedToken } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { startMemberSession } from './start-member-session.ts';

/** ordo has no SMS gateway: in sandbox mode this code is always right too, for scripts that cannot read a text. */
export const SANDBOX_SMS_CODE = '123456';

/**
 * Sign-in by SMS code for the member with that mobile number. Only in sandbox mode, where the code is the one the
 * sandbox SMS sender last sent to that number (flows/send-sign-in-sms-code.ts; single use) or the fixed one; with
 * real gateways there is no SMS sender yet, so this sign-in is refused rather than faked.
 */
export async function logInWithSmsCode(
  ctx: AppContext,
  input: { merchantId: number; mobile: string; code: string; platform?: string },
): Promise<IssuedToken & { memberId: number }> {
  const member = await ctx.db
    .selectFrom('members')
    .select(['id', 'locked_until'])
    .where('merchant_id', '=', input.merchantId)
    .where('mobile', '=', input.mobile)
    .executeTakeFirst();
  const account = member && { table: 'members' as const, id: member.id, lockedUntil: member.locked_until };
  if (account) refuseIfLocked(ctx, account);
  // a wrong code counts towards the lock-out like a wrong password: both are guesses at one account
  const right =
    ctx.config.sandbox &&
    (input.code === SANDBOX_SMS_CODE ||
      (await answerOneTimeCode(
        ctx.db,
        memberSignInCodeScope(input.merchantId),
        input.mobile,
        input.code,
        ctx.clock.now(),
      )));
  if (!right) {
    if (account) await noteFailedSignIn(ctx, account);
    throw new AppError('bad_sms_code', 'the SMS code is not right');
  }
  if (!member || !account) throw new AppError('unknown_mobile', 'no member has this mobile number');
  await clearFailedSignIns(ctx, account);
  return startMemberSession(ctx, { id: member.id, merchantId: input.merchantId }, input.platform);
}
