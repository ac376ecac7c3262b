import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import type { AppContext } from '../context.ts';
import type { StaffRole } from '../db/schema.ts';
import { notFound } from '../errors.ts';

/** A signed-in staff member as the merchant console shows them. */
export interface OwnStaffAccount {
  id: number;
  merchantId: number;
  username: string;
  name: string;
  role: StaffRole;
  lastLoginAt: Date | null;
  createdAt: Date;
}

export async function ownStaffAccount(ctx: AppContext, staffId: number): Promise<OwnStaffAccount> {
  const row = await ctx.db
    .selectFrom('staff')
    .select(['id', 'merchant_id', 'username', 'name', 'role', 'last_login_at', 'created_at'])
    .where('id', '=', staffId)
    .executeTakeFirst();
  if (!row) throw notFound('staff', { staffId });
  return {
    id: row.id,
    merchantId: row.merchant_id,
    username: row.username,
    name: row.name,
    role: row.role,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
  };
}

/**
 * A staff member changes their own sign-in password, proving the current one: false (and nothing changed) when it
 * is wrong. Every open session of the account ends with the old password, the one asking included, so the console
 * signs in again.
 */
export async function changeOwnPassword(
  ctx: AppContext,
  staffId: number,
  input: { currentPassword: string; newPassword: string },
): Promise<boolean> {
  const row = await ctx.db.selectFrom('staff').select('password_hash').where('id', '=', staffId).executeTakeFirst();
  if (!row) throw notFound('staff', { staffId });
  if (!(await verifyPassword(input.currentPassword, row.password_hash))) return false;
  const passwordHash = await hashPassword(input.newPassword);
  return ctx.db.transaction().execute(async (trx) => {
    // guarded on the hash read: a password changed meanwhile is not overwritten (and the current one was not given)
    const changed = await trx
      .updateTable('staff')
      .set({ password_hash: passwordHash })
      .where('id', '=', staffId)
      .where('password_hash', '=', row.password_hash)
      .returning('id')
      .executeTakeFirst();
    if (!changed) return false;
    await trx
      .updateTable('auth_tokens')
      .set({ revoked_at: ctx.clock.now() })
      .where('subject_kind', '=', 'staff')
      .where('subject_id', '=', staffId)
      .where('revoked_at', 'is', null)
      .execute();
    return true;
  });
}
