import { hashPassword } from '../auth/passwords.ts';
import { issueToken, type IssuedToken } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';

export interface RegisterMemberInput {
  merchantId?: number;
  username?: string;
  mobile?: string;
  password: string;
  nickname?: string;
  email?: string;
  platform?: string;
}

export async function registerMember(
  ctx: AppContext,
  input: RegisterMemberInput,
): Promise<IssuedToken & { memberId: number }> {
  if (!input.username && !input.mobile) {
    throw new AppError('validation_failed', 'a username or a mobile number is required');
  }
  const merchantId = input.merchantId ?? ctx.config.defaultMerchantId;
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const merchant = await trx.selectFrom('merchants').select('id').where('id', '=', merchantId).executeTakeFirst();
    if (!merchant) throw new AppError('validation_failed', 'unknown merchant', { merchantId });
    // The unique indexes decide races between two sign-ups of one name; this check gives the clear message.
    const taken = await trx
      .selectFrom('members')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where((eb) =>
        eb.or([
          ...(input.username ? [eb('username', '=', input.username)] : []),
          ...(input.mobile ? [eb('mobile', '=', input.mobile)] : []),
        ]),
      )
      .executeTakeFirst();
    if (taken) throw new AppError('conflict', 'that username or mobile number is already registered');
    const member = await trx
      .insertInto('members')
      .values({
        merchant_id: merchantId,
        username: input.username ?? null,
        mobile: input.mobile ?? null,
        password_hash: passwordHash,
        nickname: input.nickname ?? input.username ?? maskMobile(input.mobile ?? ''),
        platform: input.platform ?? '',
        email: input.email ?? '',
        grade_id: null,
        last_login_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = await issueToken(
      trx,
      { kind: 'member', id: member.id, merchantId },
      now,
      ctx.config.memberTokenTtlHours,
    );
    return { ...token, memberId: member.id };
  });
}

const maskMobile = (mobile: string) => (mobile.length >= 7 ? `${mobile.slice(0, 3)}****${mobile.slice(-4)}` : mobile);
