import { verifyPassword } from '../auth/passwords.ts';
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

export async function logInMember(ctx: AppContext, input: LogInMemberInput): Promise<IssuedToken & { memberId: number }> {
  if (!input.username && !input.mobile) throw new AppError('validation_failed', 'a username or a mobile number is required');
  const merchantId = input.merchantId ?? ctx.config.defaultMerchantId;
  const member = await ctx.db
    .selectFrom('members')
    .select(['id', 'password_hash'])
    .where('merchant_id', '=', merchantId)
    .where(input.username ? 'username' : 'mobile', '=', (input.username ?? input.mobile)!)
    .executeTakeFirst();
  const valid = await verifyPassword(input.password, member?.password_hash);
  if (!member || !valid) throw new AppError('unauthorized', 'wrong username or password');
  return startMemberSession(ctx, { id: member.id, merchantId }, input.platform);
}
