import { verifyPassword } from '../auth/passwords.ts';
import { issueToken, type IssuedToken } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';

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
  const now = ctx.clock.now();
  await ctx.db
    .updateTable('members')
    .set({ last_login_at: now, ...(input.platform ? { platform: input.platform } : {}) })
    .where('id', '=', member.id)
    .execute();
  const token = await issueToken(ctx.db, { kind: 'member', id: member.id, merchantId }, now, ctx.config.memberTokenTtlHours);
  return { ...token, memberId: member.id };
}
