import { answerOneTimeCode, memberSignInCodeScope } from '../auth/captchas.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { SANDBOX_SMS_CODE } from './log-in-with-sms-code.ts';

/**
 * The member binds (or changes) their mobile number, proving it with the SMS code sent to it — the same code and
 * the same sandbox-only rule as signing in by SMS (log-in-with-sms-code.ts): with real gateways there is no SMS
 * sender yet, so the bind is refused rather than faked. A number another member of the merchant has is refused.
 */
export async function bindMemberMobile(
  ctx: AppContext,
  member: { memberId: number; merchantId: number },
  input: { mobile: string; code: string },
): Promise<void> {
  if (!/^1\d{10}$/.test(input.mobile)) throw new AppError('validation_failed', 'not a mobile number');
  const right =
    ctx.config.sandbox &&
    (input.code === SANDBOX_SMS_CODE ||
      (await answerOneTimeCode(
        ctx.db,
        memberSignInCodeScope(member.merchantId),
        input.mobile,
        input.code,
        ctx.clock.now(),
      )));
  if (!right) throw new AppError('bad_sms_code', 'the SMS code is not right');
  const taken = await ctx.db
    .selectFrom('members')
    .select('id')
    .where('merchant_id', '=', member.merchantId)
    .where('mobile', '=', input.mobile)
    .where('id', '!=', member.memberId)
    .executeTakeFirst();
  if (taken) throw new AppError('conflict', 'another member has this mobile number');
  // the unique (merchant_id, mobile) index settles a race between two members binding the same number
  await ctx.db
    .updateTable('members')
    .set({ mobile: input.mobile, updated_at: ctx.clock.now() })
    .where('id', '=', member.memberId)
    .execute()
    .catch((err: unknown) => {
      if ((err as { code?: string }).code === '23505')
        throw new AppError('conflict', 'another member has this mobile number');
      throw err;
    });
}
