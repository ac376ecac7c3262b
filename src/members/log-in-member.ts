import { verifyPassword } from '../auth/passwords.ts';
import { clearFailedSignIns, noteFailedSignIn, refuseIfLocked } from '../auth/sign-in-lockout.ts';
import type { IssuedToken } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { startMemberSession } from './start-member-session.ts';

export interface LogInMemberInput {
  merchantId?: number;
  username?: string;
  mobile?: string;
  password: string;
  platform?: string;
}

export async function logInMember(
  ctx: AppContext,
  input: LogInMemberInput,
): Promise<IssuedToken & { memberId: number }> {
  if (!input.username && !input.mobile)
    throw new AppError('validation_failed', 'a username or a mobile number is required');
  const merchantId = input.merchantId ?? ctx.config.defaultMerchantId;
  const member = await ctx.db
    .selectFrom('members')
    .select(['id', 'password_hash', 'locked_until'])
    .where('merchant_id', '=', merchantId)
    .where(input.username ? 'username' : 'mobile', '=', (input.username ?? input.mobile)!)
    .executeTakeFirst();
  const account = member && { table: 'members' as const, id: member.id, lockedUntil: member.locked_until };
  if (account) refuseIfLocked(ctx, account);
  const valid = await verifyPassword(input.password, member?.password_hash);
  if (!account || !valid) {
    if (account) await noteFailedSignIn(ctx, account);
    throw new AppError('unauthorized', 'wrong username or password');
  }
  await clearFailedSignIns(ctx, account);
  return startMemberSession(ctx, { id: account.id, merchantId }, input.platform);
}
