import type { AppContext } from '../context.ts';
import type { StaffRole } from '../db/schema.ts';

/** The merchant's staff member a till names as its operator, with their role; null for someone else's or nobody. */
export async function findOperator(
  ctx: AppContext,
  merchantId: number,
  staffId: number,
): Promise<{ id: number; role: StaffRole } | null> {
  const row = await ctx.db
    .selectFrom('staff')
    .select(['id', 'role'])
    .where('id', '=', staffId)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  return row ?? null;
}
