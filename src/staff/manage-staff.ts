import { hashPassword } from '../auth/passwords.ts';
import type { AppContext } from '../context.ts';
import type { StaffRole } from '../db/schema.ts';
import { notFound } from '../errors.ts';

export interface StaffListing {
  id: number;
  merchantId: number;
  username: string;
  name: string;
  role: StaffRole;
  disabled: boolean;
  lockedUntil: Date | null;
  hasRefundPassword: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
}

/** Staff accounts, of one merchant or of all: what an operator needs to pick one (its id sets a refund password). */
export async function listStaff(ctx: AppContext, merchantId?: number): Promise<StaffListing[]> {
  let query = ctx.db
    .selectFrom('staff')
    .select([
      'id',
      'merchant_id',
      'username',
      'name',
      'role',
      'disabled',
      'locked_until',
      'refund_password_hash',
      'last_login_at',
      'created_at',
    ]);
  if (merchantId !== undefined) query = query.where('merchant_id', '=', merchantId);
  const rows = await query.orderBy('merchant_id').orderBy('id').execute();
  return rows.map((s) => ({
    id: s.id,
    merchantId: s.merchant_id,
    username: s.username,
    name: s.name,
    role: s.role,
    disabled: s.disabled,
    lockedUntil: s.locked_until,
    hasRefundPassword: s.refund_password_hash !== null,
    lastLoginAt: s.last_login_at,
    createdAt: s.created_at,
  }));
}

/** Its tokens stop working at once: tokens of a disabled account resolve to nobody. */
export async function setStaffDisabled(
  ctx: AppContext,
  username: string,
  disabled: boolean,
): Promise<{ id: number; username: string }> {
  const row = await ctx.db
    .updateTable('staff')
    .set({ disabled })
    .where('username', '=', username)
    .returning(['id', 'username'])
    .executeTakeFirst();
  if (!row) throw notFound('staff account', { username });
  return row;
}

/** A new sign-in password; the old one, the account's open sessions and any sign-in lock-out end with it. */
export async function resetStaffPassword(
  ctx: AppContext,
  username: string,
  password: string,
): Promise<{ id: number; username: string }> {
  const passwordHash = await hashPassword(password);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('staff')
      .set({ password_hash: passwordHash, failed_sign_ins: 0, locked_until: null })
      .where('username', '=', username)
      .returning(['id', 'username'])
      .executeTakeFirst();
    if (!row) throw notFound('staff account', { username });
    await trx
      .updateTable('auth_tokens')
      .set({ revoked_at: ctx.clock.now() })
      .where('subject_kind', '=', 'staff')
      .where('subject_id', '=', row.id)
      .where('revoked_at', 'is', null)
      .execute();
    return row;
  });
}

/** Sets the refund password a till operator types to authorise refunds (hashed like a sign-in password). */
export async function setRefundPassword(
  ctx: AppContext,
  merchantId: number,
  staffId: number,
  password: string,
): Promise<void> {
  const hash = await hashPassword(password);
  const updated = await ctx.db
    .updateTable('staff')
    .set({ refund_password_hash: hash })
    .where('id', '=', staffId)
    .where('merchant_id', '=', merchantId)
    .returning('id')
    .executeTakeFirst();
  if (!updated) throw notFound('staff', { staffId });
}
