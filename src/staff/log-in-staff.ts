import { verifyPassword } from '../auth/passwords.ts';
import { issueToken, type IssuedToken } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import type { StaffRole } from '../db/schema.ts';
import { AppError } from '../errors.ts';

export async function logInStaff(
  ctx: AppContext,
  input: { username: string; password: string },
): Promise<IssuedToken & { staffId: number; merchantId: number; role: StaffRole; name: string }> {
  const staff = await ctx.db
    .selectFrom('staff')
    .select(['id', 'merchant_id', 'password_hash', 'role', 'name', 'disabled'])
    .where('username', '=', input.username)
    .executeTakeFirst();
  const valid = await verifyPassword(input.password, staff?.password_hash);
  if (!staff || !valid || staff.disabled) throw new AppError('unauthorized', 'wrong username or password');
  const now = ctx.clock.now();
  await ctx.db.updateTable('staff').set({ last_login_at: now }).where('id', '=', staff.id).execute();
  const token = await issueToken(ctx.db, { kind: 'staff', id: staff.id, merchantId: staff.merchant_id }, now, ctx.config.staffTokenTtlHours);
  return { ...token, staffId: staff.id, merchantId: staff.merchant_id, role: staff.role, name: staff.name };
}
