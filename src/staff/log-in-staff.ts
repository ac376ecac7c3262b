import { verifyPassword } from '../auth/passwords.ts';
import { clearFailedSignIns, noteFailedSignIn, refuseIfLocked } from '../auth/sign-in-lockout.ts';
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
    .select(['id', 'merchant_id', 'password_hash', 'role', 'name', 'disabled', 'locked_until'])
    .where('username', '=', input.username)
    .executeTakeFirst();
  const account = staff && { table: 'staff' as const, id: staff.id, lockedUntil: staff.locked_until };
  if (account) refuseIfLocked(ctx, account);
  const valid = await verifyPassword(input.password, staff?.password_hash);
  if (!staff || !account || !valid || staff.disabled) {
    if (account && !valid) await noteFailedSignIn(ctx, account);
    throw new AppError('unauthorized', 'wrong username or password');
  }
  await clearFailedSignIns(ctx, account);
  const now = ctx.clock.now();
  await ctx.db.updateTable('staff').set({ last_login_at: now }).where('id', '=', staff.id).execute();
  const token = await issueToken(
    ctx.db,
    { kind: 'staff', id: staff.id, merchantId: staff.merchant_id },
    now,
    ctx.config.staffTokenTtlHours,
  );
  return { ...token, staffId: staff.id, merchantId: staff.merchant_id, role: staff.role, name: staff.name };
}
