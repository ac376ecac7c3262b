import { hashPassword } from '../auth/passwords.ts';
import type { AppContext } from '../context.ts';
import type { StaffRole } from '../db/schema.ts';
import { AppError } from '../errors.ts';

export async function createStaff(
  ctx: AppContext,
  merchantId: number,
  input: { username: string; password: string; name?: string; role: StaffRole },
): Promise<{ id: number; username: string; name: string; role: StaffRole }> {
  const passwordHash = await hashPassword(input.password);
  const row = await ctx.db
    .insertInto('staff')
    .values({
      merchant_id: merchantId,
      username: input.username,
      password_hash: passwordHash,
      name: input.name ?? input.username,
      role: input.role,
      last_login_at: null,
    })
    .onConflict((oc) => oc.column('username').doNothing())
    .returning(['id', 'username', 'name', 'role'])
    .executeTakeFirst();
  if (!row) throw new AppError('conflict', 'that staff username is taken');
  return row;
}
